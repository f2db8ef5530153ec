"""The few statistics the evaluation needs, small enough to read and test here.

scipy and esda were weighed: they would bring scipy, numba, pandas and geopandas into
the app for one exact test, one local statistic and a median. Each function below is a
textbook formula with a test that checks it against published or hand-computed values.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass


def _binomial_log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )


@dataclass(frozen=True)
class CountChange:
    """A count against the one before it, and whether the change is more than chance."""

    current: int
    previous: int
    p_value: float  # two-sided; 1.0 when there is nothing to compare

    @property
    def change_pct(self) -> float | None:
        if self.previous == 0:
            return None
        return 100.0 * (self.current - self.previous) / self.previous

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05


def poisson_change(
    current: int, previous: int, exposure: float = 1.0, previous_exposure: float = 1.0
) -> CountChange:
    """Exact test that two Poisson counts have the same rate (the conditional binomial test).

    Given ``n = current + previous`` events, ``current`` follows Binomial(n, p0) under the
    null hypothesis, with p0 the current period's share of the exposure (its days, say).
    The two-sided p-value sums the probabilities of outcomes no likelier than the one seen.
    """
    n = current + previous
    if n == 0:
        return CountChange(current, previous, 1.0)
    p0 = exposure / (exposure + previous_exposure)
    observed = _binomial_log_pmf(current, n, p0)
    total = sum(
        math.exp(log_p)
        for k in range(n + 1)
        if (log_p := _binomial_log_pmf(k, n, p0)) <= observed + 1e-7
    )
    return CountChange(current, previous, min(1.0, total))


def median_from_counts(counts: Iterable[tuple[int, int]]) -> float | None:
    """The median of values given as ``(value, how many)`` pairs (None when there are none)."""
    pairs = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _, n in pairs)
    if total == 0:
        return None
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    seen = 0
    lower = upper = None
    for value, n in pairs:
        if lower is None and seen + n > lower_rank:
            lower = value
        if seen + n > upper_rank:
            upper = value
            break
        seen += n
    assert lower is not None and upper is not None
    return (lower + upper) / 2
