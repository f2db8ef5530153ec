"""Staffing figures are counted once and reused until a table they come from changes,
however it changes: through the services, in bulk, or in raw SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sambang.personnel.models import Assignment, Officer, OfficerStatus, Role
from sambang.resources.models import Course, Training
from sambang.territory.models import Region
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

FIGURES = ("villages", "covered", "officers", "assigned", "population_per_officer", "trained")


def national(world: World) -> dict[str, Any]:
    """The national Anev's personnel figures, as served: Polda A's (where the writes below
    happen) and the whole country's."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.NATIONAL]}")
    response = client.get("/api/v1/evaluations/MABES/2026-09")
    assert response.status_code == 200, response.json()
    body = response.json()
    rows = {row["unit"]: row for row in body["personnel"]}
    return {name: (rows["POLDA-A"][name], body["personnel_total"][name]) for name in FIGURES}


def served_and_fresh(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    served = national(world)
    caches["staffing"].clear()
    return served, national(world)


def test_staffing_figures_follow_every_write_however_it_is_made(world: World) -> None:
    before = national(world)
    officer = world.officers["polsek_a1a"]
    changes = [
        # No model signal for any of these: only the database sees them.
        lambda: Assignment.objects.filter(officer=officer).update(end_date=dt.date(2026, 9, 1)),
        lambda: Officer.objects.filter(pk=world.officers["polsek_a1b"].pk).update(
            status=OfficerStatus.RETIRED
        ),
        lambda: Region.objects.filter(jurisdiction__unit__code="POLSEK-A2A").update(
            population=F("population") + 50_000
        ),
        lambda: Training.objects.bulk_create(
            [Training(officer=officer, course=Course.values[0], start_date=dt.date(2026, 1, 5))]
        ),
        lambda: connection.cursor().execute(
            "DELETE FROM organization_jurisdiction WHERE village_id = %s",
            [world.free_villages["polsek_a1a"].code],
        ),
    ]
    for change in changes:
        national(world)  # counted and kept
        change()
        served, fresh = served_and_fresh(world)
        assert served == fresh
    after = national(world)
    assert {name for name in FIGURES if after[name][0] != before[name][0]} == set(FIGURES)


def test_unchanged_staffing_is_counted_once(world: World) -> None:
    national(world)
    with CaptureQueriesContext(connection) as again:
        national(world)
    counted = [q["sql"] for q in again.captured_queries if "organization_jurisdiction" in q["sql"]]
    assert counted == []


def test_figures_counted_inside_a_rolled_back_write_are_not_reused(world: World) -> None:
    before = national(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        Assignment.objects.filter(officer=world.officers["polsek_a1a"]).delete()
        assert national(world) != before  # counted, and kept, under the write's stamp
        raise RuntimeError("rolled back")
    assert national(world) == before
