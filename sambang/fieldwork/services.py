"""Writes of field work: plans, reports (idempotent by client UUID), photos, reviews."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid as uuid_lib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.access import AnyUser
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.community.models import Partner as VillagePartner
from sambang.core.errors import ApplicationError, validation_fields
from sambang.core.validators import text_problem
from sambang.notifications.models import Kind
from sambang.notifications.services import announce
from sambang.personnel.models import Assignment, Officer, User
from sambang.security.models import InformationReport, ProblemCase
from sambang.territory.models import Region
from sambang.territory.selectors import map_cell

from .models import (
    DETAIL_FIELDS,
    ActivityReport,
    ActivityType,
    HouseholdConcern,
    HouseholdVisit,
    IntegrityLevel,
    OfficerDevice,
    Partner,
    PhotoKind,
    PhotoState,
    PlanComment,
    PlanItem,
    ReportField,
    ReportPhoto,
    ReportState,
    SignalNote,
    VisitConfirmation,
)
from .photos import PhotoSource, photo_digest, receive_photo
from .processing import mark_pending

# How long a process keeps an activity type it has read (``active_type``).
TYPE_KEPT_S = 60.0
_types: dict[str, tuple[ActivityType, float]] = {}

# Offline phones send late, but not this late; older activities go through a supervisor
# (``report_record_late``), up to a year back.
REPORT_MAX_AGE = dt.timedelta(days=45)
LATE_MAX_AGE = dt.timedelta(days=366)
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_PHOTOS = 10
DETAIL_MODELS: dict[str, type[models.Model]] = {
    ReportField.HOUSEHOLD: HouseholdVisit,
    ReportField.INFORMATION: InformationReport,
    ReportField.PROBLEM: ProblemCase,
}

Errors = dict[str, list[str]]


def local_zone(officer: Officer) -> ZoneInfo:
    return ZoneInfo(officer.unit.timezone)


def aware_local(value: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """A client's local date/time (naive: in the unit's zone) as an aware datetime."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=zone)


def content_hash_of(data: dict[str, Any]) -> str:
    """What tells a report sent again (the same) from another sent with the same UUID."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def assigned_on(officer: Officer, village: Region, day: dt.date) -> bool:
    return Assignment.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        officer=officer,
        village=village,
        start_date__lte=day,
    ).exists()


def remember_device(officer: Officer, device: str, network: str = "") -> None:
    """Keep the (hashed) device and network an officer works from (one upsert)."""
    seen = sorted({value for value in (device, network) if value})
    if seen:
        OfficerDevice.objects.bulk_create(
            [OfficerDevice(officer=officer, device=value) for value in seen],
            update_conflicts=True,
            unique_fields=["officer", "device"],
            update_fields=["last_seen"],
        )


# --- plans ---------------------------------------------------------------------------


def _plan_fields(officer: Officer, data: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    errors: Errors = {}
    fields: dict[str, Any] = {
        k: data[k]
        for k in ("date", "start_time", "end_time", "target_kind", "target", "notes")
        if k in data
    }
    kind = ActivityType.objects.filter(code=data.get("activity_type"), active=True).first()
    if kind is None:
        errors["activity_type"] = [_("Unknown activity type.")]
    village = Region.objects.filter(code=data.get("village")).first()
    day = data.get("date")
    if village is None:
        errors["village"] = [_("Unknown village.")]
    elif day is not None and not assigned_on(officer, village, day):
        errors["village"] = [_("You are not the officer of this village on that day.")]
    start, end = data.get("start_time"), data.get("end_time")
    if start and end and end <= start:
        errors["end_time"] = [_("The end time is before the start time.")]
    fields.update(activity_type=kind, village=village)
    return fields, errors


def plan_create(*, officer: Officer, data: dict[str, Any]) -> tuple[PlanItem, bool]:
    """Plan an activity; re-sending the same plan item (same UUID) is a no-op."""
    existing = PlanItem.objects.filter(uuid=data["uuid"]).first()
    if existing is not None:
        if existing.officer_id != officer.pk:
            raise _uuid_conflict(_("plan item"))
        return existing, False
    fields, errors = _plan_fields(officer, data)
    if errors:
        raise ApplicationError(_("The plan item is not valid."), fields=errors)
    try:
        with transaction.atomic():
            item = PlanItem.objects.create(
                uuid=data["uuid"], officer=officer, unit=officer.unit, **fields
            )
    except IntegrityError:  # the same UUID arrived twice at once
        return PlanItem.objects.get(uuid=data["uuid"], officer=officer), False
    return item, True


def plan_update(*, item: PlanItem, officer: Officer, changes: dict[str, Any]) -> PlanItem:
    """Change a plan item of one's own."""
    if item.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who planned it can change it."), code="forbidden", status_code=403
        )
    merged = {
        "activity_type": item.activity_type.code,
        "village": item.village_id,
        "date": item.date,
        "start_time": item.start_time,
        "end_time": item.end_time,
        "target_kind": item.target_kind,
        "target": item.target,
        "notes": item.notes,
        **changes,
    }
    fields, errors = _plan_fields(officer, merged)
    if errors:
        raise ApplicationError(_("The plan item is not valid."), fields=errors)
    for name, value in fields.items():
        setattr(item, name, value)
    item.save()
    return item


