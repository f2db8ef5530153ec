"""Reporting of a unit's officers in a month: completeness, timeliness, plans, activity level;
the units below ranked; villages; one officer's month."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from sambang.fieldwork.integrity import SIGNAL_NAMES
from sambang.fieldwork.models import (
    ActivityReport,
    ActivityType,
    IntegrityLevel,
    ReportState,
    VisitConfirmation,
)
from sambang.organization.models import Unit
from sambang.organization.selectors import staffing_kept
from sambang.personnel.models import Assignment, Officer, OfficerStatus
from sambang.territory.models import Region

from .models import (
    ActivityDay,
    CitizenDay,
    IncidentDay,
    OfficerMonth,
    UnitMonth,
    UnitTypeMonth,
)
from .periods import in_subtree, local_today, month_end, pct
from .rollups import UNTRUSTED, month_of


@dataclass(frozen=True)
class Indicator:
    """What a figure of the evaluation counts: its numerator over its denominator."""

    label: Any
    numerator: Any
    denominator: Any | None = None


# Shown beside the tables (a help line each) and in the API schema: every figure says what
# it divides by what.
INDICATORS = {
    "completeness": Indicator(
        _("Reporting complete"),
        _("assigned village-days with at least one trusted report"),
        _("assigned village-days of the month, up to today"),
    ),
    "timeliness": Indicator(
        _("On time"),
        _("assigned village-days with a trusted report sent within the grace period"),
        _("assigned village-days of the month, up to today"),
    ),
    "trusted": Indicator(
        _("Trusted reports"), _("verified and plausible reports (doubtful ones do not count)")
    ),
    "doubtful": Indicator(
        _("Doubtful"), _("reports with a failed integrity signal"), _("all submitted reports")
    ),
    "verified": Indicator(_("Verified"), _("verified reports"), _("all submitted reports")),
    "realization": Indicator(
        _("Plan realized"),
        _("plan items realized by a trusted report, on the day or later"),
        _("plan items of the month"),
    ),
    "level": Indicator(
        _("Activity"),
        _("trusted reports"),
        _("days with an assigned village (Low, Sufficient or Active by thresholds)"),
    ),
}


@dataclass
class Reporting:
    """Completeness, timeliness and plan realization of a set of officers for a month.

    Only trusted work counts (verified and plausible reports); doubtful reports are counted
    beside it. Each figure's numerator and denominator are in ``INDICATORS``."""

    month: dt.date
    expected: int = 0  # assigned village-days in the month (up to today)
    reported: int = 0  # of those, with at least one trusted report
    on_time: int = 0  # with at least one trusted report sent on time
    reports: int = 0  # every submitted report, of any level
    reports_on_time: int = 0  # trusted reports sent on time
    verified: int = 0
    plausible: int = 0
    doubtful: int = 0
    planned: int = 0
    realized: int = 0
    realized_late: int = 0
    officers: int = 0
    # False for a month before the unit kept reports in Sambang: its figures are no data.
    kept: bool = True

    @property
    def completeness(self) -> float | None:
        return pct(min(self.reported, self.expected), self.expected)

    @property
    def timeliness(self) -> float | None:
        return pct(min(self.on_time, self.expected), self.expected)

    @property
    def realization(self) -> float | None:
        return pct(self.realized + self.realized_late, self.planned)

    @property
    def trusted(self) -> int:
        """Reports that count: verified and plausible (every report not doubtful)."""
        return self.reports - self.doubtful

    @property
    def doubtful_share(self) -> float | None:
        return pct(self.doubtful, self.reports)

    def share(self, level: str) -> float | None:
        return pct(getattr(self, level), self.reports)

    def __add__(self, other: Reporting) -> Reporting:
        """Figures of two sets of officers together (an officer is in one unit only)."""
        return Reporting(
            self.month,
            **{
                name: getattr(self, name) + getattr(other, name)
                for name in self.__dataclass_fields__
                if name not in ("month", "kept")
            },
            kept=self.kept and other.kept,
        )


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


def _reporting_rows(
    unit: Unit, months: list[dt.date], officers: list[Officer] | None = None
) -> dict[tuple[int, dt.date], Any]:
    chosen = OfficerMonth.objects.filter(unit__path__startswith=unit.path, month__in=months)
    if officers is not None:
        chosen = chosen.filter(officer__in=officers)
    rows = (
        chosen.values("officer_id", "month")
        .annotate(**{name: Sum(name) for name in UnitMonth.SUMS})
        .order_by()
    )
    return {(row["officer_id"], row["month"]): row for row in rows}


def _fill(target: Reporting, row: Any) -> None:
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


