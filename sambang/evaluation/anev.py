"""The monthly analysis and evaluation (Anev) of a unit, computed from the rollups.

A unit's month is its own local month; below the national level every Polsek of a
Polda shares its zone. Activity figures come from the rollups only; personnel,
directives and equipment are read from their own (small) tables as they stand.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sambang.fieldwork.models import ActivityType
from sambang.organization.models import DirectiveReceipt, Jurisdiction, Unit, UnitLevel
from sambang.personnel.models import Assignment, Education, Officer, OfficerStatus
from sambang.public.models import OPEN_STATUSES, CitizenStatus
from sambang.resources.models import (
    Allowance,
    Budget,
    BudgetCategory,
    Equipment,
    EquipmentKind,
    Training,
)
from sambang.security.models import IncidentCategory
from sambang.territory.models import Region, RegionLevel

from .models import ActivityDay, CitizenDay, IncidentDay, OfficerMonth, UnitTypeMonth
from .rollups import month_of
from .stats import median_from_counts, poisson_change

HISTORY_MONTHS = 6  # the month and the five before it
CONFLICT_YEARS = 5


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(month: dt.date) -> dt.date:
    return add_months(month, 1) - dt.timedelta(days=1)


def local_today(unit: Unit) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(unit.timezone)).date()


def pct(part: float, whole: float) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- Reporting ---------------------------------------------------------------------------


@dataclass
class Reporting:
    """Completeness, timeliness and plan realization of a set of officers for a month."""

    month: dt.date
    expected: int = 0  # assigned village-days in the month (up to today)
    reported: int = 0  # of those, with at least one report
    on_time: int = 0  # with at least one report sent on time
    reports: int = 0
    reports_on_time: int = 0
    verified: int = 0
    plausible: int = 0
    doubtful: int = 0
    planned: int = 0
    realized: int = 0
    realized_late: int = 0
    officers: int = 0

    @property
    def completeness(self) -> float | None:
        return pct(min(self.reported, self.expected), self.expected)

    @property
    def timeliness(self) -> float | None:
        return pct(min(self.on_time, self.expected), self.expected)

    @property
    def realization(self) -> float | None:
        return pct(self.realized + self.realized_late, self.planned)

    def share(self, level: str) -> float | None:
        return pct(getattr(self, level), self.reports)


def _overlap_days(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date) -> int:
    low, high = max(start, first), min(end or last, last)
    return max(0, (high - low).days + 1)


def _expected(officers: Any, month: dt.date, today: dt.date) -> dict[int, int]:
    """Assigned village-days per officer in the month, pro-rated and never past today."""
    first, last = month, min(month_end(month), today)
    result: dict[int, int] = defaultdict(int)
    if last < first:
        return result
    assignments = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        officer__in=officers,
        start_date__lte=last,
    ).values_list("officer_id", "start_date", "end_date")
    for officer_id, start, end in assignments:
        result[officer_id] += _overlap_days(start, end, first, last)
    return result


_SUMS = [
    "reports",
    "on_time",
    "verified",
    "plausible",
    "doubtful",
    "village_days",
    "village_days_on_time",
    "planned",
    "realized",
    "realized_late",
]


def _reporting_rows(
    unit: Unit, months: list[dt.date], officers: list[Officer] | None = None
) -> dict[tuple[int, dt.date], Any]:
    chosen = OfficerMonth.objects.filter(unit__path__startswith=unit.path, month__in=months)
    if officers is not None:
        chosen = chosen.filter(officer__in=officers)
    rows = (
        chosen.values("officer_id", "month")
        .annotate(**{name: Sum(name) for name in _SUMS})
        .order_by()
    )
    return {(row["officer_id"], row["month"]): row for row in rows}


def _fill(target: Reporting, row: dict[str, int]) -> None:
    target.reports += row["reports"]
    target.reports_on_time += row["on_time"]
    target.verified += row["verified"]
    target.plausible += row["plausible"]
    target.doubtful += row["doubtful"]
    target.reported += row["village_days"]
    target.on_time += row["village_days_on_time"]
    target.planned += row["planned"]
    target.realized += row["realized"]
    target.realized_late += row["realized_late"]


def reporting(unit: Unit, months: list[dt.date]) -> dict[dt.date, Reporting]:
    """Reporting figures of the unit's subtree for each month."""
    today = local_today(unit)
    officers = Officer.objects.filter(unit__path__startswith=unit.path)
    result = {month: Reporting(month) for month in months}
    rows = _reporting_rows(unit, months)
    for (_officer, month), row in rows.items():
        _fill(result[month], row)
    for month in months:
        expected = _expected(officers, month, today)
        result[month].expected = sum(expected.values())
        result[month].officers = len(expected)
    return result


