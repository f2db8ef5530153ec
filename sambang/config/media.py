"""Uploaded files, served only to those who may see the record they belong to.

Photos of field reports and of residents' reports, and finished downloads, are found by
the record that holds them and then checked through ``sambang.access`` (a download: its
owner only); an officer's portrait is public (residents see it on the report form and the
schedule board). A file that no record holds is a 404 for everyone, as is a record out of
the reader's scope. Before this view, the development server served the whole media folder
to anyone. Production with a bucket links to signed URLs instead (``STORAGES``); on a
file system, pages link here.
"""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sambang import access
from sambang.exports.models import ExportJob
from sambang.fieldwork.models import ReportPhoto
from sambang.personnel.models import Officer
from sambang.public.models import CitizenAttachment


def _may_read(request: HttpRequest, name: str) -> bool:
    """Whether the file ``name`` belongs to a record the request's user may see."""
    user = request.user
    if name.startswith("officers/"):
        return Officer.objects.filter(photo=name).exists()
    if not user.is_authenticated:
        return False
    if name.startswith("reports/"):
        photo = ReportPhoto.objects.filter(Q(image=name) | Q(thumbnail=name)).first()
        return photo is not None and (
            access.reports_for_user(user).filter(pk=photo.report_id).exists()
        )
    if name.startswith("citizen/"):
        attachment = CitizenAttachment.objects.filter(Q(image=name) | Q(thumbnail=name)).first()
        return attachment is not None and (
            access.citizen_reports_for_user(user).filter(pk=attachment.report_id).exists()
        )
    if name.startswith("exports/"):
        return ExportJob.objects.filter(file=name, user=user).exists()
    return False


@login_not_required  # an officer's portrait is public; everything else is checked below
@require_GET
@never_cache
def media(request: HttpRequest, name: str) -> FileResponse:
    """One uploaded file, to a reader who may see the record it belongs to; else 404."""
    if ".." in name.split("/") or not _may_read(request, name):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    if name.startswith("exports/"):
        response["Content-Disposition"] = f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
