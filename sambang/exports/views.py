"""The user's background downloads: their progress, and the file once written."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from sambang.core.types import AuthenticatedHttpRequest

from .models import ExportJob, ExportStatus


def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    jobs = list(ExportJob.objects.filter(user=request.user)[:20])
    pending = any(j.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for j in jobs)
    return render(request, "exports/list.html", {"jobs": jobs, "pending": pending})


def export_download(request: AuthenticatedHttpRequest, pk: str) -> FileResponse:
    """Only the user who asked for the file downloads it."""
    job = ExportJob.objects.filter(pk=pk, user=request.user, status=ExportStatus.DONE).first()
    if job is None or not job.file:
        raise Http404
    name = (job.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name)
