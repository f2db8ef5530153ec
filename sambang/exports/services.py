"""Answering a download: streamed at once when it can be, written in the background when
it is large (an XLSX of many rows), with its progress on the exports page.

A background export is never half-published. The file is written to an unnamed temporary
file; only when it is complete is it saved to the storage, under the job's own folder
(``exports/<job id>/``), and the job marked done — by a worker that still holds the job.
While it runs, the worker beats (``heartbeat_at``); a worker killed mid-way (SIGKILL, a lost
machine) stops beating, and :func:`exports_recover` — run by every ``sambang db_worker`` at
start and then every half lease — deletes whatever the dead attempt left in the job's
folder and queues the job again, or marks it failed with a message once its attempts are
spent.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.http import QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sambang.core.exports import Sheet, csv_lines, export_response, xlsx_file
from sambang.core.types import AuthenticatedHttpRequest

from .models import ExportJob, ExportStatus
from .tables import TABLES

# Stored in English and translated when the exports page shows them.
WORKER_LOST_RETRYING = gettext_noop(
    "The worker writing this file stopped; it is being written again."
)
WORKER_LOST_FAILED = gettext_noop(
    "The worker writing this file stopped before it was complete. Ask for the download again."
)


def export_table(request: AuthenticatedHttpRequest, name: str, fmt: str) -> HttpResponseBase:
    """The table ``name`` with the page's filters: CSV streams; a large XLSX becomes a job."""
    table = TABLES[name]
    rows = table.rows(request.user, request.GET)
    if fmt == "csv" or rows.count() <= settings.SAMBANG_EXPORT_INLINE_ROWS:
        return export_response(rows.iterator(chunk_size=2000), table.columns, name=name, fmt=fmt)
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("page", None)
    job = ExportJob.objects.create(
        user=request.user, table=name, params={"query": query.urlencode()}, fmt=fmt
    )
    from .tasks import export_run

    job.task_id = str(export_run.enqueue(str(job.pk)).id)
    job.save(update_fields=["task_id"])
    messages.info(request, _("The file is being written; it will be ready here."))
    return redirect("exports:list")


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _job_folder(job: ExportJob) -> str:
    return f"exports/{job.pk}"


def _discard_files(job: ExportJob) -> None:
    """Delete whatever an earlier attempt left in the job's folder (a half-saved file)."""
    folder = _job_folder(job)
    try:
        _folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{folder}/{name}")


class _Progress:
    """Rows written so far, shared with the thread that reports them."""

    done = 0


@contextmanager
def _heartbeat(job: ExportJob, progress: _Progress) -> Iterator[None]:
    """Report the rows written and beat for the job from a thread of its own, so that a long
    query or a slow upload never looks like a dead worker; the beat dies with the process.

    The writing thread itself never writes to the database while it reads the rows: on
    SQLite an open read may not turn into a write once another connection has written.
    """
    every = min(2.0, max(0.2, settings.SAMBANG_EXPORT_LEASE_SECONDS / 4))
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
                        done=progress.done, heartbeat_at=timezone.now()
                    )
                except Exception:  # noqa: S112 - a busy database: beat again later
                    continue
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"export-heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def export_job_run(job_id: str) -> ExportJob | None:
    """Write the job's file: the user's scoped rows as they are now, never half a file.

    Runs only a queued job (a job already done, failed or held by another worker is left
    alone) and publishes the file only while this worker still holds the job.
    """
    worker = _worker_name()
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker,
        heartbeat_at=timezone.now(),
        done=0,
    )
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if not claimed or job is None:
        return None
    _discard_files(job)
    table = TABLES[job.table]
    rows = table.rows(job.user, QueryDict(job.params.get("query", "")))
    held = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING, worker=worker)
    progress = _Progress()

    def counted(items: Any) -> Any:
        for number, item in enumerate(items, start=1):
            progress.done = number
            yield item

    try:
        with _heartbeat(job, progress):
            job.total = rows.count()
            held.update(total=job.total)
            source = counted(rows.iterator(chunk_size=2000))
            if job.fmt == "xlsx":
                handle = xlsx_file([Sheet(job.table, source, table.columns)])
            else:
                handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
                for line in csv_lines(source, table.columns):
                    handle.write(line.encode("utf-8"))
                handle.seek(0)
            # Complete now, in an unnamed temporary file: publish it.
            with handle:
                name = f"{job.pk}/{job.table}-{timezone.localdate():%Y-%m-%d}.{job.fmt}"
                job.file.save(name, File(handle), save=False)
            published = held.update(
                status=ExportStatus.DONE,
                done=job.total,
                file=job.file.name,
                error="",
                finished_at=timezone.now(),
            )
    except Exception as error:  # the page says what went wrong; nothing half-written is kept
        _discard_files(job)
        held.update(status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        raise
    if not published:  # the job was taken from this worker meanwhile: its file is not ours
        _discard_files(job)
        return None
    job.refresh_from_db()
    return job


def _worker_lost(*, lease_cutoff: dt.datetime) -> Q:
    return Q(status=ExportStatus.RUNNING) & (
        Q(heartbeat_at__lt=lease_cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=lease_cutoff)
    )


def exports_recover() -> list[ExportJob]:
    """Jobs whose worker stopped mid-way (no beat for a lease): the half-written leftovers are
    deleted, and the job is queued again while it has attempts left, else marked failed with
    a message its user reads on the exports page."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import export_run

    now = timezone.now()
    lost = _worker_lost(
        lease_cutoff=now - dt.timedelta(seconds=settings.SAMBANG_EXPORT_LEASE_SECONDS)
    )
    recovered = []
    for pk in ExportJob.objects.filter(lost).values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(lost, pk=pk).first()
            if job is None:  # another worker recovered it first
                continue
            _discard_files(job)
            if job.task_id:  # the task the dead worker held will never finish: say so
                DBTaskResult.objects.filter(pk=job.task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="sambang.exports.services.WorkerLost",
                    traceback=f"The worker {job.worker} stopped while running this task.",
                )
            job.done, job.worker, job.heartbeat_at = 0, "", None
            if job.attempts < settings.SAMBANG_EXPORT_ATTEMPTS:
                job.status, job.error = ExportStatus.QUEUED, WORKER_LOST_RETRYING
                job.task_id = str(export_run.enqueue(str(job.pk)).id)
            else:
                job.status, job.error = ExportStatus.FAILED, WORKER_LOST_FAILED
                job.finished_at = now
            job.save(
                update_fields=[
                    "status",
                    "error",
                    "done",
                    "worker",
                    "heartbeat_at",
                    "task_id",
                    "finished_at",
                ]
            )
        recovered.append(job)
    return recovered


def exports_recover_forever(*, stop: threading.Event) -> None:
    """Recover lost exports every half lease until ``stop`` is set (a worker's thread)."""
    every = max(1.0, settings.SAMBANG_EXPORT_LEASE_SECONDS / 2)
    while not stop.wait(every):
        close_old_connections()
        try:
            exports_recover()
        except Exception:  # noqa: S112 - a busy database: try again next time
            continue
