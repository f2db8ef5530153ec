"""Reads of field work: report filters, plan vs. realization, the schedule board."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sambang.access import AnyUser, reports_for_user
from sambang.organization.models import Unit
from sambang.personnel.models import Officer, OfficerStatus

from .integrity import describe
from .models import ActivityReport, CopiedText, HouseholdVisit, PlanItem, SignalNote

COPIES_SHOWN = 20

_VISIT_SALT = "sambang.visit-sticker"


def visit_token(visit: HouseholdVisit) -> str:
    """The signed, unguessable token of a visit's sticker link."""
    return signing.Signer(salt=_VISIT_SALT).sign(visit.report.uuid.hex)


def visit_for_token(token: str) -> HouseholdVisit | None:
    try:
        report_uuid = signing.Signer(salt=_VISIT_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return (
        HouseholdVisit.objects.select_related(
            "report__officer", "report__village", "report__activity_type"
        )
        .filter(report__uuid=report_uuid)
        .first()
    )


def filter_reports(reports: QuerySet[ActivityReport], params: Any) -> QuerySet[ActivityReport]:
    """Narrow reports by the query parameters the list page and the API share."""
    if value := params.get("state"):
        reports = reports.filter(state=value)
    if value := params.get("integrity"):
        reports = reports.filter(integrity_level=value)
    if params.get("denied"):  # household visits a resident said never happened
        reports = reports.filter(household__confirmation__visited=False)
    if value := params.get("officer"):
        reports = reports.filter(officer__nrp=value)
    if value := params.get("unit"):
        path = Unit.objects.filter(code=value).values_list("path", flat=True).first()
        reports = reports.filter(unit__path__startswith=path) if path else reports.none()
    if value := params.get("village"):
        reports = reports.filter(village_id=value)
    if value := params.get("type"):
        reports = reports.filter(activity_type__code=value)
    if value := date_param(params, "from"):
        reports = reports.filter(occurred_at__date__gte=value)
    if value := date_param(params, "to"):
        reports = reports.filter(occurred_at__date__lte=value)
    return reports


def date_param(params: Any, name: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter; a page ignores one it cannot read (the API refuses it)."""
    try:
        return dt.date.fromisoformat(params.get(name) or "")
    except ValueError:
        return None


def report_list(reports: QuerySet[ActivityReport]) -> QuerySet[ActivityReport]:
    return reports.select_related("officer", "activity_type", "village").order_by(
        "-occurred_at", "-id"
    )


def report_detail(report: ActivityReport) -> ActivityReport:
    """The report with everything its page and its API show, in a fixed number of queries."""
    return (
        ActivityReport.objects.select_related(
            "officer__unit",
            "activity_type",
            "village__parent",
            "plan_item",
            "reviewed_by",
            "recorded_by",
            "household__confirmation",
            "information__escalated_to",
            "information__acknowledged_by",
            "problem",
        )
        .prefetch_related("photos", "household__concerns", "partner_records")
        .get(pk=report.pk)
    )


class Realization:
    REPORTED = "reported"
    LATE = "late"
    MISSED = "missed"
    PENDING = "pending"

    LABELS = {
        REPORTED: _("Reported"),
        LATE: _("Reported late"),
        MISSED: _("Missed"),
        PENDING: _("Still to come"),
    }


@dataclass
class OfficerRealization:
    officer: Officer
    items: list[tuple[PlanItem, str, ActivityReport | None]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Realization.LABELS, 0))

    @property
    def planned(self) -> int:
        return len(self.items)

    @property
    def rate(self) -> int | None:
        """Share of the plan items now due that were reported (on time or late), in %."""
        due = self.planned - self.counts[Realization.PENDING]
        done = self.counts[Realization.REPORTED] + self.counts[Realization.LATE]
        return round(100 * done / due) if due else None


def plan_realization(
    plans: QuerySet[PlanItem], start: dt.date, end: dt.date
) -> list[OfficerRealization]:
    """Per officer, each plan item in [start, end] and whether it was reported, late or missed.

    A plan item is realized by a report that names it, or else by a report of the same
    officer, type and village on the same local day. Reported later than its day: late.
    """
    items = list(
        plans.filter(date__gte=start, date__lte=end)
        .select_related("officer__unit", "activity_type", "village")
        .prefetch_related(
            Prefetch("reports", queryset=ActivityReport.objects.order_by("occurred_at"))
        )
        .order_by("officer__name", "date", "start_time")
    )
    officer_ids = {i.officer_id for i in items}
    same_day: dict[tuple[int, int, str, dt.date], ActivityReport] = {}
    unlinked = ActivityReport.objects.filter(
        officer_id__in=officer_ids,
        plan_item__isnull=True,
        occurred_at__gte=dt.datetime.combine(start - dt.timedelta(days=1), dt.time(), dt.UTC),
        occurred_at__lt=dt.datetime.combine(end + dt.timedelta(days=2), dt.time(), dt.UTC),
    ).select_related("officer__unit")
    for other in unlinked:
        local = other.occurred_at.astimezone(ZoneInfo(other.officer.unit.timezone)).date()
        same_day.setdefault(
            (other.officer_id, other.activity_type_id, other.village_id, local), other
        )
    result: dict[int, OfficerRealization] = {}
    for item in items:
        zone = ZoneInfo(item.officer.unit.timezone)
        today = timezone.now().astimezone(zone).date()
        linked = list(item.reports.all())
        report: ActivityReport | None = (
            linked[0]
            if linked
            else same_day.get((item.officer_id, item.activity_type_id, item.village_id, item.date))
        )
        if report is not None:
            day = report.occurred_at.astimezone(zone).date()
            status = Realization.REPORTED if day <= item.date else Realization.LATE
        else:
            status = Realization.MISSED if item.date < today else Realization.PENDING
        row = result.setdefault(item.officer_id, OfficerRealization(item.officer))
        row.items.append((item, status, report))
        row.counts[status] += 1
    return list(result.values())


@dataclass
class BoardDay:
    date: dt.date
    rows: list[dict[str, Any]]


def schedule_board(unit: Unit, days: int = 7) -> list[BoardDay]:
    """The coming week's visits of a Polsek's officers: who, where, which day. Nothing else."""
    zone = ZoneInfo(unit.timezone)
    start = timezone.now().astimezone(zone).date()
    items = (
        PlanItem.objects.filter(
            unit__path__startswith=unit.path,
            date__gte=start,
            date__lt=start + dt.timedelta(days=days),
            officer__status=OfficerStatus.ACTIVE,
        )
        .select_related("officer", "village")
        .order_by("date", "officer__name", "village__name")
    )
    by_day: dict[dt.date, dict[tuple[int, str], dict[str, Any]]] = defaultdict(dict)
    for item in items:
        # One line per officer and village a day, whatever number of activities is planned.
        by_day[item.date].setdefault(
            (item.officer_id, item.village_id), {"officer": item.officer, "village": item.village}
        )
    return [
        BoardDay(start + dt.timedelta(days=n), list(by_day[start + dt.timedelta(days=n)].values()))
        for n in range(days)
    ]


def integrity_view(report: ActivityReport, user: AnyUser) -> dict[str, Any]:
    """The report's integrity as this reader may see it: each signal with its reason, and the
    reports its text copies or is copied by, each linked when the reader may open it (or
    said to be outside their scope)."""
    signals = [s for s in report.integrity_signals if isinstance(s, dict)]
    named = {
        s["params"]["report"]
        for s in signals
        if s.get("code") == "text_copy" and s.get("params", {}).get("report")
    }
    copies = [
        str(uuid)
        for uuid in CopiedText.objects.filter(original=report)
        .order_by("report__occurred_at", "report_id")
        .values_list("report__uuid", flat=True)[:COPIES_SHOWN]
    ]
    wanted = named | set(copies)
    visible = (
        {
            str(u)
            for u in reports_for_user(user).filter(uuid__in=wanted).values_list("uuid", flat=True)
        }
        if wanted
        else set()
    )

    def link(uuid: str) -> dict[str, Any]:
        return {"uuid": uuid if uuid in visible else None, "visible": uuid in visible}

    notes = {
        note.code: note
        for note in SignalNote.objects.filter(report=report).select_related("explained_by")
    }
    shown = []
    for s in signals:
        params = dict(s.get("params", {}))
        item = _signal_shown(s, params)
        if (uuid := params.pop("report", None)) is not None:
            item["report"] = link(uuid)
        if s.get("explained") and (note := notes.get(s["code"])) is not None:
            item["explanation"] = {
                "reason": note.reason,
                "by": note.explained_by.get_full_name() or note.explained_by.get_username(),
                "at": note.explained_at,
            }
        shown.append(item)
    return {"level": report.integrity_level, "signals": shown, "copies": [link(u) for u in copies]}


def _signal_shown(signal: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": signal["code"],
        "status": signal["status"],
        "explained": bool(signal.get("explained")),
        "reason": describe(signal),
        "params": params,
    }


def integrity_summary(report: ActivityReport) -> dict[str, Any]:
    """The report's level and signals with their reasons, without the reports they name
    (for lists: no query per report)."""
    signals = [s for s in report.integrity_signals if isinstance(s, dict)]
    return {
        "level": report.integrity_level,
        "signals": [
            _signal_shown(s, {k: v for k, v in s.get("params", {}).items() if k != "report"})
            for s in signals
        ],
    }