def plan_delete(*, item: PlanItem, officer: Officer) -> None:
    if item.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who planned it can remove it."), code="forbidden", status_code=403
        )
    if item.reports.exists():
        raise ApplicationError(
            _("A report realizes this plan item; it stays."), code="conflict", status_code=409
        )
    item.delete()


def plan_comment_add(*, item: PlanItem, author: User, text: str) -> PlanComment:
    text = text.strip()
    if not text:
        raise ApplicationError(
            _("Write a comment."), fields={"text": [_("This field is required.")]}
        )
    return PlanComment.objects.create(plan_item=item, author=author, text=text)


# --- reports -------------------------------------------------------------------------


def _uuid_conflict(what: str) -> ApplicationError:
    return ApplicationError(
        _(
            "A different %(what)s was already sent with this id. Keep the one on the server, or "
            "send yours again with a new id."
        )
        % {"what": what},
        code="conflict",
        status_code=409,
    )


def report_payload(report: ActivityReport) -> dict[str, Any]:
    """A report in the shape its create request has: the base for partial changes."""
    payload: dict[str, Any] = {
        "activity_type": report.activity_type.code,
        "village": report.village_id,
        "occurred_at": report.occurred_at,
        "latitude": report.latitude,
        "longitude": report.longitude,
        "accuracy_m": report.accuracy_m,
        "narrative": report.narrative,
        "participants": report.participants,
        "partners": report.partners,
        "partners_other": report.partners_other,
        "partner_records": sorted(report.partner_records.values_list("pk", flat=True)),
        "outcome": report.outcome,
        "plan_item": report.plan_item.uuid if report.plan_item else None,
        "state": report.state,
    }
    for name, model in DETAIL_MODELS.items():
        detail = model._default_manager.filter(report=report).first()
        if detail is None:
            continue
        payload[name] = {f: getattr(detail, f) for f in detail_fields(model)}
        if isinstance(detail, HouseholdVisit):
            payload[name]["concerns"] = [
                {k: getattr(c, k) for k in ("aspect", "description", "urgency", "frequency")}
                for c in detail.concerns.all()
            ]
    return payload


# Set by services of their own, never by editing the report.
_DETAIL_WORKFLOW = {
    "id",
    "report",
    "escalated_to",
    "escalated_at",
    "acknowledged_by",
    "acknowledged_at",
}


def detail_fields(model: type[models.Model]) -> list[str]:
    """The fields of a detail section that the officer fills in."""
    return [
        f.name for f in model._meta.concrete_fields if f.name not in _DETAIL_WORKFLOW and f.editable
    ]


def active_type(code: Any) -> ActivityType | None:
    """The active activity type of this code, kept by each process for ``TYPE_KEPT_S``
    seconds (the catalogue changes a few times a year): a type switched off elsewhere is
    still accepted that long; a code not kept is always looked up (a new type is known at
    once)."""
    if not isinstance(code, str):
        return None
    now = time.monotonic()
    kept = _types.get(code)
    if kept is not None and now - kept[1] < TYPE_KEPT_S:
        return kept[0]
    kind = ActivityType.objects.filter(code=code, active=True).first()
    if kind is None:
        _types.pop(code, None)
    else:
        _types[code] = (kind, now)
    return kind


