"""A fixed-window rate limit on Django's cache, for the public forms.

django-ratelimit was evaluated: it refuses the local-memory cache of the embedded
default and does not support Django's own Redis backend, so the few lines below
stand in. With ``CACHE_URL=redis://…`` every process shares the counts.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def limit_reached(scope: str, key: str, *, limit: int, window_s: int) -> bool:
    """Count one hit of ``key`` in ``scope``; True when it is over ``limit`` in this window."""
    window = int(time.time() // window_s)
    name = f"ratelimit:{scope}:{key}:{window_s}:{window}"
    cache.add(name, 0, timeout=window_s + 5)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.add(name, 1, timeout=window_s + 5)
        count = 1
    return count > limit
