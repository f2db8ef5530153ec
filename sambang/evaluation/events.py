"""What happened in a unit's area: residents' reports, incidents, social conflicts, trends."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from sambang.organization.models import Unit
from sambang.public.models import OPEN_STATUSES, CitizenStatus
from sambang.security.models import IncidentCategory

from .history import aggregates, data_since, month_kept
from .models import CitizenDay, IncidentDay
from .periods import add_months, in_subtree, local_today, month_end
from .rollups import month_of
from .stats import median_from_counts, poisson_change

CONFLICT_YEARS = 5


@dataclass
class MonthTrend:
    month: dt.date
    incidents: int | None  # None: the month is not kept (no data), not zero
    citizen: int | None


def trends(unit: Unit, months: list[dt.date]) -> list[MonthTrend]:
    """Incidents and residents' reports per month (for the charts); a month before the unit
    keeps them has no figure, unless the unit recorded its incidents on paper for it."""
    span = Q(day__range=(months[0], month_end(months[-1]))) & in_subtree(unit)
    incidents = _per_month(IncidentDay.objects.filter(span), "incidents")
    citizen = _per_month(CitizenDay.objects.filter(span), "reports")
    incidents_since = data_since(unit, "incidents")
    citizen_since = data_since(unit, "citizen_reports")
    paper = aggregates(unit)
    result = []
    for m in months:
        if month_kept(incidents_since, m):
            kept: int | None = incidents[m]
        else:
            kept = paper.by_period.get((m.year, m.month))
        result.append(MonthTrend(m, kept, citizen[m] if month_kept(citizen_since, m) else None))
    return result


def _per_month(rows: QuerySet[Any], count: str) -> dict[dt.date, int]:
    """``count`` added up per month of the rows' ``day`` (by the database)."""
    totals = (
        rows.annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Sum(count))
        .values_list("month", "n")
        .order_by()
    )
    result: dict[dt.date, int] = defaultdict(int)
    for month, n in totals:
        result[month_of(month)] += n
    return result


@dataclass
class Citizen:
    received: int = 0
    answered: int = 0
    median_response_hours: float | None = None
    overdue: int = 0
    resolved: int = 0
    rejected: int = 0


def citizen(unit: Unit, month: dt.date) -> Citizen:
    rows = CitizenDay.objects.filter(
        in_subtree(unit), day__range=(month, month_end(month))
    ).values_list("status", "response_hours", "responded_late", "due_day", "reports")
    today = local_today(unit)
    figures = Citizen()
    responses: dict[int, int] = defaultdict(int)
    for status, hours, late, due_day, n in rows:
        figures.received += n
        if hours is not None:
            figures.answered += n
            responses[hours] += n
        if late or (hours is None and status in OPEN_STATUSES and due_day < today):
            figures.overdue += n
        if status in (CitizenStatus.RESOLVED, CitizenStatus.CLOSED):
            figures.resolved += n
        if status == CitizenStatus.REJECTED:
            figures.rejected += n
    figures.median_response_hours = median_from_counts(responses.items())
    return figures


def incidents_by_category(unit: Unit, month: dt.date) -> list[dict[str, Any]]:
    """Incidents of the month by top category, against the same month a year before (from
    the records, or the unit's paper counts; ``previous`` is None when neither has it)."""
    last_year = add_months(month, -12)
    rows = (
        IncidentDay.objects.filter(in_subtree(unit))
        .filter(
            Q(day__range=(month, month_end(month)))
            | Q(day__range=(last_year, month_end(last_year)))
        )
        .values("category_id", "day")
        .annotate(n=Sum("incidents"), dead=Sum("dead"), injured=Sum("injured"))
        .order_by()
    )
    categories = IncidentCategory.objects.select_related("parent").in_bulk()
    previous_kept = month_kept(data_since(unit, "incidents"), last_year)
    paper = aggregates(unit)
    previous_known = previous_kept or paper.month_known(last_year.year, last_year.month)
    table: dict[int, dict[str, Any]] = {}

    def entry(top: IncidentCategory) -> dict[str, Any]:
        return table.setdefault(
            top.pk,
            {
                "category": top,
                "current": 0,
                "previous": 0 if previous_known else None,
                "dead": 0,
                "injured": 0,
            },
        )

    for row in rows:
        category = categories[row["category_id"]]
        figures = entry(category.parent or category)
        if row["day"] >= month:
            figures["current"] += row["n"]
            figures["dead"] += row["dead"]
            figures["injured"] += row["injured"]
        elif previous_kept:
            figures["previous"] += row["n"]
    if not previous_kept:
        for (year, number, top), n in paper.by_category.items():
            if (year, number) == (last_year.year, last_year.month) and top in categories:
                entry(categories[top])["previous"] += n
    days = (month_end(month) - month).days + 1
    previous_days = (month_end(last_year) - last_year).days + 1
    for figures in table.values():
        figures["change"] = (
            None
            if figures["previous"] is None
            else poisson_change(figures["current"], figures["previous"], days, previous_days)
        )
    return sorted(table.values(), key=lambda e: -e["current"])


def social_conflicts_by_year(unit: Unit, month: dt.date) -> list[dict[str, Any]]:
    """Social conflicts per year over the last five years up to ``month``, each against the
    year before when both are known.

    A year is known when every month of it is kept itemised or covered by the unit's paper
    counts; the current year runs to the end of ``month`` (so far) and is compared at the
    same rate of the year before. A year without data has no count (``None``), never 0.
    """
    year = month.year
    first = year - CONFLICT_YEARS
    since = data_since(unit, "incidents")
    per_month = _per_month(
        IncidentDay.objects.filter(
            in_subtree(unit),
            social_conflict=True,
            day__gte=dt.date(first, 1, 1),
            day__lte=month_end(month),
        ),
        "incidents",
    )
    itemised: dict[tuple[int, int], int] = defaultdict(int)
    for start, n in per_month.items():
        itemised[(start.year, start.month)] += n
    paper = aggregates(unit, social_conflict=True)

    def count(y: int, last_month: int) -> tuple[int | None, bool]:
        """The year's count up to ``last_month`` and whether any of it is from paper."""
        total, from_paper = 0, False
        if (y, None) in paper.by_period:
            total += paper.by_period[(y, None)]
            from_paper = True
        for m in range(1, last_month + 1):
            if month_kept(since, dt.date(y, m, 1)):
                total += itemised[(y, m)]
            elif (y, m) in paper.by_period:
                total += paper.by_period[(y, m)]
                from_paper = True
            elif (y, None) not in paper.by_period:
                return None, from_paper
        return total, from_paper

    rows = []
    for y in range(first + 1, year + 1):
        months = month.month if y == year else 12
        current, from_paper = count(y, months)
        previous, _ = count(y - 1, 12)
        change = None
        if current is not None and previous is not None:
            so_far = (month_end(month) - dt.date(year, 1, 1)).days + 1 if y == year else 1
            whole = (dt.date(y, 1, 1) - dt.date(y - 1, 1, 1)).days if y == year else 1
            change = poisson_change(current, previous, so_far, whole)
        rows.append(
            {
                "year": y,
                "count": current,
                "previous": previous,
                "aggregate": from_paper,
                "so_far": y == year and month.month < 12,
                "change": change,
            }
        )
    return rows
