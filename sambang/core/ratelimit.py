"""A sliding-window rate limit on Django's cache, for the public forms and look-ups.

django-ratelimit was evaluated: it refuses the local-memory cache of the embedded
default and does not support Django's own Redis backend, and its windows are fixed (a
client could send twice the limit across a window's boundary), so the few lines below
stand in. With ``CACHE_URL=redis://…`` every process shares the counts.

The window of ``window_s`` seconds is counted in ``SLICES`` slices, each a cache counter.
A hit is added to the current slice (an atomic ``incr``) and then the last ``SLICES + 1``
slices are summed: the hit is allowed when that sum is at most ``limit``, else it is taken
back and refused. The slices summed cover at least ``window_s`` seconds, so that no
``window_s`` seconds ever hold more than ``limit`` allowed hits, wherever the boundaries
fall; the price is a refusal that may last up to one slice (a tenth of the window) longer
than the window. It holds between processes too: each hit is counted before the sum is
read, so of ``limit + 1`` concurrent hits the last to read sees them all.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from django.core.cache import cache

SLICES = 10


def now() -> float:
    """The clock the windows are counted on (tests move it)."""
    return time.time()


@dataclass(frozen=True)
class Hit:
    """A hit that was allowed and counted; ``refund()`` takes it back (a look-up that
    found what it looked for, say, when only misses should count)."""

    name: str

    def refund(self) -> None:
        with contextlib.suppress(ValueError):  # the slice expired: nothing to take back
            cache.decr(self.name)


def _slices(scope: str, key: str, window_s: int) -> tuple[str, list[str]]:
    """The cache key of the current slice, and those of the slices summed with it."""
    width = window_s / SLICES
    current = int(now() // width)
    prefix = f"ratelimit:{scope}:{key}:{window_s}"
    names = [f"{prefix}:{index}" for index in range(current - SLICES, current + 1)]
    return names[-1], names


def _total(names: list[str]) -> int:
    return sum(int(count) for count in cache.get_many(names).values())


def hit(scope: str, key: str, *, limit: int, window_s: int) -> Hit | None:
    """Count one hit of ``key`` in ``scope``: the counted hit, or None when it would be
    more than ``limit`` in the last ``window_s`` seconds (then it is not counted)."""
    name, names = _slices(scope, key, window_s)
    timeout = int(window_s * (SLICES + 2) / SLICES) + 1
    cache.add(name, 0, timeout=timeout)
    try:
        cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=timeout)
    total = _total(names)
    counted = Hit(name)
    if total > limit:
        counted.refund()
        return None
    return counted


def limit_reached(scope: str, key: str, *, limit: int, window_s: int) -> bool:
    """Count one hit of ``key`` in ``scope``; True when it would be more than ``limit`` in
    the last ``window_s`` seconds (a refused hit is not counted)."""
    return hit(scope, key, limit=limit, window_s=window_s) is None


def limit_exhausted(scope: str, key: str, *, limit: int, window_s: int) -> bool:
    """Whether the next hit of ``key`` would be refused; counts nothing (a check made before
    reading a request's body: the photo uploads, whose request is then counted as usual)."""
    return _total(_slices(scope, key, window_s)[1]) >= limit
