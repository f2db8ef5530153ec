"""System checks for a production set-up that Django's own deploy checks do not cover."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(**kwargs: Any) -> list[Warning]:
    """Rate limits count in the cache: with several server processes, a cache of each
    process's own would let every process grant the full allowance."""
    if settings.CACHES["default"]["BACKEND"] in PER_PROCESS_CACHES:
        return [
            Warning(
                "The cache is kept inside each server process, so rate limits are not shared "
                "between processes.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="sambang.W001",
            )
        ]
    return []
