"""Recommendations of who covers which villages, through the pages a supervisor uses."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sambang.audit.models import AuditEvent
from sambang.personnel.models import Assignment, Officer, OfficerStatus, Role
from sambang.planning.models import Recommendation
from sambang.planning.workload import Weights
from sambang.territory.models import Region
from sambang.testing.world import World


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def recommend(client: Client, code: str, **fields: object) -> Recommendation:
    answer = client.post(
        reverse("planning:unit", args=[code]), {"time_limit": 5, "cover_all": "on", **fields}
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return Recommendation.objects.get(pk=int(answer["Location"].rstrip("/").split("/")[-1]))


def test_a_polsek_plans_only_its_own_unit(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    own, sibling = world.units["polsek_a1a"], world.units["polsek_a1b"]
    assert polsek.get(reverse("planning:home"))["Location"] == reverse(
        "planning:unit", args=[own.code]
    )
    assert polsek.get(reverse("planning:unit", args=[own.code])).status_code == 200
    assert polsek.get(reverse("planning:unit", args=[sibling.code])).status_code == 404
    assert polsek.post(reverse("planning:unit", args=[sibling.code])).status_code == 404

    mine = recommend(polsek, own.code)
    theirs = recommend(signed_in(world, Role.POLRES), sibling.code)
    page = polsek.get(reverse("planning:recommendation", args=[own.code, mine.pk]))
    assert page.status_code == 200
    # A sibling's recommendation: not through the sibling's code, nor through one's own.
    for code in (sibling.code, own.code):
        url = reverse("planning:recommendation", args=[code, theirs.pk])
        assert polsek.get(url).status_code == 404
        assert polsek.post(url, {"all": "1"}).status_code == 404
    assert Recommendation.objects.get(pk=theirs.pk).accepted_at is None
    # The Polres above both reads both; an officer and an administrator plan nothing.
    polres = signed_in(world, Role.POLRES)
    url = reverse("planning:recommendation", args=[sibling.code, theirs.pk])
    assert polres.get(url).status_code == 200
    for role in (Role.OFFICER, Role.ADMIN):
        assert signed_in(world, role).get(url).status_code in (403, 404)
        assert signed_in(world, role).get(reverse("planning:home")).status_code == 403


def test_the_recommendation_covers_every_village_and_shows_its_figures(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    villages = set(unit.jurisdiction.values_list("village_id", flat=True))
    made = recommend(polsek, unit.code)
    result = made.result
    assert result["solver"]["status"] == "optimal"
    assert result["solver"]["gap"] == 0
    assert {v["code"] for v in result["villages"]} == villages
    assert all(len(v["after"]) == 1 for v in result["villages"])  # each village one officer
    assert result["after"]["covered"] == len(villages) > result["before"]["covered"] == 2
    # No village changes hands: a quarter of the two held today is none; the officers keep
    # their own villages and share out the others.
    assert result["changed"] == 0 and result["max_changes"] == 0
    own = {world.villages["polsek_a1a"].code: world.officers["polsek_a1a"].nrp}
    assert world.colleague is not None and world.colleague_village is not None
    own[world.colleague_village.code] = world.colleague.nrp
    for row in result["villages"]:
        if row["code"] in own:
            assert row["after"] == [own[row["code"]]]
    page = polsek.get(reverse("planning:recommendation", args=[unit.code, made.pk]))
    text = page.content.decode()
    assert "CP-SAT" in text and "Gini" in text
    # The weights of the workload are shown beside the result, in the page's language, and
    # the solver's gap (0: proven optimal).
    with translation.override(page["Content-Language"]):
        assert str(Weights.LABELS["per_incident"]) in text
        assert f"{_('gap')} 0%" in text


def test_villages_without_an_officer_may_be_left_as_they_are(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    made = recommend(polsek, unit.code, cover_all="")
    assert made.result["after"]["covered"] == made.result["before"]["covered"] == 2
    assert all(v["after"] == v["before"] for v in made.result["villages"] if not v["before"])
    page = polsek.get(reverse("planning:recommendation", args=[unit.code, made.pk]))
    with translation.override(page["Content-Language"]):
        assert _("Villages without an officer today were left without one, as asked.") in (
            page.content.decode()
        )


def test_accepting_some_changes_makes_them_assignments_and_audits_each(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    made = recommend(polsek, unit.code)
    rows = [v for v in made.result["villages"] if not v["before"]]
    chosen, changed_since = rows[0], rows[1]
    # Someone assigns an officer to the second village meanwhile: it is skipped.
    Assignment.objects.create(
        officer=world.officers["polsek_a1a"],
        village_id=changed_since["code"],
        start_date=world.assignments["polsek_a1a"].start_date,
        is_contact=True,
    )
    url = reverse("planning:recommendation", args=[unit.code, made.pk])
    answer = polsek.post(url, {"village": [chosen["code"], changed_since["code"]]})
    assert answer.status_code == 302
    made.refresh_from_db()
    assert made.outcome["applied"] == [chosen["code"]]
    assert changed_since["code"] in made.outcome["skipped"]
    active = Assignment.objects.get(village_id=chosen["code"], end_date__isnull=True)
    assert active.officer.nrp == chosen["after"][0] and active.is_contact
    event = AuditEvent.objects.get(object_type="personnel.assignment", object_id=str(active.pk))
    assert event.user == world.users[Role.POLSEK]
    assert event.detail["recommendation"] == made.pk
    page = polsek.get(url).content.decode()
    assert "changed since" in page or "berubah sejak" in page
    # Accepted once: a second acceptance changes nothing and says why.
    again = polsek.post(url, {"all": "1"}, follow=True).content.decode()
    assert re.search(r"accepted on|diterima pada", again)


def test_an_officer_leaving_hands_their_village_to_a_colleague(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    assert world.colleague is not None and world.colleague_village is not None
    made = recommend(polsek, unit.code, leaving=[world.colleague.nrp])
    rows = {v["code"]: v for v in made.result["villages"]}
    assert rows[world.colleague_village.code]["after"] == [world.officers["polsek_a1a"].nrp]
    leaving = [o for o in made.result["officers"] if o.get("leaving")]
    assert [o["key"] for o in leaving] == [world.colleague.nrp]
    polsek.post(reverse("planning:recommendation", args=[unit.code, made.pk]), {"all": "1"})
    assert not Assignment.objects.filter(
        officer=world.colleague, village=world.colleague_village, end_date__isnull=True
    ).exists()


def test_with_more_officers_the_new_ones_are_placed_but_not_assigned(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    made = recommend(polsek, unit.code, extra_officers=2)
    added = {o["key"]: o for o in made.result["officers"] if o["key"].startswith("+")}
    assert set(added) == {"+1", "+2"} and all(o["after"] > 0 for o in added.values())
    assert made.result["after"]["max"] < recommend(polsek, unit.code).result["after"]["max"]
    url = reverse("planning:recommendation", args=[unit.code, made.pk])
    new_rows = {v["code"] for v in made.result["villages"] if v["after"][0].startswith("+")}
    page = polsek.get(url).content.decode()
    assert new_rows and not any(f'value="{code}"' in page for code in new_rows)  # no tick box
    polsek.post(url, {"all": "1"})
    made.refresh_from_db()
    assert not new_rows & set(made.outcome["applied"])


def test_bad_settings_and_units_are_answered_with_the_field_named(world: World) -> None:
    national = signed_in(world, Role.NATIONAL)
    polda = world.units["polda_a"]
    answer = national.post(reverse("planning:unit", args=[polda.code]), {"time_limit": 5})
    assert answer.status_code == 200
    assert re.search(r"Polsek or a Polres|Polsek atau Polres", answer.content.decode())
    unit = world.units["polsek_a1a"]
    answer = national.post(
        reverse("planning:unit", args=[unit.code]),
        {"time_limit": 5, "weight_per_incident": "-1", "leaving": ["99999999"]},
    )
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert "weight_per_incident" in errors and "leaving" in errors
    # A Polsek whose only officer is no longer active: nothing to assign, and it says so.
    lone = world.units["polsek_a2a"]
    world.officers["polsek_a2a"].status = OfficerStatus.TRANSFERRED
    world.officers["polsek_a2a"].save(update_fields=["status"])
    answer = national.post(reverse("planning:unit", args=[lone.code]), {"time_limit": 5})
    assert answer.status_code == 400
    assert "extra_officers" in answer.context["form"].errors
    # …unless one asks where officers added would go.
    made = recommend(national, lone.code, extra_officers=1)
    assert made.result["after"]["covered"] == made.result["after"]["villages"]


def test_a_village_without_a_location_keeps_its_officers_and_is_listed(world: World) -> None:
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"]
    village = world.villages["polsek_a1a"]
    Region.objects.filter(code=village.code).update(centroid_lat=None, centroid_lng=None)
    made = recommend(polsek, unit.code)
    assert made.result["unlocated"] == [village.code]
    row = next(v for v in made.result["villages"] if v["code"] == village.code)
    assert row["after"] == row["before"] == [world.officers["polsek_a1a"].nrp]
    page = polsek.get(reverse("planning:recommendation", args=[unit.code, made.pk]))
    assert village.code in page.content.decode()


@pytest.mark.parametrize("role", [Role.POLSEK, Role.POLRES])
def test_the_menu_leads_supervisors_to_planning(world: World, role: str) -> None:
    home = signed_in(world, role).get("/").content.decode()
    assert reverse("planning:home") in home


def test_a_polres_moves_officers_from_a_crowded_polsek_and_the_move_is_audited(
    world: World,
) -> None:
    crowded, short = world.units["polsek_a1b"], world.units["polsek_a1a"]
    village = world.villages["polsek_a1b"]
    extra = []
    for n in range(2):
        officer = Officer.objects.create(
            nrp=f"8800010{n}",
            name=f"Bripka Ramai {n}",
            rank="bripka",
            unit=crowded,
            education="sma",
        )
        Assignment.objects.create(
            officer=officer, village=village, start_date=world.assignments["polsek_a1b"].start_date
        )
        extra.append(officer.nrp)
    polres = signed_in(world, Role.POLRES)
    unit = world.units["polres_a1"]
    made = recommend(polres, unit.code, moves=2, max_changes=12)
    moving = {o["key"]: o["moves_to"] for o in made.result["officers"] if o.get("moves_to")}
    assert moving and set(moving.values()) == {short.name}
    assert made.result["after"]["gini"] < made.result["before"]["gini"]
    polres.post(reverse("planning:recommendation", args=[unit.code, made.pk]), {"all": "1"})
    made.refresh_from_db()
    for nrp in moving:
        officer = Officer.objects.get(nrp=nrp)
        assert officer.unit == short
        assert AuditEvent.objects.filter(
            object_type="personnel.officer", object_id=str(officer.pk), detail__moved_to=short.code
        ).exists()
        assert (
            officer.assignments.filter(end_date__isnull=True)
            .exclude(village__jurisdiction__unit=short)
            .count()
            == 0
        )
    # A Polsek cannot move officers: there is no other Polsek in its plan.
    answer = signed_in(world, Role.POLSEK).post(
        reverse("planning:unit", args=[short.code]), {"time_limit": 5, "moves": 1}
    )
    assert answer.status_code == 400 and "moves" in answer.context["form"].errors
