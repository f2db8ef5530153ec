"""Early-detection information goes up the tree and is acknowledged there."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.security.models import InformationReport
from sambang.testing.fieldwork import INFORMATION, report_payload
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def client(world: World, role: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return api


@pytest.fixture
def report_url(world: World) -> str:
    payload = report_payload(world, activity_type="deteksi-dini", information=INFORMATION)
    assert (
        client(world, Role.OFFICER).post("/api/v1/reports/", payload, format="json").status_code
        == 201
    )
    return f"/api/v1/reports/{payload['uuid']}"


def test_information_escalates_only_up_the_officers_own_tree(world: World, report_url: str) -> None:
    officer = client(world, Role.OFFICER)
    for other in ("polsek_a1b", "polres_a2", "polda_b"):
        response = officer.post(
            f"{report_url}/escalate", {"unit": world.units[other].code}, format="json"
        )
        assert response.status_code == 400, other
        assert "unit" in response.json()["error"]["fields"]
    assert (
        officer.post(f"{report_url}/escalate", {"unit": "NOPE"}, format="json").status_code == 400
    )
    body = officer.post(
        f"{report_url}/escalate", {"unit": world.units["polda_a"].code}, format="json"
    ).json()
    assert body["information"]["escalated_to"] == world.units["polda_a"].code
    assert body["information"]["acknowledged_at"] is None


def test_an_unknown_unit_and_another_polda_get_the_same_answer_in_the_readers_language(
    world: World, report_url: str
) -> None:
    officer = client(world, Role.OFFICER)
    officer.cookies["django_language"] = "id"
    answers = []
    for code in ("NOPE-0000", world.units["polda_b"].code):
        response = officer.post(f"{report_url}/escalate", {"unit": code}, format="json")
        answers.append((response.status_code, response.content.decode().replace(code, "")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 400 and "Bukan salah satu satuan Anda." in answers[0][1]
    # The page says the same for both.
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    uuid = report_url.rsplit("/", 1)[1]
    shown = [
        page.post(f"/field/reports/{uuid}/escalate/", {"unit": code}, follow=True)
        for code in ("NOPE-0000", world.units["polda_b"].code)
    ]
    assert [r.status_code for r in shown] == [200, 200]
    assert [str(m) for m in shown[0].context["messages"]] == [
        str(m) for m in shown[1].context["messages"]
    ]
    assert not InformationReport.objects.filter(escalated_to__isnull=False).exists()


def test_it_is_acknowledged_by_the_unit_it_went_to_or_above(world: World, report_url: str) -> None:
    client(world, Role.OFFICER).post(
        f"{report_url}/escalate", {"unit": world.units["polres_a1"].code}, format="json"
    )
    assert client(world, Role.POLSEK).post(f"{report_url}/acknowledge").status_code == 403
    assert client(world, Role.OFFICER).post(f"{report_url}/acknowledge").status_code == 403
    assert client(world, Role.POLDA).post(f"{report_url}/acknowledge").status_code == 200
    info = InformationReport.objects.get()
    assert info.acknowledged_by == world.users[Role.POLDA]


def test_other_reports_have_no_information_to_escalate(world: World) -> None:
    payload = report_payload(world)
    officer = client(world, Role.OFFICER)
    officer.post("/api/v1/reports/", payload, format="json")
    response = officer.post(
        f"/api/v1/reports/{payload['uuid']}/escalate",
        {"unit": world.units["polsek_a1a"].code},
        format="json",
    )
    assert response.status_code == 404
