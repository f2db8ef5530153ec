"""The partners' pages (Babinsa, village head, FKPM chair: their villages only), and the
officers' page of the partners' notes."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sambang import access
from sambang.alerts.models import Alert, AlertStatus
from sambang.community.models import VillageProfile
from sambang.core.devices import device_of, network_of
from sambang.core.errors import ApplicationError
from sambang.core.types import AuthenticatedHttpRequest
from sambang.fieldwork.models import Aspect, PartnerConfirmation, Urgency
from sambang.organization.models import Jurisdiction
from sambang.personnel.models import Role
from sambang.personnel.selectors import village_assignments
from sambang.public.models import OPEN_STATUSES, CitizenReport
from sambang.security.models import Credibility, Reliability

from . import services

RECENT = dt.timedelta(days=90)  # the joint activities a village's page lists


def _partner_or_403(request: AuthenticatedHttpRequest) -> None:
    if request.user.role != Role.PARTNER:
        raise PermissionDenied


def _answered(request: AuthenticatedHttpRequest) -> Exists:
    """Whether the partner has answered a report (for ``annotate``)."""
    return Exists(
        PartnerConfirmation.objects.filter(
            report=OuterRef("pk"), partner__in=access.partner_records(request.user)
        )
    )


def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner's villages, the activities waiting for their answer, their notes."""
    _partner_or_403(request)
    to_answer = (
        access.joint_reports_for_partner(request.user)
        .annotate(answered=_answered(request))
        .filter(answered=False)
        .select_related("activity_type", "village", "officer")
        .order_by("-occurred_at")[:50]
    )
    return render(
        request,
        "partners/home.html",
        {
            "villages": access.partner_villages(request.user).select_related("parent"),
            "to_answer": to_answer,
            "notes": access.partner_notes_for_user(request.user).select_related("village")[:20],
            "directives": access.directives_for_partner(request.user).order_by("-issued_at")[:10],
        },
    )


def village(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """What a partner sees of one of their villages."""
    _partner_or_403(request)
    place = access.access_partner_village(request.user, code)
    jurisdiction = Jurisdiction.objects.filter(village=place).select_related("unit").first()
    answers = {
        a.report_id: a
        for a in PartnerConfirmation.objects.filter(
            partner__in=access.partner_records(request.user)
        )
    }
    joint = list(
        access.joint_reports_for_partner(request.user)
        .filter(village=place, occurred_at__gte=timezone.now() - RECENT)
        .select_related("activity_type", "officer")
        .order_by("-occurred_at")[:50]
    )
    profile = VillageProfile.objects.filter(village=place).first()
    return render(
        request,
        "partners/village.html",
        {
            "village": place,
            "unit": jurisdiction.unit if jurisdiction else None,
            "officers": [
                a.officer for a in village_assignments(place).filter(end_date__isnull=True)
            ],
            "joint": [(report, answers.get(report.pk)) for report in joint],
            "directives": access.directives_for_partner(request.user)
            .filter(
                receipts__officer__assignments__village=place,
                receipts__officer__assignments__end_date__isnull=True,
            )
            .distinct()
            .order_by("-issued_at")[:20],
            # Residents' reports: what is open, never who reported it nor what they wrote.
            "citizen": CitizenReport.objects.filter(
                village=place, status__in=OPEN_STATUSES
            ).order_by("-received_at")[:50],
            "factors": profile.factors.all() if profile else [],
            "alerts": Alert.objects.filter(village=place)
            .exclude(status=AlertStatus.CLOSED)
            .order_by("-week")[:20],
        },
    )


def activity(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    """A joint activity that names the partner: they say whether they took part."""
    _partner_or_403(request)
    report = access.access_joint_report(request.user, uuid)
    mine = access.partner_records(request.user).filter(pk__in=report.partner_records.all())
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        choice = request.POST.get("took_part")
        if choice not in ("yes", "no"):
            errors["took_part"] = [_("Say whether you took part.")]
        else:
            try:
                services.partner_answer(
                    report=report,
                    user=request.user,
                    took_part=choice == "yes",
                    comment=request.POST.get("comment", ""),
                    device=device_of(request),
                    network=network_of(request),
                )
            except ApplicationError as error:
                errors = error.fields or {"__all__": [error.message]}
            else:
                messages.success(request, _("Your answer is recorded. Thank you."))
                return redirect("partners:home")
    answer = PartnerConfirmation.objects.filter(report=report, partner__in=mine).first()
    return render(
        request,
        "partners/activity.html",
        {
            "report": report,
            "named": report.partner_records.all(),
            "answer": answer,
            "errors": errors,
            "values": request.POST,
        },
        status=400 if errors else 200,
    )


def note_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner writes an early-detection note to the officers of one of their villages."""
    _partner_or_403(request)
    villages = access.partner_villages(request.user).order_by("name")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        place = villages.filter(code=request.POST.get("village", "")).first()
        if place is None:
            errors["village"] = [_("Choose one of your villages.")]
        else:
            try:
                services.partner_note_file(user=request.user, village=place, data=request.POST)
            except ApplicationError as error:
                errors = error.fields or {"__all__": [error.message]}
            else:
                messages.success(request, _("Your note was sent to the village's officer."))
                return redirect("partners:home")
    return render(
        request,
        "partners/note_form.html",
        {
            "villages": villages,
            "aspects": Aspect.choices,
            "urgencies": Urgency.choices,
            "errors": errors,
            "values": request.POST if request.method == "POST" else request.GET,
        },
        status=400 if errors else 200,
    )


# --- the officers' side -----------------------------------------------------------------


def notes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Partners' notes of the reader's villages (an officer) or subtree (a supervisor);
    officers grade them here."""
    found = access.partner_notes_for_user(request.user).select_related(
        "partner", "village", "graded_by"
    )
    waiting = request.GET.get("waiting") == "1"
    if waiting:
        found = found.filter(graded_at__isnull=True)
    page = Paginator(found.order_by("-written_at"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/notes.html",
        {
            "page": page,
            "waiting": waiting,
            "grades": access.officer_of(request.user) is not None,
            "reliabilities": Reliability.choices,
            "credibilities": Credibility.choices,
        },
    )


@require_POST
def note_grade(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    note = access.access_partner_note(request.user, pk)
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    try:
        services.partner_note_grade(note=note, officer=officer, data=request.POST)
    except ApplicationError as error:
        problems = [p for ps in (error.fields or {}).values() for p in ps] or [error.message]
        messages.error(request, " ".join(problems))
    else:
        messages.success(request, _("The note is graded."))
    return redirect(reverse("partners:notes") + "?waiting=1")
