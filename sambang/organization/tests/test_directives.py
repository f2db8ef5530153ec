"""Directives (Atensi Pimpinan): issued to a subtree, acknowledged and done by each officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _send(world: World, role: str, **to: object) -> Any:
    return api(world, role).post(
        "/api/v1/directives/",
        {
            "title": "Patroli pasar malam",
            "body": "Patroli bersama di pasar malam setiap Sabtu.",
            **to,
        },
        format="json",
    )


def test_a_directive_to_several_units_reaches_their_officers_and_each_sees_only_theirs(
    world: World,
) -> None:
    """Issue 19: a directive to a list of units. Each unit's supervisors see it with their
    own officers only, never the other units' (a Polsek A1A and a Polsek A2A below one Polda)."""
    answer = _send(
        world, Role.POLDA, units=[world.units["polsek_a1a"].code, world.units["polsek_a2a"].code]
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    directive = Directive.objects.get(pk=body["id"])
    reached = set(
        DirectiveReceipt.objects.filter(directive=directive).values_list("officer__nrp", flat=True)
    )
    assert world.colleague is not None
    a1a = {world.officers["polsek_a1a"].nrp, world.colleague.nrp}
    a2a = {world.officers["polsek_a2a"].nrp}
    assert reached == a1a | a2a  # not the Polres or Polda headquarters' officers
    assert directive.unit == world.units["polda_a"]  # the lowest unit above both
    url = f"/api/v1/directives/{directive.pk}"
    polsek = api(world, Role.POLSEK).get(url).json()
    assert {r["officer"] for r in polsek["receipts"]} == a1a and polsek["officers"] == 2
    polres = api(world, Role.POLRES).get(url).json()
    assert {r["officer"] for r in polres["receipts"]} == a1a
    assert {r["officer"] for r in api(world, Role.POLDA).get(url).json()["receipts"]} == a1a | a2a
    officer = api(world, Role.OFFICER).get(url).json()
    assert [r["officer"] for r in officer["receipts"]] == [world.officers["polsek_a1a"].nrp]
    # The page shows the same.
    page = Client()
    page.force_login(world.users[Role.POLSEK])
    html = page.get(f"/directives/{directive.pk}/").content.decode()
    assert world.officers["polsek_a1a"].name in html
    assert world.officers["polsek_a2a"].name not in html
    to = f"{world.units['polsek_a1a'].name}, {world.units['polsek_a2a'].name}"
    assert f"<dt>To</dt><dd>{to}</dd>" in html  # not "the officers of" the Polda
    assert to in page.get("/directives/").content.decode()
    assert sorted(polsek["addressed_units"]) == sorted(
        [world.units["polsek_a1a"].code, world.units["polsek_a2a"].code]
    )
    assert polsek["named_officers"] == 0


def test_a_directive_to_named_officers_reaches_them_alone(world: World) -> None:
    named = [world.officers["polsek_a1a"].nrp, world.officers["polsek_a1b"].nrp]
    answer = _send(world, Role.POLRES, officers=named)
    assert answer.status_code == 201, answer.json()
    directive = Directive.objects.get(pk=answer.json()["id"])
    assert set(directive.receipts.values_list("officer__nrp", flat=True)) == set(named)
    assert directive.unit == world.units["polres_a1"]
    shown = api(world, Role.POLRES).get(f"/api/v1/directives/{directive.pk}").json()
    assert (shown["named_officers"], shown["addressed_units"]) == (2, [])
    page = Client()
    page.force_login(world.users[Role.POLRES])
    html = page.get(f"/directives/{directive.pk}/").content.decode()
    assert f'2 named officers <span class="muted">({world.units["polres_a1"].name})</span>' in html
    # An officer of another Polda, an unknown NRP, two ways at once: a field error, nothing kept.
    before = Directive.objects.count()
    for to, field in (
        ({"officers": [world.officers["polsek_b1a"].nrp]}, "officers"),
        ({"officers": ["79999999"]}, "officers"),
        ({"units": [world.units["polsek_b1a"].code]}, "units"),
        ({"unit": world.units["polsek_a1a"].code, "officers": named}, "unit"),
        ({}, "unit"),
    ):
        refused = _send(world, Role.POLRES, **to)
        assert refused.status_code == 400, (to, refused.json())
        assert field in refused.json()["error"]["fields"], to
    assert Directive.objects.count() == before


def test_the_page_addresses_named_officers(world: World) -> None:
    page = Client()
    page.force_login(world.users[Role.POLRES])
    nrp = world.officers["polsek_a1b"].nrp
    answer = page.post(
        "/directives/",
        {
            "to": "officers",
            "officers": f" {nrp}, ",
            "title": "Cek pos ronda",
            "body": "Cek pos ronda di desa binaan.",
        },
    )
    assert answer.status_code == 302
    directive = Directive.objects.get(title="Cek pos ronda")
    assert list(directive.receipts.values_list("officer__nrp", flat=True)) == [nrp]
    wrong = page.post(
        "/directives/",
        {"to": "officers", "officers": "12345678", "title": "Cek", "body": "Cek pos."},
    )
    assert wrong.status_code == 400 and "NRP" in wrong.content.decode()