def forget_types(**_kwargs: Any) -> None:
    """Forget the activity types kept (``active_type``): one was changed in this process."""
    _types.clear()


def _covered_village(
    officer: Officer, code: Any, occurred_at: dt.datetime | None, zone: ZoneInfo
) -> tuple[str | None, str | None]:
    """The village's code, and what is wrong with it for this officer on the day of
    ``occurred_at`` (unknown, not theirs). One query when it is theirs: the assignment says
    the village exists (nothing of the village itself, its outline, is read)."""
    if not isinstance(code, str) or not code:
        return None, _("Unknown village.")
    if occurred_at is not None:
        day = occurred_at.astimezone(zone).date()
        if Assignment.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            officer=officer,
            village_id=code,
            start_date__lte=day,
        ).exists():
            return code, None
    if not Region.objects.filter(code=code).exists():
        return None, _("Unknown village.")
    if occurred_at is None:
        return code, None
    return code, _("You are not the officer of this village on that day.")


def _clean(
    officer: Officer,
    data: dict[str, Any],
    now: dt.datetime,
    max_age: dt.timedelta = REPORT_MAX_AGE,
) -> tuple[dict[str, Any], Errors]:
    """Resolve and check a report payload; every problem is collected, field by field."""
    errors: Errors = {}
    zone = local_zone(officer)
    kind = active_type(data.get("activity_type"))
    if kind is None:
        errors["activity_type"] = [_("Unknown activity type.")]
    occurred_at = aware_local(data.get("occurred_at"), zone)
    if occurred_at is None:
        errors["occurred_at"] = [_("This field is required.")]
    elif occurred_at > now + CLOCK_SKEW:
        errors["occurred_at"] = [_("This time is in the future.")]
    elif occurred_at < now - max_age:
        message = (
            _("This is more than %(days)s days ago; ask your supervisor to record it.")
            if max_age == REPORT_MAX_AGE
            else _("This is more than %(days)s days ago: too late to record.")
        )
        errors["occurred_at"] = [message % {"days": max_age.days}]
    village, problem = _covered_village(officer, data.get("village"), occurred_at, zone)
    if problem:
        errors["village"] = [problem]
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = [
            _("Send latitude and longitude together.")
        ]
    if not (data.get("narrative") or "").strip():
        errors["narrative"] = [_("Describe what happened.")]
    partners = data.get("partners") or []
    if any(p not in Partner.values for p in partners):
        errors["partners"] = [_("Unknown partner: use %s.") % ", ".join(Partner.values)]
    wanted = set(data.get("partner_records") or [])
    partner_records = (
        list(VillagePartner.objects.filter(pk__in=wanted, village=village)) if village else []
    )
    if len(partner_records) != len(wanted):
        errors["partner_records"] = [_("Choose partners of this village.")]
    plan_item = None
    if data.get("plan_item"):
        plan_item = PlanItem.objects.filter(uuid=data["plan_item"], officer=officer).first()
        if plan_item is None:
            errors["plan_item"] = [_("No plan item of yours with this id.")]
    if data.get("state", ReportState.SENT) not in (ReportState.DRAFT, ReportState.SENT):
        errors["state"] = [_("A report is saved as a draft or sent.")]
    if kind is not None:
        required = kind.required_fields
        if ReportField.PARTICIPANTS in required and not data.get("participants"):
            errors["participants"] = [_("This activity needs the number of participants.")]
        if ReportField.PARTNERS in required and not (partners or data.get("partners_other")):
            errors["partners"] = [_("This activity needs the partners who were present.")]
        if ReportField.OUTCOME in required and not (data.get("outcome") or "").strip():
            errors["outcome"] = [_("This activity needs its outcome.")]
        for section in DETAIL_FIELDS:
            present = data.get(section) is not None
            if section in required and not present:
                errors[section] = [_("This activity needs this section.")]
            elif present and section not in required:
                errors[section] = [_("This activity type has no such section.")]
    details: dict[str, models.Model] = {}
    for name, model in DETAIL_MODELS.items():
        values = data.get(name)
        if values is None or name in errors:
            continue
        detail = model(**{k: v for k, v in values.items() if k in detail_fields(model)})
        if name == ReportField.INFORMATION:
            detail.happened_at = aware_local(values.get("happened_at"), zone)  # type: ignore[attr-defined]
        try:
            detail.full_clean(exclude=["report"])
        except ValidationError as error:
            for field, messages in validation_fields(error).items():
                errors[f"{name}.{field}"] = messages
        details[name] = detail
    concerns = []
    for i, values in enumerate((data.get(ReportField.HOUSEHOLD) or {}).get("concerns") or []):
        concern = HouseholdConcern(
            **{k: values.get(k, "") for k in ("aspect", "description", "urgency", "frequency")}
        )
        try:
            concern.full_clean(exclude=["visit"])
        except ValidationError as error:
            for field, messages in validation_fields(error).items():
                errors[f"household.concerns.{i}.{field}"] = messages
        concerns.append(concern)
    cleaned = {
        "activity_type": kind,
        "village_id": village,
        "plan_item": plan_item,
        "occurred_at": occurred_at,
        "latitude": latitude,
        "longitude": longitude,
        "accuracy_m": data.get("accuracy_m"),
        "narrative": (data.get("narrative") or "").strip(),
        "participants": data.get("participants"),
        "partners": partners,
        "partners_other": data.get("partners_other") or "",
        "partner_records": partner_records,
        "outcome": data.get("outcome") or "",
        "state": data.get("state", ReportState.SENT),
        "details": details,
        "concerns": concerns,
    }
    return cleaned, errors