class ActivityLevel:
    LOW = "low"
    SUFFICIENT = "sufficient"
    ACTIVE = "active"
    LABELS = {LOW: _("Low"), SUFFICIENT: _("Sufficient"), ACTIVE: _("Active")}


def activity_level(reports: int, days: int) -> str:
    """An officer's level by reports per assigned day (thresholds in the settings)."""
    low, active = settings.SAMBANG_ACTIVITY_THRESHOLDS
    rate = reports / days if days else 0.0
    if rate >= active:
        return ActivityLevel.ACTIVE
    return ActivityLevel.SUFFICIENT if rate >= low else ActivityLevel.LOW


@dataclass
class OfficerRow:
    officer: Officer
    figures: Reporting
    assigned_days: int  # days with at least one assigned village
    level: str

    @property
    def level_label(self) -> Any:
        return ActivityLevel.LABELS[self.level]


def officer_rows(unit: Unit, month: dt.date) -> list[OfficerRow]:
    """Each active officer of the subtree with their month, most complete first."""
    officers = list(
        Officer.objects.filter(unit__path__startswith=unit.path, status=OfficerStatus.ACTIVE)
        .select_related("unit")
        .order_by("name")
    )
    return officer_rows_for(officers, unit, month)


def officer_rows_for(officers: list[Officer], unit: Unit, month: dt.date) -> list[OfficerRow]:
    today = local_today(unit)
    rows = _reporting_rows(unit, [month], officers)
    expected = _expected(officers, month, today)
    first, last = month, min(month_end(month), today)
    days: dict[int, set[dt.date]] = defaultdict(set)
    for officer_id, start, end in Assignment.objects.filter(
        officer__in=officers, start_date__lte=last
    ).values_list("officer_id", "start_date", "end_date"):
        low, high = max(start, first), min(end or last, last)
        days[officer_id].update(low + dt.timedelta(days=i) for i in range((high - low).days + 1))
    result = []
    for officer in officers:
        figures = Reporting(month, expected=expected.get(officer.pk, 0), officers=1)
        if (officer.pk, month) in rows:
            _fill(figures, rows[(officer.pk, month)])
        assigned = len(days[officer.pk])
        result.append(
            OfficerRow(officer, figures, assigned, activity_level(figures.reports, assigned))
        )
    result.sort(key=lambda r: (-(r.figures.completeness or 0), r.officer.name))
    return result


@dataclass
class ChildRow:
    unit: Unit
    figures: Reporting
    rank: int = 0


def child_rows(unit: Unit, month: dt.date) -> list[ChildRow]:
    """The child units ranked by completeness, then timeliness, then verified share."""
    rows = [
        ChildRow(child, reporting(child, [month])[month])
        for child in unit.children.order_by("name")
    ]
    rows.sort(
        key=lambda r: (
            -(r.figures.completeness or 0),
            -(r.figures.timeliness or 0),
            -(r.figures.share("verified") or 0),
            r.unit.name,
        )
    )
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return rows


def activities_by_type(unit: Unit, month: dt.date) -> list[dict[str, Any]]:
    rows = (
        UnitTypeMonth.objects.filter(unit__path__startswith=unit.path, month=month)
        .values("activity_type_id", "integrity_level")
        .annotate(n=Sum("reports"))
        .order_by()
    )
    by_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        by_type[row["activity_type_id"]][row["integrity_level"]] += row["n"]
    types = ActivityType.objects.in_bulk(list(by_type))
    result = [
        {
            "type": types[pk],
            "reports": sum(levels.values()),
            "verified": levels.get("verified", 0),
            "doubtful": levels.get("doubtful", 0),
        }
        for pk, levels in by_type.items()
        if sum(levels.values())
    ]
    return sorted(result, key=lambda r: -r["reports"])


