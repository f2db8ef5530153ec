"""Answering a download: streamed at once when it can be, written in the background when
it is large (an XLSX of many rows), with its progress on the exports page."""

from __future__ import annotations

import tempfile
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files import File
from django.http import QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.exports import Sheet, csv_lines, export_response, xlsx_file
from sambang.core.types import AuthenticatedHttpRequest

from .models import ExportJob, ExportStatus
from .tables import TABLES

PROGRESS_EVERY = 2000


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

    export_run.enqueue(str(job.pk))
    messages.info(request, _("The file is being written; it will be ready here."))
    return redirect("exports:list")


def export_job_run(job: ExportJob) -> ExportJob:
    """Write the job's file: the user's scoped rows as they are now, never half a file."""
    table = TABLES[job.table]
    rows = table.rows(job.user, QueryDict(job.params.get("query", "")))
    job.status, job.total, job.done = ExportStatus.RUNNING, rows.count(), 0
    job.save(update_fields=["status", "total", "done"])

    def counted(items: Any) -> Any:
        for number, item in enumerate(items, start=1):
            if number % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=number)
            yield item

    try:
        source = counted(rows.iterator(chunk_size=2000))
        if job.fmt == "xlsx":
            handle = xlsx_file([Sheet(job.table, source, table.columns)])
        else:
            handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
            for line in csv_lines(source, table.columns):
                handle.write(line.encode("utf-8"))
            handle.seek(0)
        with handle:
            name = f"{job.table}-{timezone.localdate():%Y-%m-%d}.{job.fmt}"
            job.file.save(name, File(handle), save=False)
    except Exception as error:  # the page says what went wrong; nothing half-written is kept
        job.status, job.error = ExportStatus.FAILED, str(error)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status, job.done, job.finished_at = ExportStatus.DONE, job.total, timezone.now()
    job.save(update_fields=["status", "done", "file", "finished_at"])
    return job
