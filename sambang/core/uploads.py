"""Photo uploads, bounded before any of their body is read.

A view that takes photos says so with ``@accepts_photos(field, most)`` (on an API view, its
``as_view()`` in the URLconf). For its requests, ``UploadLimitMiddleware``, placed before
anything that reads a body:

- refuses a body larger than ``most`` photos and the form's text can be (``Content-Length``)
  with a 413 naming the field, before reading any of it;
- streams each file to a temporary file past Django's ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (a small
  request stays in memory) and stops keeping it at ``SAMBANG_PHOTO_MAX_BYTES``: the view
  receives a ``TooLargeUpload`` in its place, which the photo check refuses by its size, on
  the field, like any other photo too large;
- drops every file unread when the view's ``files_refused(request)`` says so: the residents'
  forms, from an address that has used up its reports (the text is still read, so the page
  can show it again with the refusal).

What is stored is then decided by ``fieldwork.photos.check_photo``, which reads each file's
header before decoding any of it.

Every other route's body is bounded too: above ``SAMBANG_MAX_BODY_BYTES`` (the largest
import file, 32 MB by default) it is a 413 before any of it is read. Django itself keeps
at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` of a body that is not a file in memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from sambang.core.errors import error_body

View = TypeVar("View", bound=Callable[..., Any])
BODY_METHODS = ("POST", "PUT", "PATCH")


@dataclass(frozen=True)
class PhotoUploads:
    field: str
    most: int
    files_refused: Callable[[HttpRequest], bool] | None = None


def accepts_photos(
    field: str, most: int, *, files_refused: Callable[[HttpRequest], bool] | None = None
) -> Callable[[View], View]:
    """Mark a view as taking up to ``most`` photos in ``field`` (see the module's docstring)."""

    def mark(view: View) -> View:
        view.photo_uploads = PhotoUploads(field, most, files_refused)  # type: ignore[attr-defined]
        return view

    return mark


class TooLargeUpload(UploadedFile):
    """A file cut off at the cap: its name and the size sent, none of its content."""

    def __init__(self, name: str, content_type: str, size: int, charset: str | None) -> None:
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class CappedUploadHandler(FileUploadHandler):
    """Passes each file's chunks on to Django's handlers (memory, then a temporary file)
    until ``max_bytes``; past it, keeps none of them and counts the rest."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        return raw_data if self.received <= self.max_bytes else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.max_bytes:
            return None  # the next handler's file
        return TooLargeUpload(
            self.file_name or "", self.content_type or "", self.received, self.charset
        )


class RefusedFilesHandler(FileUploadHandler):
    """Skips every file: its bytes are read off the connection and kept nowhere."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        return None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        return None


def _photo_uploads(request: HttpRequest) -> PhotoUploads | None:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return None
    spec = getattr(view, "photo_uploads", None)
    return spec if isinstance(spec, PhotoUploads) else None


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def body_limit(spec: PhotoUploads) -> int:
    """The largest body a photo route reads: its photos at the largest size, and its text."""
    text = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440
    return int(spec.most * settings.SAMBANG_PHOTO_MAX_BYTES + text)


def _too_large(request: HttpRequest, spec: PhotoUploads, length: int) -> HttpResponseBase:
    message = _(
        "%(size)s MB were sent; at most %(limit)s MB can be sent at once "
        "(%(count)s photos of at most %(each)s MB)."
    ) % {
        "size": round(length / 1e6, 1),
        "limit": round(body_limit(spec) / 1e6),
        "count": spec.most,
        "each": round(settings.SAMBANG_PHOTO_MAX_BYTES / 1e6),
    }
    if request.path_info.startswith("/api/"):
        body = error_body("too_large", message, {spec.field: [message]})
        return JsonResponse(body, status=413)
    context = {"status": 413, "message": message}
    return render(request, "core/error.html", context, status=413)


def _body_too_large(request: HttpRequest, length: int) -> HttpResponseBase:
    message = _("%(size)s MB were sent; at most %(limit)s MB can be sent at once.") % {
        "size": round(length / 1e6, 1),
        "limit": round(settings.SAMBANG_MAX_BODY_BYTES / 1e6),
    }
    if request.path_info.startswith("/api/"):
        multipart = (request.content_type or "").startswith("multipart/")
        body = error_body("too_large", message, {"file": [message]} if multipart else {})
        return JsonResponse(body, status=413)
    return render(request, "core/error.html", {"status": 413, "message": message}, status=413)


class UploadLimitMiddleware:
    """Bounds every body before anything reads it, the photo routes' to their photos (the
    module's docstring). It must come before any middleware that reads ``request.POST``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in BODY_METHODS:
            return self.get_response(request)
        spec = _photo_uploads(request)
        if spec is None and _content_length(request) > settings.SAMBANG_MAX_BODY_BYTES:
            return _body_too_large(request, _content_length(request))
        if spec is not None:
            length = _content_length(request)
            if length > body_limit(spec):
                return _too_large(request, spec, length)
            if spec.files_refused is not None and spec.files_refused(request):
                request.upload_handlers = [RefusedFilesHandler(request)]
            else:
                capped = CappedUploadHandler(request, settings.SAMBANG_PHOTO_MAX_BYTES)
                request.upload_handlers = [capped, *request.upload_handlers]
        return self.get_response(request)
