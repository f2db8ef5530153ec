"""An officer's suggested week: what is due, ordered into day routes, accepted into plans.

What is due, each a stop with the minutes it takes and what leaving it out costs:

- every village the officer covers: a visit (sambang / DDS), 60 minutes;
- households whose last visit raised a concern of high urgency 7 days ago or more, or of
  medium urgency 30 days ago or more: a follow-up visit, 30 minutes, where the visit was;
- the village's key figures not met for 30 days (no plan item naming them since): 30
  minutes, the more influential first;
- vulnerable spots not reviewed for 90 days (30 for a high level): 20 minutes, where the
  spot is;
- the officer's mediations whose follow-up date falls in the week: 45 minutes, on that
  day (the working day before, if it falls on a day off), never left out if it fits;
- directives not yet done: 30 minutes at the officer's base village, before their due
  date.

The stops become day routes (``routing.plan_week``) within the working hours; the
mandatory daily activities of the catalogue that no stop of a day covers are planned in
that day's first village, without a time of their own (they are done during the visits;
``MANDATORY_MINUTES`` of each day are kept for them).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sambang.community.models import KeyFigure, Level, VulnerableSpot
from sambang.core.errors import ApplicationError
from sambang.fieldwork.models import (
    ActivityGroup,
    ActivityType,
    HouseholdVisit,
    PlanItem,
    PlanTarget,
    Urgency,
)
from sambang.fieldwork.services import plan_create
from sambang.organization.models import DirectiveReceipt
from sambang.personnel.models import Officer
from sambang.personnel.selectors import officer_villages
from sambang.security.models import ProblemCase
from sambang.territory.models import Region

from .routing import Stop, Week, plan_week

WORK_START = dt.time(8, 0)
WORK_MINUTES = 8 * 60
MANDATORY_MINUTES = 60
WORKING_DAYS = 5  # Monday to Friday
FIGURE_DAYS = 30
SPOT_DAYS = {Level.HIGH: 30, Level.MEDIUM: 90, Level.LOW: 90}
HOUSEHOLD_DAYS = {"high": 7, "medium": 30}
PENALTY_SCALE = 10  # the penalties below × this: minutes a stop is worth against travel
PLAN_NAMESPACE = uuid.UUID("5f6a4a52-9a55-4f57-8f0e-8b1a4c1d2e21")


@dataclass
class Item:
    """One suggested plan item."""

    key: str
    kind: str  # village, household, figure, spot, mediation, directive, mandatory
    activity_type: str  # a code of the catalogue
    village: str
    village_name: str
    target_kind: str = PlanTarget.OTHER
    target: str = ""
    why: str = ""
    minutes: int = 0
    start: dt.time | None = None
    end: dt.time | None = None
    day: int | None = None


@dataclass
class Suggestion:
    start: dt.date
    dates: list[dt.date]
    days: list[list[Item]] = field(default_factory=list)
    km: list[float] = field(default_factory=list)
    left_out: list[Item] = field(default_factory=list)
    status: str = ""
    seconds: float = 0.0


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def _clock(minutes: int) -> dt.time:
    start = WORK_START.hour * 60 + WORK_START.minute + minutes
    return dt.time(min(start // 60, 23), start % 60)


def week_suggest(*, officer: Officer, start: dt.date) -> Suggestion:
    """The suggested week of ``officer`` from ``start`` (its working days)."""
    dates = [start + dt.timedelta(days=i) for i in range(7)]
    dates = [d for d in dates if d.weekday() < WORKING_DAYS]
    suggestion = Suggestion(start=start, dates=dates)
    villages = {v.code: v for v in officer_villages(officer) if v.centroid_lat is not None}
    if not villages:
        raise ApplicationError(
            _("You cover no village with a location: a week cannot be suggested."),
            fields={"village": [_("Ask your Polsek to assign you a village.")]},
        )
    base = _base(officer, villages)
    items, stops = _due(officer, villages, base, dates)
    route = plan_week(
        Week(
            base=(base.centroid_lat or 0.0, base.centroid_lng or 0.0),
            stops=stops,
            days=len(dates),
            day_minutes=WORK_MINUTES - MANDATORY_MINUTES,
            time_limit=settings.SAMBANG_WEEK_ROUTE_SECONDS,
        )
    )
    by_key = {item.key: item for item in items}
    mandatory = list(
        ActivityType.objects.filter(active=True, group=ActivityGroup.MANDATORY).order_by(
            "sort_order", "code"
        )
    )
    for day, visits in enumerate(route.days):
        planned = []
        for key, arrival in visits:
            item = by_key[key]
            item.day, item.start = day, _clock(arrival)
            item.end = _clock(arrival + item.minutes)
            planned.append(item)
        first = planned[0].village if planned else base.code
        covered = {item.activity_type for item in planned}
        for kind in mandatory:
            if kind.code not in covered:
                planned.append(
                    Item(
                        key=f"mandatory:{kind.code}:{day}",
                        kind="mandatory",
                        activity_type=kind.code,
                        village=first,
                        village_name=villages[first].name,
                        why=_("a daily mandatory activity"),
                        day=day,
                    )
                )
        suggestion.days.append(planned)
    suggestion.km = route.km
    suggestion.left_out = [by_key[key] for key in route.dropped]
    suggestion.status, suggestion.seconds = route.status, route.seconds
    return suggestion


def _base(officer: Officer, villages: dict[str, Region]) -> Region:
    """The officer's base: the village they are the residents' contact of, else their first."""
    contact = (
        officer.assignments.filter(end_date__isnull=True, is_contact=True, village_id__in=villages)
        .order_by("village_id")
        .values_list("village_id", flat=True)
        .first()
    )
    return villages[contact or sorted(villages)[0]]


def _due(
    officer: Officer, villages: dict[str, Region], base: Region, dates: list[dt.date]
) -> tuple[list[Item], list[Stop]]:
    """What is due in the week (see the module's docstring), as items and routing stops."""
    items: list[Item] = []
    stops: list[Stop] = []
    start = dates[0] if dates else dt.date.today()

    def add(item: Item, lat: float, lng: float, penalty: int, days: tuple[int, ...] | None) -> None:
        items.append(item)
        stops.append(Stop(item.key, lat, lng, item.minutes, penalty * PENALTY_SCALE, days))

    for code, village in sorted(villages.items()):
        add(
            Item(
                key=f"village:{code}",
                kind="village",
                activity_type="dds",
                village=code,
                village_name=village.name,
                target_kind=PlanTarget.PLACE,
                target=village.name,
                why=_("every village is visited each week"),
                minutes=60,
            ),
            village.centroid_lat or 0.0,
            village.centroid_lng or 0.0,
            600,
            None,
        )
    _households(officer, villages, start, add)
    _figures(officer, villages, start, add)
    for spot in VulnerableSpot.objects.filter(village_id__in=villages).order_by("pk"):
        if (start - spot.last_reviewed).days >= SPOT_DAYS.get(Level(spot.level), 90):
            add(
                Item(
                    key=f"spot:{spot.pk}",
                    kind="spot",
                    activity_type="deteksi-dini",
                    village=spot.village_id,
                    village_name=villages[spot.village_id].name,
                    target_kind=PlanTarget.PLACE,
                    target=f"{spot.get_category_display()} ({spot.get_level_display()})",
                    why=_("vulnerable spot last reviewed on %(date)s")
                    % {"date": spot.last_reviewed.strftime("%d-%m-%Y")},
                    minutes=20,
                ),
                spot.latitude,
                spot.longitude,
                {Level.HIGH: 400, Level.MEDIUM: 200}.get(Level(spot.level), 100),
                None,
            )
    if dates:
        cases = ProblemCase.objects.filter(
            report__officer=officer,
            follow_up_date__gte=dates[0] - dt.timedelta(days=2),
            follow_up_date__lte=dates[-1],
            follow_up_outcome="",
            report__village_id__in=villages,
        ).select_related("report")
        for case in cases:
            follow_up = case.follow_up_date or dates[0]
            day = max((i for i, d in enumerate(dates) if d <= follow_up), default=0)
            report = case.report
            add(
                Item(
                    key=f"mediation:{case.pk}",
                    kind="mediation",
                    activity_type="problem-solving",
                    village=report.village_id,
                    village_name=villages[report.village_id].name,
                    target_kind=PlanTarget.GROUP,
                    target=(case.parties or "")[:200],
                    why=_("mediation follow-up due on %(date)s")
                    % {"date": follow_up.strftime("%d-%m-%Y")},
                    minutes=45,
                ),
                report.latitude or villages[report.village_id].centroid_lat or 0.0,
                report.longitude or villages[report.village_id].centroid_lng or 0.0,
                100_000,
                (day,),
            )
    receipts = DirectiveReceipt.objects.filter(
        officer=officer, completed_at__isnull=True
    ).select_related("directive")
    for receipt in receipts.order_by("directive__due_date", "pk")[:5]:
        due = receipt.directive.due_date
        allowed = tuple(i for i, d in enumerate(dates) if due is None or d <= due) or (0,)
        add(
            Item(
                key=f"directive:{receipt.directive_id}",
                kind="directive",
                activity_type="insidentil",
                village=base.code,
                village_name=base.name,
                target=receipt.directive.title[:200],
                why=_("directive not yet done")
                if due is None
                else _("directive due on %(date)s") % {"date": due.strftime("%d-%m-%Y")},
                minutes=30,
            ),
            base.centroid_lat or 0.0,
            base.centroid_lng or 0.0,
            800,
            allowed,
        )
    return items, stops


def _households(officer: Officer, villages: dict[str, Region], start: dt.date, add: Any) -> None:
    """Households whose last visit raised a concern now due for a follow-up."""
    visits = (
        HouseholdVisit.objects.filter(report__village_id__in=villages)
        .select_related("report")
        .prefetch_related("concerns")
        .order_by("report__occurred_at")
    )
    latest: dict[tuple[str, str, str, str], HouseholdVisit] = {}
    for visit in visits:
        latest[visit.report.village_id, visit.rt, visit.rw, visit.house_number] = visit
    for (code, rt, rw, number), visit in sorted(latest.items()):
        urgency = max(
            (c.urgency for c in visit.concerns.all()),
            key=lambda u: {"high": 2, "medium": 1}.get(u, 0),
            default="low",
        )
        after = HOUSEHOLD_DAYS.get(urgency)
        when = visit.report.occurred_at.date()
        if after is None or (start - when).days < after:
            continue
        name = visit.head_name if visit.consent else ""
        add(
            Item(
                key=f"household:{visit.pk}",
                kind="household",
                activity_type="dds",
                village=code,
                village_name=villages[code].name,
                target_kind=PlanTarget.HOUSEHOLD,
                target=" ".join(
                    p for p in (f"RT {rt}/RW {rw}", number and f"No. {number}", name) if p
                )[:200],
                why=_("concern of %(urgency)s urgency at the visit of %(date)s")
                % {"urgency": Urgency(urgency).label, "date": when.strftime("%d-%m-%Y")},
                minutes=30,
            ),
            visit.report.latitude or villages[code].centroid_lat or 0.0,
            visit.report.longitude or villages[code].centroid_lng or 0.0,
            500 if urgency == "high" else 250,
            None,
        )


def _figures(officer: Officer, villages: dict[str, Region], start: dt.date, add: Any) -> None:
    """Key figures of the villages not met for ``FIGURE_DAYS`` (no plan item naming them)."""
    met = dict(
        PlanItem.objects.filter(officer=officer, target_kind=PlanTarget.FIGURE, date__lt=start)
        .values("target")
        .annotate(last=Max("date"))
        .values_list("target", "last")
    )
    influence = {Level.HIGH: 300, Level.MEDIUM: 150, Level.LOW: 60}
    for figure in KeyFigure.objects.filter(village_id__in=villages).order_by("pk"):
        last = met.get(figure.name)
        if last is not None and (start - last).days < FIGURE_DAYS:
            continue
        village = villages[figure.village_id]
        add(
            Item(
                key=f"figure:{figure.pk}",
                kind="figure",
                activity_type="deteksi-dini",
                village=figure.village_id,
                village_name=village.name,
                target_kind=PlanTarget.FIGURE,
                target=figure.name,
                why=_("not met since %(date)s") % {"date": last.strftime("%d-%m-%Y")}
                if last
                else _("no meeting planned yet"),
                minutes=30,
            ),
            village.centroid_lat or 0.0,
            village.centroid_lng or 0.0,
            influence.get(Level(figure.influence), 60),
            None,
        )


def plan_uuid(officer: Officer, start: dt.date, key: str) -> uuid.UUID:
    """The same suggestion accepted twice is the same plan item (offline-safe resends)."""
    return uuid.uuid5(PLAN_NAMESPACE, f"{officer.nrp}:{start.isoformat()}:{key}")


def week_accept(
    *,
    officer: Officer,
    suggestion: Suggestion,
    chosen: dict[str, tuple[int, dt.time | None, dt.time | None]],
) -> list[PlanItem]:
    """Plan the suggested items ``chosen`` (key → the index of the day the officer put it
    on, and its times as shown, none for an item moved to another day). All or nothing."""
    items = {item.key: item for day in suggestion.days for item in day}
    items.update({item.key: item for item in suggestion.left_out})
    unknown = sorted(set(chosen) - set(items))
    if unknown:
        raise ApplicationError(
            _("These items are not in the suggestion: %(keys)s.") % {"keys": ", ".join(unknown)},
            fields={"items": [_("Choose items of the suggested week.")]},
        )
    bad_days = sorted(k for k, (d, *_times) in chosen.items() if not 0 <= d < len(suggestion.dates))
    if bad_days:
        raise ApplicationError(
            _("Choose a day of the week for each item."),
            fields={"day": [_("Not a day of the week: %(keys)s.") % {"keys": ", ".join(bad_days)}]},
        )
    made = []
    with transaction.atomic():
        for key, (day, start, end) in chosen.items():
            item = items[key]
            data = {
                "uuid": plan_uuid(officer, suggestion.start, key),
                "activity_type": item.activity_type,
                "village": item.village,
                "date": suggestion.dates[day],
                "start_time": start,
                "end_time": end,
                "target_kind": item.target_kind,
                "target": item.target,
                "notes": item.why,
            }
            plan, _created = plan_create(officer=officer, data=data)
            made.append(plan)
    return made
