"""Pages for the unit tree (villages, officers, coverage) and for directives."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.decorators import supervisor_required
from sambang.core.errors import ApplicationError, error_text, validated
from sambang.core.typed import keep_typed
from sambang.core.types import AuthenticatedHttpRequest

from . import services
from .api import CompleteSerializer
from .models import Directive, DirectiveReceipt, UnitLevel
from .selectors import (
    directive_receipts,
    directives_waiting,
    progress_for,
    unit_ancestors,
    unit_and_children_rows,
    unit_villages,
    users_today,
)


@supervisor_required
def unit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The top of the user's scope."""
    root = access.scope_root(request.user)
    if root is None:
        return render(request, "organization/unit_list.html", {"rows": []})
    return redirect("organization:unit_detail", code=root.code)


@supervisor_required
def unit_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    units = access.units_for_user(request.user)
    unit = access.access_unit(request.user, code)
    uncovered_only = request.GET.get("uncovered") == "1"
    outside_only = request.GET.get("outside") == "1"
    villages = Paginator(
        unit_villages(unit, uncovered_only=uncovered_only, outside_only=outside_only), 50
    )
    officers = Paginator(
        access.officers_for_user(request.user)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("name", "nrp"),
        50,
    )
    row, children = unit_and_children_rows(unit, within=units)
    return render(
        request,
        "organization/unit_detail.html",
        {
            "unit": unit,
            "row": row,
            "children": children,
            "ancestors": unit_ancestors(unit, within=units),
            "villages": villages.get_page(request.GET.get("village_page")),
            "officers": officers.get_page(request.GET.get("officer_page")),
            "uncovered_only": uncovered_only,
            "outside_only": outside_only,
        },
    )


# --- directives (Atensi Pimpinan) -----------------------------------------------------


def _addressed(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """Whom the form addresses: a unit and all below it, several units, or officers named
    by NRP; each in the issuer's scope, or an error on its field."""
    to = request.POST.get("to", "unit")
    try:
        if to == "units":
            codes = dict.fromkeys(request.POST.getlist("units"))
            return {"units": [access.access_unit(request.user, code) for code in codes]}
        if to == "officers":
            nrps = dict.fromkeys(re.split(r"[\s,;]+", request.POST.get("officers", "").strip()))
            found = [access.access_officer(request.user, nrp) for nrp in nrps if nrp]
            return {"officers": found}
        return {"unit": access.access_unit(request.user, request.POST.get("unit", ""))}
    except Http404:
        field = to if to in ("units", "officers") else "unit"
        problem = (
            _("Name officers of your units by their NRP.")
            if field == "officers"
            else _("Choose one of your units.")
        )
        raise ApplicationError(
            _("The directive is not valid."), fields={field: [problem]}
        ) from None


def directive_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Directives in scope with their progress; supervisors issue new ones here."""
    errors: dict[str, list[str]] = {}
    values: Any = {}
    if request.method == "POST":
        if not access.can_review(request.user):
            raise PermissionDenied
        values = request.POST
        try:
            addressed = _addressed(request)
            due = request.POST.get("due_date") or None
            try:
                due_date = dt.date.fromisoformat(due) if due else None
            except ValueError:
                raise ApplicationError(
                    _("The directive is not valid."),
                    fields={"due_date": [_("Enter a valid date.")]},
                ) from None
            directive = services.directive_issue(
                issuer=request.user,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                due_date=due_date,
                to_partners=request.POST.get("to_partners") == "on",
                **addressed,
            )
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        else:
            messages.success(request, _("Directive issued."))
            return redirect("directives:detail", pk=directive.pk)
    officer = access.officer_of(request.user)
    receipts = (
        {r.directive_id: r for r in DirectiveReceipt.objects.filter(officer=officer)}
        if officer
        else {}
    )
    shown = access.directives_for_user(request.user)
    if request.GET.get("waiting") == "1":  # the work queue's link: those waiting for the reader
        shown = directives_waiting(request.user, users_today(request.user))
    directives = list(progress_for(request.user, shown)[:100])
    return render(
        request,
        "organization/directive_list.html",
        {
            "rows": [(d, receipts.get(d.pk)) for d in directives],
            "can_issue": access.can_review(request.user),
            "units": access.units_for_user(request.user).exclude(level=UnitLevel.MABES)
            if access.can_review(request.user)
            else [],
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


def directive_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Who has acknowledged and done a directive, and who has not; an officer answers it."""
    directive = access.access_directive(request.user, pk)
    if request.method == "POST":
        receipt = access.own_receipt(request.user, directive)
        try:
            if "complete" in request.POST:
                data = validated(CompleteSerializer, request.POST, ("note",))
                services.directive_complete(receipt=receipt, note=data["note"])
            else:
                services.directive_acknowledge(receipt=receipt)
        except ApplicationError as error:
            messages.error(request, error_text(error))
            keep_typed(request, "complete", "note")
        return redirect("directives:detail", pk=pk)
    directive = progress_for(request.user, Directive.objects.filter(pk=directive.pk)).get()
    officer = access.officer_of(request.user)
    receipts = directive_receipts(directive, request.user)
    return render(
        request,
        "organization/directive_detail.html",
        {
            "directive": directive,
            "receipts": receipts if officer is None else [],
            "mine": next((r for r in receipts if officer and r.officer_id == officer.pk), None),
        },
    )
