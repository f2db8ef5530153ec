"""Health probes and the home page, which shows each role its own scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sambang import access
from sambang.core.errors import json_error
from sambang.core.types import AuthenticatedHttpRequest
from sambang.organization.selectors import unit_and_children_rows
from sambang.partners.views import home as partner_home
from sambang.personnel.selectors import officer_villages
from sambang.worklist.selectors import waiting, work_queue


@login_not_required
@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive and answering."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers and every migration is applied."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return JsonResponse(
            {"status": "unavailable", "reason": f"database unreachable: {error}".strip()},
            status=503,
        )
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        return JsonResponse(
            {"status": "unavailable", "reason": f"{len(pending)} migrations not applied: {names}"},
            status=503,
        )
    return JsonResponse({"status": "ok"})


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each role's home: first what waits for the user (``worklist``), then an officer's
    villages or a supervisor's unit."""
    user = request.user
    if user.is_partner:  # a partner's home: their villages and what waits for their answer
        return partner_home(request)
    items = work_queue(user)
    context: dict[str, object] = {"show_queue": bool(items), "queue": waiting(items)}
    if user.is_supervisor:
        units = access.units_for_user(user)
        root = access.scope_root(user)
        if root is not None:
            context["root_row"], context["rows"] = unit_and_children_rows(root, within=units)
    officer = getattr(user, "officer", None)
    if officer is not None:
        context["officer"] = officer
        context["villages"] = officer_villages(officer)
    return render(request, "core/home.html", context)


def _error_page(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """Errors as JSON under /api/ (one error shape), as a page elsewhere."""
    if request.path_info.startswith("/api/"):
        return json_error(code, message, status)
    return render(request, "core/error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403, "permission_denied", _("You do not have access to this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404, "not_found", _("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500, "server_error", _("Something went wrong on our side."))
