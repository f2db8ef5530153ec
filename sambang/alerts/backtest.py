"""The backtest: the weekly watch replayed over years of counts with rises planted in them.

Where the database holds too short a history (a generated country holds months, the method
needs a year), the counts are drawn per village with the national generator's rates
(``sambang.demo.national``: incidents by category, residents' reports, a few hot spots) and
what its officers file (early detection and household concerns, in villages with an
officer; drawn as records, which the watch runs on: ``detection.record_scale``), with a
yearly season (±20%,
its peak in a month of its own per Polsek) and weeks that vary more than Poisson (a gamma
factor of shape 10). The villages per Polsek are those of the database's Polseks when it
has some.

Each run draws ``years`` + 1 years of weeks; the watch runs over the last year with the
same functions as the weekly run (``surveillance.watch``). Then:

- **false alarms**: alarms on the counts as drawn, per Polsek and month (every series of the
  Polsek: its villages' and its own, four signal families each);
- **detection**: in ``plants`` series chosen at random (village or Polsek, any family), a
  rise of ``rise`` × the expected count is added for ``length`` weeks from a random week;
  a plant is found when the series (or, for a village, its Polsek's series of the same
  family) sounds in the first ``within`` weeks of the rise. Detection is reported by the
  series' expected weekly count, since no method can tell a doubling of 0.1 a week from
  chance in two weeks.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Count

from sambang.demo.national import (
    CITIZEN_REPORTS_A_MONTH,
    HOT_SPOT_FACTOR,
    HOT_SPOT_SHARE,
    INCIDENTS_A_MONTH,
)
from sambang.organization.models import Jurisdiction, UnitLevel

from . import surveillance
from .models import Family

WEEKS_A_MONTH = 52 / 12
SHARE_COVERED = 0.49
# What an officer's village sees a week, weighted: early-detection reports (2 reports a
# working day, 8% of them early detection, a mean grade weight of 0.45) and household
# concerns (36% door-to-door visits, one concern in three visits, a mean urgency weight 0.5).
MEAN_WEIGHT: dict[str, float] = {Family.EARLY_DETECTION: 0.45, Family.CONCERNS: 0.5}
EARLY_A_WEEK = 2 * 5 * 0.08 * MEAN_WEIGHT[Family.EARLY_DETECTION]
CONCERNS_A_WEEK = 2 * 5 * 0.36 / 3 * MEAN_WEIGHT[Family.CONCERNS]
BANDS = ((0.0, 0.5), (0.5, 2.0), (2.0, 5.0), (5.0, 10.0), (10.0, math.inf))


@dataclass
class Backtest:
    polseks: int
    villages: int
    series: int
    months: float
    false_alarms: int
    plants: int
    found: int
    delays: list[int] = field(default_factory=list)  # weeks of the rise seen when flagged
    by_band: dict[str, list[int]] = field(default_factory=dict)  # band → [found, planted]

    def figures(self) -> dict[str, Any]:
        polsek_months = self.polseks * self.months
        return {
            "polseks": self.polseks,
            "villages": self.villages,
            "series": self.series,
            "false_alarms_per_polsek_month": round(self.false_alarms / polsek_months, 3),
            "planted": self.plants,
            "found_within": round(self.found / self.plants, 3) if self.plants else None,
            "median_delay_weeks": float(np.median(self.delays)) if self.delays else None,
            "found_by_expected_a_week": {
                band: {"found": f, "planted": n, "share": round(f / n, 3) if n else None}
                for band, (f, n) in self.by_band.items()
            },
        }


def _band(mean: float) -> str:
    for low, high in BANDS:
        if low <= mean < high:
            return f"{low:g}–{high:g}" if high != math.inf else f"≥ {low:g}"
    return "?"


def _polsek_sizes(polseks: int, rng: random.Random) -> list[int]:
    sizes = list(
        Jurisdiction.objects.filter(unit__level=UnitLevel.POLSEK)
        .values("unit")
        .annotate(n=Count("village"))
        .values_list("n", flat=True)
    )
    if not sizes:
        sizes = [rng.randint(8, 26) for _ in range(200)]
    return [rng.choice(sizes) for _ in range(polseks)]


def village_means(rng: random.Random) -> dict[str, float]:
    """A village's expected weekly count per family (before season and spread)."""
    hot = HOT_SPOT_FACTOR if rng.random() < HOT_SPOT_SHARE else 1.0
    covered = rng.random() < SHARE_COVERED
    diligence = rng.gammavariate(2, 0.5) if covered else 0.0  # officers differ
    return {
        Family.INCIDENTS: sum(INCIDENTS_A_MONTH.values()) * hot / WEEKS_A_MONTH,
        Family.RESIDENTS: CITIZEN_REPORTS_A_MONTH * hot / WEEKS_A_MONTH,
        Family.EARLY_DETECTION: EARLY_A_WEEK * diligence,
        Family.CONCERNS: CONCERNS_A_WEEK * diligence,
    }


