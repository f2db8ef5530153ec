"""Directives (Atensi Pimpinan): issued to a subtree, acknowledged and done by each officer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from sambang.organization.models import Directive, DirectiveReceipt
from sambang.personnel.models import Role
from sambang.testing.world import World

pytestmark = pytest.mark.django_db


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def issue(world: World, role: str = Role.POLRES, unit: str = "polres_a1", **extra: object) -> dict:
    response = api(world, role).post(
        "/api/v1/directives/",
        {
            "unit": world.units[unit].code,
            "title": "Petakan titik rawan Pilkada",
            "body": "Setiap Bhabinkamtibmas memetakan titik rawan pemilu di desanya.",
            "due_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            **extra,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_directive_reaches_every_active_officer_of_the_subtree(world: World) -> None:
    body = issue(world)
    nrps = {r["officer"] for r in body["receipts"]}
    expected = {world.officers[k].nrp for k in ("polres_a1", "polsek_a1a", "polsek_a1b")}
    assert world.colleague is not None
    assert nrps == expected | {world.colleague.nrp}
    assert (body["officers"], body["acknowledged"], body["completed"]) == (4, 0, 0)


def test_officers_acknowledge_and_report_done_and_the_issuer_sees_who_has_not(world: World) -> None:
    directive = issue(world)
    officer = api(world, Role.OFFICER)
    url = f"/api/v1/directives/{directive['id']}"
    assert officer.post(f"{url}/complete", {"note": " "}, format="json").status_code == 400
    assert officer.post(f"{url}/acknowledge").json()["acknowledged_at"]
    done = officer.post(
        f"{url}/complete", {"note": "Tiga titik rawan dipetakan."}, format="json"
    ).json()
    assert done["completed_at"] and done["note"] == "Tiga titik rawan dipetakan."
    progress = api(world, Role.POLRES).get(url).json()
    assert (progress["acknowledged"], progress["completed"]) == (1, 1)
    pending = [r["officer"] for r in progress["receipts"] if r["completed_at"] is None]
    assert world.officers["polsek_a1a"].nrp not in pending and len(pending) == 3
    page = Client()
    page.force_login(world.users[Role.POLRES])
    html = page.get(f"/directives/{directive['id']}/").content.decode()
    assert "1 of 4 acknowledged, 1 done" in html and world.officers["polsek_a1b"].name in html


def test_directives_go_only_to_units_in_the_issuers_scope(world: World) -> None:
    polres = api(world, Role.POLRES)
    outside = polres.post(
        "/api/v1/directives/",
        {"unit": world.units["polres_a2"].code, "title": "x", "body": "y"},
        format="json",
    )
    # A unit outside the scope is a code the issuer typed: an error on that field.
    assert outside.status_code == 400 and "unit" in outside.json()["error"]["fields"]
    assert (
        api(world, Role.OFFICER)
        .post(
            "/api/v1/directives/",
            {"unit": world.units["polsek_a1a"].code, "title": "x", "body": "y"},
            format="json",
        )
        .status_code
        == 403
    )
    unit = world.units["polsek_a1a"].code
    blank = polres.post(
        "/api/v1/directives/", {"unit": unit, "title": " ", "body": "y"}, format="json"
    )
    assert blank.status_code == 400 and "title" in blank.json()["error"]["fields"]
    late = {"unit": unit, "title": "x", "body": "y", "due_date": "2001-01-01"}
    late_response = polres.post("/api/v1/directives/", late, format="json")
    assert (
        late_response.status_code == 400 and "due_date" in late_response.json()["error"]["fields"]
    )
    assert not Directive.objects.exists()


def test_the_directive_page_lets_an_officer_answer(world: World) -> None:
    directive = issue(world, Role.POLSEK, "polsek_a1a")
    page = Client()
    page.force_login(world.users[Role.OFFICER])
    assert "Petakan titik rawan Pilkada" in page.get("/directives/").content.decode()
    page.post(f"/directives/{directive['id']}/", {"acknowledge": "1"})
    page.post(f"/directives/{directive['id']}/", {"complete": "1", "note": "Selesai dipetakan."})
    receipt = DirectiveReceipt.objects.get(officer=world.officers["polsek_a1a"])
    assert receipt.acknowledged_at and receipt.note == "Selesai dipetakan."
    issued = Client()
    issued.force_login(world.users[Role.POLDA])
    response = issued.post(
        "/directives/",
        {
            "unit": world.units["polres_a2"].code,
            "title": "Patroli",
            "body": "Tingkatkan patroli malam.",
        },
    )
    assert response.status_code == 302 and Directive.objects.count() == 2
