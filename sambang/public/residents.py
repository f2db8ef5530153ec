"""Pages residents use to report and follow a report, without an account."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sambang.core.addresses import client_address
from sambang.core.errors import ApplicationError, _flatten
from sambang.fieldwork.stickers import qr_png
from sambang.personnel.selectors import village_contact
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import outlines_around_village

from . import selectors, services
from .api import CitizenSubmitSerializer, accepts_residents_photos
from .models import CitizenCategory

# What the status page shows once, after its report was sent from the form: the code to
# write down, and the photos that were not attached.
SENT_KEY = "sambang.citizen_sent"


def _form_token(sent: str) -> uuid.UUID:
    """The form's one-time token: the one it was sent with (when nothing was saved, the
    page shown again is the same submission), or a new one."""
    try:
        return uuid.UUID(sent)
    except ValueError:
        return uuid.uuid4()


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
    """A village's report form (the target of its QR code), with its officer's contact.

    Sent, it redirects (303) to the report's status page, which shows the tracking code
    once as just received: a reload does not send it again. The form carries a one-time
    token, so that the same form sent twice (a double tap, a reload after a lost answer,
    the back button) is one report."""
    village = _village(code)
    context: dict[str, Any] = {
        "village": village,
        "officer": village_contact(village),
        "categories": CitizenCategory.choices,
        # Not anonymous unless the resident ticks it: the form says what it means.
        "values": {},
        "submission": uuid.uuid4(),
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
    context["submission"] = _form_token(post.get("submission", ""))
    # The page's fields are checked as the API checks them: a value that is not what the
    # field takes is an error on that field, never silently dropped or stored as sent.
    typed = {
        name: post[name]
        for name in (
            "category", "description", "latitude", "longitude", "place", "occurred_at",
            "reporter_name", "reporter_phone", "submission",
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
        if "submission" in error.fields:
            # An old copy of the form, sent before with other text (kept by the browser):
            # what is typed now is another report, sent again with a new token.
            context["submission"] = uuid.uuid4()
            context["errors"] = {
                "__all__": [
                    _(
                        "This form was already sent with other text. Nothing is lost: send "
                        "it again to file it as a new report."
                    )
                ]
            }
        return render(request, "public/report_form.html", context, status=error.status_code)
    request.session[SENT_KEY] = {
        "code": result.report.tracking_code,
        "problems": [str(problem) for problem in result.attachment_problems],
    }
    status_page = reverse("public:report_status", args=[result.report.tracking_code])
    return HttpResponseRedirect(status_page, status=303)


@login_not_required
def village_qr(request: HttpRequest, code: str) -> HttpResponse:
    """The QR code of a village's report form, to print and post in the village."""
    village = _village(code)
    url = request.build_absolute_uri(reverse("public:report_form", args=[village.code]))
    return HttpResponse(qr_png(url), content_type="image/png")


@login_not_required
def report_status(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Progress of a report by its tracking code: status and answer, nothing personal.
    Right after the report was sent from this browser, the page says so, once."""
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
    sent = request.session.get(SENT_KEY)
    if report is not None and isinstance(sent, dict) and sent.get("code") == code:
        del request.session[SENT_KEY]
    else:
        sent = None
    return render(
        request,
        "public/report_status.html",
        {"code": code, "report": report, "error": error, "sent": sent},
        status=status,
    )
