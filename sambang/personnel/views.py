"""Pages for officers and their village assignments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sambang import access
from sambang.core.decorators import supervisor_required
from sambang.core.errors import ApplicationError
from sambang.core.exports import requested_format
from sambang.core.types import AuthenticatedHttpRequest
from sambang.exports.services import export_table
from sambang.knowledge import services as knowledge
from sambang.knowledge.models import TrainingModule

from . import services
from .forms import AssignmentEndForm, AssignmentStartForm, OfficerFilterForm
from .selectors import filter_officers, officer_assignments, officer_villages


@supervisor_required
def officer_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = OfficerFilterForm(request.GET or None)
    if fmt := requested_format(request):
        return export_table(request, "officers", fmt)
    officers = filter_officers(access.officers_for_user(request.user), request.GET)
    page = Paginator(officers, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "personnel/officer_list.html",
        {"form": form, "page": page},
    )


def officer_detail(request: AuthenticatedHttpRequest, nrp: str) -> HttpResponse:
    officer = access.access_officer(request.user, nrp)
    return render(
        request,
        "personnel/officer_detail.html",
        {
            "officer": officer,
            "villages": officer_villages(officer),
            "assignments": officer_assignments(officer),
            "can_record_late": access.can_review(request.user),
            "can_provision": access.can_provision_accounts(request.user)
            and officer.user_id != request.user.pk,
            # Sambang's training modules, beside Dikbangspes and the courses.
            "modules_passed": TrainingModule.objects.filter(
                pk__in=knowledge.modules_passed(officer)
            ),
            "modules_total": knowledge.active_modules().count(),
        },
    )


@require_POST
def assignment_start(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Assign an officer (by NRP, within the user's scope) to a village in scope."""
    if not access.can_manage_assignments(request.user):
        raise PermissionDenied
    village = access.access_village(request.user, code)
    form = AssignmentStartForm(request.POST)
    form.is_valid()  # collects every field error; the officer is checked even if the date is bad
    nrp = form.cleaned_data.get("officer")
    officer = access.officers_for_user(request.user).filter(nrp=nrp).first() if nrp else None
    if nrp and officer is None:
        form.add_error("officer", _("No officer with this NRP in your units."))
    if officer is not None and not form.errors:
        try:
            services.assignment_start(
                officer=officer,
                village=village,
                start_date=form.cleaned_data["start_date"],
                area=form.cleaned_data["area"],
                contact=form.cleaned_data["contact"] or None,
            )
        except ApplicationError as error:
            for field, problems in error.fields.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("%(officer)s now covers %(village)s.")
                % {"officer": officer, "village": village.name},
            )
            return redirect("territory:village_detail", code=village.code)
    for name, field_errors in form.errors.items():
        for message in field_errors:
            label = form.fields[name].label if name in form.fields else None
            messages.error(request, f"{label}: {message}" if label else str(message))
    return redirect("territory:village_detail", code=village.code)


@require_POST
def assignment_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not access.can_manage_assignments(request.user):
        raise PermissionDenied
    assignment = access.access_assignment(request.user, pk)
    form = AssignmentEndForm(request.POST)
    if form.is_valid():
        try:
            services.assignment_end(assignment=assignment, end_date=form.cleaned_data["end_date"])
        except ApplicationError as error:
            messages.error(
                request, " ".join(p for ps in error.fields.values() for p in ps) or error.message
            )
        else:
            messages.success(request, _("The assignment has ended."))
    else:
        messages.error(request, _("Give a valid end date."))
    return redirect("territory:village_detail", code=assignment.village_id)


@require_POST
def assignment_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make an active assignment's officer the village's contact for residents."""
    if not access.can_manage_assignments(request.user):
        raise PermissionDenied
    assignment = access.access_assignment(request.user, pk)
    try:
        services.assignment_make_contact(assignment=assignment)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(officer)s is now the residents' contact.") % {"officer": assignment.officer},
        )
    return redirect("territory:village_detail", code=assignment.village_id)
