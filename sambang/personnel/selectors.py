"""Reads of personnel: an officer's villages and assignment history."""

from __future__ import annotations

from django.db.models import QuerySet

from sambang.territory.models import Region

from .models import Assignment, Officer


def officer_villages(officer: Officer) -> QuerySet[Region]:
    """The villages an officer is the active Bhabinkamtibmas of."""
    return (
        Region.objects.filter(assignments__officer=officer, assignments__end_date__isnull=True)
        .select_related("parent")
        .order_by("code")
    )


def officer_assignments(officer: Officer) -> QuerySet[Assignment]:
    """Every assignment of an officer, active first, then newest first."""
    return officer.assignments.select_related("village__parent").order_by(
        "-end_date", "-start_date"
    )


def village_assignments(village: Region) -> QuerySet[Assignment]:
    """The officers a village has had, newest first."""
    return village.assignments.select_related("officer__unit").order_by("-start_date")
