"""A load generator, run as its own process: N clients for a while, each on one
keep-alive connection, then one JSON line of results on standard output.

    python bench/load.py api  <base-url> <clients> <seconds> <officers.json>
    python bench/load.py photo <base-url> <clients> <seconds> <officers.json> <photo.jpg>
    python bench/load.py sql  <database-url> <clients> <seconds> <officers.json>
    python bench/load.py mix  <base-url> <seconds> <actors.json>

``api`` files officers' reports through ``POST /api/v1/reports/`` (token authentication,
validation, the report stored for the worker). ``photo`` files a report, then uploads the
photo to it (``PUT /api/v1/reports/<uuid>/photos/<photo-uuid>``), and again; its latencies
are the photos'. ``sql`` is the baseline: the same row
inserted directly through the same database driver, one statement per report.
``officers.json`` lists ``{"token", "officer_id", "unit_id", "village", "lat", "lng",
"activity_type_id"}`` objects.

``mix`` is the soak's load (``bench/soak.py``, see ``mix.py``): officers filing reports and
photos, supervisors reading dashboards, residents filing public reports, each retrying
a 503 after its ``Retry-After`` as a client would.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import json
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BASELINE_MARK = "bench-baseline"  # marks the baseline's rows (they bypass the rollups)
ACTIVITIES = ["kegiatan-desa", "pembinaan-siskamling", "pelayanan-polisi", "penyuluhan"]
PLACES = ["balai desa", "masjid", "pos kamling", "pasar", "sekolah", "lapangan", "posyandu"]
TOPICS = ["ronda malam", "balap liar", "banjir musiman", "parkir liar", "judi online"]


def narrative(rng: random.Random) -> str:
    return (
        f"Bersama warga di {rng.choice(PLACES)} membahas {rng.choice(TOPICS)} dan "
        f"{rng.choice(TOPICS)}; hadir {rng.randint(3, 60)} orang, disepakati piket bergilir "
        f"mulai pekan ke-{rng.randint(1, 4)} dan laporan cepat lewat grup warga RW "
        f"{rng.randint(1, 12)}."
    )


def report(rng: random.Random, officer: dict[str, Any]) -> dict[str, Any]:
    occurred = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randint(30, 600))
    return {
        "uuid": str(uuid.uuid4()),
        "activity_type": rng.choice(ACTIVITIES),
        "village": officer["village"],
        "occurred_at": occurred.isoformat(),
        "latitude": officer["lat"] + rng.uniform(-0.004, 0.004),
        "longitude": officer["lng"] + rng.uniform(-0.004, 0.004),
        "accuracy_m": rng.randint(4, 30),
        "narrative": narrative(rng),
        "outcome": "Warga sepakat menjalankan piket bergilir dan melapor lewat grup RW.",
        "participants": rng.randint(3, 60),
    }


def multipart(photo: bytes) -> tuple[bytes, str]:
    """A photo as the body of a form upload (field ``file``), and its content type."""
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class ApiClient:
    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    error = ""

    def send(self, officer: dict[str, Any], body: dict[str, Any]) -> int:
        self.connection.request(
            "POST",
            "/api/v1/reports/",
            body=json.dumps(body),
            headers={
                "Authorization": f"Token {officer['token']}",
                "Content-Type": "application/json",
            },
        )
        return self._answer()

    def send_photo(self, officer: dict[str, Any], report_uuid: str, photo: bytes) -> int:
        body, content_type = multipart(photo)
        self.connection.request(
            "PUT",
            f"/api/v1/reports/{report_uuid}/photos/{uuid.uuid4()}",
            body=body,
            headers={"Authorization": f"Token {officer['token']}", "Content-Type": content_type},
        )
        return self._answer()

    def _answer(self) -> int:
        response = self.connection.getresponse()
        answer = response.read()
        if response.status >= 400 and not ApiClient.error:
            ApiClient.error = answer.decode(errors="replace")[:300]
        return response.status


class SqlClient:
    """The bare insert: the report's row, nothing else."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:"):
            import sqlite3

            self.connection: Any = sqlite3.connect(
                url.removeprefix("sqlite:///"), timeout=30, isolation_level=None
            )
            self.mark = "?"
        else:
            import psycopg

            self.connection = psycopg.connect(url, autocommit=True)
            self.mark = "%s"

    def send(self, officer: dict[str, Any], body: dict[str, Any]) -> int:
        columns = (
            "uuid, officer_id, unit_id, activity_type_id, village_id, occurred_at, latitude, "
            "longitude, accuracy_m, narrative, participants, partners, partners_other, outcome, "
            "state, submitted_at, review_comment, late_reason, integrity_level, "
            "integrity_signals, pending, content_hash, created_at, updated_at"
        )
        now = dt.datetime.now(dt.UTC)
        the_uuid = uuid.UUID(body["uuid"])
        values = (
            the_uuid.hex if self.mark == "?" else the_uuid,
            officer["officer_id"],
            officer["unit_id"],
            officer["activity_type_id"],
            body["village"],
            body["occurred_at"],
            body["latitude"],
            body["longitude"],
            body["accuracy_m"],
            body["narrative"],
            body["participants"],
            "[]",
            "",
            "",
            "sent",
            now.isoformat(),
            BASELINE_MARK,  # review_comment: the rows are deleted after the run
            "",  # late_reason
            "",  # integrity_level: the worker's to give
            "[]",
            True,  # pending: waiting for the worker, as an accepted report is
            hashlib.sha256(json.dumps(body).encode()).hexdigest(),
            now.isoformat(),
            now.isoformat(),
        )
        marks = ", ".join([self.mark] * len(values))
        self.connection.execute(
            f"INSERT INTO fieldwork_activityreport ({columns}) VALUES ({marks})",
            values,
        )
        return 201


