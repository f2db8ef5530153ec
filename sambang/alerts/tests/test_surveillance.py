"""Count surveillance against hand-computed cases: the expected count, the score, the CUSUM."""

from __future__ import annotations

import math

import pytest

from sambang.alerts.surveillance import FLOOR, THRESHOLD, Expected, expected, score, tail, watch

THREE_YEARS = 52 * 3


def test_the_expected_count_is_the_same_season_of_earlier_years() -> None:
    # Three years of 2 a week: week 156's baseline is weeks 101–107, 49–55 and 0–3 (18 weeks).
    base = expected([2] * THREE_YEARS, THREE_YEARS)
    assert base == Expected(mean=2.0, dispersion=1.0, weeks=18)
    assert base.size is None  # no overdispersion: Poisson


def test_overdispersion_gives_the_negative_binomial_size() -> None:
    counts = [0, 4] * 78  # mean 2, variance 4: twice as spread as Poisson
    base = expected(counts, THREE_YEARS)
    assert base.mean == pytest.approx(2, abs=0.25)
    assert base.dispersion > 1.5 and base.size == pytest.approx(base.mean / (base.dispersion - 1))


def test_a_young_village_uses_its_recent_weeks_and_a_silent_one_the_floor() -> None:
    # Six weeks of history: the first four are the baseline (variance 0.5 < mean: counted as
    # Poisson); the two just before the week are left out, as they may be a rise begun.
    assert expected([1, 2, 3, 2, 9, 9], 6) == Expected(mean=2.0, dispersion=1.0, weeks=4)
    assert expected([0] * THREE_YEARS, THREE_YEARS).mean == FLOOR
    assert expected([], 0) == Expected(FLOOR, 1.0, 0)


def test_the_score_is_the_log_likelihood_ratio_of_a_doubling() -> None:
    # Poisson, μ0 = 2, μ1 = 4, x = 4: 4·ln 2 − 2
    assert score(4, Expected(2.0, 1.0, 18)) == pytest.approx(4 * math.log(2) - 2)
    # Negative binomial, dispersion 2 → r = 2: 4·ln(4·4 / (2·6)) + 2·ln(4/6)
    assert score(4, Expected(2.0, 2.0, 18)) == pytest.approx(
        4 * math.log(16 / 12) + 2 * math.log(4 / 6)
    )
    assert score(0, Expected(2.0, 1.0, 18)) == pytest.approx(-2)


def test_the_cusum_adds_up_excesses_and_starts_again_after_an_alarm() -> None:
    assert THRESHOLD == 3.0  # the figures below are computed for it
    counts = [2] * THREE_YEARS + [2, 5, 5, 5, 5, 2]
    weeks = watch(counts, THREE_YEARS)
    step = 5 * math.log(2) - 2  # each week of 5 against 2 expected: 1.466
    assert [w.cusum for w in weeks[:4]] == pytest.approx([0, step, 2 * step, 3 * step], abs=1e-3)
    # 2.93 after two weeks of 5, 4.40 after three: the alarm.
    assert [w.alarm for w in weeks] == [False, False, False, True, False, False]
    assert weeks[4].cusum == pytest.approx(step, abs=1e-3)  # started again from 0


def test_a_season_that_comes_back_every_year_raises_no_alarm() -> None:
    year = [6 if 18 <= week <= 26 else 1 for week in range(52)]
    weeks = watch(year * 4, THREE_YEARS)
    assert not any(w.alarm for w in weeks)
    # The same peak in a village that never had one is an alarm.
    flat = [1] * THREE_YEARS + year
    assert any(w.alarm for w in watch(flat, THREE_YEARS))


def test_in_a_silent_village_one_event_is_no_alarm_but_a_run_or_a_spike_is() -> None:
    silent = [0] * THREE_YEARS
    assert not any(w.alarm for w in watch([*silent, 1, 0, 0, 0], THREE_YEARS))
    assert not any(w.alarm for w in watch([*silent, 2, 0, 0, 0], THREE_YEARS))
    # Each event adds ln 2, each week takes the floor 0.1 away: 2 and 2 in two weeks is
    # 4·ln 2 − 0.2 = 2.57, not yet; a third week of 1 brings 3.17.
    path = watch([*silent, 2, 2, 1], THREE_YEARS)
    assert [w.alarm for w in path] == [False, False, True]
    # Three in one week against 0.1 expected is a spike: P(X ≥ 3) = 1.5e-4 < 5e-4.
    assert tail(3, Expected(FLOOR, 1.0, 18)) == pytest.approx(1.547e-4, rel=1e-3)
    assert watch([*silent, 3], THREE_YEARS)[0].alarm


def test_a_spike_is_measured_against_the_spread_of_its_village() -> None:
    # Five in a week against 2 expected: Poisson P(X ≥ 5) = 0.053, no spike; where the weeks
    # swing (dispersion 4, r = 2/3) eleven are not improbable enough either.
    assert tail(5, Expected(2.0, 1.0, 18)) == pytest.approx(0.0527, abs=1e-4)
    assert tail(11, Expected(2.0, 4.0, 18)) > tail(11, Expected(2.0, 1.0, 18))
    assert tail(0, Expected(2.0, 1.0, 18)) == 1.0
