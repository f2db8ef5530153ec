"""Writes of residents' reports: filing (no account), routing, and their handling."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.core.ratelimit import limit_exhausted, limit_reached
from sambang.core.validators import date_problem
from sambang.fieldwork.photos import CheckedPhoto, PhotoSource, check_photo
from sambang.notifications.models import Kind
from sambang.notifications.services import announce
from sambang.organization.models import Jurisdiction, Unit
from sambang.personnel.models import Officer, OfficerStatus, User
from sambang.personnel.selectors import village_contact
from sambang.territory.models import Region, RegionLevel
from sambang.territory.selectors import locate_village

from .decoys import decoy_for_submission, decoy_keep
from .models import (
    NEXT_STATUSES,
    CitizenAttachment,
    CitizenCategory,
    CitizenEvent,
    CitizenReport,
    CitizenStatus,
)

# Sent when the police write the answer a reporter reads (inside the write's transaction):
# a report that came by chat gets it there too (``chat.apps``).
answered = Signal()

# Unambiguous to read aloud or type from a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
MAX_ATTACHMENTS = 3
CLOCK_SKEW = dt.timedelta(minutes=10)
PHONE_CHARS = set("0123456789+-() ")


def tracking_code_new() -> str:
    """About 50 bits of randomness: not guessable, short enough to write down."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not CitizenReport.objects.filter(tracking_code=code).exists():
            return code


@dataclass
class Upload:
    name: str
    data: PhotoSource  # the uploaded file, read only by the photo check


@dataclass
class SubmitResult:
    report: CitizenReport
    # Attachments that were not kept, with the reason; the report itself is saved.
    attachment_problems: list[str] = field(default_factory=list)
    # False when the submission was sent before: the report is the one it made then.
    created: bool = True


def reports_used_up(address: str) -> bool:
    """Whether the address's next report would be refused (nothing is counted)."""
    return limit_exhausted(
        "citizen-hour", address, limit=settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR, window_s=3600
    ) or limit_exhausted(
        "citizen-day", address, limit=settings.SAMBANG_PUBLIC_REPORTS_PER_DAY, window_s=86400
    )


def _check_rate(address: str) -> None:
    per_hour = settings.SAMBANG_PUBLIC_REPORTS_PER_HOUR
    per_day = settings.SAMBANG_PUBLIC_REPORTS_PER_DAY
    if limit_reached("citizen-hour", address, limit=per_hour, window_s=3600) or limit_reached(
        "citizen-day", address, limit=per_day, window_s=86400
    ):
        raise ApplicationError(
            _(
                "Too many reports from this connection. Your text has not been lost: try "
                "again later, or call the police at 110 if it is urgent."
            ),
            code="rate_limited",
            status_code=429,
        )


def _route(village: Region) -> tuple[Unit | None, Officer | None]:
    """The Polsek covering the village, and the village's officer today."""
    jurisdiction = Jurisdiction.objects.filter(village=village).select_related("unit").first()
    return (jurisdiction.unit if jurisdiction else None), village_contact(village)


def _clean(data: dict[str, Any], now: dt.datetime) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    if data.get("category") not in CitizenCategory.values:
        errors["category"] = [_("Choose what the report is about.")]
    description = (data.get("description") or "").strip()
    if not description:
        errors["description"] = [_("Tell us what happened.")]
    elif len(description) > 4000:
        errors["description"] = [_("At most 4000 characters.")]
    latitude, longitude = data.get("latitude"), data.get("longitude")
    position = (latitude, longitude) if latitude is not None and longitude is not None else None
    if position is None and (latitude, longitude) != (None, None):
        errors["latitude"] = [_("Send latitude and longitude together.")]
    elif position and not (-90 <= position[0] <= 90 and -180 <= position[1] <= 180):
        errors["latitude"] = [_("This is not a position on Earth.")]
    village = None
    if data.get("village"):
        village = Region.objects.filter(code=data["village"], level=RegionLevel.VILLAGE).first()
        if village is None:
            errors["village"] = [_("Unknown village.")]
    elif position is not None and "latitude" not in errors:
        located = locate_village(*position)
        if located is None:
            errors["village"] = [_("No village found at this position; choose the village.")]
        else:
            village = located.village
    else:
        errors["village"] = [_("Choose the village, or share your position.")]
    occurred_at = data.get("occurred_at")
    if occurred_at is not None:
        if timezone.is_naive(occurred_at):
            occurred_at = occurred_at.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if problem := date_problem(occurred_at):  # before any arithmetic can overflow
            errors["occurred_at"] = [problem]
        elif occurred_at > now + CLOCK_SKEW:
            errors["occurred_at"] = [_("This time is in the future.")]
    anonymous = bool(data.get("anonymous", True))
    name = (data.get("reporter_name") or "").strip()
    phone = (data.get("reporter_phone") or "").strip()
    if anonymous:
        name = phone = ""
    elif not (name or phone):
        errors["reporter_name"] = [_("Give a name or a phone number, or report anonymously.")]
    if phone and (not set(phone) <= PHONE_CHARS or sum(c.isdigit() for c in phone) < 6):
        errors["reporter_phone"] = [_("This is not a phone number.")]
    cleaned = {
        "category": data.get("category"),
        "description": description,
        "village": village,
        "latitude": latitude,
        "longitude": longitude,
        "place": (data.get("place") or "").strip()[:200],
        "occurred_at": occurred_at,
        "anonymous": anonymous,
        "reporter_name": name[:120],
        "reporter_phone": phone[:20],
    }
    return cleaned, errors