def main() -> None:
    if sys.argv[1] == "mix":
        from mix import main as mix_main

        mix_main(sys.argv[2:])
        return
    mode, target, clients, seconds, officers_file = sys.argv[1:6]
    officers = json.loads(Path(officers_file).read_text())
    photo = Path(sys.argv[6]).read_bytes() if mode == "photo" else b""
    deadline = time.monotonic() + float(seconds)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    uuids: list[str] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        try:
            run(index)
        except BaseException as error:  # reported below: a dead client must not look idle
            failures.append(error)
            raise

    def run(index: int) -> None:
        rng = random.Random(index)
        client: Any = SqlClient(target) if mode == "sql" else ApiClient(target)
        # The baseline writes for the other half of the officers: its rows must not swell
        # the days whose rollups the API recomputes.
        half = max(len(officers) // 2, 1)
        officer = officers[(index % half) + (half if mode == "sql" and len(officers) > 1 else 0)]
        mine: list[tuple[float, int, str]] = []
        while time.monotonic() < deadline:
            body = report(rng, officer)
            start = time.perf_counter()
            try:
                status = client.send(officer, body)
                if mode == "photo" and status == 201:
                    start = time.perf_counter()
                    status = client.send_photo(officer, body["uuid"], photo)
            except (OSError, http.client.HTTPException):
                status = 599
                client = SqlClient(target) if mode == "sql" else ApiClient(target)
            mine.append((time.perf_counter() - start, status, body["uuid"]))
        with lock:
            for took, status, the_uuid in mine:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
                if status in (200, 201):
                    uuids.append(the_uuid)

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(int(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        sys.exit(f"load: {len(failures)} clients failed: {failures[0]!r}")
    latencies.sort()

    def cut(q: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
        )

    print(
        json.dumps(
            {
                "mode": mode,
                "clients": int(clients),
                "seconds": round(elapsed, 2),
                "requests": len(latencies),
                "per_second": round(len(latencies) / elapsed, 1),
                "p50_ms": round(cut(0.50), 1),
                "p95_ms": round(cut(0.95), 1),
                "p99_ms": round(cut(0.99), 1),
                "statuses": statuses,
                "uuids": uuids,
                "error": ApiClient.error,
            }
        )
    )


if __name__ == "__main__":
    main()
