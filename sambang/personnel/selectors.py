"""Reads of personnel: an officer's villages and assignment history."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from sambang.territory.models import Region

from .forms import OfficerFilterForm
from .models import Assignment, Officer, OfficerStatus


def officer_villages(officer: Officer) -> QuerySet[Region]:
    """The villages an officer is the active Bhabinkamtibmas of."""
    return (
        Region.objects.filter(assignments__officer=officer, assignments__end_date__isnull=True)
        .select_related("parent")
        .order_by("code")
    )


def village_contact(village: Region) -> Officer | None:
    """The officer residents of ``village`` reach: its contact, else (while the contact is
    away from the service) the longest-serving active officer covering it."""
    assignment = (
        Assignment.objects.filter(
            village=village, end_date__isnull=True, officer__status=OfficerStatus.ACTIVE
        )
        .select_related("officer__unit")
        .order_by("-is_contact", "start_date", "pk")
        .first()
    )
    return assignment.officer if assignment else None


def officer_assignments(officer: Officer) -> QuerySet[Assignment]:
    """Every assignment of an officer, active first, then newest first."""
    return officer.assignments.select_related("village__parent").order_by(
        "-end_date", "-start_date"
    )


def village_assignments(village: Region) -> QuerySet[Assignment]:
    """The officers a village has and has had: active first (the contact leading), then
    the newest."""
    return village.assignments.select_related("officer__unit").order_by(
        "-end_date", "-is_contact", "-start_date"
    )


def filter_officers(officers: QuerySet[Officer], params: Any) -> QuerySet[Officer]:
    """The officer list's filters (name or NRP, status, without Dikbangspes, dual duties)."""
    officers = (
        officers.select_related("unit")
        .annotate(village_count=Count("assignments", filter=Q(assignments__end_date__isnull=True)))
        .order_by("name", "nrp")  # two officers may share a name: each keeps its page
    )
    form = OfficerFilterForm(params or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            officers = officers.filter(Q(name__icontains=data["q"]) | Q(nrp__startswith=data["q"]))
        if data["status"]:
            officers = officers.filter(status=data["status"])
        if data["without_dikbangspes"]:
            officers = officers.filter(dikbangspes_done=False)
        if data["dual_duties"]:
            officers = officers.exclude(other_duties=[])
    return officers