def _apply(report: ActivityReport, cleaned: dict[str, Any], now: dt.datetime) -> None:
    details: dict[str, models.Model] = cleaned.pop("details")
    concerns: list[HouseholdConcern] = cleaned.pop("concerns")
    partner_records = cleaned.pop("partner_records")
    for name, value in cleaned.items():
        setattr(report, name, value)
    report.cell = map_cell(report.latitude, report.longitude)
    if report.state == ReportState.SENT and report.submitted_at is None:
        report.submitted_at = now
    report.pending = True  # its integrity and counts: the worker's (``processing``)
    creating = report.pk is None
    report.save()
    if partner_records or not creating:
        report.partner_records.set(partner_records)
    for name, model in DETAIL_MODELS.items():
        new = details.get(name)
        if creating and new is None:
            continue
        # A new report has no details yet: nothing to look up.
        current = None if creating else model._default_manager.filter(report=report).first()
        if new is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            new.report = report  # type: ignore[attr-defined]
            new.save()
            current = new
        else:
            for field in detail_fields(model):
                setattr(current, field, getattr(new, field))
            current.save()
        if name == ReportField.HOUSEHOLD:
            assert isinstance(current, HouseholdVisit)
            if not creating:
                current.concerns.all().delete()
            for concern in concerns:
                concern.visit = current
            HouseholdConcern.objects.bulk_create(concerns)


def _sent_before(
    report_uuid: uuid_lib.UUID, officer: Officer, content_hash: str
) -> ActivityReport | None:
    """The report already stored under this UUID when it is the same one sent again; a
    different report under the UUID is a 409."""
    existing = ActivityReport.objects.filter(uuid=report_uuid).first()
    if existing is None:
        return None
    if existing.officer_id == officer.pk and existing.content_hash == content_hash:
        return existing
    raise _uuid_conflict(_("report"))


def report_create(
    *,
    officer: Officer,
    data: dict[str, Any],
    device: str = "",
    network: str = "",
    received_at: dt.datetime | None = None,
) -> tuple[ActivityReport, bool]:
    """File a report. The same UUID and content again is a no-op; other content is a 409.

    ``received_at`` is when the server got it: now, except when history is generated.
    """
    zone = local_zone(officer)
    data = {**data, "occurred_at": aware_local(data.get("occurred_at"), zone)}
    content_hash = content_hash_of(data)
    now = received_at or timezone.now()
    cleaned, errors = _clean(officer, data, now)
    if errors:
        # Sent again, accepted before: the same answer, though it would not pass now (its
        # village handed over meanwhile). A new report is inserted without this look-up: its
        # UUID is unique, and the insert says when it is not.
        if (existing := _sent_before(data["uuid"], officer, content_hash)) is not None:
            return existing, False
        raise ApplicationError(_("The report is not valid."), fields=errors)
    try:
        with transaction.atomic():
            report = ActivityReport(
                uuid=data["uuid"], officer=officer, unit=officer.unit, content_hash=content_hash
            )
            _apply(report, cleaned, now)
            remember_device(officer, device, network)
    except IntegrityError:
        # Sent again (or twice at the same moment): the same report is the one stored.
        if (existing := _sent_before(data["uuid"], officer, content_hash)) is not None:
            return existing, False
        raise _uuid_conflict(_("report")) from None
    return report, True


