"""Report ingest through the API under concurrent load, against a bare insert.

Starts the production server (Gunicorn, ``sambang.config.gunicorn``) on the database in
``DATABASE_URL`` and drives it from a separate process (``bench/load.py``) with 1, 8
and 32 concurrent clients: officers filing reports with their tokens, each validated,
given its integrity signals and counted in the rollups. Baseline: the same row inserted
through the same database driver by as many clients, with nothing else done.
Then checks that every accepted report is in the database exactly once.

A database without units first gets a CI-sized country (one regency, one month).
``BENCH_SECONDS`` sets each run's length (default 20), ``BENCH_CLIENTS`` the levels.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import ensure_country, free_port, report, setup_django, wait_ready
from load import BASELINE_MARK

HERE = Path(__file__).resolve().parent
SECONDS = os.environ.get("BENCH_SECONDS", "20")
LEVELS = [int(n) for n in os.environ.get("BENCH_CLIENTS", "1,8,32").split(",")]
SECRET = "bench-" + "x" * 60


def officers_file(folder: str) -> str:
    from sambang.accounts.models import ApiToken
    from sambang.fieldwork.models import ActivityType
    from sambang.personnel.models import Assignment

    ensure_country()
    kind = ActivityType.objects.get(code="kegiatan-desa").pk
    officers = []
    # 64 officers spread over the country (every n-th), not neighbours of one Polsek: the
    # reports of one unit update the same rollup rows, and real load comes from everywhere.
    active = Assignment.objects.filter(
        end_date__isnull=True, officer__user__isnull=False, village__centroid_lat__isnull=False
    )
    ids = list(active.order_by("officer_id").values_list("pk", flat=True))
    picked = ids[:: max(len(ids) // 64, 1)][:64]
    assignments = active.filter(pk__in=picked).select_related("officer__user", "village")
    for assignment in assignments:
        officer = assignment.officer
        _token, key = ApiToken.issue(officer.user, "bench ingest")
        officers.append(
            {
                "token": key,
                "officer_id": officer.pk,
                "unit_id": officer.unit_id,
                "village": assignment.village_id,
                "lat": assignment.village.centroid_lat,
                "lng": assignment.village.centroid_lng,
                "activity_type_id": kind,
            }
        )
    path = Path(folder) / "officers.json"
    path.write_text(json.dumps(officers))
    return str(path)


def describe(run: dict[str, Any]) -> str:
    return (
        f"{run['per_second']:>7} /s   p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms,"
        f" p99 {run['p99_ms']} ms"
    )


def errors(run: dict[str, Any]) -> str:
    failed = {code: n for code, n in run["statuses"].items() if code not in ("200", "201")}
    return f"{failed} e.g. {run['error']}" if failed else "0"


def load(
    mode: str, target: str, clients: int, officers: str, seconds: str = SECONDS
) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(HERE / "load.py"), mode, target, str(clients), seconds, officers],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def main() -> None:
    vendor = setup_django()
    from django.db import connection

    from sambang.fieldwork.models import ActivityReport

    database_url = os.environ["DATABASE_URL"]
    with tempfile.TemporaryDirectory(prefix="sambang-ingest-") as folder:
        officers = officers_file(folder)
        connection.close()
        port = free_port()
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sambang.config.settings.production",
            "SECRET_KEY": SECRET,
            "SAMBANG_PLAIN_HTTP": "1",
            "SAMBANG_BIND": f"127.0.0.1:{port}",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        log = (Path(folder) / "server.log").open("w")
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:sambang.config.gunicorn"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_ready("ingest", base, server, Path(log.name), timeout_s=60)
            connection.close()
            figures: dict[str, str] = {}
            accepted: list[str] = []
            # Every server process answers a few reports first (a new process loads the
            # word lists and compiles its templates on its first report); not measured.
            load("api", base, max(LEVELS), officers, seconds="3")
            for clients in LEVELS:
                bare = load("sql", database_url, clients, officers)
                api = load("api", base, clients, officers)
                accepted += api["uuids"]  # type: ignore[arg-type]
                figures[f"{clients:>2} clients, bare insert"] = describe(bare)
                slower = float(bare["per_second"]) / max(float(api["per_second"]), 0.1)  # type: ignore[arg-type]
                figures[f"{clients:>2} clients, API"] = (
                    f"{describe(api)}   ({slower:.0f}× slower than bare; errors {errors(api)})"
                )
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        # The baseline's rows went around the rollups (and have nothing attached): they leave
        # with the run the same way, so that later benchmarks find the data as generated.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM fieldwork_activityreport WHERE review_comment = %s", [BASELINE_MARK]
            )
            figures["baseline rows removed after the run"] = f"{cursor.rowcount:,}"
        stored = set(
            str(u)
            for u in ActivityReport.objects.filter(uuid__in=accepted).values_list("uuid", flat=True)
        )
        figures["workers"] = (
            os.environ.get("WEB_CONCURRENCY", f"{2 * (os.cpu_count() or 1) + 1}")
            + " processes × 4 threads"
        )
        figures["accepted by the API"] = (
            f"{len(accepted):,}; in the database once each: {len(stored) == len(accepted)}"
        )
        report("Report ingest", vendor, figures)
        if len(stored) != len(accepted):
            sys.exit(f"ingest: {len(accepted) - len(stored)} accepted reports are missing")


if __name__ == "__main__":
    main()