def subtree_owners(units: list[Unit], prefix: str) -> dict[int, int]:
    """Every unit under ``prefix`` mapped to the deepest of ``units`` above it (or itself):
    with a unit and its children, the children's subtrees go to each child and only the
    unit's own rows to the unit."""
    by_path = {unit.path: unit.pk for unit in units}
    owners = {}
    for pk, path in staffing_kept(f"units:{prefix}", partial(_unit_paths, prefix)):
        parts = path.split("/")
        for depth in range(len(parts) - 1, 0, -1):
            owner = by_path.get("/".join(parts[:depth]) + "/")
            if owner is not None:
                owners[pk] = owner
                break
    return owners


def _unit_paths(prefix: str) -> list[tuple[int, str]]:
    return list(Unit.objects.filter(path__startswith=prefix).values_list("pk", "path"))


def reporting_by_unit(
    units: list[Unit], months: list[dt.date], prefix: str
) -> dict[int, dict[dt.date, Reporting]]:
    """Reporting figures of each unit's subtree for each month: two passes for all the units
    together (the 38 Polda of the country cost the same as one Polsek), over one row per
    unit and month (``UnitMonth``) and the assignments."""
    owners = subtree_owners(units, prefix)
    result = {unit.pk: {month: Reporting(month) for month in months} for unit in units}
    # Each unit's month goes to the deepest listed unit above it: added up by the database.
    owner = Case(
        *[
            When(unit__path__startswith=unit.path, then=Value(unit.pk))
            for unit in sorted(units, key=lambda unit: -len(unit.path))
        ],
        default=Value(None),
        output_field=IntegerField(),
    )
    rows = (
        UnitMonth.objects.filter(unit__path__startswith=prefix, month__in=months)
        .annotate(owner=owner)
        .values("owner", "month")
        .annotate(**{name: Sum(name) for name in UnitMonth.SUMS})
        .order_by()
    )
    for row in rows:
        if row["owner"] is not None:
            _fill(result[row["owner"]][row["month"]], row)
    # Assigned village-days, pro-rated and never past each unit's today.
    lasts = {
        unit.pk: {month: min(month_end(month), local_today(unit)) for month in months}
        for unit in units
    }
    assigned = staffing_kept(
        f"assigned:{prefix}:{sorted(lasts.items())}", partial(_assigned, owners, lasts, prefix)
    )
    for unit in units:
        for month in months:
            figures = result[unit.pk][month]
            figures.expected, figures.officers = assigned[unit.pk][month]
    return result


def _assigned(
    owners: dict[int, int], lasts: dict[int, dict[dt.date, dt.date]], prefix: str
) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """Per unit in ``lasts`` and month: its subtree's assigned village-days up to the month's
    last day there, and how many officers had any (none without village-days)."""
    months = sorted({month for by_month in lasts.values() for month in by_month})
    first, last = months[0], max(month_end(month) for month in months)
    assignments = Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=first),
        officer__unit__path__startswith=prefix,
        start_date__lte=last,
    ).values_list("officer__unit_id", "officer_id", "start_date", "end_date")
    expected: dict[tuple[int, dt.date], int] = defaultdict(int)
    officers: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    # Most assignments started before the first month and are still open: they cover
    # every month in full, so they are counted per unit rather than month by month.
    always: dict[int, set[int]] = defaultdict(set)
    always_days: dict[int, int] = defaultdict(int)
    for unit_id, officer_id, start, end in assignments:
        if (owner := owners.get(unit_id)) is None:
            continue
        if end is None and start <= first:
            always[owner].add(officer_id)
            always_days[owner] += 1
            continue
        for month in months:
            days = _overlap_days(start, end, month, lasts[owner][month])
            if days:
                expected[(owner, month)] += days
                officers[(owner, month)].add(officer_id)
    result: dict[int, dict[dt.date, tuple[int, int]]] = {}
    for unit_id, by_month in lasts.items():
        result[unit_id] = {}
        for month, month_last in by_month.items():
            days = expected[(unit_id, month)] + always_days[unit_id] * _overlap_days(
                month, None, month, month_last
            )
            ids = officers[(unit_id, month)] | always[unit_id]
            result[unit_id][month] = (days, len(ids) if days else 0)
    return result


def reporting(unit: Unit, months: list[dt.date]) -> dict[dt.date, Reporting]:
    """Reporting figures of the unit's subtree for each month."""
    return reporting_by_unit([unit], months, unit.path)[unit.pk]


class ActivityLevel:
    LOW = "low"
    SUFFICIENT = "sufficient"
    ACTIVE = "active"
    LABELS = {LOW: _("Low"), SUFFICIENT: _("Sufficient"), ACTIVE: _("Active")}


def activity_level(reports: int, days: int) -> str:
    """An officer's level by trusted reports per assigned day (thresholds in the settings)."""
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
            OfficerRow(officer, figures, assigned, activity_level(figures.trusted, assigned))
        )
    result.sort(key=lambda r: (_standing(r.figures), r.officer.name))
    return result