def backtest(
    *,
    polseks: int = 40,
    years: int = 3,
    plants: int = 400,
    rise: float = 2.0,
    length: int = 3,
    within: int = 2,
    seed: int = 20261204,
) -> Backtest:
    rng = random.Random(seed)
    draw = np.random.default_rng(seed)
    weeks = surveillance.WEEKS_PER_YEAR * (years + 1)
    start = surveillance.WEEKS_PER_YEAR * years  # the watched year
    t = np.arange(weeks)
    # (polsek, village or None, family) → (expected counts a week, drawn counts)
    series: dict[tuple[int, int | None, str], tuple[np.ndarray, np.ndarray]] = {}
    sizes = _polsek_sizes(polseks, rng)
    for p, size in enumerate(sizes):
        season = 1 + 0.2 * np.sin(2 * np.pi * (t / surveillance.WEEKS_PER_YEAR + rng.random()))
        totals: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for v in range(size):
            for family, mean in village_means(rng).items():
                if mean == 0:
                    continue
                # Records (the watch runs on record-equivalents: ``detection.record_scale``).
                mu = mean / MEAN_WEIGHT.get(family, 1.0) * season
                counts = draw.poisson(mu * draw.gamma(10, 0.1, weeks)).astype(float)
                series[(p, v, family)] = (mu, counts)
                if family in totals:
                    totals[family] = (totals[family][0] + mu, totals[family][1] + counts)
                else:
                    totals[family] = (mu.copy(), counts.copy())
        for family, (mu, counts) in totals.items():
            series[(p, None, family)] = (mu, counts)
    result = Backtest(
        polseks=len(sizes),
        villages=sum(sizes),
        series=len(series),
        months=(weeks - start) / WEEKS_A_MONTH,
        false_alarms=0,
        plants=plants,
        found=0,
        by_band={_band(low): [0, 0] for low, _high in BANDS},
    )
    # The watch as drawn; what its CUSUM was entering each week, to replay a plant from it.
    entering: dict[tuple[int, int | None, str], dict[int, float]] = {}
    for key, (_mu, counts) in series.items():
        watched = surveillance.watch(counts.tolist(), start)
        result.false_alarms += sum(w.alarm for w in watched)
        entering[key] = {start: 0.0} | {w.week + 1: 0.0 if w.alarm else w.cusum for w in watched}

    def sounded(key: tuple[int, int | None, str], counts: np.ndarray, first: int) -> list[int]:
        """Weeks of the rise's first ``within`` in which the series sounds."""
        replay = surveillance.watch(
            counts[: first + within].tolist(), first, cusum=entering[key][first]
        )
        return [w.week for w in replay if w.alarm]

    keys = sorted(series, key=lambda k: (k[0], -1 if k[1] is None else k[1], k[2]))
    for _ in range(plants):
        key = rng.choice(keys)
        mu, counts = series[key]
        first = rng.randrange(start, weeks - length)
        planted = counts.copy()
        extra = draw.poisson((rise - 1) * mu[first : first + length])
        planted[first : first + length] += extra
        hits = sounded(key, planted, first)
        if not hits and key[1] is not None:  # the Polsek's series of the same family
            polsek_key = (key[0], None, key[2])
            polsek = series[polsek_key][1].copy()
            polsek[first : first + length] += extra
            hits = sounded(polsek_key, polsek, first)
        weight = MEAN_WEIGHT.get(key[2], 1.0)  # bands in the weighted units pages show
        band = result.by_band[_band(float(mu[first]) * weight)]
        band[1] += 1
        if hits:
            result.found += 1
            band[0] += 1
            result.delays.append(hits[0] - first + 1)
    return result
