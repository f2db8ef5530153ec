"""Shared set-up for the benchmarks: a throwaway database, timing and figures.

Each benchmark runs in its own process against the database named by
``DATABASE_URL`` (``bench/run.py`` points it at a fresh SQLite file or a fresh
PostgreSQL database) and prints its figures next to a baseline measured in the
same run, so that the ratio holds on a shared, noisy machine.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# The production server, as deploy/serve-prod starts it (its settings: sambang/config/server.py).
SERVER = [sys.executable, "-m", "sambang.config.server"]


def server_shape() -> str:
    """The production server's processes and threads under this environment's settings."""
    workers = os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1))
    return f"{workers} processes × {os.environ.get('SAMBANG_THREADS', '4')} threads"


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


def ensure_country() -> None:
    """A CI-sized generated country (one regency, one month) when the database holds none.

    The generator's accounts are demo accounts (a published password; they sign in only in
    the demo mode), and the benchmarks serve the production settings: here they become
    ordinary accounts without a password. Benchmarks sign in with ``force_login``, an API
    token, or a password they set themselves.
    """
    from django.contrib.auth.hashers import make_password

    from sambang.demo.national import generate
    from sambang.organization.models import Unit
    from sambang.personnel.models import User

    if not Unit.objects.exists():
        generate(scale="regency", months=1)
    User.objects.filter(is_demo=True).update(is_demo=False, password=make_password(None))


def measured_month(name: str) -> dt.date:
    """The last complete month (what the generator ends with), else the latest report's."""
    from sambang.demo.national import default_period
    from sambang.fieldwork.models import ActivityReport

    month = default_period(1)[0]
    if ActivityReport.objects.filter(occurred_at__date__gte=month).exists():
        return month
    latest = ActivityReport.objects.order_by("-occurred_at").values_list("occurred_at", flat=True)
    if not latest:
        sys.exit(f"{name}: the database holds no reports")
    return latest[0].date().replace(day=1)


def timed_requests(client: Any, paths: list[str], name: str) -> list[float]:
    """Seconds each GET took through Django's test client; any answer but 200 stops the run."""
    samples = []
    for path in paths:
        with stopwatch() as took:
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"{name}: {path} answered {response.status_code}")
        samples.append(took())
    return samples


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_ready(
    name: str, base: str, server: subprocess.Popen[Any], log: Path, timeout_s: float = 90
) -> None:
    """Wait until the server at ``base`` answers /readyz; exit with its log if it dies or
    takes longer than ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(f"{base}/readyz", timeout=5).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"{name}: the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
