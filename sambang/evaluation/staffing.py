"""Personnel, equipment, budget, allowance and directives of a unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum, Value
from django.db.models.functions import Substr

from sambang.knowledge.services import active_modules, with_modules_passed
from sambang.organization.models import DirectiveReceipt, Jurisdiction, Unit
from sambang.organization.selectors import UnitRow, staffing_kept, unit_and_children_rows
from sambang.personnel.models import Education, Officer, OfficerStatus
from sambang.resources.models import (
    Allowance,
    Budget,
    BudgetCategory,
    Equipment,
    EquipmentKind,
    Training,
)
from sambang.territory.models import Region, RegionLevel

from .periods import month_end, pct
from .reporting import subtree_owners


@dataclass
class Personnel:
    """A unit's officers and villages (``row``, the same figures as every page's) with
    what the evaluation adds: population and area, education, courses, dual duties."""

    row: UnitRow
    population: float = 0.0  # estimated where villages carry no figure (see personnel_table)
    area_km2: float = 0.0
    education: dict[str, int] = field(default_factory=dict)
    dikbangspes: int = 0
    trained: int = 0
    dual_duties: int = 0
    modules_done: int = 0  # active officers who passed every active training module
    modules: int = 0  # how many modules are active

    @property
    def unit(self) -> Unit:
        return self.row.unit

    @property
    def headquarters(self) -> bool:
        return self.row.headquarters

    @property
    def villages(self) -> int:
        return self.row.villages

    @property
    def covered(self) -> int:
        return self.row.covered

    @property
    def officers(self) -> int:
        return self.row.officers

    @property
    def assigned(self) -> int:
        return self.row.assigned

    @property
    def coverage(self) -> float | None:
        return pct(self.covered, self.villages)

    @property
    def villages_per_officer(self) -> float | None:
        return self.row.villages_per_officer

    @property
    def officers_per_village(self) -> float | None:
        return self.row.officers_per_village

    def per_officer(self, value: float) -> float | None:
        return round(value / self.officers, 1) if self.officers else None

    @property
    def education_summary(self) -> str:
        """General education as "S1 3 · SMA/SMK 10", highest first."""
        order = {value: index for index, value in enumerate(reversed(Education.values))}
        return " · ".join(
            f"{Education(level).label} {n}"
            for level, n in sorted(self.education.items(), key=lambda item: order.get(item[0], 99))
        )

    @property
    def population_per_officer(self) -> float | None:
        return self.per_officer(self.population)

    @property
    def area_per_officer(self) -> float | None:
        return self.per_officer(self.area_km2)


def personnel_table(unit: Unit) -> tuple[Personnel, list[Personnel]]:
    """The unit's personnel figures (its whole subtree) and the rows below it: its
    headquarters (its own officers and villages, when it has children and any of its own)
    and each child unit; empty for a unit without children.

    A village without its own population or area counts an equal share of its regency's
    (the regency is the first five characters of a Kemendagri village code). Kept while
    the staffing stamp stands (every figure is read from its tables)."""
    return staffing_kept(f"personnel:{unit.pk}:{unit.path}", partial(_personnel_table, unit))


def _personnel_table(unit: Unit) -> tuple[Personnel, list[Personnel]]:
    children = list(unit.children.order_by("name"))
    total_row, rows = unit_and_children_rows(unit, children=children)
    below = [Personnel(row) for row in rows]
    total = Personnel(total_row)
    # Each of the subtree's units adds to the row that owns it and to the total.
    by_unit = {p.unit.pk: p for p in below if not p.headquarters}
    owners = subtree_owners([unit, *children], unit.path)
    headquarters = next((p for p in below if p.headquarters), None)

    def targets(unit_id: int) -> list[Personnel]:
        owner = owners.get(unit_id, unit.pk)
        row = by_unit.get(owner) if owner != unit.pk else headquarters
        return [total] if row is None else [total, row]

    for unit_id, population, area in _territory(unit.path):
        for figures in targets(unit_id):
            figures.population += population
            figures.area_km2 += area
    for row in _people(unit.path):
        for figures in targets(row["unit_id"]):
            figures.education[row["education"]] = (
                figures.education.get(row["education"], 0) + row["n"]
            )
            figures.dikbangspes += row["dikbangspes"]
            figures.trained += row["trained"]
            figures.dual_duties += row["dual_duties"]
            figures.modules_done += row["modules_done"]
    modules = active_modules().count()
    for figures in [total, *below]:
        figures.modules = modules
    return total, below


def _territory(prefix: str) -> list[tuple[int, float, float]]:
    """The villages of each unit under ``prefix``, by regency: their population and area,
    where a village without its own counts an equal share of its regency's."""
    groups = list(
        Jurisdiction.objects.filter(unit__path__startswith=prefix)
        .annotate(regency=Substr("village_id", 1, 5))
        .values("unit_id", "regency")
        .annotate(
            villages=Count("pk"),
            population=Sum("village__population"),
            with_population=Count("village__population"),
            area=Sum("village__area_km2"),
            with_area=Count("village__area_km2"),
        )
        .order_by()
    )
    regencies = {group["regency"] for group in groups}
    sizes = dict(
        Region.objects.filter(level=RegionLevel.VILLAGE)
        .annotate(regency=Substr("code", 1, 5))
        .filter(regency__in=regencies)
        .values("regency")
        .annotate(n=Count("code"))
        .values_list("regency", "n")
        .order_by()
    )
    totals = {
        code: (population or 0, area or 0.0)
        for code, population, area in Region.objects.filter(code__in=regencies).values_list(
            "code", "population", "area_km2"
        )
    }
    result = []
    for group in groups:
        share = sizes.get(group["regency"]) or 1
        regency_population, regency_area = totals.get(group["regency"], (0, 0.0))
        population = float(group["population"] or 0) + (
            group["villages"] - group["with_population"]
        ) * (regency_population / share)
        area = float(group["area"] or 0.0) + (group["villages"] - group["with_area"]) * (
            regency_area / share
        )
        result.append((group["unit_id"], population, area))
    return result


