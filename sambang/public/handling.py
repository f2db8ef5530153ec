"""Pages where the police handle residents' reports: routed, answered, flagged when late."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError, error_text, validated
from sambang.core.exports import Column, requested_format
from sambang.core.typed import keep_typed
from sambang.core.types import AuthenticatedHttpRequest

from . import selectors, services
from .api import AnswerSerializer, TransitionSerializer, audited_detail
from .models import NEXT_STATUSES, CitizenCategory, CitizenReport, CitizenStatus

# What a download of the list holds: the handling, never the reporter's name or phone.
EXPORT_COLUMNS: list[Column[CitizenReport]] = [
    Column("tracking_code", lambda r: r.tracking_code),
    Column("received_at", lambda r: r.received_at),
    Column("category", lambda r: r.get_category_display()),
    Column("status", lambda r: r.get_status_display()),
    Column("village_code", lambda r: r.village.code),
    Column("village", lambda r: r.village.name),
    Column("place", lambda r: r.place),
    Column("latitude", lambda r: r.latitude),
    Column("longitude", lambda r: r.longitude),
    Column("occurred_at", lambda r: r.occurred_at),
    Column("unit", lambda r: r.unit.name if r.unit else ""),
    Column("officer_nrp", lambda r: r.officer.nrp if r.officer else ""),
    Column("due_at", lambda r: r.due_at),
    Column("first_response_at", lambda r: r.first_response_at),
    Column("overdue", selectors.is_overdue),
    Column("description", lambda r: r.description),
]


def citizen_report_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    reports = access.citizen_reports_for_user(request.user)
    chosen = selectors.filter_citizen_reports(reports, request.GET)
    if fmt := requested_format(request):
        from sambang.exports.services import export_table  # the exports read this module

        return export_table(request, "residents-reports", fmt)
    page = Paginator(chosen, 30).get_page(request.GET.get("page"))
    root = access.scope_root(request.user)
    units = access.units_for_user(request.user).filter(parent=root) if root else None
    return render(
        request,
        "public/citizen_list.html",
        {
            "page": page,
            "filters": request.GET,
            "statuses": CitizenStatus.choices,
            "categories": CitizenCategory.choices,
            "by_unit": selectors.overdue_by_unit(units, reports) if units is not None else [],
            "overdue_codes": {r.tracking_code for r in page.object_list if selectors.is_overdue(r)},
        },
    )


def citizen_report_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    report = access.access_citizen_report(request.user, code)
    if request.method == "POST":
        action = request.POST.get("action")
        level, saved = messages.SUCCESS, _("Saved.")
        try:
            if action == "status":
                data = validated(TransitionSerializer, request.POST, ("status", "note", "reason"))
                services.citizen_report_transition(report=report, user=request.user, **data)
            elif action == "assign":
                if not access.can_review(request.user):
                    raise PermissionDenied
                officer = (
                    access.officers_for_user(request.user)
                    .filter(nrp=request.POST.get("officer", ""))
                    .first()
                )
                if officer is None:
                    raise ApplicationError(_("No officer with this NRP in your units."))
                if not services.citizen_report_assign(
                    report=report, user=request.user, officer=officer
                ):
                    level, saved = (
                        messages.INFO,
                        _("%(name)s already has this report: nothing changed.")
                        % {"name": officer.name},
                    )
            elif action == "answer":
                data = validated(AnswerSerializer, request.POST, ("note",))
                services.citizen_report_answer(report=report, user=request.user, note=data["note"])
            else:
                raise ApplicationError(_("Unknown action."))
        except ApplicationError as error:
            messages.error(request, error_text(error))
            keep_typed(request, str(action), "status", "note", "reason")
        else:
            messages.add_message(request, level, saved)
        return redirect("citizen:detail", code=code)
    report = audited_detail(request, report)
    officers = (
        access.officers_for_user(request.user)
        .filter(unit__path__startswith=report.unit.path, status="active")
        .order_by("name")
        if report.unit and access.can_review(request.user)
        else []
    )
    return render(
        request,
        "public/citizen_detail.html",
        {
            "report": report,
            "events": report.events.select_related("actor", "officer"),
            "attachments": report.attachments.all(),
            "next_statuses": [(s, CitizenStatus(s).label) for s in NEXT_STATUSES[report.status]],
            "officers": officers,
            "overdue": selectors.is_overdue(report),
            "incidents": access.incidents_for_user(request.user)
            .filter(citizen_reports=report)
            .select_related("category"),
        },
    )
