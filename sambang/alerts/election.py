"""Election vulnerability per village, on the four dimensions of Bawaslu's IKP.

Each dimension is the mean of its indicators that have data, each scored 0–100:

- an indicator Sambang's records fill (in the period, ``starts`` to ``ends``, in the
  villages of the unit) scores ``100 × x ÷ (x + half)``: ``half`` is the count that scores
  50, and the score rises with every record but never reaches 100;
- an indicator entered for a village scores low 0, medium 50, high 100; not entered, it has
  no data and is left out (missing is not 0: the page says how many were entered);
- key figures work the other way: a village whose officer keeps contact with none scores
  100, with five or more 0 (a village without a profile kept and no figure has no data).

The village's score is the mean of its dimensions that have data; a district's is the mean
of its villages'. Bands as IKP reads them: high from 60, medium from 30.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sambang.community.models import KeyFigure, SpotCategory, VillageProfile, VulnerableSpot
from sambang.evaluation.models import CitizenDay, IncidentDay
from sambang.fieldwork.models import IntegrityLevel, ReportState
from sambang.public.models import CitizenCategory, CitizenStatus
from sambang.security.models import InformationReport
from sambang.territory.models import Region

from .counts import CREDIBILITY_WEIGHT, RELIABILITY_WEIGHT
from .models import Dimension, ElectionEntry, ElectionPeriod, SignalWeek

LEVEL_SCORE = {"low": 0.0, "medium": 50.0, "high": 100.0}
SPOT_POINTS = {"low": 1, "medium": 2, "high": 3}
FIGURES_FULL = 5  # key figures that bring the score to 0
HIGH, MEDIUM = 60, 30


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    label: str | Promise
    half: float | None = None  # None: entered for each village, not counted from records


INDICATORS = (
    Indicator("conflicts", Dimension.CONTEXT, _("Social conflicts"), half=1),
    Indicator(
        "early_politics",
        Dimension.CONTEXT,
        _("Early-detection information on politics (weighted by grade)"),
        half=2,
    ),
    Indicator(
        "election_spots",
        Dimension.CONTEXT,
        _("Vulnerable spots marked 'election' (high 3, medium 2, low 1)"),
        half=2,
    ),
    Indicator("social_tension", Dimension.CONTEXT, _("Tension between groups, SARA issues")),
    Indicator("voter_list", Dimension.ADMINISTRATION, _("Problems with the voter list")),
    Indicator("logistics", Dimension.ADMINISTRATION, _("Access to polling stations, logistics")),
    Indicator("organizers", Dimension.ADMINISTRATION, _("Neutrality and capacity of organizers")),
    Indicator(
        "tension_reports",
        Dimension.CONTESTATION,
        _("Residents' reports of disputes or disorder"),
        half=2,
    ),
    Indicator(
        "urgent_information",
        Dimension.CONTESTATION,
        _("Urgent early-detection information on politics or security (weighted by grade)"),
        half=1,
    ),
    Indicator(
        "campaign", Dimension.CONTESTATION, _("Money politics, hate speech, campaign violations")
    ),
    Indicator(
        "key_figures",
        Dimension.PARTICIPATION,
        _("Key figures the officer keeps contact with (none 100, five or more 0)"),
    ),
    Indicator("turnout", Dimension.PARTICIPATION, _("Low turnout at the last election")),
    Indicator("monitoring", Dimension.PARTICIPATION, _("Little community monitoring of voting")),
)
ENTERED = [i for i in INDICATORS if i.half is None and i.code != "key_figures"]
BY_CODE = {i.code: i for i in INDICATORS}


@dataclass
class VillageElection:
    code: str
    name: str
    district: str
    values: dict[str, float] = field(default_factory=dict)  # counted indicators: raw values
    scores: dict[str, float] = field(default_factory=dict)  # indicator → 0–100
    dimensions: dict[str, float | None] = field(default_factory=dict)
    entered: int = 0

    @property
    def score(self) -> float | None:
        known = [v for v in self.dimensions.values() if v is not None]
        return round(statistics.fmean(known), 1) if known else None


def band(score: float | None) -> str:
    if score is None:
        return "none"
    return "high" if score >= HIGH else "medium" if score >= MEDIUM else "low"


def _bounds(period: ElectionPeriod) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(period.unit.timezone)
    return (
        dt.datetime.combine(period.starts, dt.time(), zone),
        dt.datetime.combine(period.ends + dt.timedelta(days=1), dt.time(), zone),
    )


def _counted(period: ElectionPeriod, villages: list[str]) -> dict[str, dict[str, float]]:
    """The counted indicators' values per village in the period."""
    values: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    days = Q(day__gte=period.starts, day__lte=period.ends, village__in=villages)
    for village, n in (
        IncidentDay.objects.filter(days, social_conflict=True)
        .values_list("village_id")
        .annotate(n=Sum("incidents"))
        .order_by()
    ):
        values[village]["conflicts"] += n
    for village, n in (
        SignalWeek.objects.filter(
            village__in=villages,
            family="early",
            key="politics",
            week__gte=period.starts - dt.timedelta(days=period.starts.weekday()),
            week__lte=period.ends,
        )
        .values_list("village_id")
        .annotate(n=Sum("weight"))
        .order_by()
    ):
        values[village]["early_politics"] += n
    for village, level in VulnerableSpot.objects.filter(
        village__in=villages, category=SpotCategory.ELECTION
    ).values_list("village_id", "level"):
        values[village]["election_spots"] += SPOT_POINTS.get(level, 1)
    for village, n in (
        CitizenDay.objects.filter(
            days, category__in=[CitizenCategory.CONFLICT, CitizenCategory.DISORDER]
        )
        .exclude(status=CitizenStatus.REJECTED)
        .values_list("village_id")
        .annotate(n=Sum("reports"))
        .order_by()
    ):
        values[village]["tension_reports"] += n
    start, end = _bounds(period)
    urgent = (
        InformationReport.objects.filter(
            report__village__in=villages,
            report__occurred_at__gte=start,
            report__occurred_at__lt=end,
            urgency="high",
            aspect__in=["politics", "security"],
        )
        .exclude(report__state=ReportState.DRAFT)
        .exclude(report__integrity_level__in=["", IntegrityLevel.DOUBTFUL])
        .values_list("report__village_id", "reliability", "credibility")
    )
    for village, reliability, credibility in urgent:
        values[village]["urgent_information"] += RELIABILITY_WEIGHT.get(
            reliability, 0.5
        ) * CREDIBILITY_WEIGHT.get(credibility, 0.5)
    for village, n in (
        KeyFigure.objects.filter(village__in=villages)
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        values[village]["key_figures"] = n
    return values


def election_view(period: ElectionPeriod, regions: QuerySet[Region]) -> list[VillageElection]:
    """The villages of ``regions`` (the period's, as far as the reader sees them:
    ``access.election_villages``) with their indicators, dimensions and score; highest score
    first."""
    rows = list(regions.values_list("code", "name", "parent__name").order_by("code"))
    codes = [code for code, _name, _district in rows]
    counted = _counted(period, codes)
    profiled = set(
        VillageProfile.objects.filter(village__in=codes).values_list("village_id", flat=True)
    )
    entries: dict[str, dict[str, str]] = defaultdict(dict)
    for place, code_entered, level in ElectionEntry.objects.filter(
        period=period, village__in=codes
    ).values_list("village_id", "indicator", "level"):
        entries[place][code_entered] = level
    found = []
    for code, name, district in rows:
        village = VillageElection(code, name, district or "")
        values = counted.get(code, {})
        for indicator in INDICATORS:
            if indicator.code == "key_figures":
                if code not in profiled and "key_figures" not in values:
                    continue  # no profile kept: no figures is not known to mean none
                n = values.get("key_figures", 0.0)
                village.values["key_figures"] = n
                village.scores["key_figures"] = round(100 * max(0.0, 1 - n / FIGURES_FULL), 1)
            elif indicator.half is not None:
                x = values.get(indicator.code, 0.0)
                village.values[indicator.code] = round(x, 2)
                village.scores[indicator.code] = round(100 * x / (x + indicator.half), 1)
            elif indicator.code in entries[code]:
                village.scores[indicator.code] = LEVEL_SCORE[entries[code][indicator.code]]
                village.entered += 1
        for dimension in Dimension.values:
            scored = [
                village.scores[i.code]
                for i in INDICATORS
                if i.dimension == dimension and i.code in village.scores
            ]
            village.dimensions[dimension] = round(statistics.fmean(scored), 1) if scored else None
        found.append(village)
    return sorted(found, key=lambda v: (-(v.score or 0), v.code))


def districts(villages: list[VillageElection]) -> list[tuple[str, float | None, int]]:
    """Each district (kecamatan): the mean of its villages' scores, and how many villages."""
    by_district: dict[str, list[float]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for village in villages:
        counts[village.district] += 1
        if village.score is not None:
            by_district[village.district].append(village.score)
    return sorted(
        (
            (name, round(statistics.fmean(by_district[name]), 1) if by_district[name] else None, n)
            for name, n in counts.items()
        ),
        key=lambda row: (-(row[1] or 0), row[0]),
    )
