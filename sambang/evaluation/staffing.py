"""Personnel, equipment, budget, allowance and directives of a unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from sambang.organization.models import DirectiveReceipt, Jurisdiction, Unit
from sambang.personnel.models import Assignment, Education, Officer, OfficerStatus
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
    unit: Unit
    villages: int = 0
    covered: int = 0  # villages with an officer assigned now
    officers: int = 0
    population: float = 0.0  # estimated where villages carry no figure (see _village_weights)
    area_km2: float = 0.0
    education: dict[str, int] = field(default_factory=dict)
    dikbangspes: int = 0
    trained: int = 0
    dual_duties: int = 0

    @property
    def coverage(self) -> float | None:
        return pct(self.covered, self.villages)

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
    def villages_per_officer(self) -> float | None:
        return self.per_officer(self.villages)

    @property
    def population_per_officer(self) -> float | None:
        return self.per_officer(self.population)

    @property
    def area_per_officer(self) -> float | None:
        return self.per_officer(self.area_km2)


def personnel_by_unit(units: list[Unit], prefix: str) -> dict[int, Personnel]:
    """Personnel figures of each unit's subtree (``units``: the unit at ``prefix``, or units
    side by side below it), from grouped queries for all of them together.

    A village without its own population or area counts an equal share of its regency's
    (the regency is the first five characters of a Kemendagri village code)."""
    owners = subtree_owners(units, prefix)
    result = {unit.pk: Personnel(unit) for unit in units}
    # One set of villages with an active officer, hashed once (not a lookup per village).
    with_officer = Assignment.objects.filter(
        end_date__isnull=True, officer__status=OfficerStatus.ACTIVE
    ).values("village_id")
    groups = list(
        Jurisdiction.objects.filter(unit__path__startswith=prefix)
        .annotate(regency=Substr("village_id", 1, 5))
        .values("unit_id", "regency")
        .annotate(
            villages=Count("pk"),
            covered=Count("pk", filter=Q(village_id__in=with_officer)),
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
    for group in groups:
        if (owner := owners.get(group["unit_id"])) is None:
            continue
        figures = result[owner]
        share = sizes.get(group["regency"]) or 1
        regency_population, regency_area = totals.get(group["regency"], (0, 0.0))
        figures.villages += group["villages"]
        figures.covered += group["covered"]
        figures.population += float(group["population"] or 0) + (
            group["villages"] - group["with_population"]
        ) * (regency_population / share)
        figures.area_km2 += float(group["area"] or 0.0) + (
            group["villages"] - group["with_area"]
        ) * (regency_area / share)
    officers = (
        Officer.objects.filter(unit__path__startswith=prefix, status=OfficerStatus.ACTIVE)
        .annotate(courses=Exists(Training.objects.filter(officer=OuterRef("pk"), passed=True)))
        .values("unit_id", "education")
        .annotate(
            n=Count("pk"),
            dikbangspes=Count("pk", filter=Q(dikbangspes_done=True)),
            trained=Count("pk", filter=~Q(trainings=[]) | Q(courses=True)),
            dual_duties=Count("pk", filter=~Q(other_duties=[])),
        )
        .order_by()
    )
    for row in officers:
        if (owner := owners.get(row["unit_id"])) is None:
            continue
        figures = result[owner]
        figures.officers += row["n"]
        figures.education[row["education"]] = figures.education.get(row["education"], 0) + row["n"]
        figures.dikbangspes += row["dikbangspes"]
        figures.trained += row["trained"]
        figures.dual_duties += row["dual_duties"]
    return result


def personnel(unit: Unit) -> Personnel:
    return personnel_by_unit([unit], unit.path)[unit.pk]


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
