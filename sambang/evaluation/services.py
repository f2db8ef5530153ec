"""The monthly evaluation's approval, bottom-up: submitted, then approved or returned."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.organization.models import Unit
from sambang.personnel.models import User

from .anev import anev
from .models import EvaluationStatus, MonthlyEvaluation
from .periods import local_today, month_end
from .rollups import month_of


def _children_pending(unit: Unit, month: dt.date) -> list[str]:
    approved = set(
        MonthlyEvaluation.objects.filter(
            unit__parent=unit, month=month, status=EvaluationStatus.APPROVED
        ).values_list("unit_id", flat=True)
    )
    return [child.name for child in unit.children.order_by("name") if child.pk not in approved]


@transaction.atomic
def evaluation_submit(*, user: User, unit: Unit, month: dt.date, summary: str) -> MonthlyEvaluation:
    """Submit a unit's month to the unit above, once the month is over and the units below
    have had theirs approved. A returned month may be submitted again; an approved one is
    locked."""
    if not access.can_submit_evaluation(user, unit):
        raise ApplicationError(
            _("Only the unit's own supervisor submits its month."), status_code=403
        )
    month = month_of(month)
    if month_end(month) >= local_today(unit):
        raise ApplicationError(_("A month is submitted once it is over."), code="not_over")
    pending = _children_pending(unit, month)
    if pending:
        raise ApplicationError(
            _("Units below have not had this month approved yet: %(units)s.")
            % {"units": ", ".join(pending)},
            code="children_pending",
        )
    evaluation = (
        MonthlyEvaluation.objects.select_for_update().filter(unit=unit, month=month).first()
    )
    if evaluation is not None and evaluation.status != EvaluationStatus.RETURNED:
        raise ApplicationError(
            _("This month is already %(status)s.")
            % {"status": evaluation.get_status_display().lower()},
            code="locked",
        )
    evaluation = evaluation or MonthlyEvaluation(unit=unit, month=month)
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.summary = summary.strip()[:8000]
    evaluation.figures = anev(unit, month).figures()
    evaluation.submitted_by = user
    evaluation.submitted_at = timezone.now()
    evaluation.decided_by = None
    evaluation.decided_at = None
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_decide(
    *, user: User, evaluation: MonthlyEvaluation, approve: bool, note: str
) -> MonthlyEvaluation:
    """Approve (and lock) a submitted month, or return it with a note saying why."""
    if not access.can_decide_evaluation(user, evaluation.unit):
        raise ApplicationError(
            _("Only the unit directly above decides on this month."), status_code=403
        )
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise ApplicationError(_("Only a submitted month can be decided."), code="not_submitted")
    note = note.strip()
    if not approve and not note:
        raise ApplicationError(
            _("Say why the month is returned."), fields={"note": [_("This field is required.")]}
        )
    evaluation.status = EvaluationStatus.APPROVED if approve else EvaluationStatus.RETURNED
    evaluation.decision_note = note[:2000]
    evaluation.decided_by = user
    evaluation.decided_at = timezone.now()
    evaluation.save()
    return evaluation
