"""Reads of the incident register."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Incident


def filter_incidents(incidents: QuerySet[Incident], params: Any) -> QuerySet[Incident]:
    """The incident list's filter: a category, or a top category with everything under it."""
    if code := params.get("category"):
        incidents = incidents.filter(Q(category__code=code) | Q(category__parent__code=code))
    return incidents.select_related("category", "village", "unit").order_by("-occurred_at", "-id")
