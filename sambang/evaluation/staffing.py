"""Personnel, equipment, budget, allowance and directives of a unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum

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


def _village_weights(codes: set[str]) -> dict[str, tuple[float, float]]:
    """Population and area per village: its own figure, else an equal share of its regency's."""
    villages = Region.objects.filter(code__in=codes).values_list(
        "code", "population", "area_km2", "parent__parent_id"
    )
    regencies = {row[3] for row in villages if row[3]}
    sizes = dict(
        Region.objects.filter(parent__parent_id__in=regencies, level=RegionLevel.VILLAGE)
        .values("parent__parent_id")
        .annotate(n=Count("code"))
        .values_list("parent__parent_id", "n")
    )
    totals = {
        code: (population or 0, area or 0.0)
        for code, population, area in Region.objects.filter(code__in=regencies).values_list(
            "code", "population", "area_km2"
        )
    }
    result = {}
    for code, population, area, regency in villages:
        share = sizes.get(regency, 1) if regency else 1
        regency_population, regency_area = totals.get(regency or "", (0, 0.0))
        result[code] = (
            float(population if population is not None else regency_population / share),
            float(area if area is not None else regency_area / share),
        )
    return result


def personnel(unit: Unit) -> Personnel:
    figures = Personnel(unit)
    villages = set(
        Jurisdiction.objects.filter(unit__path__startswith=unit.path).values_list(
            "village_id", flat=True
        )
    )
    figures.villages = len(villages)
    figures.covered = (
        Assignment.objects.filter(
            village_id__in=villages, end_date__isnull=True, officer__status=OfficerStatus.ACTIVE
        )
        .values("village_id")
        .distinct()
        .count()
    )
    for population, area in _village_weights(villages).values():
        figures.population += population
        figures.area_km2 += area
    officers = (
        Officer.objects.filter(unit__path__startswith=unit.path, status=OfficerStatus.ACTIVE)
        .annotate(
            courses=Exists(Training.objects.filter(officer=OuterRef("pk"), passed=True)),
        )
        .values_list("education", "dikbangspes_done", "trainings", "other_duties", "courses")
    )
    for education, dikbangspes, trainings, duties, courses in officers:
        figures.officers += 1
        figures.education[education] = figures.education.get(education, 0) + 1
        figures.dikbangspes += bool(dikbangspes)
        figures.trained += bool(trainings or courses)
        figures.dual_duties += bool(duties)
    return figures


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
