"""Entering the counts a unit kept on paper for years or months before Sambang."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, read_rows
from sambang.personnel.models import User
from sambang.security.models import IncidentCategory

from .history import data_since
from .models import HistoricalCount

REQUIRED = ["unit", "year", "category", "count"]
OPTIONAL = ["month", "source"]
FIRST_YEAR = 1945


def historical_counts_import(*, path: Path, user: User, dry_run: bool = False) -> ImportResult:
    """Record incidents counted on paper, one count a row: a unit (its code), a year, an
    optional month (empty: the whole year), an incident category (code or name) and the
    count, with an optional source.

    A count is for a period before the unit keeps its incidents in Sambang (its
    ``data_since``): after that, incidents are itemised and a paper count would count
    them twice. A row for a period already recorded replaces its count. Every row is
    checked; nothing is written if any row is wrong.
    """
    if not access.can_import_incidents(user):
        raise ApplicationError(
            "Counts kept on paper are entered by supervisors.", code="forbidden", status_code=403
        )
    rows = read_rows(path, REQUIRED, [*REQUIRED, *OPTIONAL])
    result = ImportResult(dry_run=dry_run)
    units = access.units_for_user(user).in_bulk(
        [r["unit"].upper() for _, r in rows], field_name="code"
    )
    names = {r["category"].strip() for _, r in rows}
    categories = {
        key: category
        for category in IncidentCategory.objects.filter(
            Q(code__in=names) | Q(name__in=names) | Q(name_en__in=names)
        )
        for key in (category.code, category.name.lower(), category.name_en.lower())
    }
    since: dict[int, dt.date] = {}
    seen: dict[tuple[int, int, int, int | None], int] = {}
    planned: list[HistoricalCount] = []
    this_year = dt.date.today().year
    for number, row in rows:

        def error(field: str, message: str, number: int = number) -> None:
            result.errors.add(number, field, message)

        unit = units.get(row["unit"].upper())
        if unit is None:
            error("unit", f"No unit {row['unit']!r} in your scope.")
        category = categories.get(row["category"].strip()) or categories.get(
            row["category"].strip().lower()
        )
        if category is None:
            error("category", f"Unknown incident category {row['category']!r}.")
        year = _integer(row["year"])
        if year is None or not FIRST_YEAR <= year <= this_year:
            error("year", f"Give a year from {FIRST_YEAR} to {this_year}.")
        month: int | None = None
        if row.get("month"):
            month = _integer(row["month"])
            if month is None or not 1 <= month <= 12:
                error("month", "Give a month from 1 to 12, or leave it empty for the year.")
        count = _integer(row["count"])
        if count is None or count < 0:
            error("count", "Give a whole number, 0 or more.")
        source = row.get("source", "")
        if len(source) > 200:
            error("source", "Keep the source to 200 characters.")
        if unit is None or category is None or year is None or count is None:
            continue
        if unit.pk not in since:
            since[unit.pk] = data_since(unit, "incidents")
        period_end = dt.date(year, month or 12, 1)
        if period_end >= since[unit.pk].replace(day=1):
            error(
                "year" if month is None else "month",
                f"{unit.code} keeps its incidents in Sambang from {since[unit.pk]:%Y-%m-%d}: "
                "a count on paper is for a period before it.",
            )
        key = (unit.pk, category.pk, year, month)
        if key in seen:
            error("row", f"The same unit, category and period as row {seen[key]}.")
            continue
        seen[key] = number
        planned.append(
            HistoricalCount(
                unit=unit,
                category=category,
                year=year,
                month=month,
                count=count,
                source=source,
                recorded_by=user,
            )
        )
    existing = {
        (h.unit_id, h.category_id, h.year, h.month): h
        for h in HistoricalCount.objects.filter(unit__in=list(units.values()))
    }
    result.updated = sum(1 for key in seen if key in existing)
    result.created = len(seen) - result.updated
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for item in planned:
            key = (item.unit_id, item.category_id, item.year, item.month)
            if (old := existing.get(key)) is not None:
                item.pk = old.pk
            item.save()
    return result


def _integer(text: str) -> int | None:
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() else None
