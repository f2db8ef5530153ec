"""Following an alert up: acknowledged (someone is on it), then closed with what was done."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError
from sambang.personnel.models import User

from . import selectors
from .models import ActionKind, Alert, AlertStatus

MEDIATION_TYPE = "problem-solving"


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user: User) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.OPEN:
        raise ApplicationError(_("This alert has already been acknowledged."))
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    audit_record(user=user, action="alert.acknowledge", target=alert)
    return alert


@transaction.atomic
def alert_close(
    *,
    alert: Alert,
    user: User,
    action: str,
    report: str = "",
    directive: str = "",
    note: str = "",
) -> Alert:
    """Close ``alert`` with the action taken: a visit or a mediation (the report that
    records it, one ``user`` sees, of the alert's village since the rise began), a
    directive (one ``user`` sees, issued since), or something else (said in ``note``)."""
    alert = Alert.objects.select_for_update().select_related("unit").get(pk=alert.pk)
    if alert.status == AlertStatus.CLOSED:
        raise ApplicationError(_("This alert is already closed."))
    errors: dict[str, list[str]] = {}
    note = note.strip()
    chosen_report = chosen_directive = None
    if action not in ActionKind.values:
        errors["action"] = [_("Choose what was done.")]
    elif action in (ActionKind.VISIT, ActionKind.MEDIATION):
        candidates = selectors.action_reports(user, alert)
        if action == ActionKind.MEDIATION:
            candidates = candidates.filter(activity_type__code=MEDIATION_TYPE)
        chosen_report = candidates.filter(uuid=report).first() if report else None
        if chosen_report is None:
            errors["report"] = [
                _("Choose the report of the visit or mediation (of the village, since the rise).")
            ]
    elif action == ActionKind.DIRECTIVE:
        chosen_directive = (
            selectors.action_directives(user, alert).filter(pk=directive).first()
            if directive.isdigit()
            else None
        )
        if chosen_directive is None:
            errors["directive"] = [_("Choose the directive issued about it.")]
    elif not note:
        errors["note"] = [_("Say what was done.")]
    if errors:
        raise ApplicationError(_("The alert was not closed."), fields=errors)
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = user, now
    alert.status = AlertStatus.CLOSED
    alert.closed_by, alert.closed_at = user, now
    alert.action, alert.action_report, alert.action_directive = (
        action,
        chosen_report,
        chosen_directive,
    )
    alert.note = note
    alert.save()
    audit_record(
        user=user,
        action="alert.close",
        target=alert,
        what=action,
        report=str(chosen_report.uuid) if chosen_report else None,
        directive=chosen_directive.pk if chosen_directive else None,
    )
    return alert
