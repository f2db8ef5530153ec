"""What happened in a unit's area: residents' reports, incidents, social conflicts, trends."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear

from sambang.organization.models import Unit
from sambang.public.models import OPEN_STATUSES, CitizenStatus
from sambang.security.models import IncidentCategory

from .models import CitizenDay, IncidentDay
from .periods import add_months, local_today, month_end
from .rollups import month_of
from .stats import median_from_counts, poisson_change

CONFLICT_YEARS = 5


@dataclass
class MonthTrend:
    month: dt.date
    incidents: int
    citizen: int


def trends(unit: Unit, months: list[dt.date]) -> list[MonthTrend]:
    """Incidents and residents' reports per month (for the charts)."""
    span = Q(day__range=(months[0], month_end(months[-1])), unit__path__startswith=unit.path)
    incidents: dict[dt.date, int] = defaultdict(int)
    for day, n in IncidentDay.objects.filter(span).values_list("day", "incidents"):
        incidents[month_of(day)] += n
    citizen: dict[dt.date, int] = defaultdict(int)
    for day, n in CitizenDay.objects.filter(span).values_list("day", "reports"):
        citizen[month_of(day)] += n
    return [MonthTrend(m, incidents[m], citizen[m]) for m in months]


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
        unit__path__startswith=unit.path, day__range=(month, month_end(month))
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
    """Incidents of the month by top category, against the same month a year before."""
    last_year = add_months(month, -12)
    rows = (
        IncidentDay.objects.filter(unit__path__startswith=unit.path)
        .filter(
            Q(day__range=(month, month_end(month)))
            | Q(day__range=(last_year, month_end(last_year)))
        )
        .values("category_id", "day")
        .annotate(n=Sum("incidents"), dead=Sum("dead"), injured=Sum("injured"))
        .order_by()
    )
    categories = IncidentCategory.objects.select_related("parent").in_bulk()
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        category = categories[row["category_id"]]
        top = category.parent or category
        entry = table.setdefault(
            top.pk, {"category": top, "current": 0, "previous": 0, "dead": 0, "injured": 0}
        )
        if row["day"] >= month:
            entry["current"] += row["n"]
            entry["dead"] += row["dead"]
            entry["injured"] += row["injured"]
        else:
            entry["previous"] += row["n"]
    days = (month_end(month) - month).days + 1
    previous_days = (month_end(last_year) - last_year).days + 1
    for entry in table.values():
        entry["change"] = poisson_change(entry["current"], entry["previous"], days, previous_days)
    return sorted(table.values(), key=lambda e: -e["current"])


def social_conflicts_by_year(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Social conflicts per year over the last five years, each against the year before."""
    first = year - CONFLICT_YEARS
    counts = dict(
        IncidentDay.objects.filter(
            unit__path__startswith=unit.path,
            social_conflict=True,
            day__year__gte=first,
            day__year__lte=year,
        )
        .annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(n=Sum("incidents"))
        .order_by()
        .values_list("year", "n")
    )
    return [
        {"year": y, "change": poisson_change(counts.get(y, 0), counts.get(y - 1, 0))}
        for y in range(first + 1, year + 1)
    ]