def _same_report(report: CitizenReport, cleaned: dict[str, Any]) -> bool:
    """Whether what is sent says what the report says: its village, category and text.
    Not its position, which a browser does not keep for the form the back button shows."""
    return (report.village_id, report.category, report.description) == (
        cleaned["village"].pk,
        cleaned["category"],
        cleaned["description"],
    )


def _sent_before(
    submission: uuid.UUID, cleaned: dict[str, Any], *, decoy: bool
) -> CitizenReport | None:
    """The report this submission already made, when the same report is sent again.

    The same token with another village, category or text is not a resend but another
    report (an old copy of the form, kept by the browser or the app): a 409, nothing saved."""
    report = CitizenReport.objects.filter(submission=submission).first()
    if report is None:
        return decoy_for_submission(submission) if decoy else None
    if not _same_report(report, cleaned):
        raise ApplicationError(
            _("This submission was already sent with another report; nothing was saved."),
            code="conflict",
            status_code=409,
            fields={"submission": [_("Already used by another report.")]},
        )
    return report


def citizen_report_submit(
    *, data: dict[str, Any], uploads: list[Upload], address: str, decoy: bool = False
) -> SubmitResult:
    """File a resident's report and route it; photos that fail are reported, not fatal.

    ``data["submission"]``, optional: the form's one-time token, or the UUID an API client
    chose. The same report sent again with it (a double tap, a reload after a lost answer,
    the back button) is the report it made (``created`` is False): not counted against the
    address's limit, its photos not looked at again. Another village, category or text with
    it is a 409.

    ``decoy``: the form's hidden field was filled in, which only bots do. The bot gets
    what a resident would (the same checks, the same limit per address, a tracking code
    with the status and time of a real report, and a status page for that code), and
    nothing is stored but a throwaway in the cache (``decoys.py``)."""
    now = timezone.now()
    cleaned, errors = _clean(data, now)
    if errors:
        raise ApplicationError(_("The report is not complete."), fields=errors)
    submission: uuid.UUID | None = data.get("submission")
    if submission is not None and (sent := _sent_before(submission, cleaned, decoy=decoy)):
        return SubmitResult(sent, created=False)
    _check_rate(address)
    unit, officer = _route(cleaned["village"])
    if decoy:
        throwaway = CitizenReport(
            tracking_code=tracking_code_new(),
            submission=submission,
            received_at=now,
            category=cleaned["category"],
            status=CitizenStatus.ASSIGNED if officer else CitizenStatus.RECEIVED,
        )
        decoy_keep(throwaway)
        return SubmitResult(throwaway)
    # Checked (and re-encoded: the EXIF data, the phone's GPS and model, are never stored)
    # before the transaction: decoding a photo takes a while, and may wait its turn.
    problems: list[str] = []
    photos: list[CheckedPhoto] = []
    for upload in uploads:
        if len(photos) >= MAX_ATTACHMENTS:
            problems.append(
                _("%(name)s: at most %(n)s photos per report.")
                % {"name": upload.name, "n": MAX_ATTACHMENTS}
            )
            continue
        try:
            photos.append(check_photo(upload.data, ZoneInfo(settings.TIME_ZONE)))
        except ApplicationError as error:
            problems.append(f"{upload.name}: {error.message}")
    try:
        report = _create(cleaned, submission, unit, officer, photos, now)
    except IntegrityError:
        # The same form arrived twice at the same moment: the first one won.
        if submission is None or (sent := _sent_before(submission, cleaned, decoy=False)) is None:
            raise
        return SubmitResult(sent, created=False)
    return SubmitResult(report, problems)