def village_rows(unit: Unit, month: dt.date) -> list[dict[str, Any]]:
    """A Polsek's villages in the month: their officer, reports, incidents, residents' reports."""
    first, last = month, month_end(month)
    in_month = Q(day__range=(first, last))
    reports = dict(
        ActivityDay.objects.filter(
            in_month, village__jurisdiction__unit__path__startswith=unit.path
        )
        .values("village_id")
        .annotate(n=Sum("reports"))
        .values_list("village_id", "n")
    )
    days = dict(
        ActivityDay.objects.filter(
            in_month, village__jurisdiction__unit__path__startswith=unit.path
        )
        .values("village_id")
        .annotate(n=Count("day", distinct=True))
        .values_list("village_id", "n")
    )
    incidents = dict(
        IncidentDay.objects.filter(in_month, unit__path__startswith=unit.path)
        .values("village_id")
        .annotate(n=Sum("incidents"))
        .values_list("village_id", "n")
    )
    citizen = dict(
        CitizenDay.objects.filter(in_month, unit__path__startswith=unit.path)
        .values("village_id")
        .annotate(n=Sum("reports"))
        .values_list("village_id", "n")
    )
    officers: dict[str, list[Officer]] = defaultdict(list)
    for assignment in Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        start_date__lte=last,
        village__jurisdiction__unit__path__startswith=unit.path,
    ).select_related("officer"):
        officers[assignment.village_id].append(assignment.officer)
    villages = Region.objects.filter(jurisdiction__unit__path__startswith=unit.path).order_by(
        "name"
    )
    return [
        {
            "village": village,
            "officers": officers.get(village.code, []),
            "reports": reports.get(village.code, 0),
            "days": days.get(village.code, 0),
            "incidents": incidents.get(village.code, 0),
            "citizen": citizen.get(village.code, 0),
        }
        for village in villages
    ]


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


# --- Residents' reports and incidents ------------------------------------------------------


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


# --- Personnel and directives --------------------------------------------------------------


@dataclass
class Personnel:
    unit: Unit
    villages: int = 0
    covered: int = 0  # villages with an officer assigned now
    officers: int = 0
    population: float = 0.0  # estimated where villages carry no figure (see _village_weights)
    area_km2: float = 0.0
    education: dict[str, int] = field(default_factory=dict)
    dikbangspes: int = 0
    trained: int = 0
    dual_duties: int = 0

    @property
    def coverage(self) -> float | None:
        return pct(self.covered, self.villages)

    def per_officer(self, value: float) -> float | None:
        return round(value / self.officers, 1) if self.officers else None

    @property
    def education_summary(self) -> str:
        """General education as "S1 3 · SMA/SMK 10", highest first."""
        order = {value: index for index, value in enumerate(reversed(Education.values))}
        return " · ".join(
            f"{Education(level).label} {n}"
            for level, n in sorted(self.education.items(), key=lambda item: order.get(item[0], 99))
        )

    @property
    def villages_per_officer(self) -> float | None:
        return self.per_officer(self.villages)

    @property
    def population_per_officer(self) -> float | None:
        return self.per_officer(self.population)

    @property
    def area_per_officer(self) -> float | None:
        return self.per_officer(self.area_km2)


def _village_weights(codes: set[str]) -> dict[str, tuple[float, float]]:
    """Population and area per village: its own figure, else an equal share of its regency's."""
    villages = Region.objects.filter(code__in=codes).values_list(
        "code", "population", "area_km2", "parent__parent_id"
    )
    regencies = {row[3] for row in villages if row[3]}
    sizes = dict(
        Region.objects.filter(parent__parent_id__in=regencies, level=RegionLevel.VILLAGE)
        .values("parent__parent_id")
        .annotate(n=Count("code"))
        .values_list("parent__parent_id", "n")
    )
    totals = {
        code: (population or 0, area or 0.0)
        for code, population, area in Region.objects.filter(code__in=regencies).values_list(
            "code", "population", "area_km2"
        )
    }
    result = {}
    for code, population, area, regency in villages:
        share = sizes.get(regency, 1) if regency else 1
        regency_population, regency_area = totals.get(regency or "", (0, 0.0))
        result[code] = (
            float(population if population is not None else regency_population / share),
            float(area if area is not None else regency_area / share),
        )
    return result


