"""Parameters that no database can compare: refused before any view reads them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponseBadRequest, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from sambang.core.errors import error_body


def _with_nul(parameters: QueryDict) -> list[str]:
    return sorted(
        name
        for name, values in parameters.lists()
        if "\x00" in name or any("\x00" in value for value in values)
    )


class NulInputMiddleware:
    """A NUL character in the path (``/api/v1/units/%00``) answers 404; in a query parameter
    (``?unit=%00``) or a page form's field, 400 naming the fields.

    Views hand path parameters, filters and form fields to the database, and PostgreSQL
    refuses NUL in text with an error that would otherwise leave as a 500 (SQLite stores or
    finds it). No keyboard types the character: it comes from tampered requests. No record
    is named with one, hence the 404, raised here so that Django's error handler answers it
    in the one error shape (``{"error": …}`` under /api/, the error page elsewhere), before
    any route, view or login check sees the path. JSON bodies are checked by the API's
    serializers; paths, query strings and form posts are checked here, once, for every route.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path_info:
            raise Http404
        api = request.path.startswith("/api/")
        names = _with_nul(request.GET)
        if not api and request.method == "POST":
            names += _with_nul(request.POST)
        if not names:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        shown = [name.replace("\x00", "\\0") for name in names]
        if api:
            fields = {name: [message] for name in shown}
            return JsonResponse(
                error_body("invalid", _("The input is not valid."), fields), status=400
            )
        return HttpResponseBadRequest(f"{message} ({', '.join(shown)})")
