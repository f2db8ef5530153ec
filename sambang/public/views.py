"""Pages residents use without an account: confirming a visit, the schedule board."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sambang.core.devices import device_of, network_of
from sambang.core.errors import ApplicationError
from sambang.fieldwork import selectors, services
from sambang.fieldwork.api.public import board_json
from sambang.fieldwork.models import VisitConfirmation
from sambang.organization.models import Unit, UnitLevel


@login_not_required
def visit_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A resident confirms the visit from the sticker's QR code and rates it."""
    visit = selectors.visit_for_token(token)
    if visit is None:
        raise Http404
    report = visit.report
    error = None
    status = 200
    if request.method == "POST":
        visited = request.POST.get("visited") != "no"
        try:
            rating: int | None = int(request.POST.get("rating", ""))
        except ValueError:
            rating = None
        try:
            services.visit_confirm(
                visit=visit,
                visited=visited,
                rating=rating,
                message=request.POST.get("message", ""),
                device=device_of(request),
                network=network_of(request),
                user=request.user,
            )
        except ApplicationError as problem:
            error, status = problem.message, problem.status_code
    confirmation = VisitConfirmation.objects.filter(visit=visit).first()
    local = report.occurred_at.astimezone(ZoneInfo(report.unit.timezone))
    return render(
        request,
        "public/visit_confirm.html",
        {
            "report": report,
            "local": local,
            "confirmation": confirmation,
            "error": error,
            "ratings": range(1, 6),
        },
        status=status,
    )


def _polsek(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, level=UnitLevel.POLSEK).first()
    if unit is None:
        raise Http404(_("No Polsek with this code."))
    return unit


@login_not_required
def schedule_board(request: HttpRequest, code: str) -> HttpResponse:
    """The printable schedule of a Polsek's officers for the coming week."""
    unit = _polsek(code)
    return render(
        request,
        "public/schedule_board.html",
        {"unit": unit, "days": selectors.schedule_board(unit)},
    )


@login_not_required
def schedule_board_json(request: HttpRequest, code: str) -> JsonResponse:
    return JsonResponse(board_json(_polsek(code), request))
