"""Writes of security work: escalating early-detection information and acknowledging it."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.organization.models import Unit
from sambang.personnel.models import Officer, User

from .models import InformationReport


def information_escalate(
    *, information: InformationReport, officer: Officer, unit_code: str
) -> InformationReport:
    """Send information up to the officer's Polsek or a unit above it, for acknowledgment.

    A code that names no unit and the code of a unit outside the officer's line get the
    same answer: the error never tells whether a unit exists."""
    if information.report.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who filed it can escalate it."), code="forbidden", status_code=403
        )
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None or not officer.unit.path.startswith(unit.path):
        raise ApplicationError(
            _("Escalate to your own unit or a unit above it."),
            fields={"unit": [_("Not one of your units.")]},
        )
    if information.acknowledged_at is not None:
        raise ApplicationError(
            _("This information has already been acknowledged."), code="conflict", status_code=409
        )
    information.escalated_to, information.escalated_at = unit, timezone.now()
    information.save(update_fields=["escalated_to", "escalated_at"])
    return information


def information_acknowledge(*, information: InformationReport, user: User) -> InformationReport:
    """A supervisor of the unit it was escalated to (or above) acknowledges the information."""
    target = information.escalated_to
    if target is None:
        raise ApplicationError(
            _("This information has not been escalated."), code="conflict", status_code=409
        )
    if user.unit is None or not target.path.startswith(user.unit.path) or user.role == "officer":
        raise ApplicationError(
            _("Only the unit it was escalated to, or a unit above, acknowledges it."),
            code="forbidden",
            status_code=403,
        )
    if information.acknowledged_at is None:
        information.acknowledged_by, information.acknowledged_at = user, timezone.now()
        information.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return information