def report_record_late(
    *, supervisor: User, officer: Officer, data: dict[str, Any], reason: str
) -> tuple[ActivityReport, bool]:
    """A supervisor records an officer's report that the phone can no longer send (older than
    ``REPORT_MAX_AGE``), with a reason: marked late, audited. The same UUID and content
    again is a no-op. Its month counts it; a month already approved keeps its approved
    figures, and the change is flagged on it (``LateChange``)."""
    if officer.user_id == supervisor.pk:
        raise ApplicationError(
            _("Your own reports are sent from your phone."), code="forbidden", status_code=403
        )
    reason = reason.strip()
    errors: Errors = {}
    if not reason:
        errors["reason"] = [_("Say why the report is recorded late.")]
    elif problem := text_problem(reason, 2000):
        errors["reason"] = [problem]
    zone = local_zone(officer)
    data = {**data, "occurred_at": aware_local(data.get("occurred_at"), zone), "state": "sent"}
    content_hash = content_hash_of(data)
    if (existing := _sent_before(data["uuid"], officer, content_hash)) is not None:
        return existing, False
    now = timezone.now()
    cleaned, problems = _clean(officer, data, now, max_age=LATE_MAX_AGE)
    errors |= problems
    if errors:
        raise ApplicationError(_("The report is not valid."), fields=errors)
    with transaction.atomic():
        report = ActivityReport(
            uuid=data["uuid"],
            officer=officer,
            unit=officer.unit,
            content_hash=content_hash,
            recorded_by=supervisor,
            late_reason=reason,
        )
        _apply(report, cleaned, now)
        audit_record(
            user=supervisor,
            action=AuditAction.CREATE,
            target=report,
            change="recorded_late",
            officer=officer.nrp,
            occurred_at=report.occurred_at.isoformat(),
            reason=reason,
        )
    return report, True


def report_problems(
    *, officer: Officer, data: dict[str, Any], received_at: dt.datetime
) -> dict[str, list[str]]:
    """What ``report_create`` would refuse in ``data`` had it been received at
    ``received_at``: messages by field, none when it is valid. Writes nothing."""
    data = {**data, "occurred_at": aware_local(data.get("occurred_at"), local_zone(officer))}
    return _clean(officer, data, received_at)[1]


def report_update(
    *,
    report: ActivityReport,
    officer: Officer,
    changes: dict[str, Any],
    device: str = "",
    network: str = "",
) -> ActivityReport:
    """Change one's own report until it is approved; a returned report is sent again."""
    if report.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who filed it can change it."), code="forbidden", status_code=403
        )
    if not report.editable:
        raise ApplicationError(
            _("An approved report can no longer be changed."), code="conflict", status_code=409
        )
    now = timezone.now()
    merged = {**report_payload(report), **changes}
    if report.state == ReportState.RETURNED and "state" not in changes:
        merged["state"] = ReportState.SENT
    if (
        report.state in (ReportState.SENT, ReportState.RETURNED)
        and merged["state"] == ReportState.DRAFT
    ):
        merged["state"] = ReportState.SENT  # a sent report does not go back to draft
    cleaned, errors = _clean(officer, merged, now)
    if errors:
        raise ApplicationError(_("The report is not valid."), fields=errors)
    with transaction.atomic():
        if cleaned["state"] == ReportState.SENT:
            report.reviewed_by, report.reviewed_at = None, None
        _apply(report, cleaned, now)
        remember_device(officer, device, network)
    return report


