"""A database restart: requests fail fast with 503 and ``Retry-After`` (the JSON error under
/api/, a short page elsewhere) instead of a 500 or a hung request, and a restart in the middle
of sustained load loses no report and duplicates none.

A restart is what clients of one database see when it stops taking connections and drops
the ones it has: ``ALTER DATABASE … WITH ALLOW_CONNECTIONS false`` and
``pg_terminate_backend``, on a database of this test's own (the shared server keeps running
for everyone else). PostgreSQL only: SQLite has no server to lose.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from sambang.fieldwork.models import ActivityReport
from sambang.testing.fieldwork import report_payload
from sambang.testing.outage import database_refusing_connections
from sambang.testing.world import World

BENCH = Path(__file__).resolve().parents[2] / "bench"
POSTGRES = connection.vendor == "postgresql"
pytestmark = [
    pytest.mark.skipif(
        not POSTGRES,
        reason="PostgreSQL only: set DATABASE_URL=postgres://… (SQLite has no server to restart)",
    ),
    # The database is cut off for real: no test transaction to roll back around it.
    pytest.mark.django_db(transaction=True),
    # What a request answers while the database is away; the report worker, which would
    # catch up after each request, cannot reach it either (it retries on its own schedule).
    pytest.mark.worker_behind,
]


def test_pages_and_the_api_answer_503_with_retry_after_while_the_database_is_down(
    world: World,
) -> None:
    key = world.tokens["officer"]
    page_client = Client(raise_request_exception=False)
    page_client.force_login(world.users["polres"])
    api_client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")
    assert page_client.get("/").status_code == 200
    assert api_client.get("/api/v1/reports/").status_code == 200

    connection.close()
    with database_refusing_connections(_server_url("postgres"), _test_database()):
        answers = []
        for client, path in [(page_client, "/"), (api_client, "/api/v1/reports/")]:
            started = time.monotonic()
            answers.append(client.get(path, HTTP_ACCEPT_LANGUAGE="en"))
            assert time.monotonic() - started < 3, "a refused connection answers at once"
    connection.close()

    page, api = answers
    for response in answers:
        assert response.status_code == 503, response.content[:500]
        assert int(response["Retry-After"]) > 0
        assert response["Cache-Control"] == "no-store"
    # The API's one error shape; the page is a short one of its own (no menu, no user).
    assert json.loads(api.content)["error"] == {
        "code": "unavailable",
        "message": "The service is briefly unavailable. Please send again in a moment.",
        "fields": {},
    }
    assert "Briefly unavailable" in page.content.decode()
    assert "<nav" not in page.content.decode()
    # Back up: the same session and token work again.
    assert page_client.get("/").status_code == 200
    assert api_client.get("/api/v1/reports/").status_code == 200


def test_a_report_refused_with_503_is_filed_once_when_sent_again(world: World) -> None:
    key = world.tokens["officer"]
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {key}")
    payload = report_payload(world)

    def send() -> int:
        return client.post("/api/v1/reports/", payload, content_type="application/json").status_code

    connection.close()
    with database_refusing_connections(_server_url("postgres"), _test_database()):
        refused = send()
    connection.close()
    assert refused == 503
    assert (send(), send()) == (201, 200)
    assert ActivityReport.objects.filter(uuid=payload["uuid"]).count() == 1


def _test_database() -> str:
    return str(connection.settings_dict["NAME"])


def _server_url(database: str) -> str:
    """A URL for ``database`` on the test database's server, with the same credentials."""
    settings = connection.settings_dict
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{settings['USER']}{password}@{host}/{database}"


@pytest.mark.parametrize(
    ("seconds", "outage_at", "outage_seconds"),
    [
        pytest.param(24, 8, 6, id="24 s"),  # every make test
        pytest.param(180, 60, 20, id="3 min", marks=pytest.mark.long),  # make test-long
    ],
)
def test_a_database_restart_under_load_loses_no_record_and_duplicates_none(
    tmp_path: Path, seconds: int, outage_at: int, outage_seconds: int
) -> None:
    """Officers, supervisors and residents through the production server; the database refuses connections
    for a while in the middle. Every 503 carries Retry-After and the driver sends the same
    record again; afterwards each record is in the database exactly once."""
    name = f"{_test_database().removeprefix('test_')}_outage"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "soak.py"),
            *("--seconds", str(seconds), "--outage-at", str(outage_at)),
            *("--outage-seconds", str(outage_seconds)),
            *("--workers", "3", "--residents", "3"),
            *("--database", _server_url(name), "--fresh"),
            *("--json", str(tmp_path / "result.json")),
        ],
        cwd=BENCH,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=seconds + 300,
    )
    assert (tmp_path / "result.json").exists(), done.stdout + done.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    outage = result["outage"]
    assert outage["unavailable"] > 0, "the outage was seen as 503s"
    assert outage["without_retry_after"] == 0
    assert outage["slowest_503_ms"] < 10_000, "a 503 comes at once, not after a hang"
    assert result["client_failures"] == []
    # 503s outside the outage, 500s, anything else: none.
    assert result["statuses_unexpected"] == {}, result["error_samples"]
    assert result["max_latency_s"] < 30, "every request answered within the client's timeout"
    records = result["records"]
    assert records["reports"]["missing"] == [] and records["reports"]["duplicates"] == 0
    assert records["reports"]["acknowledged"] == records["reports"]["found"] > 0
    # Every report sent was at last acknowledged: the retries got through after the outage.
    assert records["reports"]["attempted"] == records["reports"]["acknowledged"]
    assert records["photos"]["missing"] == [] and records["photos"]["duplicates"] == 0
    assert records["public"]["missing"] == [] and records["public"]["duplicates"] == 0
    print(done.stdout)  # the figures, with pytest -s
