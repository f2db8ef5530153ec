"""Shared set-up for the benchmarks: a throwaway database, timing and figures.

Each benchmark runs in its own process against the database named by
``DATABASE_URL`` (``bench/run.py`` points it at a fresh SQLite file or a fresh
PostgreSQL database) and prints its figures next to a baseline measured in the
same run, so that the ratio holds on a shared, noisy machine.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def setup_django() -> str:
    """Configure Django, migrate the benchmark database; return the engine's name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sambang.config.settings.test")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    return connection.vendor


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """Seconds elapsed, readable once the block has ended."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: end[0] - start
    end.append(time.perf_counter())


def percentiles_ms(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds of durations given in seconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def report(name: str, vendor: str, figures: dict[str, str]) -> None:
    width = max(len(key) for key in figures)
    print(f"\n## {name} — {vendor}")
    for key, value in figures.items():
        print(f"  {key:<{width}}  {value}")
