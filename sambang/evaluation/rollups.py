"""Keeping the rollups current as records are written, and rebuilding them from scratch.

One computation serves both: the rows of an officer's days come from
``_officer_rows`` whether one day is refreshed after a write or every day of every
officer is rebuilt. A write refreshes the keys it touches (its old and new officer-day,
village-day or unit-day) in the same transaction, so a rollup never disagrees with the
records it sums.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal

from sambang.core.bulk import BulkTable, add_counts, add_totals
from sambang.fieldwork.models import ActivityReport, PlanItem, ReportState
from sambang.fieldwork.processing import reports_processed
from sambang.organization.models import Unit
from sambang.personnel.models import Assignment, Officer
from sambang.public.models import CitizenReport
from sambang.security.models import Incident
from sambang.territory.models import Region

from .models import (
    ActivityDay,
    CitizenDay,
    CountedReport,
    EvaluationStatus,
    IncidentDay,
    LateChange,
    MonthlyEvaluation,
    OfficerMonth,
    PlanDay,
    UnitMonth,
    UnitTypeMonth,
)

LEVELS = ("verified", "plausible", "doubtful")
# The evaluation counts trusted work only: a doubtful report neither completes a village-day,
# nor realizes a plan item, nor makes an officer active (it is counted beside, as doubtful).
UNTRUSTED = "doubtful"
_Assignment = tuple[str, dt.date, dt.date | None]  # village, start, end


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _unit_zones(unit_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    return {
        pk: _zone(name)
        for pk, name in Unit.objects.filter(pk__in=set(unit_ids)).values_list("pk", "timezone")
    }


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _window(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds that hold every moment of ``day`` in any Indonesian zone (and then some)."""
    start = dt.datetime.combine(day, dt.time(), dt.UTC)
    return start - dt.timedelta(days=1), start + dt.timedelta(days=2)


# --- Officers' days: activity reports and plans ---------------------------------------


@dataclass(frozen=True)
class _Report:
    """A report as the rollups count it (a ``CountedReport`` row)."""

    id: int
    unit_id: int
    village_id: str
    activity_type_id: int
    integrity_level: str
    day: dt.date
    on_time: bool
    plan_item_id: int | None


_COUNTED_FIELDS = [
    "report_id",
    "unit_id",
    "village_id",
    "activity_type_id",
    "integrity_level",
    "day",
    "on_time",
    "plan_item_id",
]
_REPORT_FIELDS = [
    "id",
    "officer_id",
    "unit_id",
    "village_id",
    "activity_type_id",
    "integrity_level",
    "occurred_at",
    "submitted_at",
    "plan_item_id",
]


def _counted_reports() -> models.QuerySet[ActivityReport]:
    """The reports the evaluation counts: sent (not drafts) and with their integrity known."""
    return ActivityReport.objects.exclude(state=ReportState.DRAFT).exclude(integrity_level="")


def _counted_rows(
    rows: Iterable[tuple[Any, ...]], zones: dict[int, ZoneInfo]
) -> list[CountedReport]:
    """``CountedReport`` rows of reports read as ``_REPORT_FIELDS``."""
    grace = dt.timedelta(hours=settings.SAMBANG_REPORT_ON_TIME_HOURS)
    counted = []
    for pk, officer_id, unit_id, village, kind, level, occurred, submitted, plan_item in rows:
        counted.append(
            CountedReport(
                report_id=pk,
                officer_id=officer_id,
                unit_id=unit_id,
                village_id=village,
                activity_type_id=kind,
                integrity_level=level,
                day=occurred.astimezone(zones[unit_id]).date(),
                on_time=submitted is not None and submitted - occurred <= grace,
                plan_item_id=plan_item,
            )
        )
    return counted


def _as_report(row: CountedReport) -> _Report:
    return _Report(
        row.report_id,
        row.unit_id,
        row.village_id,
        row.activity_type_id,
        row.integrity_level,
        row.day,
        row.on_time,
        row.plan_item_id,
    )


