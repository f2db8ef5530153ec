"""Reads of the unit tree: units with their villages, officers and coverage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from sambang.personnel.models import Assignment, Officer, OfficerStatus
from sambang.territory.models import Region

from .models import Directive, Jurisdiction, Unit


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    villages: int
    covered: int
    officers: int

    @property
    def uncovered(self) -> int:
        return self.villages - self.covered

    @property
    def coverage(self) -> float | None:
        """Villages with an active officer / villages in jurisdiction (None without villages)."""
        return self.covered / self.villages if self.villages else None


def _rolled_up(counts: Iterable[tuple[str, int]], units: list[Unit]) -> dict[int, int]:
    """Sum counts kept per unit path into each listed unit's subtree."""
    totals = {unit.pk: 0 for unit in units}
    by_path = {unit.path: unit.pk for unit in units}
    for path, count in counts:
        parts = path.split("/")
        for depth in range(1, len(parts)):  # every ancestor's path, the unit's own included
            if (pk := by_path.get("/".join(parts[:depth]) + "/")) is not None:
                totals[pk] += count
    return totals


Counts = tuple[list[tuple[str, int]], list[tuple[str, int]], list[tuple[str, int]]]


def _counts(prefix: Q) -> Counts:
    """Villages, villages with an officer now, and active officers, per unit path."""
    # The villages with an officer now, as one set the database hashes once.
    active = Assignment.objects.filter(end_date__isnull=True).values("village_id")
    villages = list(
        Jurisdiction.objects.filter(prefix)
        .values("unit__path")
        .annotate(total=Count("pk"), covered_total=Count("pk", filter=Q(village_id__in=active)))
    )
    officers = (
        Officer.objects.filter(prefix, status=OfficerStatus.ACTIVE)
        .values("unit__path")
        .annotate(total=Count("pk"))
    )
    return (
        [(r["unit__path"], r["total"]) for r in villages],
        [(r["unit__path"], r["covered_total"]) for r in villages],
        [(r["unit__path"], r["total"]) for r in officers],
    )


def _rows(counts: Counts, listed: list[Unit]) -> list[UnitRow]:
    villages, covered, officers = (_rolled_up(column, listed) for column in counts)
    return [
        UnitRow(unit, villages[unit.pk], covered[unit.pk], officers[unit.pk]) for unit in listed
    ]


def unit_rows(units: QuerySet[Unit]) -> list[UnitRow]:
    """One row per unit in ``units`` with counts over each one's whole subtree.

    Three grouped queries whatever the number of units; pass a scoped QuerySet
    (``access.units_for_user``), since counts cover everything below each unit.
    """
    listed = list(units)
    if not listed:
        return []
    prefix = Q()
    for unit in listed:
        prefix |= Q(unit__path__startswith=unit.path)
    return _rows(_counts(prefix), listed)


def unit_and_children_rows(unit: Unit, *, within: QuerySet[Unit]) -> tuple[UnitRow, list[UnitRow]]:
    """The unit's row and its children's (those in ``within``, the user's scope), from one
    pass over the unit's subtree."""
    counts = _counts(Q(unit__path__startswith=unit.path))
    return _rows(counts, [unit])[0], _rows(counts, list(within.filter(parent=unit)))


def unit_ancestors(unit: Unit, *, within: QuerySet[Unit]) -> list[Unit]:
    """The units above ``unit`` that are also in ``within`` (for breadcrumbs), top first."""
    codes = unit.path.strip("/").split("/")[:-1]
    return list(within.filter(code__in=codes).order_by("path"))


def unit_villages(unit: Unit, *, uncovered_only: bool = False) -> QuerySet[Region]:
    """Villages in the unit's jurisdiction subtree, each with its active officer (if any)."""
    active = Assignment.objects.filter(village=OuterRef("pk"), end_date__isnull=True)
    villages = (
        Region.objects.filter(jurisdiction__unit__path__startswith=unit.path)
        .select_related("parent", "jurisdiction__unit")
        .annotate(
            officer_name=Subquery(active.values("officer__name")[:1]),
            officer_nrp=Subquery(active.values("officer__nrp")[:1]),
        )
        .order_by("code")
    )
    if uncovered_only:
        villages = villages.filter(officer_nrp__isnull=True)
    return villages


def directive_progress(directives: QuerySet[Directive]) -> QuerySet[Directive]:
    """Directives with how many officers received, acknowledged and completed each."""
    return (
        directives.select_related("unit", "issuer")
        .prefetch_related("receipts__officer")
        .annotate(
            officers=Count("receipts", distinct=True),
            acknowledged=Count(
                "receipts", filter=Q(receipts__acknowledged_at__isnull=False), distinct=True
            ),
            completed=Count(
                "receipts", filter=Q(receipts__completed_at__isnull=False), distinct=True
            ),
        )
        .order_by("-issued_at", "-id")
    )