def _create(
    cleaned: dict[str, Any],
    submission: uuid.UUID | None,
    unit: Unit | None,
    officer: Officer | None,
    photos: list[CheckedPhoto],
    now: dt.datetime,
) -> CitizenReport:
    with transaction.atomic():
        report = CitizenReport.objects.create(
            tracking_code=tracking_code_new(),
            submission=submission,
            received_at=now,
            unit=unit,
            officer=officer,
            status=CitizenStatus.ASSIGNED if officer else CitizenStatus.RECEIVED,
            due_at=now + dt.timedelta(hours=settings.SAMBANG_FIRST_RESPONSE_HOURS),
            **cleaned,
        )
        CitizenEvent.objects.create(report=report, status_to=CitizenStatus.RECEIVED)
        if officer is not None:
            announce(kind=Kind.CITIZEN_REPORT, object_id=report.pk)
            CitizenEvent.objects.create(
                report=report,
                status_from=CitizenStatus.RECEIVED,
                status_to=CitizenStatus.ASSIGNED,
                officer=officer,
            )
        for kept, photo in enumerate(photos, start=1):
            attachment = CitizenAttachment(
                report=report, content_type=photo.content_type, size=len(photo.data)
            )
            stem = f"{report.tracking_code}-{kept}"
            attachment.image.save(f"{stem}.{photo.extension}", ContentFile(photo.data), save=False)
            attachment.thumbnail.save(f"{stem}.jpg", ContentFile(photo.thumbnail), save=False)
            attachment.save()
    return report


def _first_response(report: CitizenReport, now: dt.datetime) -> None:
    if report.first_response_at is None:
        report.first_response_at = now


def citizen_report_transition(
    *, report: CitizenReport, user: User, status: str, note: str = "", reason: str = ""
) -> CitizenReport:
    """Move a report to its next status; a rejection needs a reason the reporter will read."""
    if status not in NEXT_STATUSES.get(report.status, ()):
        raise ApplicationError(
            _("A report that is %(now)s cannot become %(next)s.")
            % {
                "now": report.get_status_display(),
                "next": CitizenStatus(status).label if status in CitizenStatus.values else status,
            },
            fields={"status": [_("Not a next step for this report.")]},
        )
    reason = reason.strip()
    if status == CitizenStatus.REJECTED and not reason:
        raise ApplicationError(
            _("Say why the report is rejected."), fields={"reason": [_("This field is required.")]}
        )
    now = timezone.now()
    previous = report.status
    report.status = status
    if status == CitizenStatus.REJECTED:
        report.rejection_reason = reason
    if status in (CitizenStatus.IN_PROGRESS, CitizenStatus.RESOLVED, CitizenStatus.REJECTED):
        _first_response(report, now)
    report.closed_at = now if status in (CitizenStatus.CLOSED, CitizenStatus.REJECTED) else None
    with transaction.atomic():
        report.save()
        CitizenEvent.objects.create(
            report=report, actor=user, status_from=previous, status_to=status, note=note.strip()
        )
    return report


def citizen_report_assign(*, report: CitizenReport, user: User, officer: Officer) -> bool:
    """Give the report to an active officer of the unit it was routed to; whether that
    changed anything (the officer who has it already is no change, and is not logged)."""
    if not report.is_open:
        raise ApplicationError(
            _("This report is no longer open."), code="conflict", status_code=409
        )
    if (
        officer.status != OfficerStatus.ACTIVE
        or report.unit is None
        or not officer.unit.path.startswith(report.unit.path)
    ):
        raise ApplicationError(
            _("Choose an active officer of the unit the report went to."),
            fields={"officer": [_("Not an officer of this unit.")]},
        )
    if report.officer_id == officer.pk and report.status != CitizenStatus.RECEIVED:
        return False
    previous = report.status
    report.officer = officer
    if report.status == CitizenStatus.RECEIVED:
        report.status = CitizenStatus.ASSIGNED
    with transaction.atomic():
        report.save(update_fields=["officer", "status"])
        CitizenEvent.objects.create(
            report=report,
            actor=user,
            status_from=previous,
            status_to=report.status,
            officer=officer,
        )
        # The officer it is given to hears of it, as when it is routed on arrival.
        announce(kind=Kind.CITIZEN_REPORT, object_id=report.pk)
    return True


def citizen_report_answer(*, report: CitizenReport, user: User, note: str) -> CitizenReport:
    """Write the answer the reporter reads on the status page; it is a first response."""
    note = note.strip()
    if not note:
        raise ApplicationError(
            _("Write the answer."), fields={"note": [_("This field is required.")]}
        )
    report.public_note = note[:2000]
    _first_response(report, timezone.now())
    with transaction.atomic():
        report.save(update_fields=["public_note", "first_response_at"])
        CitizenEvent.objects.create(report=report, actor=user, note=report.public_note)
        answered.send(sender=CitizenReport, report=report)
    return report
