"""A worker killed (SIGKILL) in the middle of an export, or an import killed mid-way, never
leaves half a result: the export is written again by the next worker, or marked failed with
a message on the exports page, and no partial file is ever stored or downloadable; the
import leaves none of its rows.

Real processes: ``sambang db_worker`` and ``sambang officers import`` run as subprocesses
against the test's committed database and are killed with SIGKILL mid-run."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from sambang.exports.models import ExportJob, ExportStatus
from sambang.exports.services import WORKER_LOST_FAILED
from sambang.fieldwork.models import ActivityReport
from sambang.personnel.models import Officer, Role
from sambang.testing.databases import committed_database
from sambang.testing.fieldwork import report_payload
from sambang.testing.world import World, build_world

pytestmark = pytest.mark.django_db(transaction=True)  # the worker is another process

SAMBANG = str(Path(sys.executable).parent / "sambang")
KILL_AFTER = 2000  # rows written when the worker is killed
REPORTS = 12 * KILL_AFTER  # enough that the kill comes well before the end
LEASE_SECONDS = 2


@pytest.fixture
def site(tmp_path: Path, settings: Any) -> Iterator[dict[str, str]]:
    """The environment of a ``sambang`` subprocess working on the test's own data."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SAMBANG_EXPORT_INLINE_ROWS = 0  # every XLSX goes to the worker
    with committed_database(tmp_path) as url:
        yield {
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "SAMBANG_EXPORT_LEASE_SECONDS": str(LEASE_SECONDS),
        }


def many_reports(world: World, count: int) -> None:
    """One report filed through the API, and copies of it up to ``count``."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[Role.OFFICER]}")
    payload = report_payload(world)
    assert client.post("/api/v1/reports/", payload, format="json").status_code == 201
    first = ActivityReport.objects.get(uuid=payload["uuid"])
    values = {
        f.attname: getattr(first, f.attname)
        for f in ActivityReport._meta.concrete_fields
        if f.name not in ("id", "uuid")
    }
    ActivityReport.objects.bulk_create(
        [ActivityReport(**values, uuid=uuid.uuid4()) for _ in range(count - 1)], batch_size=2000
    )


def stored_files(media: Path) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def wait_for(condition: Any, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while not condition():
        assert process.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.05)


def worker_killed_mid_export(site: dict[str, str], job: ExportJob, log: Path) -> int:
    """Start a worker, SIGKILL it once it has written part of the file; the row it reached."""
    with log.open("w") as sink:
        worker = subprocess.Popen(
            [SAMBANG, "db_worker", "--no-startup-delay", "--no-reload", "--interval", "0.2"],
            env=site,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: ExportJob.objects.filter(pk=job.pk, done__gte=KILL_AFTER).exists(),
            worker,
            log,
        )
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    job.refresh_from_db()
    return job.done


@pytest.mark.parametrize("attempts", [2, 1], ids=["retried", "failed"])
def test_an_export_whose_worker_is_killed_is_written_again_or_failed_never_half_published(
    site: dict[str, str], tmp_path: Path, attempts: int
) -> None:
    world = build_world()
    many_reports(world, REPORTS)
    polres = Client()
    polres.force_login(world.users[Role.POLRES])
    assert polres.get("/field/reports/?export=xlsx").status_code == 302
    job = ExportJob.objects.get()
    media = tmp_path / "media"

    reached = worker_killed_mid_export(site, job, tmp_path / "worker.log")

    assert job.status == ExportStatus.RUNNING
    assert KILL_AFTER <= reached < job.total == REPORTS
    assert stored_files(media) == []  # nothing of the half-written file is stored
    assert polres.get(f"/exports/{job.pk}/download/").status_code == 404
    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's lease runs out

    recovery = subprocess.run(
        [SAMBANG, "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        env={**site, "SAMBANG_EXPORT_ATTEMPTS": str(attempts)},
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert recovery.returncode == 0, recovery.stderr
    assert f"Export {job.pk}: worker lost" in recovery.stdout
    job.refresh_from_db()
    first_task = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first_task is not None
    assert first_task.status == TaskResultStatus.FAILED
    assert first_task.exception_class_path.endswith("WorkerLost")
    page = polres.get("/exports/").content.decode()
    download = polres.get(f"/exports/{job.pk}/download/")
    if attempts == 1:
        assert (job.status, job.attempts, job.error) == (ExportStatus.FAILED, 1, WORKER_LOST_FAILED)
        assert WORKER_LOST_FAILED in page
        assert download.status_code == 404
        assert stored_files(media) == []
        return
    assert (job.status, job.attempts, job.error) == (ExportStatus.DONE, 2, "")
    assert download.status_code == 200
    assert stored_files(media) == [job.file.name]
    book = openpyxl.load_workbook(io.BytesIO(download.getvalue()), read_only=True)
    assert sum(1 for _ in book.active.iter_rows(min_row=2)) == REPORTS
    assert f"/exports/{job.pk}/download/" in page


def importer_is_writing(site: dict[str, str]) -> bool:
    """True while another process holds an open write transaction on the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            )
            return bool(cursor.fetchone()[0])
    probe = sqlite3.connect(site["DATABASE_URL"].removeprefix("sqlite:///"), timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # "database is locked": the importer writes
        return True
    finally:
        probe.close()  # rolls back our probe at once
    return False


def test_an_import_killed_mid_way_leaves_none_of_its_rows(
    site: dict[str, str], tmp_path: Path
) -> None:
    build_world()
    before = Officer.objects.count()
    rows = 10_000
    officers = tmp_path / "officers.csv"
    officers.write_text(
        "nrp,name,rank,unit_code,education\n"
        + "".join(f"{90000000 + n},Officer {n},bripka,POLSEK-A1A,sma\n" for n in range(rows))
    )
    log = tmp_path / "import.log"
    with log.open("w") as sink:
        importer = subprocess.Popen(
            [SAMBANG, "officers", "import", str(officers)],
            env=site,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: importer_is_writing(site), importer, log)
        time.sleep(0.5)  # well into its rows
    finally:
        importer.send_signal(signal.SIGKILL)
    assert importer.wait(timeout=30) == -signal.SIGKILL  # killed, not finished

    assert Officer.objects.count() == before

    again = subprocess.run(
        [SAMBANG, "officers", "import", str(officers)],
        env=site,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert Officer.objects.count() == before + rows
