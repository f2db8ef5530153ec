"""Reading the monthly evaluations (Anev) as the pages and the work queue need them."""

from __future__ import annotations

from django.db.models import QuerySet

from sambang import access
from sambang.personnel.models import User

from .models import EvaluationStatus, MonthlyEvaluation


def evaluations_to_decide(user: User) -> QuerySet[MonthlyEvaluation]:
    """The months the units directly below ``user``'s unit submitted and wait for ``user``
    to approve or return, the longest waiting first."""
    root = access.scope_root(user)
    if root is None or not access.can_review(user):
        return MonthlyEvaluation.objects.none()
    return (
        MonthlyEvaluation.objects.filter(unit__parent=root, status=EvaluationStatus.SUBMITTED)
        .select_related("unit", "submitted_by")
        .order_by("submitted_at", "unit__code")
    )
