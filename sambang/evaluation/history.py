"""From when a unit's data is kept, and the counts kept on paper before it.

Missing is not zero: a month before a unit keeps a kind of data itemised in Sambang has
no figure unless the unit recorded an aggregate for it (``HistoricalCount``), and a
comparison with a month or year without a figure says so instead of testing against 0.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.db.models import Max, Min

from sambang.organization.models import Unit

from .models import CitizenDay, HistoricalCount, IncidentDay, UnitMonth
from .periods import local_today

Kind = Literal["reports", "incidents", "citizen_reports"]
_FIELDS: dict[str, str] = {
    "reports": "reports_since",
    "incidents": "incidents_since",
    "citizen_reports": "citizen_reports_since",
}


def data_since(unit: Unit, kind: Kind) -> dt.date:
    """The first day from which the unit's whole subtree keeps ``kind`` itemised.

    Each unit below counts with its own date or, without one, its nearest ancestor's; the
    subtree's is the latest of them (a Polres's figures are whole only once every Polsek
    keeps them). Where no unit records a date, Sambang's first record of that kind counts
    (before it, Sambang held nothing), and without any record, the unit's current month.
    """
    field = _FIELDS[kind]
    # The latest date a unit of the subtree records itself; a unit without one takes the
    # nearest above it, which is one of those unless it is above the unit asked about.
    latest = Unit.objects.filter(path__startswith=unit.path).aggregate(latest=Max(field))["latest"]
    codes = unit.path.strip("/").split("/")
    chain = dict(Unit.objects.filter(code__in=codes).values_list("code", field))
    if chain.get(codes[-1]) is None:
        above = next((since for code in reversed(codes[:-1]) if (since := chain.get(code))), None)
        if above is not None and (latest is None or above > latest):
            latest = above
    return latest or _first_record(kind) or local_today(unit).replace(day=1)


def _first_record(kind: Kind) -> dt.date | None:
    if kind == "reports":  # per unit and month: far fewer rows than per day
        first: dt.date | None = UnitMonth.objects.aggregate(first=Min("month"))["first"]
        return first
    model = IncidentDay if kind == "incidents" else CitizenDay
    first = model.objects.aggregate(first=Min("day"))["first"]
    return first


def month_kept(since: dt.date, month: dt.date) -> bool:
    """Whether a whole month (given by its first day) is kept itemised."""
    return month >= since


@dataclass(frozen=True)
class Aggregates:
    """A unit's paper counts of incidents: by (year, month or None for the year), and by
    (year, month, category) for the monthly ones."""

    by_period: dict[tuple[int, int | None], int]
    by_category: dict[tuple[int, int, int], int]

    def year_known(self, year: int) -> bool:
        return (year, None) in self.by_period or all(
            (year, m) in self.by_period for m in range(1, 13)
        )

    def month_known(self, year: int, month: int) -> bool:
        return (year, month) in self.by_period or (year, None) in self.by_period


def aggregates(unit: Unit, *, social_conflict: bool | None = None) -> Aggregates:
    """The unit's own paper counts (those of the units below are theirs: a Polres's
    figures for a year are known from its own record, not from some of its Polsek's)."""
    rows = HistoricalCount.objects.filter(unit=unit)
    if social_conflict is not None:
        rows = rows.filter(category__social_conflict=social_conflict)
    by_period: dict[tuple[int, int | None], int] = defaultdict(int)
    by_category: dict[tuple[int, int, int], int] = defaultdict(int)
    for year, month, category, parent, count in rows.values_list(
        "year", "month", "category_id", "category__parent_id", "count"
    ):
        by_period[(year, month)] += count
        if month is not None:
            by_category[(year, month, parent or category)] += count
    return Aggregates(dict(by_period), dict(by_category))
