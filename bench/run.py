"""Run every benchmark on SQLite and, when reachable, PostgreSQL; print the figures.

    make bench                         # both databases
    python bench/run.py village_lookup         # one benchmark
    BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 python bench/run.py

Each benchmark gets a fresh database: a SQLite file in a temporary folder, and a
``sambang_bench`` database on the PostgreSQL server, dropped afterwards.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    "regions_load",
    "village_lookup",
    "officer_app",
    "anev",
    "maps",
    "planning",
    "alerts",
    "export",
    "ingest",
    "uploads",
    "soak",
]
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = "sambang_bench"


def postgres_admin(sql: str) -> bool:
    """Run one statement on the server's maintenance database; False when unreachable."""
    import psycopg

    try:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(sql)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL at {POSTGRES} is unreachable ({error}); skipping it.", file=sys.stderr)
        return False
    return True


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def run(name: str, database_url: str, data_dir: str) -> int:
    env = {**os.environ, "DATABASE_URL": database_url, "SAMBANG_DATA_DIR": data_dir}
    return subprocess.call([sys.executable, str(HERE / f"{name}.py")], env=env, cwd=HERE)


def main() -> int:
    names = sys.argv[1:] or BENCHMARKS
    cpu = cpu_model()
    print(
        f"# Sambang benchmarks, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n"
        f"{platform.node()}: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    failed = 0
    for name in names:
        with tempfile.TemporaryDirectory(prefix="sambang-bench-") as data_dir:
            failed += run(name, f"sqlite:///{data_dir}/bench.sqlite3", data_dir) != 0
            if postgres_admin(f"DROP DATABASE IF EXISTS {BENCH_DB}") and postgres_admin(
                f"CREATE DATABASE {BENCH_DB}"
            ):
                failed += run(name, f"{POSTGRES}/{BENCH_DB}", data_dir) != 0
                postgres_admin(f"DROP DATABASE IF EXISTS {BENCH_DB}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