def report_review(
    *, report: ActivityReport, reviewer: User, decision: str, comment: str = ""
) -> ActivityReport:
    """A supervisor approves a sent report, or returns it to its officer with a comment."""
    if report.state != ReportState.SENT:
        raise ApplicationError(
            _("Only a sent report can be reviewed."), code="conflict", status_code=409
        )
    if report.officer.user_id == reviewer.pk:
        raise ApplicationError(
            _("You cannot review your own report."), code="forbidden", status_code=403
        )
    if decision not in ("approve", "return"):
        raise ApplicationError(
            _("Approve or return."), fields={"decision": [_("Approve or return.")]}
        )
    comment = comment.strip()
    if decision == "return" and not comment:
        raise ApplicationError(
            _("Say what to change."), fields={"comment": [_("A returned report needs a comment.")]}
        )
    report.state = ReportState.APPROVED if decision == "approve" else ReportState.RETURNED
    report.reviewed_by, report.reviewed_at, report.review_comment = (
        reviewer,
        timezone.now(),
        comment,
    )
    report.save(
        update_fields=["state", "reviewed_by", "reviewed_at", "review_comment", "updated_at"]
    )
    if report.state == ReportState.RETURNED:
        announce(kind=Kind.REPORT_RETURNED, object_id=report.pk)
    return report


@dataclass(frozen=True)
class BulkOutcome:
    """What a bulk approval did with one report: approved, or skipped and why."""

    report: ActivityReport
    approved: bool
    code: str = ""  # why it was skipped: not_sent, doubtful, unchecked, forbidden
    reason: str = ""  # the same, in the reader's language


# Only work whose checks found nothing wrong, or little, is approved without being opened:
# a doubtful report (or one not yet checked) is reviewed on its own page, its reasons read.
BULK_APPROVABLE = (IntegrityLevel.VERIFIED, IntegrityLevel.PLAUSIBLE)


def reports_approve(*, reports: Iterable[ActivityReport], reviewer: User) -> list[BulkOutcome]:
    """A supervisor approves several sent reports at once, each through ``report_review``
    (the same checks and rollups as one review). A report no longer sent is skipped, and a
    doubtful or unchecked one refused; the answer says, report by report, what was done."""
    wanted = [r.pk for r in reports]
    with transaction.atomic():
        # Read again under a lock: a report another supervisor reviewed a moment ago is
        # skipped rather than overwritten.
        locked = ActivityReport.objects.select_for_update().select_related(
            "officer", "activity_type"
        )
        current = {r.pk: r for r in locked.filter(pk__in=wanted).order_by("pk")}
        return [_approve_one(current[pk], reviewer) for pk in wanted if pk in current]


def _approve_one(report: ActivityReport, reviewer: User) -> BulkOutcome:
    if report.state != ReportState.SENT:
        reason = _("It is no longer waiting for review (%(state)s).") % {
            "state": report.get_state_display()
        }
        return BulkOutcome(report, False, "not_sent", reason)
    if report.integrity_level == IntegrityLevel.DOUBTFUL:
        reason = _("Doubtful: review it on its own page, with the reasons.")
        return BulkOutcome(report, False, "doubtful", reason)
    if report.integrity_level not in BULK_APPROVABLE or report.pending:
        reason = _("Its integrity is not checked yet: review it on its own page.")
        return BulkOutcome(report, False, "unchecked", reason)
    try:
        report_review(report=report, reviewer=reviewer, decision="approve")
    except ApplicationError as error:  # e.g. a supervisor's own report
        return BulkOutcome(report, False, error.code, error.message)
    return BulkOutcome(report, True)


def photo_add(
    *,
    report: ActivityReport,
    officer: Officer,
    photo_uuid: uuid_lib.UUID,
    data: PhotoSource,
    kind: str = PhotoKind.PHOTO,
) -> tuple[ReportPhoto, bool]:
    """Attach a photo (its bytes, or the uploaded file, never read whole); re-uploading the
    same file under the same UUID is a no-op."""
    if report.officer_id != officer.pk:
        raise ApplicationError(
            _("Only the officer who filed it can add photos."), code="forbidden", status_code=403
        )
    if kind not in PhotoKind.values:
        raise ApplicationError(
            _("Unknown kind of photo."), fields={"kind": [_("Use photo or agreement.")]}
        )
    existing = ReportPhoto.objects.filter(uuid=photo_uuid).first()
    if existing is not None:
        if existing.report_id == report.pk and existing.sha256 == photo_digest(data):
            return existing, False
        raise _uuid_conflict(_("photo"))
    if not report.editable:
        raise ApplicationError(
            _("An approved report can no longer be changed."), code="conflict", status_code=409
        )
    if report.photos.count() >= MAX_PHOTOS:
        raise ApplicationError(
            _("A report holds at most %(n)s photos.") % {"n": MAX_PHOTOS},
            fields={"file": [_("Too many photos.")]},
        )
    # The file as sent is stored before the transaction (writing it takes a while); the
    # worker decodes it (``processing``) and the report is assessed again with it.
    received = receive_photo(data)
    photo = ReportPhoto(
        uuid=photo_uuid,
        report_id=report.pk,
        kind=kind,
        state=PhotoState.RECEIVED,
        sha256=received.sha256,
        content_type=received.content_type,
        size=received.size,
        width=received.width,
        height=received.height,
    )
    content = ContentFile(data) if isinstance(data, bytes) else File(data)
    photo.upload.save(f"{photo_uuid}.{received.extension}", content, save=False)
    with transaction.atomic():
        photo.save()
        mark_pending([report.pk])
    return photo, True


