"""Reads of the unit tree: units with their villages, officers and coverage."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from zoneinfo import ZoneInfo

from django.core.cache import caches
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from sambang import access
from sambang.personnel.models import Assignment, Officer, OfficerStatus, User
from sambang.territory.models import Region, RegionLevel

from .models import Directive, DirectiveReceipt, Jurisdiction, StaffingStamp, Unit, UnitLevel

# How long staffing figures stay in the cache while the tables they come from do not change.
STAFFING_KEPT_S = 24 * 3600


def staffing_kept[T](key: str, compute: Callable[[], T]) -> T:
    """``compute()``, the staffing figures named ``key``, from the cache when computed under
    the current staffing stamp: any write to the tables they are read from (``StaffingStamp``)
    changes the stamp, so figures are reused only while they are still what a fresh count
    would give. The country's figures take a fifth of a second to count; reused, a
    millisecond. Each process keeps its own (the ``staffing`` cache), apart from the rate
    limits. ``compute`` must return something the cache can store (no lambdas)."""
    token = StaffingStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    if token is None:  # no stamp (a database emptied by a test): nothing is reused
        return compute()
    name = f"staffing:{token}:{hashlib.sha256(key.encode()).hexdigest()}"
    kept = caches["staffing"]
    found: T | None = kept.get(name)
    if found is None:
        found = compute()
        kept.set(name, found, STAFFING_KEPT_S)
    return found


@dataclass(frozen=True)
class UnitRow:
    """The officers and villages of a unit: its whole subtree, or (``headquarters``) only
    those of the unit itself, its own officers and the villages it covers directly.

    Every page, export and API reads these figures from here (``unit_rows``,
    ``unit_and_children_rows``; the Anev's ``staffing.personnel_table`` builds on them),
    so that they agree everywhere.
    """

    unit: Unit
    villages: int  # villages of the jurisdiction
    covered: int  # of those, with at least one active officer assigned now
    officers: int  # active officers posted in the unit(s), headquarters included
    assigned: int = 0  # of those, covering at least one village now
    assignments: int = 0  # active officer-village pairs of those officers
    headquarters: bool = False
    # National only: loaded villages in no unit's jurisdiction, counted in ``villages``
    # (national coverage is over every village of the territory).
    outside: int = 0

    @property
    def uncovered(self) -> int:
        return self.villages - self.covered

    @property
    def coverage(self) -> float | None:
        """Villages with an active officer / villages in jurisdiction (None without villages)."""
        return self.covered / self.villages if self.villages else None

    @property
    def villages_per_officer(self) -> float | None:
        """Villages an officer with villages covers, on average: assignments / those officers."""
        return round(self.assignments / self.assigned, 1) if self.assigned else None

    @property
    def officers_per_village(self) -> float | None:
        """Officers a covered village has, on average: assignments / covered villages."""
        return round(self.assignments / self.covered, 1) if self.covered else None


_FIELDS = ("villages", "covered", "officers", "assigned", "assignments")
Counts = dict[str, dict[str, int]]  # unit path → its own figures, by name


def _counts(paths: list[str]) -> Counts:
    """The figures of each unit below any of ``paths``, of its own rows only (``_totals``
    adds them up): a few grouped queries whatever the number of units, kept while the
    staffing stamp stands."""
    return staffing_kept(f"counts:{sorted(paths)}", lambda: _count(paths))


def _count(paths: list[str]) -> Counts:

    def below(field: str) -> Q:
        where = Q()
        for path in paths:
            where |= Q(**{f"{field}__startswith": path})
        return where

    counts: Counts = defaultdict(lambda: dict.fromkeys(_FIELDS, 0))
    active = Assignment.objects.filter(end_date__isnull=True, officer__status=OfficerStatus.ACTIVE)
    # The villages and officers with an assignment now, as sets the database hashes once.
    with_officer = Q(village_id__in=active.values("village_id"))
    with_village = Q(pk__in=active.values("officer_id"))
    villages = (
        Jurisdiction.objects.filter(below("unit__path"))
        .values("unit__path")
        .annotate(n=Count("pk"), covered=Count("pk", filter=with_officer))
        .values_list("unit__path", "n", "covered")
        .order_by()
    )
    for path, n, covered in villages:
        counts[path].update(villages=n, covered=covered)
    officers = (
        Officer.objects.filter(below("unit__path"), status=OfficerStatus.ACTIVE)
        .values("unit__path")
        .annotate(n=Count("pk"), assigned=Count("pk", filter=with_village))
        .values_list("unit__path", "n", "assigned")
        .order_by()
    )
    for path, n, assigned in officers:
        counts[path].update(officers=n, assigned=assigned)
    assignments = (
        active.filter(below("officer__unit__path"))
        .values("officer__unit__path")
        .annotate(n=Count("pk"))
        .values_list("officer__unit__path", "n")
        .order_by()
    )
    for path, n in assignments:
        counts[path]["assignments"] = n
    return dict(counts)


def _totals(paths: list[str], listed: list[Unit], *, deepest: bool) -> list[UnitRow]:
    """One row per listed unit adding up the units below it (of those under ``paths``,
    ``_counts``); with ``deepest``, each unit goes only to the deepest listed unit above it
    (a unit listed with its children keeps only its own officers and villages: its
    headquarters). Kept while the staffing stamp stands, as the counts are."""
    listed_paths = sorted(unit.path for unit in listed)
    totals = staffing_kept(
        f"totals:{deepest}:{sorted(paths)}:{listed_paths}",
        partial(_add_up, paths, listed_paths, deepest),
    )
    return [UnitRow(unit, **totals[unit.path]) for unit in listed]  # type: ignore[arg-type]


def _add_up(paths: list[str], listed: list[str], deepest: bool) -> dict[str, dict[str, int]]:
    totals = {path: dict.fromkeys(_FIELDS, 0) for path in listed}
    for path, figures in _counts(paths).items():
        parts = path.split("/")
        owners = ["/".join(parts[:depth]) + "/" for depth in range(len(parts) - 1, 0, -1)]
        owners = [owner for owner in owners if owner in totals]
        for owner in owners[:1] if deepest else owners:
            for name, value in figures.items():
                totals[owner][name] += value
    return totals


def _with_outside(row: UnitRow) -> UnitRow:
    """The national row counts every loaded village, those in no jurisdiction included."""
    if row.unit.level != UnitLevel.MABES:
        return row
    outside = staffing_kept("outside", villages_outside().count)
    return replace(row, villages=row.villages + outside, outside=outside)


def villages_outside() -> QuerySet[Region]:
    """Loaded villages that no unit's jurisdiction covers."""
    return Region.objects.filter(level=RegionLevel.VILLAGE, jurisdiction__isnull=True)


def unit_rows(units: QuerySet[Unit]) -> list[UnitRow]:
    """One row per unit in ``units`` with the figures of each one's whole subtree.

    Pass a scoped QuerySet (``access.units_for_user``), since counts cover everything
    below each unit.
    """
    listed = list(units)
    if not listed:
        return []
    rows = _totals([unit.path for unit in listed], listed, deepest=False)
    return [_with_outside(row) for row in rows]


def unit_and_children_rows(
    unit: Unit, *, within: QuerySet[Unit] | None = None, children: list[Unit] | None = None
) -> tuple[UnitRow, list[UnitRow]]:
    """The unit's row (its whole subtree) and the rows below it: its headquarters (its own
    officers and villages, listed first when it has children and any of its own) and each
    child (``children``, or all of them; those in ``within``, the user's scope, are
    listed), from one pass."""
    if children is None:
        children = list(Unit.objects.filter(parent=unit))
    total = _with_outside(_totals([unit.path], [unit], deepest=False)[0])
    own, *below = _totals([unit.path], [unit, *children], deepest=True)
    if within is not None:
        visible = set(within.filter(parent=unit).values_list("pk", flat=True))
        below = [row for row in below if row.unit.pk in visible]
    if children and (own.officers or own.villages):
        below.insert(0, replace(own, headquarters=True))
    return total, below


def unit_ancestors(unit: Unit, *, within: QuerySet[Unit]) -> list[Unit]:
    """The units above ``unit`` that are also in ``within`` (for breadcrumbs), top first."""
    codes = unit.path.strip("/").split("/")[:-1]
    return list(within.filter(code__in=codes).order_by("path"))


def unit_villages(
    unit: Unit, *, uncovered_only: bool = False, outside_only: bool = False
) -> QuerySet[Region]:
    """Villages in the unit's jurisdiction subtree, each with its contact officer (if any)
    and how many active officers cover it; ``outside_only`` (national): the loaded villages
    in no unit's jurisdiction."""
    active = Assignment.objects.filter(
        village=OuterRef("pk"), end_date__isnull=True, officer__status=OfficerStatus.ACTIVE
    ).order_by("-is_contact", "start_date", "pk")
    villages = (
        villages_outside()
        if outside_only and unit.level == UnitLevel.MABES
        else Region.objects.filter(jurisdiction__unit__path__startswith=unit.path)
    )
    villages = (
        villages.select_related("parent", "jurisdiction__unit")
        .annotate(
            officer_name=Subquery(active.values("officer__name")[:1]),
            officer_nrp=Subquery(active.values("officer__nrp")[:1]),
            officer_count=Coalesce(
                Subquery(
                    active.order_by().values("village").annotate(n=Count("pk")).values("n")[:1]
                ),
                0,
            ),
        )
        .order_by("code")
    )
    if uncovered_only:
        villages = villages.filter(officer_nrp__isnull=True)
    return villages


def users_today(user: User) -> dt.date:
    """The local day of ``user``'s unit (an officer's: their Polsek's), else the server's."""
    officer = access.officer_of(user)
    unit = officer.unit if officer is not None else access.scope_root(user)
    zone = ZoneInfo(unit.timezone) if unit is not None else timezone.get_current_timezone()
    return timezone.now().astimezone(zone).date()


def directives_waiting(user: User, today: dt.date) -> QuerySet[Directive]:
    """Directives that wait for ``user``: for an officer, those they have not completed; for
    a supervisor, those they issued that are past their due date (``today``: the unit's
    local day) and not completed by every officer."""
    directives = access.directives_for_user(user)
    officer = access.officer_of(user)
    if officer is not None:
        return directives.filter(
            receipts__officer=officer, receipts__completed_at__isnull=True
        ).distinct()
    return directives.filter(
        issuer=user, due_date__lt=today, receipts__completed_at__isnull=True
    ).distinct()


def directive_progress(
    directives: QuerySet[Directive], *, within: QuerySet[Officer] | None = None
) -> QuerySet[Directive]:
    """Directives with how many officers received, acknowledged and completed each: of
    ``within`` only, where given (a supervisor counts the officers of their own scope; a
    directive sent to several units reaches officers of others too), and whom it was
    addressed to (its ``units``; ``named``: how many officers were named)."""
    mine = Q(receipts__officer__in=within) if within is not None else Q()
    return (
        directives.select_related("unit", "issuer")
        .prefetch_related("units")
        .annotate(
            named=Count("named_officers", distinct=True),
            officers=Count("receipts", filter=mine, distinct=True),
            acknowledged=Count(
                "receipts",
                filter=mine & Q(receipts__acknowledged_at__isnull=False),
                distinct=True,
            ),
            completed=Count(
                "receipts", filter=mine & Q(receipts__completed_at__isnull=False), distinct=True
            ),
        )
        .order_by("-issued_at", "-id")
    )


def directive_receipts(directive: Directive, reader: User) -> list[DirectiveReceipt]:
    """The receipts of ``directive`` that ``reader`` may see: those of officers in their
    scope (a directive to several units: not the other units' officers; an officer: their
    own)."""
    receipts = directive.receipts.select_related("officer").order_by("officer__name")
    return list(receipts.filter(officer__in=access.officers_for_user(reader)))


def progress_for(reader: User, directives: QuerySet[Directive]) -> QuerySet[Directive]:
    """``directive_progress`` as ``reader`` may count it (an officer: every receipt's
    numbers, no names; a supervisor: their own scope's officers)."""
    within = None if access.officer_of(reader) is not None else access.officers_for_user(reader)
    return directive_progress(directives, within=within)
