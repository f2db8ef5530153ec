"""What happened, who is told, and what they are told.

A notification says only what kind of thing waits and where: a short title, a generic
sentence and a link into the app, which checks the reader's scope when it opens. It never
carries a reporter's name or phone, a person of interest, or any narrative text, since it
travels through the browsers' push services and shows on a locked phone.

Each event is named by a kind and the id of its record; :func:`recipients` reads who is
told, after the write has committed (in a background task).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sambang.alerts.models import Alert, AlertStatus, Severity
from sambang.fieldwork.models import ActivityReport, ReportState
from sambang.organization.models import Directive
from sambang.personnel.models import OfficerStatus, Role, User
from sambang.public.models import CitizenReport

from .models import Kind


def _alerted(alert: Alert) -> QuerySet[User]:
    """Who is told of a new alert, as its work queues show it: the officers covering its
    village, the Polsek's supervisors, and for a strong rise the Polres's (the levels above
    read strong rises in their work queue and digest rather than on their phones)."""
    told = Q(role=Role.POLSEK, unit_id=alert.unit_id)
    if alert.village_id is not None:
        told |= Q(
            role=Role.OFFICER,
            officer__status=OfficerStatus.ACTIVE,
            officer__assignments__village_id=alert.village_id,
            officer__assignments__end_date__isnull=True,
        )
    if alert.severity == Severity.HIGH:  # the Polres above (or covering the village itself)
        told |= Q(role=Role.POLRES) & (Q(unit_id=alert.unit_id) | Q(unit__children=alert.unit_id))
    return User.objects.filter(told, is_active=True).distinct()


# The events a write announces (the overdue reminders come from ``sambang notifications
# overdue``, the digest from ``sambang notifications digest``).
EVENT_KINDS = (Kind.DIRECTIVE, Kind.REPORT_RETURNED, Kind.CITIZEN_REPORT, Kind.ALERT)


@dataclass(frozen=True)
class Message:
    """One notification, in its reader's language."""

    kind: str
    title: str
    body: str
    url: str  # a path into the app
    tag: str = ""  # a newer message with the same tag replaces the older on the device

    def payload(self) -> dict[str, str]:
        """What a device receives (and all it receives)."""
        return {
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "url": self.url,
            "tag": self.tag,
        }


@dataclass(frozen=True)
class Notice:
    """Whom to tell about what: composed into a Message in the reader's language."""

    user: User
    kind: str
    url: str
    count: int = 1


def compose(notice: Notice) -> Message:
    """The message of ``notice`` in the active language."""
    kind, url, count = notice.kind, notice.url, notice.count
    if kind == Kind.DIRECTIVE:
        return Message(kind, _("New directive"), _("A directive for you is waiting."), url)
    if kind == Kind.REPORT_RETURNED:
        body = _("A supervisor returned one of your reports for correction.")
        return Message(kind, _("Report returned"), body, url)
    if kind == Kind.CITIZEN_REPORT:
        body = _("A resident sent a report about your village.")
        return Message(kind, _("New residents' report"), body, url)
    if kind == Kind.OVERDUE:
        body = ngettext(
            "%(n)s residents' report is past its first-response time.",
            "%(n)s residents' reports are past their first-response time.",
            count,
        ) % {"n": count}
        return Message(kind, _("Residents' reports overdue"), body, url, tag="overdue")
    if kind == Kind.ALERT:
        body = _("Sambang's watch sees an unusual rise in your area: look at the evidence.")
        return Message(kind, _("Early-warning alert"), body, url)
    raise ValueError(f"no message for {kind!r}")


def recipients(kind: str, object_id: int) -> list[Notice]:
    """Who is told about the event ``kind`` of record ``object_id`` (none when the record
    is gone or no longer in the state that made the event)."""
    if kind == Kind.DIRECTIVE:
        directive = Directive.objects.filter(pk=object_id).first()
        if directive is None:
            return []
        users = User.objects.filter(
            is_active=True, officer__directive_receipts__directive=directive
        ).distinct()
        url = reverse("directives:detail", args=[directive.pk])
        return [Notice(user, kind, url) for user in users]
    if kind == Kind.REPORT_RETURNED:
        report = (
            ActivityReport.objects.filter(pk=object_id, state=ReportState.RETURNED)
            .select_related("officer__user")
            .first()
        )
        user = report.officer.user if report is not None else None
        if report is None or user is None or not user.is_active:
            return []
        return [Notice(user, kind, reverse("fieldwork:report_detail", args=[report.uuid]))]
    if kind == Kind.CITIZEN_REPORT:
        citizen = CitizenReport.objects.filter(pk=object_id).select_related("officer__user").first()
        officer = citizen.officer if citizen is not None else None
        user = officer.user if officer is not None else None
        if citizen is None or user is None or not user.is_active:
            return []
        return [Notice(user, kind, reverse("citizen:detail", args=[citizen.tracking_code]))]
    if kind == Kind.ALERT:
        alert = Alert.objects.filter(pk=object_id, status=AlertStatus.OPEN).first()
        if alert is None:
            return []
        url = reverse("alerts:detail", args=[alert.pk])
        return [Notice(user, kind, url) for user in _alerted(alert)]
    raise ValueError(f"not an event: {kind!r}")
