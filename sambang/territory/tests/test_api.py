from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.testing.world import World


@pytest.fixture
def client_(world: World) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    return client


def test_regions_are_master_data_every_user_can_browse(client_: APIClient) -> None:
    districts = client_.get("/api/v1/regions/", {"parent": "32.16", "limit": "50"}).json()
    assert districts["count"] == 23
    assert {"code": "32.16.08", "name": "Cikarang Barat"}.items() <= districts["results"][7].items()
    found = client_.get("/api/v1/regions/", {"q": "setia asih", "level": "village"}).json()
    assert [r["code"] for r in found["results"]] == ["32.16.01.1007"]
    detail = client_.get("/api/v1/regions/32.16").json()
    assert detail["name"] == "Kabupaten Bekasi" and detail["bbox"] is None


def test_locate_answers_the_village_of_a_fix(client_: APIClient) -> None:
    response = client_.get("/api/v1/regions/locate", {"lat": -6.2517, "lng": 107.1547})
    assert response.status_code == 200
    assert response.json()["village"]["code"] == "32.16.09.2003"


def test_locate_far_from_any_village_is_404(client_: APIClient) -> None:
    response = client_.get("/api/v1/regions/locate", {"lat": -10, "lng": 100})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_village_shows_its_unit_and_officers(world: World) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.POLSEK]}")
    village = world.villages["polsek_a1a"]
    body = client.get(f"/api/v1/villages/{village.code}").json()
    assert body["unit"] == "POLSEK-A1A"
    assert [a["officer_nrp"] for a in body["assignments"]] == [world.officers["polsek_a1a"].nrp]
    assert body["assignments"][0]["active"] is True
