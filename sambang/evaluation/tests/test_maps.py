"""Map layers of a unit's month: villages by indicator, points, hexagons and hot spots."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import h3
import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.personnel.models import Role
from sambang.public.models import CitizenReport
from sambang.security.models import Incident, IncidentCategory
from sambang.territory.models import Region
from sambang.testing.world import World

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def incident(world: World, village: Region, when: dt.datetime, lat: float, lng: float) -> None:
    record = Incident(
        category=IncidentCategory.objects.get(code="curanmor"),
        occurred_at=when,
        village=village,
        unit=world.units["polsek_a1a"],
        latitude=lat,
        longitude=lng,
        description="Motor hilang.",
    )
    record.cell = h3.str_to_int(h3.latlng_to_cell(lat, lng, 9))
    record.save()


def layer(world: World, role: str, code: str, name: str, **params: Any) -> dict[str, Any]:
    response = api(world, role).get(f"/api/v1/map/{code}/2026-09/{name}", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_villages_are_valued_by_the_chosen_indicator(world: World) -> None:
    village = world.villages["polsek_a1a"]
    lat, lng = village.centroid_lat, village.centroid_lng
    assert lat is not None and lng is not None
    for day in (3, 4):
        incident(world, village, dt.datetime(2026, 9, day, 20, tzinfo=WIB), lat, lng)
    incident(world, village, dt.datetime(2026, 10, 1, 0, 30, tzinfo=WIB), lat, lng)  # October
    values = {
        f["properties"]["code"]: f["properties"]["value"]
        for f in layer(world, Role.POLSEK, "POLSEK-A1A", "area", indicator="incidents")["features"]
    }
    assert values[village.code] == 2 and sum(values.values()) == 2
    coverage = layer(world, Role.POLSEK, "POLSEK-A1A", "area", indicator="coverage")
    covered = {f["properties"]["code"] for f in coverage["features"] if f["properties"]["value"]}
    assert covered == {village.code, world.colleague_village.code}  # type: ignore[union-attr]
    geometry = {f["geometry"]["type"] for f in coverage["features"]}
    assert geometry <= {"Point", "Polygon", "MultiPolygon"} and coverage["level"] == "village"
    # Above a Polres, each unit below is one bubble.
    polda = layer(world, Role.POLDA, "POLDA-A", "area", indicator="incidents")
    assert polda["level"] == "unit"
    assert {f["properties"]["code"]: f["properties"]["value"] for f in polda["features"]} == {
        "POLRES-A1": 2,
        "POLRES-A2": 0,
    }
    bad = api(world, Role.POLSEK).get("/api/v1/map/POLSEK-A1A/2026-09/area?indicator=x")
    assert bad.status_code == 400 and "indicator" in bad.json()["error"]["fields"]
    assert api(world, Role.POLSEK).get("/api/v1/map/POLSEK-A1A/2026-09/nope").status_code == 404


def test_points_show_what_and_where_never_who(world: World) -> None:
    village = world.villages["polsek_a1a"]
    CitizenReport.objects.create(
        tracking_code="MAP00001",
        category="crime",
        description="Motor dicuri.",
        village=village,
        unit=world.units["polsek_a1a"],
        received_at=dt.datetime(2026, 9, 9, 10, tzinfo=WIB),
        due_at=dt.datetime(2026, 9, 12, 10, tzinfo=WIB),
        anonymous=False,
        reporter_name="Siti Rahayu",
        reporter_phone="08123456789",
    )
    points = layer(world, Role.POLRES, "POLRES-A1", "citizen-reports")
    assert [f["properties"]["code"] for f in points["features"]] == ["MAP00001"]
    assert "Siti" not in str(points) and "0812" not in str(points)
    assert layer(world, Role.POLDA, "POLRES-A2", "citizen-reports")["features"] == []


def test_hot_spots_find_a_cluster_and_judge_the_last_periods_hot_spots(world: World) -> None:
    village = world.villages["polsek_a1a"]
    lat, lng = village.centroid_lat, village.centroid_lng
    assert lat is not None and lng is not None
    # Six incidents in one hexagon in each of the two periods, one elsewhere.
    for month in (4, 5, 7, 8):
        for day in (5, 12, 19):
            incident(world, village, dt.datetime(2026, month, day, 21, tzinfo=WIB), lat, lng)
    incident(world, village, dt.datetime(2026, 9, 2, 21, tzinfo=WIB), lat + 0.03, lng + 0.03)
    heat = layer(world, Role.POLSEK, "POLSEK-A1A", "heat")
    assert [f["properties"]["value"] for f in heat["features"]] == [1]  # September alone
    spots = layer(world, Role.POLSEK, "POLSEK-A1A", "hotspots")
    assert spots["period"] == ["2026-07-01", "2026-09-30"]
    hot = [f["properties"] for f in spots["features"]]
    assert len(hot) == 1 and hot[0]["incidents"] == 6 and hot[0]["z"] >= 1.96
    # The hexagon hot in April–June caught 6 of the 7 incidents of July–September.
    assert spots["previous_hot_cells"] == 1
    assert spots["pai"] == pytest.approx(round((6 / 7) / (1 / spots["area_cells"]), 2))
    polda = layer(world, Role.POLDA, "POLDA-A", "hotspots")
    # Over the Polda's wider area the cluster is still the hottest hexagon.
    hottest = max(polda["features"], key=lambda f: f["properties"]["z"])
    assert hottest["properties"]["incidents"] == 6
    national = layer(world, Role.NATIONAL, "MABES", "hotspots")
    assert national["features"] == [] and national["note"]


def test_the_map_page_loads_its_layers(world: World) -> None:
    page = Client()
    page.force_login(world.users[Role.POLRES])
    assert page.get("/anev/map/")["Location"].startswith("/anev/map/POLRES-A1/")
    html = page.get("/anev/map/POLRES-A1/2026-09/?indicator=activity").content.decode()
    assert "/api/v1/map/POLRES-A1/2026-09/LAYER" in html and 'data-indicator="activity"' in html
    assert "leaflet.js" in html and "unit-map.js" in html


def outline_codes(html: str) -> dict[str, str]:
    """The regions of a page's map background (its ``map-outlines`` data): code → level."""
    import json
    import re

    found = re.search(r'<script id="map-outlines" type="application/json">(.*?)</script>', html)
    if found is None:
        return {}
    features = json.loads(found.group(1))["features"]
    return {f["properties"]["code"]: f["properties"]["level"] for f in features}


