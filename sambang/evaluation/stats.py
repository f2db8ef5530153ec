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


def gi_star(
    values: dict[int, float], neighbours: dict[int, set[int]]
) -> dict[int, tuple[float, float]]:
    """Getis-Ord Gi* of each cell: ``{cell: (z-score, two-sided p-value)}``.

    ``values`` holds every cell of the study area (zeros included); ``neighbours`` gives
    each cell's neighbours within it. Weights are binary and include the cell itself
    (the "star"), so S1 = W for every cell (Getis and Ord 1992; Ord and Getis 1995).
    """
    n = len(values)
    if n < 2:
        return {cell: (0.0, 1.0) for cell in values}
    mean = sum(values.values()) / n
    spread = math.sqrt(max(0.0, sum(v * v for v in values.values()) / n - mean * mean))
    keys = values.keys()
    denominators: dict[int, float] = {}  # by weight: a handful of distinct values
    result = {}
    for cell in values:
        members = neighbours.get(cell) or {cell}
        if cell not in members or not members <= keys:
            members = ({cell} | members) & keys
        weight = len(members)
        local = sum(map(values.__getitem__, members))
        if (denominator := denominators.get(weight)) is None:
            denominator = spread * math.sqrt((n * weight - weight * weight) / (n - 1))
            denominators[weight] = denominator
        z = (local - mean * weight) / denominator if denominator > 0 else 0.0
        result[cell] = (z, math.erfc(abs(z) / math.sqrt(2)))
    return result


def prediction_accuracy_index(
    hot: set[int], events: dict[int, int], area: set[int]
) -> float | None:
    """Chainey's PAI: the share of events in the hot cells over the share of area they cover.

    With H3 cells of one resolution the area shares are cell counts. None when there are
    no events or no hot cells to judge.
    """
    total = sum(events.values())
    hot_in_area = hot & area
    if not total or not hot_in_area or not area:
        return None
    caught = sum(n for cell, n in events.items() if cell in hot_in_area)
    return (caught / total) / (len(hot_in_area) / len(area))
