"""What an alert shows: the records behind it (those the reader may see), and its series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.urls import reverse

from sambang import access
from sambang.access import AnyUser
from sambang.fieldwork.models import ActivityReport, HouseholdConcern, IntegrityLevel, ReportState
from sambang.organization.models import Directive
from sambang.public.models import CitizenStatus

from .models import Alert, Family, SeriesWeek

HISTORY_WEEKS = 16  # weeks of the series shown beside an alert
EVIDENCE_LIMIT = 200  # records listed (the count says how many there are)


@dataclass(frozen=True)
class Evidence:
    when: dt.datetime
    what: str
    detail: str
    url: str


def alert_window(alert: Alert) -> tuple[dt.datetime, dt.datetime]:
    """From the first week of the rise to the end of the alarm's week, in the unit's time."""
    zone = ZoneInfo(alert.unit.timezone)
    start = dt.datetime.combine(alert.first_week, dt.time(), zone)
    end = dt.datetime.combine(alert.week + dt.timedelta(days=7), dt.time(), zone)
    return start, end


def _place(alert: Alert, field: str) -> Q:
    """The alert's village, or for a Polsek's alert every record the Polsek counted."""
    if alert.village_id is not None:
        return Q(**{f"{field}village": alert.village_id})
    return Q(**{f"{field}unit": alert.unit_id})


def _counted_reports(user: AnyUser, alert: Alert) -> QuerySet[ActivityReport]:
    start, end = alert_window(alert)
    return (
        access.reports_for_user(user)
        .filter(_place(alert, ""), occurred_at__gte=start, occurred_at__lt=end)
        .exclude(state=ReportState.DRAFT)
        .exclude(integrity_level__in=["", IntegrityLevel.DOUBTFUL])
    )


def alert_evidence(user: AnyUser, alert: Alert) -> tuple[list[Evidence], int]:
    """The records the alert counted that ``user`` may see (the first ``EVIDENCE_LIMIT``,
    newest first), and how many of them there are."""
    start, end = alert_window(alert)
    items: list[Evidence] = []
    if alert.family == Family.INCIDENTS:
        incidents = access.incidents_for_user(user).filter(
            _place(alert, ""), occurred_at__gte=start, occurred_at__lt=end
        )
        total = incidents.count()
        for i in incidents.select_related("category", "village")[:EVIDENCE_LIMIT]:
            items.append(
                Evidence(
                    i.occurred_at,
                    f"{i.category.label} · {i.village.name}",
                    i.description[:160],
                    reverse("security:incident_detail", args=[i.pk]),
                )
            )
    elif alert.family == Family.EARLY_DETECTION:
        reports = _counted_reports(user, alert).filter(information__isnull=False)
        total = reports.count()
        for r in reports.select_related("information", "village").order_by("-occurred_at")[
            :EVIDENCE_LIMIT
        ]:
            information = r.information
            items.append(
                Evidence(
                    r.occurred_at,
                    f"{information.grade} · {information.get_aspect_display()} · {r.village.name}",
                    information.subject,
                    reverse("fieldwork:report_detail", args=[r.uuid]),
                )
            )
    elif alert.family == Family.RESIDENTS:
        residents = (
            access.citizen_reports_for_user(user)
            .filter(_place(alert, ""), received_at__gte=start, received_at__lt=end)
            .exclude(status=CitizenStatus.REJECTED)
        )
        total = residents.count()
        for c in residents.select_related("village")[:EVIDENCE_LIMIT]:
            items.append(
                Evidence(
                    c.received_at,
                    f"{c.get_category_display()} · {c.village.name}",
                    c.description[:160],
                    reverse("citizen:detail", args=[c.tracking_code]),
                )
            )
    else:
        concerns = HouseholdConcern.objects.filter(
            visit__report__in=_counted_reports(user, alert)
        ).select_related("visit__report__village")
        total = concerns.count()
        for concern in concerns.order_by("-visit__report__occurred_at")[:EVIDENCE_LIMIT]:
            report = concern.visit.report
            items.append(
                Evidence(
                    report.occurred_at,
                    f"{concern.get_aspect_display()} · {concern.get_urgency_display()} · "
                    f"{report.village.name}",
                    concern.description[:160],
                    reverse("fieldwork:report_detail", args=[report.uuid]),
                )
            )
    return items, total


def alert_series(alert: Alert) -> list[SeriesWeek | dt.date]:
    """The series' last ``HISTORY_WEEKS`` weeks up to the alarm, oldest first (a bare date:
    a quiet week)."""
    first = alert.week - dt.timedelta(weeks=HISTORY_WEEKS - 1)
    rows = {
        row.week: row
        for row in SeriesWeek.objects.filter(
            unit=alert.unit_id,
            village=alert.village_id,
            family=alert.family,
            week__gte=first,
            week__lte=alert.week,
        )
    }
    return [
        rows.get(week, week)
        for week in (first + dt.timedelta(weeks=n) for n in range(HISTORY_WEEKS))
    ]


def action_reports(user: AnyUser, alert: Alert) -> QuerySet[ActivityReport]:
    """Reports that may record the action taken: the reader's, of the alert's village (or
    Polsek), since the rise began."""
    start, _end = alert_window(alert)
    return (
        access.reports_for_user(user)
        .filter(_place(alert, ""), occurred_at__gte=start)
        .exclude(state=ReportState.DRAFT)
        .select_related("activity_type", "village")
        .order_by("-occurred_at")
    )


def action_directives(user: AnyUser, alert: Alert) -> QuerySet[Directive]:
    """Directives the reader sees, issued since the rise began."""
    start, _end = alert_window(alert)
    return access.directives_for_user(user).filter(issued_at__gte=start).order_by("-issued_at")
