"""Reads of residents' reports: overdue first responses, counts up the tree."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.core.ratelimit import hit
from sambang.organization.models import Unit

from .decoys import decoy_for_code
from .models import OPEN_STATUSES, CitizenReport


def citizen_report_for_code(code: str, *, address: str) -> CitizenReport | None:
    """The report a resident follows by its tracking code (or the honeypot's throwaway with
    that code), or None.

    Guessing codes is limited per address: past ``SAMBANG_TRACKING_MISSES_PER_HOUR`` codes
    that found nothing in an hour (a sliding hour), every look-up from the address is
    refused (429) until the hour has passed. A look-up that finds its report is not counted,
    so residents behind one address (a mobile operator's) following their reports do not
    use up each other's tries.
    """
    counted = hit(
        "tracking-miss", address, limit=settings.SAMBANG_TRACKING_MISSES_PER_HOUR, window_s=3600
    )
    if counted is None:
        raise ApplicationError(
            _("Too many tracking codes tried from this connection. Try again in an hour."),
            code="rate_limited",
            status_code=429,
        )
    report = CitizenReport.objects.filter(tracking_code=code).first() or decoy_for_code(code)
    if report is not None:
        counted.refund()
    return report


def overdue_filter() -> Q:
    """Open reports whose first response is late."""
    return Q(status__in=OPEN_STATUSES, first_response_at__isnull=True, due_at__lt=timezone.now())


def unanswered_filter() -> Q:
    """Open reports that have had no first response yet (late or not)."""
    return Q(status__in=OPEN_STATUSES, first_response_at__isnull=True)


def filter_citizen_reports(
    reports: QuerySet[CitizenReport], params: Any
) -> QuerySet[CitizenReport]:
    if value := params.get("status"):
        reports = reports.filter(status=value)
    if value := params.get("category"):
        reports = reports.filter(category=value)
    if params.get("overdue") in ("1", "true", "yes"):
        reports = reports.filter(overdue_filter())
    if params.get("unanswered") in ("1", "true", "yes"):
        reports = reports.filter(unanswered_filter())
    return reports.select_related("village", "unit", "officer").order_by("-received_at", "-id")


def overdue_by_unit(
    units: QuerySet[Unit], reports: QuerySet[CitizenReport]
) -> list[tuple[Unit, int, int]]:
    """For each unit: open reports and overdue ones in its subtree (one query for all)."""
    rows = []
    counts = {
        path: (n_open, n_late)
        for path, n_open, n_late in reports.filter(status__in=OPEN_STATUSES)
        .values_list("unit__path")
        .annotate(n_open=Count("id"), n_late=Count("id", filter=overdue_filter()))
    }
    for unit in units:
        n_open = sum(o for path, (o, _) in counts.items() if path and path.startswith(unit.path))
        n_late = sum(
            late for path, (_, late) in counts.items() if path and path.startswith(unit.path)
        )
        rows.append((unit, n_open, n_late))
    return rows


def is_overdue(report: CitizenReport) -> bool:
    return report.is_open and report.first_response_at is None and report.due_at < timezone.now()