def personnel(unit: Unit) -> Personnel:
    figures = Personnel(unit)
    villages = set(
        Jurisdiction.objects.filter(unit__path__startswith=unit.path).values_list(
            "village_id", flat=True
        )
    )
    figures.villages = len(villages)
    figures.covered = (
        Assignment.objects.filter(
            village_id__in=villages, end_date__isnull=True, officer__status=OfficerStatus.ACTIVE
        )
        .values("village_id")
        .distinct()
        .count()
    )
    for population, area in _village_weights(villages).values():
        figures.population += population
        figures.area_km2 += area
    officers = (
        Officer.objects.filter(unit__path__startswith=unit.path, status=OfficerStatus.ACTIVE)
        .annotate(
            courses=Exists(Training.objects.filter(officer=OuterRef("pk"), passed=True)),
        )
        .values_list("education", "dikbangspes_done", "trainings", "other_duties", "courses")
    )
    for education, dikbangspes, trainings, duties, courses in officers:
        figures.officers += 1
        figures.education[education] = figures.education.get(education, 0) + 1
        figures.dikbangspes += bool(dikbangspes)
        figures.trained += bool(trainings or courses)
        figures.dual_duties += bool(duties)
    return figures


def equipment(unit: Unit) -> list[dict[str, Any]]:
    """Equipment of the subtree's units and officers by kind and condition."""
    rows = (
        Equipment.objects.filter(unit__path__startswith=unit.path)
        .values("kind")
        .annotate(good=Sum("good"), light=Sum("light_damage"), heavy=Sum("heavy_damage"))
        .order_by("kind")
    )
    return [
        {
            **row,
            "label": EquipmentKind(row["kind"]).label,
            "total": row["good"] + row["light"] + row["heavy"],
        }
        for row in rows
    ]


