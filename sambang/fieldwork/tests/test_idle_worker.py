"""An idle report worker holds no lock: whenever it is stopped (a debugger, SIGSTOP as the
ingest benchmark pauses it, a process descheduled for long), a write elsewhere never waits
for it. On SQLite a transaction takes the database's write lock as it begins (the settings'
IMMEDIATE mode), so the worker must not begin one just to find that nothing waits."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="runs once, in the SQLite stage: the lock taken as a transaction begins is SQLite's",
)

STOPS = 60


def test_an_idle_worker_stopped_at_any_moment_holds_no_write_lock(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DATABASE_URL": f"sqlite:///{database}",
        "SAMBANG_DATA_DIR": str(tmp_path),
    }
    sambang = [sys.executable, "-m", "sambang"]
    migrated = subprocess.run(
        [*sambang, "migrate", "--no-input"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrated.returncode == 0, migrated.stderr
    worker = subprocess.Popen(
        [*sambang, "process", "--idle", "0.001"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    blocked = []
    try:
        assert worker.stdout is not None
        assert "Processing accepted reports" in worker.stdout.readline()
        time.sleep(1)  # connected (opening the file takes its lock a moment), polling since
        rng = random.Random(7)
        for stop in range(STOPS):
            time.sleep(rng.uniform(0, 0.005))
            worker.send_signal(signal.SIGSTOP)
            try:
                writer = sqlite3.connect(database, timeout=0.5, isolation_level=None)
                try:
                    writer.execute("BEGIN IMMEDIATE")
                    writer.execute("ROLLBACK")
                except sqlite3.OperationalError as error:
                    blocked.append(f"stop {stop}: {error}")
                finally:
                    writer.close()
            finally:
                worker.send_signal(signal.SIGCONT)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert not blocked, blocked