def _people(prefix: str) -> list[dict[str, Any]]:
    """The active officers of each unit under ``prefix`` by general education: how many,
    with Dikbangspes, with a course, with other duties, with every training module passed."""
    modules = active_modules().count()
    officers = Officer.objects.filter(unit__path__startswith=prefix, status=OfficerStatus.ACTIVE)
    rows = (
        with_modules_passed(officers)
        .annotate(courses=Exists(Training.objects.filter(officer=OuterRef("pk"), passed=True)))
        .values("unit_id", "education")
        .annotate(
            n=Count("pk"),
            dikbangspes=Count("pk", filter=Q(dikbangspes_done=True)),
            trained=Count("pk", filter=~Q(trainings=[]) | Q(courses=True)),
            dual_duties=Count("pk", filter=~Q(other_duties=[])),
            modules_done=Count("pk", filter=Q(modules_passed__gte=modules))
            if modules
            else Value(0),
        )
        .order_by()
    )
    return [dict(row) for row in rows]


def personnel(unit: Unit) -> Personnel:
    """The personnel figures of the unit's whole subtree."""
    return personnel_table(unit)[0]


def equipment(unit: Unit) -> list[dict[str, Any]]:
    """Equipment of the subtree's units and officers by kind and condition."""
    rows = (
        Equipment.objects.filter(unit__path__startswith=unit.path)
        .values("kind")
        .annotate(good=Sum("good"), light=Sum("light_damage"), heavy=Sum("heavy_damage"))
        .order_by("kind")
    )
    return [
        {
            **row,
            "label": EquipmentKind(row["kind"]).label,
            "total": row["good"] + row["light"] + row["heavy"],
        }
        for row in rows
    ]


def budget(unit: Unit, year: int) -> list[dict[str, Any]]:
    """The subtree's budget of the fiscal year by category: allocated, realized, share."""
    rows = (
        Budget.objects.filter(unit__path__startswith=unit.path, fiscal_year=year)
        .values("category")
        .annotate(allocation=Sum("allocation_idr"), realization=Sum("realization_idr"))
        .order_by("category")
    )
    return [
        {
            **row,
            "label": BudgetCategory(row["category"]).label,
            "realized_pct": pct(row["realization"], row["allocation"]),
        }
        for row in rows
    ]


def allowance(unit: Unit, year: int, officers: int) -> dict[str, Any] | None:
    """The monthly allowance per officer (the unit's own rate, else the nearest unit above)."""
    codes = unit.path.strip("/").split("/")
    rates = dict(
        Allowance.objects.filter(unit__code__in=codes, fiscal_year=year).values_list(
            "unit__code", "monthly_idr"
        )
    )
    rate = next((rates[code] for code in reversed(codes) if code in rates), None)
    if rate is None:
        return None
    return {"per_officer": rate, "officers": officers, "month_total": rate * officers}


def directives(unit: Unit, month: dt.date) -> dict[str, int]:
    """Receipts of the subtree's officers for directives issued up to the month's end."""
    receipts = DirectiveReceipt.objects.filter(
        officer__unit__path__startswith=unit.path, directive__issued_at__date__lte=month_end(month)
    ).filter(Q(completed_at__isnull=True) | Q(completed_at__date__gte=month))
    return receipts.aggregate(
        sent=Count("pk"),
        acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
    )
