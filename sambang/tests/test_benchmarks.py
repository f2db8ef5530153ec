"""The benchmarks in ``bench/`` run, at CI size, and print their figures: a check that
they measure what they say (their speed is recorded in BENCHMARKS.md, not asserted)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[2] / "bench"

# The benchmarks write a SQLite file of their own, whatever the suite's database: the
# PostgreSQL stage would only repeat them (`make bench` measures them on PostgreSQL too).
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="runs once, in the SQLite stage: a benchmark uses a database of its own",
)

SMALL = {
    "BENCH_SAMPLES": "3",
    "BENCH_SECONDS": "1",
    "BENCH_PHOTO_SECONDS": "1",
    "BENCH_BESIDE_CLIENTS": "4",
    "BENCH_WARM_UP_SECONDS": "1",
    "BENCH_CLIENTS": "1,4",
    "BENCH_EXPORT_ROWS": "500",
    "BENCH_ROUNDS": "1",
    "BENCH_TIME_LIMIT": "1",
    "BENCH_YEARS": "1",
    "BENCH_WEEKS": "2",
    "SAMBANG_WEEK_ROUTE_SECONDS": "0.1",
}


def _environment(database: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        **SMALL,
        "DATABASE_URL": f"sqlite:///{database}",
        "SAMBANG_DATA_DIR": str(database.parent),
    }


@pytest.fixture(scope="module")
def small_country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The CI-sized country each benchmark would generate for itself (``common.ensure_country``),
    migrated and generated once: migrating a new SQLite file is most of a small benchmark's
    time. Each benchmark runs on a copy of it."""
    database = tmp_path_factory.mktemp("country") / "bench.sqlite3"
    subprocess.run(
        [sys.executable, "-c", "import common; common.setup_django(); common.ensure_country()"],
        cwd=BENCH,
        env=_environment(database),
        check=True,
        timeout=600,
    )
    return database


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("anev.py", ["national Anev page", "polsek home dashboard", "baseline: /healthz"]),
        ("maps.py", ["Polda Gi* hot spots", "Polres village layer", "baseline: /healthz"]),
        (
            "planning.py",
            [
                "Polsek recommendation",
                "Polres, every village, Gini",
                "baseline: reading a Polsek",
                "officer's week",
            ],
        ),
        (
            "alerts.py",
            ["drawn history", "weekly run", "per Polsek-month", "a village-week counted again"],
        ),
        ("export.py", ["CSV", "XLSX", "baseline: read only", "reports (from"]),
        (
            "ingest.py",
            [
                "1 clients, CPU per accepted report",
                "4 clients, bare insert",
                "4 clients, processed",
                "photos: CPU per report + photo, processed",
                "worker beside: processed meanwhile",
                "once each: True; not processed: 0",
                "rows removed",
            ],
        ),
        (
            "uploads.py",
            ["baseline: a phone photo", "the attack: a JPEG of 50 megapixels", "0 photos kept"],
        ),
    ],
)
def test_a_benchmark_runs_on_a_small_generated_country(
    script: str, expected: list[str], small_country: Path, tmp_path: Path
) -> None:
    database = tmp_path / "bench.sqlite3"
    shutil.copyfile(small_country, database)
    done = subprocess.run(
        [sys.executable, script],
        cwd=BENCH,
        env=_environment(database),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for figure in expected:
        assert figure in done.stdout, done.stdout
