"""Reads of residents' reports: overdue first responses, counts up the tree."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sambang.organization.models import Unit

from .models import OPEN_STATUSES, CitizenReport


def overdue_filter() -> Q:
    """Open reports whose first response is late."""
    return Q(status__in=OPEN_STATUSES, first_response_at__isnull=True, due_at__lt=timezone.now())


def filter_citizen_reports(
    reports: QuerySet[CitizenReport], params: Any
) -> QuerySet[CitizenReport]:
    if value := params.get("status"):
        reports = reports.filter(status=value)
    if value := params.get("category"):
        reports = reports.filter(category=value)
    if params.get("overdue") in ("1", "true", "yes"):
        reports = reports.filter(overdue_filter())
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
