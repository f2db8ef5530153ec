"""Count surveillance: is this week's count in a village unusually high? (issue 22, first part)

Two published pieces, with their parameters here:

- **The expected count** of a week is taken, as in the Farrington method (Farrington et al.
  1996; Noufaily et al. 2013, "improved Farrington"), from the same season of earlier years:
  the weeks ``t − 52·y ± WINDOW`` for ``y = 1 … YEARS``. Their mean is the expected count and
  their variance over the mean the overdispersion (at least 1: never less spread than
  Poisson). With fewer than ``MIN_BASELINE_WEEKS`` of them (a new village, a young unit), the
  ``RECENT_WEEKS`` weeks before it stand in, but the ``GUARD`` weeks just before it, which
  may already be part of a rise. A village with no count at all in its baseline still
  expects ``FLOOR`` a week, so that a first event is measured, not divided by zero.
- **The alarm** is a one-sided CUSUM of the log-likelihood ratio of a negative-binomial count
  (Hawkins & Olwell 1998, ch. 5; Poisson when there is no overdispersion, Lucas 1985) for the
  expected mean against ``RISE`` times it — a doubling by default: each week adds
  ``x·ln(μ1(r+μ0) / (μ0(r+μ1))) + r·ln((r+μ0)/(r+μ1))`` (r: the size parameter, from the
  overdispersion), the sum never goes below 0, and the alarm sounds when it reaches
  ``THRESHOLD``. A CUSUM accumulates small excesses week after week, so a sustained rise of
  small counts is caught where a fixed threshold on one week would not be; seasonality is in
  the expected count.
- **A spike** that a CUSUM tuned to a doubling would weigh too lightly (three incidents in a
  week in a village that had none) also sounds, as in the combined Shewhart–CUSUM scheme
  (Lucas 1982): when the week's count alone is at least ``SPIKE_MIN`` and its upper tail
  probability under the expected distribution is below ``SPIKE_P``.

``THRESHOLD`` was set with the backtest (``sambang alerts backtest``, BENCHMARKS.md): counts
drawn at the generated country's rates give 0.4 false alarms per Polsek-month at 3.0 (every
series of a Polsek together; 0.18 at 4.0, 0.6 at 2.5), within the target of at most one,
with room for real counts that swing more than the drawn ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

YEARS = 3  # earlier years in the baseline
WINDOW = 3  # weeks either side of the same week in each of them
MIN_BASELINE_WEEKS = 6
RECENT_WEEKS = 12
GUARD = 2  # weeks just before the week, left out of its recent baseline
FLOOR = 0.1  # expected count of a week when the baseline holds none
RISE = 2.0  # the rise the CUSUM is tuned to detect (a doubling)
THRESHOLD = 3.0  # the CUSUM value at which an alarm sounds
SPIKE_P = 0.0005  # a single week this improbable sounds on its own
SPIKE_MIN = 3  # … if it holds at least this many (weighted) records
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


def baseline(seasonal: Sequence[float], recent: Sequence[float]) -> Expected:
    """The expected count of a week from the same season of earlier years (``seasonal``),
    or, when that holds fewer than ``MIN_BASELINE_WEEKS`` weeks, from the weeks just before
    it (``recent``). Weeks before the records began belong in neither: missing is not 0."""
    values = seasonal if len(seasonal) >= MIN_BASELINE_WEEKS else recent
    if not values:
        return Expected(FLOOR, 1.0, 0)
    n = len(values)
    mean = sum(values) / n
    variance = sum((x - mean) ** 2 for x in values) / n if n > 1 else mean
    dispersion = max(1.0, variance / mean) if mean > 0 else 1.0
    return Expected(max(mean, FLOOR), dispersion, len(values))


def seasonal_weeks(week: int) -> list[int]:
    """The weeks of the same season of earlier years: ``week − 52·y ± WINDOW``."""
    return [
        t
        for y in range(YEARS, 0, -1)
        for t in range(week - WEEKS_PER_YEAR * y - WINDOW, week - WEEKS_PER_YEAR * y + WINDOW + 1)
    ]


def recent_weeks(week: int) -> list[int]:
    """The ``RECENT_WEEKS`` weeks before ``week`` but the ``GUARD`` weeks just before it, so
    that the first weeks of a rise do not become the baseline of the next."""
    return list(range(week - GUARD - RECENT_WEEKS, week - GUARD))


def expected(counts: Sequence[float], week: int) -> Expected:
    """The expected count of week ``week`` of ``counts`` (one count per week, oldest first,
    the first the week records began), from the weeks before it only."""
    return baseline(
        [counts[t] for t in seasonal_weeks(week) if 0 <= t < week],
        [counts[t] for t in recent_weeks(week) if t >= 0],
    )


def tail(count: float, base: Expected) -> float:
    """P(X ≥ count) for the expected distribution (negative binomial, or Poisson)."""
    n = math.ceil(count)
    if n <= 0:
        return 1.0
    mu, r = base.mean, base.size
    below = 0.0
    for k in range(n):
        if r is None:
            log_p = k * math.log(mu) - mu - math.lgamma(k + 1)
        else:
            log_p = (
                math.lgamma(k + r)
                - math.lgamma(r)
                - math.lgamma(k + 1)
                + r * math.log(r / (r + mu))
                + k * math.log(mu / (r + mu))
            )
        below += math.exp(log_p)
    return max(0.0, 1.0 - below)


def spike(count: float, base: Expected) -> bool:
    return count >= SPIKE_MIN and tail(count, base) < SPIKE_P


def score(count: float, base: Expected, rise: float = RISE) -> float:
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
class Step:
    score: float  # this week's log-likelihood ratio
    cusum: float  # the CUSUM after this week (before any restart)
    alarm: bool


def step(previous: float, count: float, base: Expected, threshold: float = THRESHOLD) -> Step:
    """One week of the watch: the CUSUM ``previous`` (0 after an alarm) and this week. A
    series with fewer than ``MIN_BASELINE_WEEKS`` weeks of history is not watched yet: what
    is usual for it is not known (its CUSUM stays 0)."""
    week_score = score(count, base)
    if base.weeks < MIN_BASELINE_WEEKS:
        return Step(week_score, 0.0, False)
    total = max(0.0, previous + week_score)
    return Step(week_score, total, total >= threshold or spike(count, base))


@dataclass(frozen=True)
class Week:
    week: int
    count: float
    expected: float
    cusum: float
    alarm: bool


def watch(
    counts: Sequence[float], start: int, threshold: float = THRESHOLD, cusum: float = 0.0
) -> list[Week]:
    """The CUSUM of ``counts`` from week ``start`` on (from ``cusum``, its value entering
    that week), each week against its own expected count; after an alarm the sum starts
    again from 0 (the next alarm needs new evidence)."""
    found: list[Week] = []
    total = cusum
    for week in range(start, len(counts)):
        base = expected(counts, week)
        result = step(total, counts[week], base, threshold)
        found.append(
            Week(week, counts[week], round(base.mean, 3), round(result.cusum, 3), result.alarm)
        )
        total = 0.0 if result.alarm else result.cusum
    return found