def test_without_tiles_maps_get_the_borders_around_them(world: World, settings: Any) -> None:
    from sambang.territory.services import bundled_boundaries_import

    settings.SAMBANG_MAP_TILES = ""
    bundled_boundaries_import(regency="32.16")
    # The Anev map: the regency and, for a Polres, the districts of its villages.
    polres = layer(world, Role.POLRES, "POLRES-A1", "outlines")["features"]
    assert [(f["properties"]["code"], f["properties"]["level"]) for f in polres] == [
        ("32.16", "regency"),
        ("32.16.08", "district"),
        ("32.16.18", "district"),
    ]
    polda = layer(world, Role.POLDA, "POLDA-A", "outlines")["features"]
    assert [f["properties"]["code"] for f in polda] == ["32.16"]
    assert api(world, Role.POLSEK).get("/api/v1/map/POLRES-A1/2026-09/outlines").status_code == 404
    # A village's page and its residents' form: the district, its villages, the regency.
    village = world.villages["polsek_a1a"]
    neighbours = set(Region.objects.filter(parent_id="32.16.08").values_list("code", flat=True))
    client = Client()
    client.force_login(world.users[Role.OFFICER])
    for html in [
        client.get(f"/villages/{village.code}/").content.decode(),
        Client().get(f"/lapor/{village.code}/").content.decode(),
    ]:
        codes = outline_codes(html)
        assert codes == {
            "32.16": "regency",
            "32.16.08": "district",
            **dict.fromkeys(neighbours, "village"),
        }
    # With a tile server, the tiles are the background.
    settings.SAMBANG_MAP_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert outline_codes(client.get(f"/villages/{village.code}/").content.decode()) == {}
    assert outline_codes(Client().get(f"/lapor/{village.code}/").content.decode()) == {}
