"""Quick reports: what an officer sends by chat about an activity, waiting in the app.

An officer whose chat is linked (``sambang.chat``) writes what they did, shares their
position and sends photos; messages within ``GAP`` of each other gather in one quick report
until the officer closes it (or stays silent longer). It is not an activity report: it has
no activity type and none of the sections a type requires, so it is counted nowhere. In the
app the officer completes it in the report form — prefilled with the text, the village, the
time of the first message and the position — and the report it becomes (a draft or sent,
checked as every report is) takes its photos. A quick report older than ``REPORT_MAX_AGE``
could no longer become a report and is removed (``quick_reports_purge_expired``).
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.personnel.models import Officer
from sambang.territory.selectors import locate_village

from .models import ActivityReport, QuickReport, QuickReportPhoto
from .photos import photo_digest, receive_photo
from .services import MAX_PHOTOS, REPORT_MAX_AGE, assigned_on, local_zone, photo_add

GAP = dt.timedelta(minutes=30)  # silence after which the next message begins another one
MAX_TEXT = 10_000  # the report form's own limit for "what happened"


@dataclass
class Noted:
    """What a message did to the officer's quick report."""

    quick: QuickReport | None  # None: nothing was kept (a first message that was refused)
    created: bool
    problem: str = ""  # why the message was not added (too long, too many photos)


def _open(officer: Officer, now: dt.datetime) -> QuickReport | None:
    return (
        QuickReport.objects.filter(
            officer=officer, report__isnull=True, closed=False, last_message_at__gte=now - GAP
        )
        .order_by("-last_message_at")
        .first()
    )


def quick_report_note(
    *,
    officer: Officer,
    channel: str,
    now: dt.datetime,
    text: str = "",
    position: tuple[float, float] | None = None,
    photo: bytes | None = None,
) -> Noted:
    """Add one message (a text, a position or a photo) to the officer's open quick report,
    or begin one with it."""
    with transaction.atomic():
        # One officer's messages one at a time: two at once must not begin two reports.
        Officer.objects.select_for_update().filter(pk=officer.pk).first()
        quick = _open(officer, now)
        created = quick is None
        if quick is None:
            quick = QuickReport(
                uuid=uuid_lib.uuid4(),
                officer=officer,
                channel=channel,
                started_at=now,
                last_message_at=now,
            )
        problem = ""
        if text:
            joined = f"{quick.text}\n{text}" if quick.text else text
            if len(joined) > MAX_TEXT:
                problem = _("The text is too long: a report holds %(n)s characters.") % {
                    "n": MAX_TEXT
                }
            else:
                quick.text = joined
        if position is not None:
            quick.latitude, quick.longitude = position
            located = locate_village(*position)
            day = now.astimezone(local_zone(officer)).date()
            quick.village = (
                located.village
                if located is not None and assigned_on(officer, located.village, day)
                else None
            )
        quick.last_message_at = now
        quick.save()
        if photo is not None:
            if quick.photos.count() >= MAX_PHOTOS:
                problem = _("A report holds at most %(n)s photos.") % {"n": MAX_PHOTOS}
            else:
                try:  # a JPEG, PNG or WebP within the limits, as every report's photo
                    received = receive_photo(photo)
                except ApplicationError as refused:
                    problem = refused.message
                else:
                    QuickReportPhoto.objects.create(
                        quick_report=quick, data=photo, content_type=received.content_type
                    )
        if created and not (quick.text or quick.latitude is not None or quick.photos.exists()):
            quick.delete()  # its first message was refused: nothing to keep
            return Noted(None, False, problem)
    return Noted(quick, created, problem)


def quick_report_close(*, officer: Officer, now: dt.datetime) -> QuickReport | None:
    """Close the officer's open quick report (the next message begins another); it stays
    in the app to complete."""
    quick = _open(officer, now)
    if quick is not None:
        quick.closed = True
        quick.save(update_fields=["closed"])
    return quick


def quick_report_discard(*, quick: QuickReport, officer: Officer) -> None:
    if quick.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who sent it can discard it."), code="forbidden", status_code=403
        )
    if quick.report_id is not None:
        raise ApplicationError(_("It is already a report."), code="conflict", status_code=409)
    quick.delete()


def quick_report_complete(
    *, quick: QuickReport, report: ActivityReport, officer: Officer
) -> list[str]:
    """The quick report became ``report``: its photos are the report's; what could not be
    added, in words. Completing it again (the phone's outbox retrying) adds nothing."""
    if quick.officer_id != officer.pk or report.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who sent it can complete it."), code="forbidden", status_code=403
        )
    if quick.report_id is not None:
        return []
    problems = []
    for photo in quick.photos.all():
        data = bytes(photo.data)
        try:
            photo_add(
                report=report,
                officer=officer,
                photo_uuid=uuid_lib.uuid5(report.uuid, photo_digest(data)),
                data=data,
            )
        except ApplicationError as error:
            problems.append(error.message)
    with transaction.atomic():
        quick.report = report
        quick.save(update_fields=["report"])
        quick.photos.all().delete()
    return problems


def quick_reports_waiting(officer: Officer) -> QuerySet[QuickReport]:
    """The officer's quick reports not yet completed, the newest first."""
    return (
        QuickReport.objects.filter(officer=officer, report__isnull=True)
        .select_related("village")
        .annotate(photo_count=Count("photos"))
        .order_by("-started_at")
    )


def quick_reports_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Remove the quick reports too old to become a report; how many."""
    limit = (now or timezone.now()) - REPORT_MAX_AGE
    _total, removed = QuickReport.objects.filter(report__isnull=True, started_at__lt=limit).delete()
    return removed.get(QuickReport._meta.label, 0)
