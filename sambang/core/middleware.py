"""Deny by default (every page needs a login unless it is explicitly public), and the
request log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase


class LoginRequiredByDefaultMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, leaving the JSON API to its own authentication.

    Views open to anyone are marked with ``django.contrib.auth.decorators.login_not_required``.
    API views authenticate tokens inside DRF, which denies anonymous requests by default
    (``IsAuthenticated``) with the JSON error shape instead of a redirect.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


request_log = logging.getLogger("sambang.request")


class RequestLogMiddleware:
    """One log line per request, with the fields a log collector indexes: method, path,
    status, duration and user (production logs them as JSON). The query string is left
    out: it may hold a resident's tracking code or a search for a person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - start) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
