"""Query strings that no database can compare: refused before any view reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from sambang.core.errors import error_body


class NulInQueryMiddleware:
    """A NUL character in a query parameter (``?unit=%00``) answers 400.

    Filters hand parameters to the database, and PostgreSQL refuses NUL in text with an
    error that would otherwise leave as a 500 (SQLite simply finds nothing). Bodies are
    checked by their serializers and forms; query strings are checked here, once.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        names = sorted(
            name
            for name, values in request.GET.lists()
            if "\x00" in name or any("\x00" in value for value in values)
        )
        if not names:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            fields = {name.replace("\x00", "\\0"): [message] for name in names}
            return JsonResponse(
                error_body("invalid", _("The input is not valid."), fields), status=400
            )
        return HttpResponseBadRequest(message)
