"""The evaluation's statistics against hand-computed and exact reference values."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from sambang.evaluation.stats import median_from_counts, poisson_change


def exact_two_sided(current: int, previous: int) -> float:
    """The conditional binomial test at p = 1/2 in exact rational arithmetic."""
    n = current + previous
    tail = sum(Fraction(math.comb(n, k), 2**n) for k in range(min(current, previous) + 1))
    return float(min(Fraction(1), 2 * tail)) if current != previous else 1.0


def test_a_change_of_ten_against_four_is_within_chance() -> None:
    change = poisson_change(10, 4)
    # 2 · (1 + 14 + 91 + 364 + 1001) / 2^14, as scipy.stats.binomtest(10, 14) gives.
    assert change.p_value == pytest.approx(2 * 1471 / 16384)
    assert not change.significant and change.change_pct == pytest.approx(150.0)


@pytest.mark.parametrize(("current", "previous"), [(25, 10), (3, 0), (0, 9), (7, 7), (120, 80)])
def test_p_values_match_the_exact_test(current: int, previous: int) -> None:
    assert poisson_change(current, previous).p_value == pytest.approx(
        exact_two_sided(current, previous), rel=1e-6
    )


def test_more_days_of_exposure_explain_more_events() -> None:
    # 31 events in 31 days against 28 in 28 days: the same daily rate, no change at all.
    assert poisson_change(31, 28, exposure=31, previous_exposure=28).p_value > 0.99
    assert poisson_change(0, 0).p_value == 1.0 and poisson_change(5, 0).change_pct is None


def test_the_median_of_counted_values() -> None:
    assert median_from_counts([(1, 1), (3, 1)]) == 2.0
    assert median_from_counts([(5, 3)]) == 5.0
    assert median_from_counts([(2, 1), (1, 2)]) == 1.0
    assert median_from_counts([(10, 0)]) is None