def _standing(figures: Reporting) -> tuple[float, ...]:
    """How officers and units are ranked: trusted completeness, then trusted timeliness, then
    the smaller share of doubtful reports, then the larger share verified."""
    return (
        -(figures.completeness or 0),
        -(figures.timeliness or 0),
        figures.doubtful_share or 0,
        -(figures.share("verified") or 0),
    )


@dataclass
class ChildRow:
    unit: Unit
    figures: Reporting
    rank: int = 0


def reporting_with_children(
    unit: Unit, children: list[Unit], months: list[dt.date]
) -> tuple[dict[dt.date, Reporting], dict[int, dict[dt.date, Reporting]]]:
    """The unit's figures and each child's, from one pass over the unit's subtree: the
    unit's are its own officers' plus its children's."""
    figures = reporting_by_unit([unit, *children], months, unit.path)
    total = {
        month: sum((figures[child.pk][month] for child in children), figures[unit.pk][month])
        for month in months
    }
    return total, {child.pk: figures[child.pk] for child in children}


def ranked(children: list[Unit], figures: dict[int, Reporting]) -> list[ChildRow]:
    """The child units ranked as officers are (``_standing``): by trusted work."""
    rows = [ChildRow(child, figures[child.pk]) for child in children]
    rows.sort(key=lambda r: (_standing(r.figures), r.unit.name))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return rows


def activities_by_type(unit: Unit, month: dt.date) -> list[dict[str, Any]]:
    rows = (
        UnitTypeMonth.objects.filter(in_subtree(unit), month=month)
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
    """A Polsek's villages in the month: their officer, trusted reports, incidents, residents'
    reports."""
    first, last = month, month_end(month)
    in_month = Q(day__range=(first, last))
    trusted = ActivityDay.objects.filter(
        in_month, village__jurisdiction__unit__path__startswith=unit.path
    ).exclude(integrity_level=UNTRUSTED)
    reports = dict(
        trusted.values("village_id").annotate(n=Sum("reports")).values_list("village_id", "n")
    )
    days = dict(
        trusted.values("village_id")
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


def denied_visits(unit: Unit, month: dt.date) -> int:
    """Household visits of the month whose resident said nobody came."""
    zone = ZoneInfo(unit.timezone)
    low = dt.datetime.combine(month, dt.time(), zone)
    high = dt.datetime.combine(month_end(month) + dt.timedelta(days=1), dt.time(), zone)
    return VisitConfirmation.objects.filter(
        visited=False,
        visit__report__unit__path__startswith=unit.path,
        visit__report__occurred_at__gte=low,
        visit__report__occurred_at__lt=high,
    ).count()


# --- One officer's month -------------------------------------------------------------------


@dataclass
class OfficerMonthView:
    officer: Officer
    month: dt.date
    figures: Reporting
    level: str
    days: list[dict[str, Any]]  # per day: reports, trusted, doubtful, on time, villages
    activities: list[dict[str, Any]]
    villages: list[dict[str, Any]]  # per assigned village: days assigned, days reported
    reasons: list[dict[str, Any]]  # why reports were doubtful: per signal, how many

    @property
    def level_label(self) -> Any:
        return ActivityLevel.LABELS[self.level]


def doubtful_reasons(officer: Officer, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The failed signals of the officer's doubtful reports of the period, most frequent first."""
    zone = ZoneInfo(officer.unit.timezone)
    low = dt.datetime.combine(first, dt.time(), zone)
    high = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
    signals = (
        ActivityReport.objects.filter(
            officer=officer,
            integrity_level=IntegrityLevel.DOUBTFUL,
            occurred_at__gte=low,
            occurred_at__lt=high,
        )
        .exclude(state=ReportState.DRAFT)
        .values_list("integrity_signals", flat=True)
    )
    counts: Counter[str] = Counter(
        s["code"] for found in signals for s in found if s.get("status") == "fail"
    )
    return [
        {"code": code, "name": SIGNAL_NAMES.get(code, code), "reports": n}
        for code, n in counts.most_common()
    ]


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
            activity.day,
            {"day": activity.day, "reports": 0, "doubtful": 0, "on_time": 0, "villages": set()},
        )
        entry["reports"] += activity.reports
        types[activity.activity_type_id] += activity.reports
        if activity.integrity_level == UNTRUSTED:
            entry["doubtful"] += activity.reports
            continue
        entry["on_time"] += activity.on_time
        entry["villages"].add(activity.village_id)
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
            {
                **entry,
                "trusted": entry["reports"] - entry["doubtful"],
                "villages": len(entry["villages"]),
            }
            for _day, entry in sorted(days.items())
        ],
        activities=sorted(
            ({"type": type_names[pk], "reports": n} for pk, n in types.items()),
            key=lambda e: -e["reports"],
        ),
        villages=villages,
        reasons=doubtful_reasons(officer, first, last) if row.figures.doubtful else [],
    )
