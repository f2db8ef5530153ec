"""Pages of the incident register and of persons of interest (Polres and above)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError, error_text, validated
from sambang.core.exports import requested_format
from sambang.core.tabular import upload_path
from sambang.core.types import AuthenticatedHttpRequest
from sambang.exports.services import export_table

from . import incidents as services
from .api import IncidentWriteSerializer, PersonWriteSerializer
from .imports import OPTIONAL, REQUIRED, IncidentImportResult, incidents_import
from .models import Incident, IncidentCategory, IncidentStatus
from .selectors import filter_incidents

# The page forms' inputs, each validated as the API validates it.
INCIDENT_FIELDS = (
    "category",
    "village",
    "occurred_at",
    "description",
    "modus_operandi",
    "groups_involved",
    "dead",
    "injured",
    "losses_idr",
)
PERSON_FIELDS = ("name", "alias", "village", "note")
# An import's result page lists this many rows (the counts are of all of them).
SHOWN_ROWS = 500


def incident_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Incidents of the user's units, and a form to record one."""
    errors: dict[str, list[str]] = {}
    values: Any = {}
    if request.method == "POST":
        if not access.can_edit_village(request.user):
            raise PermissionDenied
        values = request.POST
        try:
            data = validated(IncidentWriteSerializer, request.POST, INCIDENT_FIELDS)
            incident = services.incident_record(user=request.user, data=data)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        else:
            messages.success(request, _("Incident recorded."))
            return redirect("security:incident_detail", pk=incident.pk)
    if fmt := requested_format(request):
        return export_table(request, "incidents", fmt)
    incidents = filter_incidents(access.incidents_for_user(request.user), request.GET)
    page = Paginator(incidents, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "security/incident_list.html",
        {
            "page": page,
            "categories": IncidentCategory.objects.select_related("parent").order_by(
                "parent__code", "code"
            ),
            "villages": access.villages_for_user(request.user).order_by("name")[:500],
            "can_record": access.can_edit_village(request.user),
            "can_import": access.can_import_incidents(request.user),
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


def incident_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Supervisors enter incidents kept on paper from a file: checked, tried or imported."""
    if not access.can_import_incidents(request.user):
        raise PermissionDenied
    result: IncidentImportResult | None = None
    error: str | None = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            error = _("Choose a CSV or XLSX file.")
        else:
            with upload_path(upload) as path:
                try:
                    result = incidents_import(
                        path=path, user=request.user, dry_run="dry_run" in request.POST
                    )
                except ApplicationError as failure:
                    error = error_text(failure)
    return render(
        request,
        "security/incident_import.html",
        {
            "result": result,
            "error": error,
            "rows": result.rows[:SHOWN_ROWS] if result else [],
            "hidden": max(0, len(result.rows) - SHOWN_ROWS) if result else 0,
            "required": REQUIRED,
            "optional": OPTIONAL,
        },
        status=400 if error or (result and not result.ok) else 200,
    )


def incident_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    incident = access.access_incident(request.user, pk)
    citizen_reports = incident.citizen_reports.filter(
        pk__in=access.citizen_reports_for_user(request.user).values("pk")
    )
    if request.method == "POST":
        if request.POST.get("action") == "link":
            codes = [*citizen_reports.values_list("tracking_code", flat=True)]
            changes: dict[str, Any] = {"citizen_reports": [*codes, request.POST.get("code", "")]}
        else:
            changes = {"status": request.POST.get("status")}
        try:
            services.incident_update(incident=incident, user=request.user, changes=changes)
        except ApplicationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Saved."))
        return redirect("security:incident_detail", pk=pk)
    return render(
        request,
        "security/incident_detail.html",
        {
            "incident": incident,
            "reports": incident.reports.filter(
                pk__in=access.reports_for_user(request.user).values("pk")
            ).select_related("activity_type"),
            "can_link": access.can_review(request.user),
            "citizen_reports": citizen_reports,
            "statuses": IncidentStatus.choices,
            "persons": _persons_shown(request, incident),
        },
    )


def _persons_shown(request: AuthenticatedHttpRequest, incident: Incident) -> list[Any] | None:
    """The incident's persons of interest that the reader may see, each read audited (None:
    the reader sees no persons of interest at all)."""
    if not access.sees_persons(request.user):
        return None
    persons = list(
        incident.persons.filter(pk__in=access.persons_for_user(request.user).values("pk"))
    )
    for person in persons:
        audit_record(
            user=request.user, action=AuditAction.VIEW_RESTRICTED, target=person, request=request
        )
    return persons


def person_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Persons of interest (Polres and above): each one shown is written to the audit log."""
    if not access.sees_persons(request.user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    values: Any = {}
    if request.method == "POST":
        values = request.POST
        try:
            data = validated(PersonWriteSerializer, request.POST, PERSON_FIELDS)
            person = services.person_record(user=request.user, data=data)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        else:
            audit_record(
                user=request.user, action=AuditAction.CREATE, target=person, request=request
            )
            messages.success(request, _("Saved."))
            return redirect("security:person_list")
    persons = access.persons_for_user(request.user).select_related("village").order_by("name", "pk")
    page = Paginator(persons, 30).get_page(request.GET.get("page"))
    for person in page.object_list:
        audit_record(
            user=request.user, action=AuditAction.VIEW_RESTRICTED, target=person, request=request
        )
    return render(
        request,
        "security/person_list.html",
        {
            "page": page,
            "errors": errors,
            "values": values,
            "villages": access.villages_for_user(request.user).order_by("name")[:500],
        },
        status=400 if errors else 200,
    )