# --- proof of visit --------------------------------------------------------------------


def visit_confirm(
    *,
    visit: HouseholdVisit,
    rating: int | None,
    message: str,
    device: str,
    user: AnyUser,
    network: str = "",
    visited: bool = True,
) -> VisitConfirmation:
    """A resident confirms a household visit (and rates it), or says nobody came: once, never
    from the officer's own account or devices. Whether it counts is the integrity signal's
    to say: not from a network the officer works from, and one device confirming his visits
    to several households is a pattern."""
    officer = visit.report.officer
    if user.is_authenticated and user.pk == officer.user_id:
        raise ApplicationError(
            _("The visited household confirms the visit, from its own phone."),
            code="forbidden",
            status_code=403,
        )
    if device and OfficerDevice.objects.filter(officer=officer, device=device).exists():
        raise ApplicationError(
            _("The visited household confirms the visit, from its own phone."),
            code="forbidden",
            status_code=403,
        )
    if visited and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise ApplicationError(
            _("Rate the visit from 1 to 5."), fields={"rating": [_("Choose 1 to 5.")]}
        )
    if problem := text_problem(message, 1000):
        raise ApplicationError(_("The message is not valid."), fields={"message": [problem]})
    if len(message) > 1000:
        raise ApplicationError(
            _("The message is too long."), fields={"message": [_("At most 1000 characters.")]}
        )
    try:
        with transaction.atomic():
            confirmation = VisitConfirmation.objects.create(
                visit=visit,
                visited=visited,
                rating=rating if visited else None,
                message=message.strip(),
                device=device,
                network=network,
            )
            # The visit, and the same device's other confirmations of this officer: now
            # perhaps a pattern.
            others = ActivityReport.objects.filter(
                officer=officer, household__confirmation__device=device
            ).exclude(pk=visit.report_id)
            mark_pending(
                [visit.report_id, *(others.values_list("pk", flat=True) if device else [])]
            )
    except IntegrityError:
        raise ApplicationError(
            _("This visit has already been confirmed. Thank you."), code="conflict", status_code=409
        ) from None
    return confirmation


# --- explaining a signal --------------------------------------------------------------------


def signal_explain(
    *, report: ActivityReport, code: str, reason: str, supervisor: User
) -> ActivityReport:
    """A supervisor explains a report's warning or failed signal, with a reason (audited):
    it stays shown, marked explained, and no longer counts towards the report's level."""
    if report.officer.user_id == supervisor.pk:
        raise ApplicationError(
            _("You cannot explain your own report."), code="forbidden", status_code=403
        )
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Say why the signal does not count."),
            fields={"reason": [_("An explanation needs a reason.")]},
        )
    if problem := text_problem(reason, 2000):
        raise ApplicationError(_("The reason is not valid."), fields={"reason": [problem]})
    raised = {
        s.get("code") for s in report.integrity_signals if s.get("status") in ("warn", "fail")
    }
    if code not in raised:
        raise ApplicationError(
            _("This report has no such warning or failed signal."),
            fields={"code": [_("Choose one of: %s.") % ", ".join(sorted(raised)) or "–"]},
        )
    with transaction.atomic():
        SignalNote.objects.update_or_create(
            report=report, code=code, defaults={"reason": reason, "explained_by": supervisor}
        )
        mark_pending([report.pk])
        audit_record(
            user=supervisor,
            action=AuditAction.UPDATE,
            target=report,
            change="signal_explained",
            code=code,
            reason=reason,
            level_before=report.integrity_level,
        )
    return report
