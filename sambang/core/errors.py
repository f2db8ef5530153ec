"""One application error type and one JSON error shape for every error.

Every API error, whatever raised it, leaves as::

    {"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

# The database cannot be reached, or dropped the connection mid-request (a restart, a
# failover, a connection limit): the request may succeed if sent again a little later.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client should wait before sending again (a restart takes a few).
RETRY_AFTER_SECONDS = 5
database_log = logging.getLogger("sambang.database")


def log_database_unavailable(method: str | None, path: str, error: BaseException) -> None:
    """One warning line with the database's own words (the 503 itself says nothing of it)."""
    text = str(error).strip()
    database_log.warning(
        "database unavailable: %s %s: %s %s",
        method,
        path,
        type(error).__name__,
        text.splitlines()[0] if text else "",
    )


class ApplicationError(Exception):
    """A domain rule was broken: a message for people, and messages per field."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status_code: int = 400,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        self.status_code = status_code


def error_text(error: ApplicationError) -> str:
    """The error and its field messages as one sentence, for a page's message line."""
    return " ".join([error.message, *(m for ms in error.fields.values() for m in ms)])


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def unavailable_body() -> dict[str, Any]:
    """The error of a request that failed because the database is unavailable for now."""
    return error_body(
        "unavailable", _("The service is briefly unavailable. Please send again in a moment.")
    )


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error details as ``{"field": ["message", ...]}``."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    fields[f"{name}.{sub}"] = messages
            elif isinstance(value, list):
                fields[str(name)] = [str(item) for item in value]
            else:
                fields[str(name)] = [str(value)]
        return fields
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in detail]}
    return {"non_field_errors": [str(detail)]}


def validated(serializer: Any, form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """A page form's fields ``names``, validated by the API's own write serializer (the
    same limits on both doors): the validated data, or an ApplicationError with each
    field's messages. An empty field is one left out."""
    data = serializer(data={name: form[name] for name in names if form.get(name, "") != ""})
    if not data.is_valid():
        raise ApplicationError(_("The input is not valid."), fields=_flatten(data.errors))
    return dict(data.validated_data)


def validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as ``{"field": ["message", ...]}``."""
    if hasattr(error, "error_dict"):
        return {
            field: list(DjangoValidationError(errors).messages)
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": list(error.messages)}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error in the one shape."""
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(
            error_body("invalid", _("The input is not valid."), validation_fields(exc)),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DATABASE_UNAVAILABLE):
        request = context.get("request")
        log_database_unavailable(
            getattr(request, "method", None), getattr(request, "path", ""), exc
        )
        return Response(
            unavailable_body(),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", _("The input is not valid."), _flatten(exc.detail))
    else:
        code = exc.get_codes()
        response.data = error_body(code if isinstance(code, str) else "error", str(exc.detail))
    return response


def json_error(code: str, message: str, status_code: int) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)
