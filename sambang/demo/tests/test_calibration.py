"""The integrity signals measured on the labelled set, through ``sambang integrity evaluate``:
the targets hold with officers in their Polsek and with all of them in the Polres."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from sambang.demo.labelled import PATTERNS
from sambang.fieldwork.models import ActivityReport, ReportWord
from sambang.organization.models import Unit

pytestmark = pytest.mark.django_db


def evaluated(*options: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("integrity", "evaluate", "--json", *options, stdout=out)
    return json.loads(out.getvalue())


def meets_the_targets(figures: dict[str, Any]) -> None:
    assert figures["genuine"] >= 150 and figures["gamed"] >= 25, figures
    assert figures["recall"] >= 0.95, figures
    assert figures["false_alarms"] <= 0.02, figures
    # Every way of gaming is in the set, and each one is caught.
    assert set(figures["cases_by_pattern"]) == set(PATTERNS), figures
    for pattern, recall in figures["recall_by_pattern"].items():
        assert recall >= 0.8, (pattern, figures)


@pytest.mark.parametrize("placement", ["polsek", "polres"])
def test_the_signals_meet_their_targets_on_the_labelled_set(placement: str) -> None:
    before = (ActivityReport.objects.count(), Unit.objects.count(), ReportWord.objects.count())
    [figures] = evaluated("--placement", placement)
    assert figures["placement"] == placement
    meets_the_targets(figures)
    # The evaluation leaves the database as it was.
    after = (ActivityReport.objects.count(), Unit.objects.count(), ReportWord.objects.count())
    assert after == before


@pytest.mark.long
def test_the_full_set_with_unseen_cases_meets_the_targets() -> None:
    """Another seed than the one the thresholds were chosen on, at the full size."""
    for figures in evaluated("--size", "full", "--seed", "7"):
        meets_the_targets(figures)
