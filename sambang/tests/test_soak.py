"""The production server (Granian) and the report worker (``sambang process``) under a
sustained mix of work, driven from another process (``bench/soak.py``): officers' reports
and photos, supervisors' dashboards, residents' public reports. Nothing may fail, memory
must stay flat, every record acknowledged must be in the database exactly once, and the
worker must have processed every report and photo once the load stops. A short run in every
``make test``; ten minutes with ``SAMBANG_LONG_TESTS=1`` (``make test-long``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

BENCH = Path(__file__).resolve().parents[2] / "bench"
POSTGRES = connection.vendor == "postgresql"
pytestmark = pytest.mark.skipif(
    not POSTGRES,
    reason="PostgreSQL only: the server's processes writing one SQLite file are not the "
    "production stack (set DATABASE_URL=postgres://…)",
)


def soak(tmp_path: Path, *arguments: str, timeout: int) -> dict[str, Any]:
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    # A database of the run's own, beside the suite's (test_<name> → <name>_soak).
    name = str(settings["NAME"]).removeprefix("test_") + "_soak"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "soak.py"),
            *arguments,
            "--database",
            f"postgres://{settings['USER']}{password}@{host}/{name}",
            "--fresh",
            "--json",
            str(tmp_path / "soak.json"),
        ],
        cwd=BENCH,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert (tmp_path / "soak.json").exists(), done.stdout + done.stderr
    result: dict[str, Any] = json.loads((tmp_path / "soak.json").read_text())
    print(done.stdout)  # the figures, with pytest -s
    return result


def assert_held_up(result: dict[str, Any]) -> None:
    assert result["client_failures"] == []
    assert result["statuses_unexpected"] == {}, (
        result["error_samples"],
        result["server_log_problems"],
    )
    kinds = result["by_kind"]
    for kind in ("report", "photo", "public report", "dashboard", "unit page", "anev page"):
        assert kinds.get(kind, {}).get("requests", 0) > 0, f"no {kind} in the mix"
    assert result["max_latency_s"] < 30  # answered within the client's timeout
    assert result["memory"]["flat"], result["memory"]
    for name, records in result["records"].items():
        assert records["missing"] == [], name
        assert records["duplicates"] == 0, name
        assert records["found"] == records["acknowledged"] > 0, name
    processing = result["processing"]
    assert processing["drained"], (processing, result["worker_log_problems"])
    assert processing["worker_exit"] is None, result["worker_log_problems"]
    assert result["records"]["reports"]["pending"] == 0
    assert set(result["records"]["photos"]["states"]) == {"ready"}


def test_the_server_holds_a_mixed_load_without_errors_with_flat_memory(tmp_path: Path) -> None:
    result = soak(tmp_path, "--seconds", "40", "--workers", "3", "--residents", "3", timeout=300)
    assert_held_up(result)


@pytest.mark.long
def test_the_server_holds_ten_minutes_of_mixed_load(tmp_path: Path) -> None:
    result = soak(tmp_path, "--minutes", "10", "--memory-every", "5", timeout=1200)
    assert_held_up(result)
