"""Count surveillance: is this week's count in a village unusually high? (issue 22, first part)

Two published pieces, with their parameters here:

- **The expected count** of a week is taken, as in the Farrington method (Farrington et al.
  1996; Noufaily et al. 2013, "improved Farrington"), from the same season of earlier years:
  the weeks ``t − 52·y ± WINDOW`` for ``y = 1 … YEARS``. Their mean is the expected count and
  their variance over the mean the overdispersion (at least 1: never less spread than
  Poisson). With fewer than ``MIN_BASELINE_WEEKS`` of them (a new village, a young unit), the
  last ``RECENT_WEEKS`` weeks stand in. A village with no count at all in its baseline still
  expects ``FLOOR`` a week, so that a first event is measured, not divided by zero.
- **The alarm** is a one-sided CUSUM of the log-likelihood ratio of a negative-binomial count
  (Hawkins & Olwell 1998, ch. 5; Poisson when there is no overdispersion, Lucas 1985) for the
  expected mean against ``RISE`` times it — a doubling by default: each week adds
  ``x·ln(μ1(r+μ0) / (μ0(r+μ1))) + r·ln((r+μ0)/(r+μ1))`` (r: the size parameter, from the
  overdispersion), the sum never goes below 0, and the alarm sounds when it reaches
  ``THRESHOLD``. A CUSUM accumulates small excesses week after week, so a sustained rise of
  small counts is caught where a fixed threshold on one week would not be; seasonality is in
  the expected count. The threshold is to be set on the backtest of planted rises (issue 22).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

YEARS = 3  # earlier years in the baseline
WINDOW = 3  # weeks either side of the same week in each of them
MIN_BASELINE_WEEKS = 6
RECENT_WEEKS = 12
FLOOR = 0.1  # expected count of a week when the baseline holds none
RISE = 2.0  # the rise the CUSUM is tuned to detect (a doubling)
THRESHOLD = 2.5  # the CUSUM value at which an alarm sounds
WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class Expected:
    mean: float  # the expected count of the week
    dispersion: float  # variance ÷ mean of the baseline, at least 1
    weeks: int  # how many weeks the baseline holds

    @property
    def size(self) -> float | None:
        """The negative binomial's size parameter r (variance = μ + μ²/r); None: Poisson."""
        if self.dispersion <= 1.0:
            return None
        return self.mean / (self.dispersion - 1.0)


def expected(counts: Sequence[int], week: int) -> Expected:
    """The expected count of week ``week`` of ``counts`` (one count per week, oldest first),
    from the weeks before it only."""
    seasonal = [
        counts[t]
        for y in range(1, YEARS + 1)
        for t in range(week - WEEKS_PER_YEAR * y - WINDOW, week - WEEKS_PER_YEAR * y + WINDOW + 1)
        if 0 <= t < week
    ]
    baseline = seasonal
    if len(seasonal) < MIN_BASELINE_WEEKS:
        baseline = list(counts[max(0, week - RECENT_WEEKS) : week])
    if not baseline:
        return Expected(FLOOR, 1.0, 0)
    mean = statistics.fmean(baseline)
    variance = statistics.pvariance(baseline) if len(baseline) > 1 else mean
    dispersion = max(1.0, variance / mean) if mean > 0 else 1.0
    return Expected(max(mean, FLOOR), dispersion, len(baseline))


def score(count: int, base: Expected, rise: float = RISE) -> float:
    """The log-likelihood ratio of ``count`` for ``rise`` × the expected mean against the
    expected mean (negative binomial with the baseline's size, or Poisson)."""
    mu0 = base.mean
    mu1 = rise * mu0
    r = base.size
    if r is None:
        return count * math.log(mu1 / mu0) - (mu1 - mu0)
    return count * math.log(mu1 * (r + mu0) / (mu0 * (r + mu1))) + r * math.log(
        (r + mu0) / (r + mu1)
    )


@dataclass(frozen=True)
class Week:
    week: int
    count: int
    expected: float
    cusum: float
    alarm: bool


def watch(counts: Sequence[int], start: int, threshold: float = THRESHOLD) -> list[Week]:
    """The CUSUM of ``counts`` from week ``start`` on, each week against its own expected
    count; after an alarm the sum starts again from 0 (the next alarm needs new evidence)."""
    found: list[Week] = []
    total = 0.0
    for week in range(start, len(counts)):
        base = expected(counts, week)
        total = max(0.0, total + score(counts[week], base))
        alarm = total >= threshold
        found.append(Week(week, counts[week], round(base.mean, 3), round(total, 3), alarm))
        if alarm:
            total = 0.0
    return found
