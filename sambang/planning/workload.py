"""The workload of a village: how much of an officer's time it asks for, in workload units (W).

    W = base
      + households ÷ 1,000 × per_1000_households
      + incidents of the last 12 months × per_incident
      + residents' reports of the last 12 months × per_residents_report
      + vulnerability points × per_vulnerability_point  (a Kakerda factor: low 1, medium 2, high 3)
      + area in km² × per_km2

Households are the village profile's; where a profile gives none, the population ÷ 4 (the
average Indonesian household, BPS: 3.9 persons) stands in for them, and where neither is
known the village counts no households (and is listed as such). Residents' reports count
unless rejected. Each weight is a setting of the recommendation, shown beside its result.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from sambang.community.models import VulnerabilityFactor
from sambang.public.models import CitizenReport, CitizenStatus
from sambang.security.models import Incident
from sambang.territory.models import Region

PERSONS_PER_HOUSEHOLD = 4
LEVEL_POINTS = {"low": 1, "medium": 2, "high": 3}


@dataclass(frozen=True)
class Weights:
    base: float = 1.0
    per_1000_households: float = 1.0
    per_incident: float = 0.2
    per_residents_report: float = 0.1
    per_vulnerability_point: float = 0.3
    per_km2: float = 0.05

    LABELS = {
        "base": _("every village (its mandatory visits)"),
        "per_1000_households": _("per 1,000 households"),
        "per_incident": _("per incident in the last 12 months"),
        "per_residents_report": _("per residents' report in the last 12 months"),
        "per_vulnerability_point": _("per vulnerability point (low 1, medium 2, high 3)"),
        "per_km2": _("per km² of area"),
    }

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class VillageFigures:
    households: int | None  # None: neither households nor population known
    households_estimated: bool
    incidents: int
    residents_reports: int
    vulnerability_points: int
    area_km2: float | None

    def workload(self, weights: Weights) -> float:
        return round(
            weights.base
            + (self.households or 0) / 1000 * weights.per_1000_households
            + self.incidents * weights.per_incident
            + self.residents_reports * weights.per_residents_report
            + self.vulnerability_points * weights.per_vulnerability_point
            + (self.area_km2 or 0) * weights.per_km2,
            3,
        )


def village_figures(villages: Iterable[Region], today: dt.date) -> dict[str, VillageFigures]:
    """The figures a village's workload is made of, for each of ``villages`` (four queries)."""
    by_code = {v.code: v for v in villages}
    codes = list(by_code)
    since = today - dt.timedelta(days=365)
    households = dict(
        Region.objects.filter(code__in=codes, profile__households__isnull=False).values_list(
            "code", "profile__households"
        )
    )
    incidents = Counter(
        dict(
            Incident.objects.filter(village_id__in=codes, occurred_at__date__gt=since)
            .values("village_id")
            .annotate(n=Count("id"))
            .values_list("village_id", "n")
        )
    )
    residents = Counter(
        dict(
            CitizenReport.objects.filter(village_id__in=codes, received_at__date__gt=since)
            .exclude(status=CitizenStatus.REJECTED)
            .values("village_id")
            .annotate(n=Count("id"))
            .values_list("village_id", "n")
        )
    )
    points: Counter[str] = Counter()
    for code, level in VulnerabilityFactor.objects.filter(
        profile__village_id__in=codes
    ).values_list("profile__village_id", "level"):
        points[code] += LEVEL_POINTS.get(level, 0)
    found = {}
    for code, village in by_code.items():
        known = households.get(code)
        estimated = known is None and village.population is not None
        if estimated:
            known = round((village.population or 0) / PERSONS_PER_HOUSEHOLD)
        found[code] = VillageFigures(
            households=known,
            households_estimated=estimated,
            incidents=incidents[code],
            residents_reports=residents[code],
            vulnerability_points=points[code],
            area_km2=village.area_km2,
        )
    return found
