"""Deny by default (every page needs a login unless it is explicitly public), the language
the user chose, the request log, and a short 503 when the database is unavailable."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation

from sambang.core.errors import (
    DATABASE_UNAVAILABLE,
    RETRY_AFTER_SECONDS,
    log_database_unavailable,
    unavailable_body,
)


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


def _user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id, or None; None too when the database is unavailable (the
    user is read from the session the first time it is asked for)."""
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DATABASE_UNAVAILABLE:
        return None


class RequestLogMiddleware:
    """One log line per request, with the fields a log collector indexes: method, path,
    status, duration and user (production logs them as JSON). The query string is left
    out: it may hold a resident's tracking code or a search for a person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
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
                "user_id": _user_id(request),
            },
        )
        return response


_UNAVAILABLE = "_sambang_database_unavailable"


def database_unavailable_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with ``Retry-After``: the JSON error under /api/, a short page elsewhere.

    The page is rendered without the request's context (no user, no session, no menu):
    all of those would read the database that has just failed."""
    log_database_unavailable(request.method, request.path, error)
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse(unavailable_body(), status=503)
    else:
        with translation.override(chosen_language(request)):
            page = render_to_string(
                "core/unavailable.html",
                {"retry_after": RETRY_AFTER_SECONDS},
            )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _note_database_error(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Remember on the request that an error Django turned into a 500 was the database's."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_UNAVAILABLE):
        setattr(request, _UNAVAILABLE, error)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached (a restart, a failover, a dropped connection)
    answers 503 with ``Retry-After`` quickly, instead of a 500 or a hung request, so that
    clients (the phone's outbox, API clients) send the same record again later.

    Errors raised by views arrive in ``process_exception``. Errors raised in other
    middleware (the session read by the login check, for instance) are turned into a 500
    by Django before this middleware sees them: ``got_request_exception`` marks them,
    and the 500 is replaced here. Place it above the middleware that reads the database.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        got_request_exception.connect(
            _note_database_error, weak=False, dispatch_uid="sambang-database-unavailable"
        )

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            response = self.get_response(request)
        except DATABASE_UNAVAILABLE as error:  # the 500 page itself needed the database
            return database_unavailable_response(request, error)
        noted = getattr(request, _UNAVAILABLE, None)
        if noted is not None and response.status_code == 500:
            return database_unavailable_response(request, noted)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable_response(request, exception)
        return None


def chosen_language(request: HttpRequest) -> str:
    """The language the user chose with the language selector (its cookie), else the site's
    (``LANGUAGE_CODE``: Bahasa Indonesia). What a browser says it prefers does not decide:
    an officer's phone set up in English still opens Sambang in Bahasa Indonesia."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen and translation.check_for_language(chosen):
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    """Activates ``chosen_language`` for the request (in place of Django's LocaleMiddleware,
    which would follow the browser's Accept-Language)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
