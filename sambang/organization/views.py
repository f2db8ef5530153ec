"""Pages for the unit tree: each unit with its villages, officers and coverage."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from sambang import access
from sambang.core.decorators import supervisor_required
from sambang.core.types import AuthenticatedHttpRequest

from .selectors import unit_ancestors, unit_rows, unit_villages


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
    villages = Paginator(unit_villages(unit, uncovered_only=uncovered_only), 50)
    officers = Paginator(
        access.officers_for_user(request.user)
        .filter(unit__path__startswith=unit.path)
        .select_related("unit")
        .order_by("name"),
        50,
    )
    return render(
        request,
        "organization/unit_detail.html",
        {
            "unit": unit,
            "row": unit_rows(units.filter(pk=unit.pk))[0],
            "children": unit_rows(units.filter(parent=unit)),
            "ancestors": unit_ancestors(unit, within=units),
            "villages": villages.get_page(request.GET.get("village_page")),
            "officers": officers.get_page(request.GET.get("officer_page")),
            "uncovered_only": uncovered_only,
        },
    )
