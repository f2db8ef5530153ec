"""Pages for villages: where a village sits, who covers it, and who did before."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

from sambang import access
from sambang.core.types import AuthenticatedHttpRequest
from sambang.personnel.forms import AssignmentEndForm, AssignmentStartForm
from sambang.personnel.selectors import village_assignments

from .selectors import outlines_around_village


def village_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    village = access.access_village(request.user, code)
    assignments = list(village_assignments(village))
    jurisdiction = getattr(village, "jurisdiction", None)
    return render(
        request,
        "territory/village_detail.html",
        {
            "village": village,
            "unit": jurisdiction.unit if jurisdiction else None,
            "active": [a for a in assignments if a.is_active],
            "assignments": assignments,
            "can_manage": access.can_manage_assignments(request.user),
            "start_form": AssignmentStartForm(),
            "end_form": AssignmentEndForm(),
            "map_tiles": settings.SAMBANG_MAP_TILES,
            # The borders around the village, the map's background where there are no tiles.
            "outlines": None if settings.SAMBANG_MAP_TILES else outlines_around_village(village),
        },
    )
