"""Reads of field work: report filters, plan vs. realization, the schedule board."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core import signing
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sambang.access import AnyUser, reports_for_user, scope_root, units_for_user
from sambang.core.errors import ApplicationError
from sambang.organization.models import Unit, UnitLevel
from sambang.personnel.models import Officer, OfficerStatus, Role, User

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


def filter_reports(
    reports: QuerySet[ActivityReport], params: Any, *, reader: AnyUser
) -> QuerySet[ActivityReport]:
    """Narrow reports by the query parameters the list page, its exports and the API share.

    ``escalated=waiting`` keeps the reports whose early-detection information waits for
    ``reader``'s acknowledgement: escalated to the reader's unit or one below it, not yet
    acknowledged (the rule of ``security.services.information_acknowledge``)."""
    if value := params.get("state"):
        reports = reports.filter(state=value)
    if value := params.get("integrity"):
        reports = reports.filter(integrity_level=value)
    if params.get("denied"):  # household visits a resident said never happened
        reports = reports.filter(household__confirmation__visited=False)
    if value := params.get("officer"):
        reports = reports.filter(officer__nrp=value)
    if value := (params.get("q") or "").strip():
        reports = reports.filter(
            Q(officer__name__icontains=value) | Q(officer__nrp__startswith=value)
        )
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
    if params.get("escalated") == "waiting":
        reports = _waiting_for_acknowledgement(reports, reader)
    return reports


def _waiting_for_acknowledgement(
    reports: QuerySet[ActivityReport], reader: AnyUser
) -> QuerySet[ActivityReport]:
    if not isinstance(reader, User) or reader.unit is None or reader.role == Role.OFFICER:
        return reports.none()
    return reports.filter(
        information__escalated_to__path__startswith=reader.unit.path,
        information__acknowledged_at__isnull=True,
    )


_LEVELS = [UnitLevel.MABES, UnitLevel.POLDA, UnitLevel.POLRES, UnitLevel.POLSEK]


def report_unit_choices(reader: AnyUser, chosen: str = "") -> list[tuple[str, str]]:
    """The units a supervisor narrows the report list to, as (code, label) in tree order:
    the two levels below the reader's unit, and the units beside and below the one chosen.

    A Polres sees its Polsek, a Polda its Polres and their Polsek; a national user the
    Polda and Polres, and the Polsek once a Polres (or its Polda) is chosen: never a list
    of every Polsek in the country on a phone."""
    root = scope_root(reader)
    if root is None:
        return []
    below = _LEVELS[_LEVELS.index(UnitLevel(root.level)) + 1 :][:2]
    units = units_for_user(reader).exclude(pk=root.pk)
    shown = Q(level__in=below)
    picked = units.filter(code=chosen).first() if chosen else None
    if picked is not None:
        shown |= Q(parent_id=picked.pk) | Q(parent_id=picked.parent_id)
    rows = units.filter(shown).order_by("path").values_list("code", "name", "level")
    depth = {level: i for i, level in enumerate(_LEVELS)}
    first = depth[UnitLevel(root.level)] + 1
    return [(code, "— " * (depth[UnitLevel(level)] - first) + name) for code, name, level in rows]


def reports_by_uuid(
    reports: QuerySet[ActivityReport], uuids: list[uuid_lib.UUID]
) -> list[ActivityReport]:
    """The reports ``uuids`` name among ``reports`` (the reader's scope), in the order given,
    each once. A uuid naming none of them is refused for the field, with the same answer
    whether its report is outside the scope or does not exist."""
    wanted = list(dict.fromkeys(uuids))
    found = {r.uuid: r for r in reports.filter(uuid__in=wanted)}
    if missing := [u for u in wanted if u not in found]:
        raise ApplicationError(
            gettext("Choose only reports you can see."),
            fields={
                "reports": [
                    gettext("No report you can see has the id %(uuid)s.") % {"uuid": u}
                    for u in missing
                ]
            },
        )
    return [found[u] for u in wanted]


def date_param(params: Any, name: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter; a page ignores one it cannot read (the API refuses it)."""
    try:
        return dt.date.fromisoformat(params.get(name) or "")
    except ValueError:
        return None


def report_list(
    reports: QuerySet[ActivityReport], order: str | None = None
) -> QuerySet[ActivityReport]:
    """Reports with what a list shows of each: newest first, or oldest first for
    ``order="oldest"`` (the review queue works from the oldest)."""
    ordering = ("occurred_at", "id") if order == "oldest" else ("-occurred_at", "-id")
    return reports.select_related("officer", "activity_type", "village").order_by(*ordering)


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
    return {
        "level": report.integrity_level,
        "checked": is_checked(report),
        "signals": shown,
        "copies": [link(u) for u in copies],
    }


def is_checked(report: ActivityReport) -> bool:
    """Has the worker checked the report as it now stands? (No: "accepted, being checked";
    its level and signals are then those of its previous version, or none yet.)"""
    return not report.pending and bool(report.integrity_level)


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
        "checked": is_checked(report),
        "signals": [
            _signal_shown(s, {k: v for k, v in s.get("params", {}).items() if k != "report"})
            for s in signals
        ],
    }
