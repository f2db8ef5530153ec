"""The backtest, run small: its figures hold loosely (no tuning to one seed)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command


def backtest(*args: str) -> dict:
    out = StringIO()
    call_command("alerts", "backtest", "--polseks", "8", *args, stdout=out)
    text = out.getvalue()
    return json.loads(text[: text.rindex("}") + 1])


@pytest.mark.django_db
def test_the_backtest_counts_few_false_alarms_and_finds_stronger_rises_more_often() -> None:
    doubling = backtest("--plants", "150", "--seed", "7")
    assert doubling["polseks"] == 8 and doubling["series"] > 8 * 4
    # The target: at most one false alarm per Polsek and month.
    assert doubling["false_alarms_per_polsek_month"] <= 1.0
    bands = doubling["found_by_expected_a_week"]
    assert sum(b["planted"] for b in bands.values()) == 150
    # A rise is easier to see where more happens: the busiest band that holds plants finds
    # a larger share than the quietest (0–0.5 a week, where a doubling is mostly chance).
    filled = [b for b in bands.values() if b["planted"] >= 3]
    assert filled[-1]["share"] > filled[0]["share"]
    # Five times the usual is found more often than twice, in the same series and weeks.
    fivefold = backtest("--plants", "150", "--seed", "7", "--rise", "5")
    assert fivefold["found_within"] > doubling["found_within"]
    assert 1 <= fivefold["median_delay_weeks"] <= 2
