"""Pages residents use to report and follow a report, without an account."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sambang.core.addresses import client_address
from sambang.core.errors import ApplicationError, _flatten
from sambang.fieldwork.stickers import sticker_png
from sambang.personnel.selectors import village_contact
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import outlines_around_village

from . import selectors, services
from .api import CitizenSubmitSerializer, accepts_residents_photos
from .models import CitizenCategory


def _village(code: str) -> Region:
    village = (
        Region.objects.filter(code=code, level=RegionLevel.VILLAGE)
        .select_related("parent__parent")
        .first()
    )
    if village is None:
        raise Http404
    return village


@login_not_required
def report_start(request: HttpRequest) -> HttpResponse:
    """Find the village to report about: by name, or straight to the form with a position."""
    query = request.GET.get("q", "").strip()
    villages = (
        Region.objects.filter(level=RegionLevel.VILLAGE, name__icontains=query)
        .select_related("parent__parent")
        .order_by("name")[:30]
        if len(query) >= 3
        else []
    )
    return render(request, "public/report_start.html", {"query": query, "villages": villages})


@accepts_residents_photos
@login_not_required
def report_form(request: HttpRequest, code: str) -> HttpResponse:
    """A village's report form (the target of its QR code), with its officer's contact."""
    village = _village(code)
    context: dict[str, Any] = {
        "village": village,
        "officer": village_contact(village),
        "categories": CitizenCategory.choices,
        "values": {"anonymous": "on"},
        "errors": {},
        "boundary": village.boundary,
        "map_tiles": settings.SAMBANG_MAP_TILES,
        # The borders around the village, the map's background where there are no tiles.
        "outlines": None if settings.SAMBANG_MAP_TILES else outlines_around_village(village),
    }
    if request.method != "POST":
        return render(request, "public/report_form.html", context)
    post = request.POST
    context["values"] = post
    # The page's fields are checked as the API checks them: a value that is not what the
    # field takes is an error on that field, never silently dropped or stored as sent.
    typed = {
        name: post[name]
        for name in (
            "category", "description", "latitude", "longitude", "place", "occurred_at",
            "reporter_name", "reporter_phone",
        )
        if post.get(name, "") != ""
    }  # fmt: skip
    form = CitizenSubmitSerializer(
        data={**typed, "village": village.code, "anonymous": post.get("anonymous") == "on"}
    )
    if not form.is_valid():
        context["errors"] = _flatten(form.errors)
        return render(request, "public/report_form.html", context, status=400)
    data = {k: v for k, v in form.validated_data.items() if k not in ("website", "photos")}
    uploads = [services.Upload(f.name or "photo", f) for f in request.FILES.getlist("photos")]
    try:
        result = services.citizen_report_submit(
            data=data,
            uploads=uploads,
            address=client_address(request) or "unknown",
            decoy=bool(post.get("website")),  # the hidden field only bots fill in
        )
    except ApplicationError as error:
        context["errors"] = error.fields or {"__all__": [error.message]}
        return render(request, "public/report_form.html", context, status=error.status_code)
    return render(
        request,
        "public/report_done.html",
        {"code": result.report.tracking_code, "problems": result.attachment_problems},
        status=201,
    )


@login_not_required
def village_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of a village's report form, to print and post in the village."""
    village = _village(code)
    url = request.build_absolute_uri(reverse("public:report_form", args=[village.code]))
    return HttpResponse(sticker_png(url), content_type="image/png")


@login_not_required
def report_status(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Progress of a report by its tracking code: status and answer, nothing personal."""
    code = (code or request.GET.get("code", "")).strip().upper()
    if code and request.GET.get("code"):
        return redirect("public:report_status", code=code)
    report, status, error = None, 200, ""
    if code:
        try:
            report = selectors.citizen_report_for_code(
                code, address=client_address(request) or "unknown"
            )
        except ApplicationError as refused:
            status, error = refused.status_code, refused.message
        else:
            if report is None:
                status, error = 404, _("No report has this code.")
    return render(
        request,
        "public/report_status.html",
        {"code": code, "report": report, "error": error},
        status=status,
    )
