"""The evaluation's statistics against hand-computed and exact reference values."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from sambang.evaluation.stats import (
    gi_star,
    median_from_counts,
    poisson_change,
    prediction_accuracy_index,
)


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


def test_gi_star_on_a_line_of_five_cells_by_hand() -> None:
    # Cells 1–5 in a row, ten events in the middle one: mean 2, S = sqrt(100/5 − 4) = 4.
    values = {1: 0.0, 2: 0.0, 3: 10.0, 4: 0.0, 5: 0.0}
    line = {1: {2}, 2: {1, 3}, 3: {2, 4}, 4: {3, 5}, 5: {4}}
    scores = gi_star(values, line)
    # Cell 3 with 2 and 4: (10 − 2·3) / (4 · sqrt((5·3 − 9)/4)) = 4 / 4.899.
    assert scores[3][0] == pytest.approx(4 / (4 * math.sqrt(6 / 4)))
    assert scores[2][0] == pytest.approx(scores[3][0])  # 2 also holds the ten events
    # Cell 1 with 2: (0 − 2·2) / (4 · sqrt((5·2 − 4)/4)).
    assert scores[1][0] == pytest.approx(-4 / (4 * math.sqrt(6 / 4)))
    assert scores[3][1] == pytest.approx(math.erfc(scores[3][0] / math.sqrt(2)))
    assert gi_star({1: 3.0, 2: 3.0}, {1: {2}, 2: {1}}) == {1: (0.0, 1.0), 2: (0.0, 1.0)}


def test_the_prediction_accuracy_index() -> None:
    # Hot cells are 2 of 10 (20% of the area) and caught 6 of 10 events (60%): PAI 3.
    area = set(range(10))
    assert prediction_accuracy_index({0, 1}, {0: 4, 1: 2, 5: 4}, area) == pytest.approx(3.0)
    assert prediction_accuracy_index(set(), {0: 1}, area) is None
    assert prediction_accuracy_index({0}, {}, area) is None
