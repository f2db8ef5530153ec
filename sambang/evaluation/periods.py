"""Months as units count them: local to the unit, first day to last."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from sambang.organization.models import Unit, UnitLevel

HISTORY_MONTHS = 6  # the month and the five before it


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def local_today(unit: Unit) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(unit.timezone)).date()


def pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def in_subtree(unit: Unit, field: str = "unit") -> Q:
    """Rows whose ``field`` (a unit) is ``unit`` or below it; for the national unit, every
    row (no unit is outside its subtree: the rollups need not be joined to the units)."""
    if unit.level == UnitLevel.MABES:
        return Q()
    return Q(**{f"{field}__path__startswith": unit.path})