def _officer_rows(
    officer_id: int,
    reports: list[_Report],
    plan_items: list[tuple[int, dt.date, int, str, int]],
    days: set[dt.date] | None = None,
) -> tuple[list[ActivityDay], list[PlanDay]]:
    """The ActivityDay and PlanDay rows of an officer (only of ``days`` when given)."""
    counts: dict[tuple[dt.date, int, str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    report_day: dict[int, dt.date] = {}
    same_day: set[tuple[dt.date, int, str]] = set()
    for report in reports:
        day = report.day
        report_day[report.id] = day
        if report.plan_item_id is None and report.integrity_level != UNTRUSTED:
            same_day.add((day, report.activity_type_id, report.village_id))
        if days is not None and day not in days:
            continue
        row = counts[
            (
                day,
                report.unit_id,
                report.village_id,
                report.activity_type_id,
                report.integrity_level,
            )
        ]
        row[0] += 1
        row[1] += report.on_time
    activity = [
        ActivityDay(
            officer_id=officer_id,
            day=day,
            unit_id=unit_id,
            village_id=village_id,
            activity_type_id=type_id,
            integrity_level=level,
            reports=n,
            on_time=on_time,
        )
        for (day, unit_id, village_id, type_id, level), (n, on_time) in counts.items()
    ]
    linked: dict[int, dt.date] = {}
    for report in reports:
        if report.plan_item_id is not None and report.integrity_level != UNTRUSTED:
            day = report_day[report.id]
            linked[report.plan_item_id] = min(day, linked.get(report.plan_item_id, day))
    plans: dict[tuple[dt.date, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for item_id, date, unit_id, village_id, type_id in plan_items:
        if days is not None and date not in days:
            continue
        row = plans[(date, unit_id)]
        row[0] += 1
        if item_id in linked:
            row[1 if linked[item_id] <= date else 2] += 1
        elif (date, type_id, village_id) in same_day:
            row[1] += 1
    plan_days = [
        PlanDay(
            officer_id=officer_id,
            day=day,
            unit_id=unit_id,
            planned=planned,
            realized=realized,
            realized_late=late,
        )
        for (day, unit_id), (planned, realized, late) in plans.items()
    ]
    return activity, plan_days


def _officer_months(
    officer_id: int,
    activity: Iterable[ActivityDay],
    plans: Iterable[PlanDay],
    assignments: list[_Assignment],
) -> list[OfficerMonth]:
    """OfficerMonth rows summed from an officer's days (of whole months)."""
    months: dict[tuple[dt.date, int], OfficerMonth] = {}

    def month_row(day: dt.date, unit_id: int) -> OfficerMonth:
        key = (month_of(day), unit_id)
        if key not in months:
            months[key] = OfficerMonth(officer_id=officer_id, month=key[0], unit_id=unit_id)
        return months[key]

    active: dict[tuple[dt.date, int], set[dt.date]] = defaultdict(set)
    village_days: dict[tuple[dt.date, int], dict[tuple[str, dt.date], bool]] = defaultdict(dict)
    for row in activity:
        month = month_row(row.day, row.unit_id)
        month.reports += row.reports
        if row.integrity_level in LEVELS:
            setattr(month, row.integrity_level, getattr(month, row.integrity_level) + row.reports)
        if row.integrity_level == UNTRUSTED:
            continue
        month.on_time += row.on_time
        key = (month.month, row.unit_id)
        active[key].add(row.day)
        covered = any(
            village == row.village_id and start <= row.day and (end is None or row.day <= end)
            for village, start, end in assignments
        )
        if covered:
            seen = village_days[key]
            seen[(row.village_id, row.day)] = seen.get((row.village_id, row.day), False) or (
                row.on_time > 0
            )
    for plan in plans:
        month = month_row(plan.day, plan.unit_id)
        month.planned += plan.planned
        month.realized += plan.realized
        month.realized_late += plan.realized_late
    for key, month in months.items():
        month.active_days = len(active[key])
        month.village_days = len(village_days[key])
        month.village_days_on_time = sum(village_days[key].values())
    return list(months.values())


def _assignments(
    officer_ids: Iterable[int],
) -> dict[int, list[tuple[str, dt.date, dt.date | None]]]:
    result: dict[int, list[tuple[str, dt.date, dt.date | None]]] = defaultdict(list)
    for officer_id, village_id, start, end in Assignment.objects.filter(
        officer_id__in=set(officer_ids)
    ).values_list("officer_id", "village_id", "start_date", "end_date"):
        result[officer_id].append((village_id, start, end))
    return result


def _type_deltas(
    before: Iterable[ActivityDay], after: Iterable[ActivityDay]
) -> Counter[tuple[int, dt.date, int, str]]:
    delta: Counter[tuple[int, dt.date, int, str]] = Counter()
    for sign, rows in ((-1, before), (1, after)):
        for row in rows:
            key = (row.unit_id, month_of(row.day), row.activity_type_id, row.integrity_level)
            delta[key] += sign * row.reports
    return delta


def _apply_type_deltas(delta: Counter[tuple[int, dt.date, int, str]]) -> None:
    """Add ``delta`` to UnitTypeMonth, one upsert per row."""
    keys = ["unit", "month", "activity_type", "integrity_level"]
    add_counts(UnitTypeMonth, keys, "reports", delta)


def _month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return month, following - dt.timedelta(days=1)


def _plan_items(officer_id: int, days: set[dt.date]) -> list[tuple[Any, ...]]:
    return list(
        PlanItem.objects.filter(officer_id=officer_id, date__in=days).values_list(
            "id", "date", "unit_id", "village_id", "activity_type_id"
        )
    )


def _days_reports(officer_id: int, days: set[dt.date], plan_item_ids: set[int]) -> list[_Report]:
    """The officer's counted reports of ``days``, and those realizing these plan items
    (a report on a later day realizes a plan item late)."""
    rows = CountedReport.objects.filter(
        Q(officer_id=officer_id, day__in=days) | Q(plan_item_id__in=plan_item_ids)
    )
    return [_as_report(row) for row in rows]


def _replace_plan_and_month_rows(
    touched: dict[int, set[dt.date]], plans: dict[int, list[PlanDay]]
) -> None:
    """Store the PlanDay rows of the ``touched`` officer-days, then sum the months they fall
    in again from their days, and add what those months gained or lost to their units'."""
    for officer_id, days in sorted(touched.items()):
        PlanDay.objects.filter(officer_id=officer_id, day__in=days).delete()
    PlanDay.objects.bulk_create([row for rows in plans.values() for row in rows])
    months = {(officer_id, month_of(day)) for officer_id, days in touched.items() for day in days}
    assignments = _assignments({officer_id for officer_id, _month in months})
    # Per unit and month, what its officers' months gain (after) and lose (before), by figure.
    units: dict[tuple[int, dt.date], Counter[str]] = defaultdict(Counter)
    kept = OfficerMonth.objects.filter(
        officer_id__in={officer_id for officer_id, _month in months},
        month__in={month for _officer_id, month in months},
    )
    for row in kept.values("officer_id", "unit_id", "month", *UnitMonth.SUMS):
        if (row.pop("officer_id"), row["month"]) in months:
            units[(row.pop("unit_id"), row.pop("month"))].subtract(row)
    for officer_id, month in sorted(months):
        first, last = _month_days(month)
        OfficerMonth.objects.filter(officer_id=officer_id, month=month).delete()
        summed = _officer_months(
            officer_id,
            ActivityDay.objects.filter(officer_id=officer_id, day__range=(first, last)),
            PlanDay.objects.filter(officer_id=officer_id, day__range=(first, last)),
            assignments[officer_id],
        )
        OfficerMonth.objects.bulk_create(summed)
        for summed_row in summed:
            units[(summed_row.unit_id, month)].update(
                {name: getattr(summed_row, name) for name in UnitMonth.SUMS}
            )
    add_totals(
        UnitMonth,
        ["unit", "month"],
        UnitMonth.SUMS,
        {key: tuple(change[name] for name in UnitMonth.SUMS) for key, change in units.items()},
    )
    UnitMonth.objects.filter(
        unit_id__in={unit_id for unit_id, _month in units},
        month__in={month for _unit_id, month in units},
        **dict.fromkeys(UnitMonth.SUMS, 0),
    ).delete()


@transaction.atomic
def officer_days_refresh(officer_id: int, days: set[dt.date]) -> None:
    """Recompute an officer's rollups for ``days`` (local days) and the months they fall in,
    from the reports as counted (a plan item written, changed or removed).

    The officer's row is locked first, so that two writes of theirs at once refresh one
    after the other, each seeing the other's.
    """
    if not days:
        return
    # FOR NO KEY UPDATE: it orders the refreshes without blocking other transactions'
    # foreign-key checks on the row (FOR KEY SHARE at COMMIT), which deadlocked under load.
    Officer.objects.select_for_update(no_key=True).filter(pk=officer_id).values_list("pk").first()
    plan_items = _plan_items(officer_id, days)
    reports = _days_reports(officer_id, days, {item[0] for item in plan_items})
    activity, plans = _officer_rows(officer_id, reports, plan_items, days)
    before = list(ActivityDay.objects.filter(officer_id=officer_id, day__in=days))
    ActivityDay.objects.filter(officer_id=officer_id, day__in=days).delete()
    ActivityDay.objects.bulk_create(activity)
    _apply_type_deltas(_type_deltas(before, activity))
    _replace_plan_and_month_rows({officer_id: days}, {officer_id: plans})
    units = {row.unit_id for row in [*before, *activity]} | {row.unit_id for row in plans}
    _flag_late_changes("activity", units, days)


def _activity_key(row: CountedReport) -> tuple[Any, ...]:
    return (
        row.officer_id,
        row.day,
        row.unit_id,
        row.village_id,
        row.activity_type_id,
        row.integrity_level,
    )


def _counted_key(row: CountedReport) -> tuple[Any, ...]:
    return (*_activity_key(row), row.on_time, row.plan_item_id)


@transaction.atomic
def count_reports(report_ids: Sequence[int]) -> None:
    """Count these reports as they now stand (processed by the worker: ``fieldwork.processing``).

    What changed is counted as a difference: each report's ``CountedReport`` row before and
    after, summed per officer-day, village, type and level, is added to ActivityDay and to
    UnitTypeMonth in one upsert per key; only the plan days and months of the officer-days
    touched are summed again. One transaction (the worker's own, when it calls this)."""
    if not report_ids:
        return
    before = {row.report_id: row for row in CountedReport.objects.filter(report_id__in=report_ids)}
    rows = list(_counted_reports().filter(pk__in=report_ids).values_list(*_REPORT_FIELDS))
    after = {row.report_id: row for row in _counted_rows(rows, _unit_zones({r[2] for r in rows}))}
    changed = {
        pk
        for pk in set(before) | set(after)
        if (pk in before) != (pk in after) or _counted_key(before[pk]) != _counted_key(after[pk])
    }
    if not changed:
        return
    activity: Counter[tuple[Any, ...]] = Counter()
    on_time: Counter[tuple[Any, ...]] = Counter()
    types: Counter[tuple[int, dt.date, int, str]] = Counter()
    touched: dict[int, set[dt.date]] = defaultdict(set)
    plan_ids: set[int] = set()
    for sign, side in ((-1, before), (1, after)):
        for pk in changed:
            if (row := side.get(pk)) is None:
                continue
            key = _activity_key(row)
            activity[key] += sign
            on_time[key] += sign * row.on_time
            types[(row.unit_id, month_of(row.day), row.activity_type_id, row.integrity_level)] += (
                sign
            )
            touched[row.officer_id].add(row.day)
            if row.plan_item_id is not None:
                plan_ids.add(row.plan_item_id)
    # The officers' rows locked in one order: two workers whose batches touch one officer
    # count one after the other (the plan days and months are summed again from the days).
    list(
        Officer.objects.select_for_update(no_key=True)
        .filter(pk__in=sorted(touched))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    CountedReport.objects.filter(report_id__in=changed).delete()
    CountedReport.objects.bulk_create([after[pk] for pk in sorted(changed) if pk in after])
    keys = ["officer", "day", "unit", "village", "activity_type", "integrity_level"]
    add_totals(
        ActivityDay, keys, ["reports", "on_time"], {k: (activity[k], on_time[k]) for k in activity}
    )
    ActivityDay.objects.filter(officer_id__in=touched, reports=0).delete()
    _apply_type_deltas(types)
    # A report realizing a plan item of another day touches that day's plan too.
    for officer_id, date in PlanItem.objects.filter(pk__in=plan_ids).values_list(
        "officer_id", "date"
    ):
        touched[officer_id].add(date)
    plans: dict[int, list[PlanDay]] = {}
    for officer_id, days in sorted(touched.items()):
        items = _plan_items(officer_id, days)
        reports = _days_reports(officer_id, days, {item[0] for item in items})
        plans[officer_id] = _officer_rows(officer_id, reports, items, days)[1]
    _replace_plan_and_month_rows(touched, plans)
    units = {side[pk].unit_id for side in (before, after) for pk in changed if pk in side}
    _flag_late_changes("activity", units, {day for days in touched.values() for day in days})


# --- Incidents and residents' reports ----------------------------------------------------


def _incident_rows(incidents: Iterable[Incident], zones: dict[int, ZoneInfo]) -> list[IncidentDay]:
    rows: dict[tuple[str, dt.date, int, int], IncidentDay] = {}
    for incident in incidents:
        if incident.unit_id is None:
            continue  # outside every Polsek's jurisdiction: no unit to count it under
        day = incident.occurred_at.astimezone(zones[incident.unit_id]).date()
        key = (incident.village_id, day, incident.unit_id, incident.category_id)
        row = rows.get(key)
        if row is None:
            row = rows[key] = IncidentDay(
                village_id=incident.village_id,
                day=day,
                unit_id=incident.unit_id,
                category_id=incident.category_id,
                social_conflict=incident.category.social_conflict,
            )
        row.incidents += 1
        row.dead += incident.dead
        row.injured += incident.injured
        row.losses_idr += incident.losses_idr
    return list(rows.values())


@transaction.atomic
def village_days_refresh(village_id: str, days: set[dt.date]) -> None:
    if not days:
        return
    Region.objects.select_for_update(no_key=True).filter(pk=village_id).values_list("pk").first()
    low, high = _window(min(days))[0], _window(max(days))[1]
    incidents = list(
        Incident.objects.filter(
            village_id=village_id, occurred_at__gte=low, occurred_at__lt=high
        ).select_related("category")
    )
    zones = _unit_zones(i.unit_id for i in incidents if i.unit_id)
    rows = [r for r in _incident_rows(incidents, zones) if r.day in days]
    before = set(
        IncidentDay.objects.filter(village_id=village_id, day__in=days).values_list(
            "unit_id", flat=True
        )
    )
    IncidentDay.objects.filter(village_id=village_id, day__in=days).delete()
    IncidentDay.objects.bulk_create(rows)
    _flag_late_changes("incident", before | {r.unit_id for r in rows}, days)


def _citizen_rows(reports: Iterable[CitizenReport], zones: dict[int, ZoneInfo]) -> list[CitizenDay]:
    rows: dict[tuple[Any, ...], CitizenDay] = {}
    for report in reports:
        if report.unit_id is None:
            continue
        zone = zones[report.unit_id]
        hours = (
            int((report.first_response_at - report.received_at).total_seconds() // 3600)
            if report.first_response_at
            else None
        )
        late = report.first_response_at is not None and report.first_response_at > report.due_at
        key = (
            report.unit_id,
            report.received_at.astimezone(zone).date(),
            report.village_id,
            report.category,
            report.status,
            hours,
            late,
            report.due_at.astimezone(zone).date(),
        )
        row = rows.get(key)
        if row is None:
            row = rows[key] = CitizenDay(
                unit_id=key[0],
                day=key[1],
                village_id=key[2],
                category=key[3],
                status=key[4],
                response_hours=key[5],
                responded_late=key[6],
                due_day=key[7],
            )
        row.reports += 1
    return list(rows.values())


@transaction.atomic
def unit_days_refresh(unit_id: int, days: set[dt.date]) -> None:
    if not days:
        return
    Unit.objects.select_for_update(no_key=True).filter(pk=unit_id).values_list("pk").first()
    low, high = _window(min(days))[0], _window(max(days))[1]
    reports = CitizenReport.objects.filter(
        unit_id=unit_id, received_at__gte=low, received_at__lt=high
    ).only(
        "unit_id", "received_at", "village_id", "category", "status", "first_response_at", "due_at"
    )
    rows = [r for r in _citizen_rows(reports, _unit_zones([unit_id])) if r.day in days]
    CitizenDay.objects.filter(unit_id=unit_id, day__in=days).delete()
    CitizenDay.objects.bulk_create(rows)
    _flag_late_changes("citizen", {unit_id}, days)


# --- Locked months ------------------------------------------------------------------------


def _flag_late_changes(what: str, unit_ids: set[int], days: set[dt.date]) -> None:
    """Record a change to a month that the unit, or a unit above it, has had approved."""
    if not unit_ids:
        return
    paths = Unit.objects.filter(pk__in=unit_ids).values_list("pk", "path")
    months = {month_of(day) for day in days}
    approved = list(
        MonthlyEvaluation.objects.filter(
            month__in=months, status=EvaluationStatus.APPROVED
        ).select_related("unit")
    )
    if not approved:
        return
    for unit_id, path in paths:
        for evaluation in approved:
            if path.startswith(evaluation.unit.path):
                for day in sorted(d for d in days if month_of(d) == evaluation.month):
                    LateChange.objects.create(
                        evaluation=evaluation, unit_id=unit_id, what=what, day=day
                    )


# --- Signals: which keys a write touches ------------------------------------------------

_deferred: ContextVar[bool] = ContextVar("rollups_deferred", default=False)
# Sent at the end of ``rollups_rebuild``, in its transaction: whoever keeps counts of their
# own from the same records (the early warning's weekly counts) rebuilds them then.
rollups_rebuilt = Signal()


def rollups_are_deferred() -> bool:
    """Inside ``rollups_deferred``: counts kept as records are written wait for the rebuild."""
    return _deferred.get()


@contextmanager
def rollups_deferred() -> Iterator[None]:
    """Write many records without refreshing rollups one key at a time, then rebuild once.

    For bulk loads (the demo, generators): inside the block the rollups lag behind; on a
    clean exit they are rebuilt from scratch.
    """
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    rollups_rebuild()


def _local_day(unit_id: int | None, moment: dt.datetime | None) -> dt.date | None:
    if unit_id is None or moment is None:
        return None
    zone = _zone(Unit.objects.values_list("timezone", flat=True).get(pk=unit_id))
    return moment.astimezone(zone).date()


def _remember(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    key = {
        PlanItem: lambda i: (i.officer_id, i.date),
        Incident: lambda i: (i.village_id, i.unit_id, i.occurred_at),
        CitizenReport: lambda r: (r.unit_id, r.received_at),
    }[type(instance)]
    instance._rollup_key = key(instance) if instance.pk else None  # type: ignore[attr-defined]


def _reports_processed(sender: Any, report_ids: Sequence[int], **kwargs: Any) -> None:
    if not _deferred.get():
        count_reports(report_ids)


def _plan_changed(sender: Any, instance: PlanItem, signal: Any, **kwargs: Any) -> None:
    if _deferred.get():
        return
    old = getattr(instance, "_rollup_key", None)
    touched: dict[int, set[dt.date]] = defaultdict(set)
    for key in (old, (instance.officer_id, instance.date)):
        if key is not None:
            touched[key[0]].add(key[1])
    for officer_id, days in sorted(touched.items()):  # a fixed order: no deadlock
        officer_days_refresh(officer_id, days)
    instance._rollup_key = (instance.officer_id, instance.date)  # type: ignore[attr-defined]


def _incident_changed(sender: Any, instance: Incident, **kwargs: Any) -> None:
    if _deferred.get():
        return
    old = getattr(instance, "_rollup_key", None)
    new = (instance.village_id, instance.unit_id, instance.occurred_at)
    touched: dict[str, set[dt.date]] = defaultdict(set)
    for key in (old, new):
        if key is not None and (day := _local_day(key[1], key[2])) is not None:
            touched[key[0]].add(day)
    for village_id, days in sorted(touched.items()):
        village_days_refresh(village_id, days)
    instance._rollup_key = new  # type: ignore[attr-defined]


def _citizen_changed(sender: Any, instance: CitizenReport, **kwargs: Any) -> None:
    if _deferred.get():
        return
    old = getattr(instance, "_rollup_key", None)
    new = (instance.unit_id, instance.received_at)
    touched: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, received_at in (key for key in (old, new) if key is not None):
        if unit_id is not None and (day := _local_day(unit_id, received_at)) is not None:
            touched[unit_id].add(day)
    for unit_id, days in sorted(touched.items()):
        unit_days_refresh(unit_id, days)
    instance._rollup_key = new  # type: ignore[attr-defined]


def connect() -> None:
    reports_processed.connect(_reports_processed, dispatch_uid="rollup-reports-processed")
    for model, handler in (
        (PlanItem, _plan_changed),
        (Incident, _incident_changed),
        (CitizenReport, _citizen_changed),
    ):
        post_init.connect(_remember, sender=model, dispatch_uid=f"rollup-init-{model.__name__}")
        post_save.connect(handler, sender=model, dispatch_uid=f"rollup-save-{model.__name__}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"rollup-delete-{model.__name__}")


# --- Rebuild ---------------------------------------------------------------------------


def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """Rows sorted by their first value (an officer id), grouped by it."""
    current: int | None = None
    batch: list[tuple[Any, ...]] = []
    for officer_id, *values in rows:
        if officer_id != current:
            if current is not None:
                yield current, batch
            current, batch = officer_id, []
        batch.append(tuple(values))
    if current is not None:
        yield current, batch


def _by_officer(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[_Report]]]:
    for officer_id, values in _grouped(rows):
        yield officer_id, [_Report(*row) for row in values]


def _rollup_officers() -> set[int]:
    return set(_counted_reports().values_list("officer_id", flat=True).distinct()) | set(
        PlanItem.objects.values_list("officer_id", flat=True).distinct()
    )


def rollup_officer_count() -> int:
    """How many officers a rebuild goes through (for its progress bar)."""
    return len(_rollup_officers())


@transaction.atomic
def rollups_rebuild(progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Recompute every rollup from the records. Returns the rows written per table.

    Reports are counted as they stand, checked ones only: run it with the worker idle (no
    report ``pending``) for figures the worker would reach too."""
    tables_rebuilt = (
        CountedReport,
        ActivityDay,
        PlanDay,
        OfficerMonth,
        UnitMonth,
        UnitTypeMonth,
        IncidentDay,
        CitizenDay,
    )
    for model in tables_rebuilt:
        model.objects.all().delete()
    zones = {pk: _zone(name) for pk, name in Unit.objects.values_list("pk", "timezone")}
    counted = BulkTable.of(CountedReport)
    source = _counted_reports().order_by("id").values_list(*_REPORT_FIELDS)
    chunk: list[tuple[Any, ...]] = []
    for values in source.iterator(chunk_size=5000):
        chunk.append(values)
        if len(chunk) == 20_000:
            counted.write_models(_counted_rows(chunk, zones))
            chunk = []
    counted.write_models(_counted_rows(chunk, zones))
    officer_ids = _rollup_officers()
    # One pass over the counted reports and one over the plan items, both in officer order;
    # rows are written in large batches (COPY on PostgreSQL).
    reports_of = _by_officer(
        CountedReport.objects.order_by("officer_id", "day", "report_id")
        .values_list("officer_id", *_COUNTED_FIELDS)
        .iterator(chunk_size=5000)
    )
    plans_of = _grouped(
        PlanItem.objects.order_by("officer_id", "id")
        .values_list("officer_id", "id", "date", "unit_id", "village_id", "activity_type_id")
        .iterator(chunk_size=5000)
    )
    pending, pending_plans = next(reports_of, None), next(plans_of, None)
    assignments = _assignments(officer_ids)
    tables = {model: BulkTable.of(model) for model in (ActivityDay, PlanDay, OfficerMonth)}
    rows: dict[type[models.Model], list[models.Model]] = {model: [] for model in tables}
    for officer_id in sorted(officer_ids):
        reports: list[_Report] = []
        if pending is not None and pending[0] == officer_id:
            reports = pending[1]
            pending = next(reports_of, None)
        plan_items: list[tuple[Any, ...]] = []
        if pending_plans is not None and pending_plans[0] == officer_id:
            plan_items = pending_plans[1]
            pending_plans = next(plans_of, None)
        activity, plans = _officer_rows(officer_id, reports, plan_items)
        rows[ActivityDay] += activity
        rows[PlanDay] += plans
        rows[OfficerMonth] += _officer_months(officer_id, activity, plans, assignments[officer_id])
        if len(rows[ActivityDay]) >= 20_000:
            for model, table in tables.items():
                table.write_models(rows[model])
                rows[model] = []
        if progress is not None:
            progress(1)
    for model, table in tables.items():
        table.write_models(rows[model])
    UnitMonth.objects.bulk_create(
        [
            UnitMonth(unit_id=unit_id, month=month, **dict(zip(UnitMonth.SUMS, sums, strict=True)))
            for unit_id, month, *sums in OfficerMonth.objects.values("unit_id", "month")
            .annotate(**{name: Sum(name) for name in UnitMonth.SUMS})
            .values_list("unit_id", "month", *UnitMonth.SUMS)
            .order_by()
        ],
        batch_size=2000,
    )
    UnitTypeMonth.objects.bulk_create(
        [
            UnitTypeMonth(
                unit_id=row["unit_id"],
                month=row["month"],
                activity_type_id=row["activity_type_id"],
                integrity_level=row["integrity_level"],
                reports=row["n"],
            )
            for row in ActivityDay.objects.annotate(month=TruncMonth("day"))
            .values("unit_id", "month", "activity_type_id", "integrity_level")
            .annotate(n=Sum("reports"))
            .order_by()
        ],
        batch_size=2000,
    )
    IncidentDay.objects.bulk_create(
        _incident_rows(Incident.objects.select_related("category").iterator(2000), zones),
        batch_size=2000,
    )
    CitizenDay.objects.bulk_create(
        _citizen_rows(CitizenReport.objects.iterator(2000), zones), batch_size=2000
    )
    written = {
        model.__name__: model.objects.aggregate(n=Count("pk"))["n"] for model in tables_rebuilt
    }
    for _receiver, also_written in rollups_rebuilt.send(sender=Unit):
        written.update(cast(dict[str, int], also_written))
    return written
