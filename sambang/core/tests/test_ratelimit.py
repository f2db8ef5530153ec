"""The rate limit is a sliding window: no ``window_s`` seconds ever hold more than ``limit``
allowed hits, wherever the hits fall."""

from __future__ import annotations

import bisect
import random

import pytest

from sambang.core import ratelimit


@pytest.mark.parametrize("seed", range(5))
def test_no_window_ever_holds_more_than_the_limit(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    clock = [1_000_000.0]
    monkeypatch.setattr(ratelimit, "now", lambda: clock[0])
    limit, window = 10, 60
    allowed: list[float] = []
    for _ in range(2000):
        # Bursts and pauses: many hits a second, then quiet for up to two windows.
        clock[0] += rng.choice([0.01, 0.1, 1.0, rng.uniform(0, 2 * window)])
        if not ratelimit.limit_reached("test", f"seed-{seed}", limit=limit, window_s=window):
            allowed.append(clock[0])
    assert len(allowed) > 3 * limit
    for index, start in enumerate(allowed):
        within = bisect.bisect_left(allowed, start + window) - index
        assert within <= limit, f"{within} hits allowed in {window} s from {start}"


def test_a_hit_taken_back_frees_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "now", lambda: 5_000_000.0)
    first = ratelimit.hit("refund", "a", limit=1, window_s=60)
    assert first is not None
    assert ratelimit.limit_exhausted("refund", "a", limit=1, window_s=60)
    assert ratelimit.hit("refund", "a", limit=1, window_s=60) is None
    first.refund()
    assert not ratelimit.limit_exhausted("refund", "a", limit=1, window_s=60)
    assert ratelimit.hit("refund", "a", limit=1, window_s=60) is not None