def budget(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The subtree's budget of the fiscal year by category: allocated, realized, share."""
    rows = (
        Budget.objects.filter(unit__path__startswith=unit.path, fiscal_year=year)
        .values("category")
        .annotate(allocation=Sum("allocation_idr"), realization=Sum("realization_idr"))
        .order_by("category")
    )
    return [
        {
            **row,
            "label": BudgetCategory(row["category"]).label,
            "realized_pct": pct(row["realization"], row["allocation"]),
        }
        for row in rows
    ]


def allowance(unit: Unit, year: int, officers: int) -> dict[str, Any] | None:
    """The monthly allowance per officer (the unit's own rate, else the nearest unit above)."""
    codes = unit.path.strip("/").split("/")
    rates = dict(
        Allowance.objects.filter(unit__code__in=codes, fiscal_year=year).values_list(
            "unit__code", "monthly_idr"
        )
    )
    rate = next((rates[code] for code in reversed(codes) if code in rates), None)
    if rate is None:
        return None
    return {"per_officer": rate, "officers": officers, "month_total": rate * officers}


def directives(unit: Unit, month: dt.date) -> dict[str, int]:
    """Receipts of the subtree's officers for directives issued up to the month's end."""
    receipts = DirectiveReceipt.objects.filter(
        officer__unit__path__startswith=unit.path, directive__issued_at__date__lte=month_end(month)
    ).filter(Q(completed_at__isnull=True) | Q(completed_at__date__gte=month))
    return receipts.aggregate(
        sent=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )


# --- The whole Anev ------------------------------------------------------------------------


@dataclass
class Anev:
    unit: Unit
    month: dt.date
    series: list[Reporting]  # oldest first, the month last
    last_year: Reporting
    children: list[ChildRow]
    officers: list[OfficerRow]
    villages: list[dict[str, Any]]
    trends: list[MonthTrend]
    activities: list[dict[str, Any]]
    citizen: Citizen
    incidents: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    personnel: list[Personnel]
    directives: dict[str, int]
    equipment: list[dict[str, Any]]
    budget: list[dict[str, Any]]
    allowance: dict[str, Any] | None

    @property
    def current(self) -> Reporting:
        return self.series[-1]

    def figures(self) -> dict[str, Any]:
        """The headline figures, as stored with a submitted evaluation."""
        now = self.current
        return {
            "expected": now.expected,
            "reported": now.reported,
            "on_time": now.on_time,
            "reports": now.reports,
            "planned": now.planned,
            "realized": now.realized + now.realized_late,
            "citizen_received": self.citizen.received,
            "citizen_overdue": self.citizen.overdue,
            "incidents": sum(e["current"] for e in self.incidents),
        }


def anev(unit: Unit, month: dt.date) -> Anev:
    month = month_of(month)
    months = [add_months(month, -i) for i in range(HISTORY_MONTHS - 1, -1, -1)]
    last_year = add_months(month, -12)
    figures = reporting(unit, [*months, last_year])
    children = list(unit.children.order_by("name"))
    staff = [personnel(child) for child in children] or [personnel(unit)]
    return Anev(
        unit=unit,
        month=month,
        series=[figures[m] for m in months],
        last_year=figures[last_year],
        children=child_rows(unit, month),
        officers=officer_rows(unit, month) if not children else [],
        villages=village_rows(unit, month) if unit.level == UnitLevel.POLSEK else [],
        trends=trends(unit, months),
        activities=activities_by_type(unit, month),
        citizen=citizen(unit, month),
        incidents=incidents_by_category(unit, month),
        conflicts=social_conflicts_by_year(unit, month.year),
        personnel=staff,
        directives=directives(unit, month),
        equipment=equipment(unit),
        budget=budget(unit, month.year),
        allowance=allowance(unit, month.year, sum(p.officers for p in staff)),
    )


# --- One officer's month -------------------------------------------------------------------


@dataclass
class OfficerMonthView:
    officer: Officer
    month: dt.date
    figures: Reporting
    level: str
    days: list[dict[str, Any]]  # per day: reports, on time, villages
    activities: list[dict[str, Any]]
    villages: list[dict[str, Any]]  # per assigned village: days assigned, days reported

    @property
    def level_label(self) -> Any:
        return ActivityLevel.LABELS[self.level]


def officer_month(officer: Officer, month: dt.date) -> OfficerMonthView:
    """An officer's month day by day, by activity and by village, from the rollups."""
    month = month_of(month)
    unit = officer.unit
    row = next(iter(officer_rows_for([officer], unit, month)), None)
    assert row is not None
    first, last = month, month_end(month)
    days: dict[dt.date, dict[str, Any]] = {}
    types: dict[int, int] = defaultdict(int)
    reported: dict[str, set[dt.date]] = defaultdict(set)
    for activity in ActivityDay.objects.filter(officer=officer, day__range=(first, last)):
        entry = days.setdefault(
            activity.day, {"day": activity.day, "reports": 0, "on_time": 0, "villages": set()}
        )
        entry["reports"] += activity.reports
        entry["on_time"] += activity.on_time
        entry["villages"].add(activity.village_id)
        types[activity.activity_type_id] += activity.reports
        reported[activity.village_id].add(activity.day)
    type_names = ActivityType.objects.in_bulk(list(types))
    today = local_today(unit)
    villages = []
    for assignment in Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first), officer=officer, start_date__lte=last
    ).select_related("village"):
        low = max(assignment.start_date, first)
        high = min(assignment.end_date or last, last, today)
        covered = {d for d in reported[assignment.village_id] if low <= d <= high}
        villages.append(
            {
                "village": assignment.village,
                "assigned_days": max(0, (high - low).days + 1),
                "reported_days": len(covered),
            }
        )
    return OfficerMonthView(
        officer=officer,
        month=month,
        figures=row.figures,
        level=row.level,
        days=[
            {**entry, "villages": len(entry["villages"])} for _day, entry in sorted(days.items())
        ],
        activities=sorted(
            ({"type": type_names[pk], "reports": n} for pk, n in types.items()),
            key=lambda e: -e["reports"],
        ),
        villages=villages,
    )
