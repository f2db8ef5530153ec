"""Following an alert up (acknowledged, then closed with what was done), and election periods
(opened, with their directive; indicators entered per village)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError
from sambang.core.validators import date_problem, text_problem
from sambang.organization.models import Unit
from sambang.organization.services import directive_issue
from sambang.personnel.models import User
from sambang.territory.models import Region

from . import election, selectors
from .models import ActionKind, Alert, AlertStatus, ElectionEntry, ElectionKind, ElectionPeriod

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


MAP_SPOTS_DAYS = 30  # the directive asks for the spots this many days before voting


@transaction.atomic
def election_open(
    *,
    user: User,
    unit: Unit,
    name: str,
    kind: str,
    voting_day: dt.date,
    starts: dt.date | None = None,
    ends: dt.date | None = None,
    directive_url: Callable[[ElectionPeriod], str] | None = None,
) -> ElectionPeriod:
    """Open an election period for ``unit`` (default: watched from 90 days before voting to
    30 after); with ``directive_url``, also direct the unit's officers to map the
    election-vulnerable spots of their villages 30 days before voting, the directive
    linking to the period's view."""
    starts = starts or voting_day - dt.timedelta(days=90)
    ends = ends or voting_day + dt.timedelta(days=30)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the election.")]
    elif problem := text_problem(name, 200):
        errors["name"] = [problem]
    if kind not in ElectionKind.values:
        errors["kind"] = [_("Choose the kind of election.")]
    if problem := date_problem(voting_day):
        errors["voting_day"] = [problem]
    elif not starts <= voting_day <= ends:
        errors["starts"] = [_("The watch must start before voting day and end after it.")]
    if errors:
        raise ApplicationError(_("The election period was not opened."), fields=errors)
    period = ElectionPeriod.objects.create(
        unit=unit,
        name=name.strip(),
        kind=kind,
        voting_day=voting_day,
        starts=starts,
        ends=ends,
        opened_by=user,
    )
    if directive_url is not None:
        due = max(voting_day - dt.timedelta(days=MAP_SPOTS_DAYS), timezone.localdate())
        period.directive = directive_issue(
            issuer=user,
            unit=unit,
            title=_("Map the election-vulnerable spots before %(due)s")
            % {"due": f"{due:%d-%m-%Y}"},
            body=_(
                "For %(name)s (voting on %(day)s): record each election-vulnerable spot of "
                "your villages as a vulnerable spot of the category 'Election', with its "
                "level, by %(due)s. The villages' election vulnerability: %(url)s"
            )
            % {
                "name": period.name,
                "day": f"{voting_day:%d-%m-%Y}",
                "due": f"{due:%d-%m-%Y}",
                "url": directive_url(period),
            },
            due_date=due,
        )
        period.save(update_fields=["directive"])
    audit_record(user=user, action="election.open", target=period, unit=unit.code)
    return period


@transaction.atomic
def election_enter(
    *, user: User, period: ElectionPeriod, village: Region, levels: dict[str, str], note: str
) -> int:
    """Record the entered indicators of ``village`` (``levels``: indicator → low, medium,
    high, or "" to clear it). Returns how many are now entered."""
    errors: dict[str, list[str]] = {}
    for code, level in levels.items():
        if code not in {i.code for i in election.ENTERED}:
            errors[code] = [_("Not an indicator entered by hand.")]
        elif level not in ("", *election.LEVEL_SCORE):
            errors[code] = [_("Choose low, medium or high.")]
    if problem := text_problem(note, 500):
        errors["note"] = [problem]
    if errors:
        raise ApplicationError(_("Nothing was saved."), fields=errors)
    for code, level in levels.items():
        if level:
            ElectionEntry.objects.update_or_create(
                period=period,
                village=village,
                indicator=code,
                defaults={"level": level, "note": note.strip(), "entered_by": user},
            )
        else:
            ElectionEntry.objects.filter(period=period, village=village, indicator=code).delete()
    audit_record(
        user=user, action="election.enter", target=period, village=village.code, levels=levels
    )
    return ElectionEntry.objects.filter(period=period, village=village).count()
