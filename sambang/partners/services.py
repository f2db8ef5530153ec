"""What partners do in Sambang: answer for the joint activities they are named in, and
write early-detection notes to their village's officers, who grade them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang import access
from sambang.audit.models import AuditAction
from sambang.audit.services import audit_record
from sambang.core.errors import ApplicationError
from sambang.core.validators import text_problem
from sambang.fieldwork.models import ActivityReport, Aspect, PartnerConfirmation, Urgency
from sambang.fieldwork.processing import mark_pending
from sambang.organization.models import Jurisdiction
from sambang.personnel.models import Assignment, Officer, OfficerStatus, User
from sambang.security.models import Credibility, Reliability
from sambang.territory.models import Region

from .models import PartnerNote


def partner_answer(
    *,
    report: ActivityReport,
    user: User,
    took_part: bool,
    comment: str = "",
    device: str = "",
    network: str = "",
) -> list[PartnerConfirmation]:
    """The partner says whether they took part in ``report``, for each of their records the
    report names (they may change their answer). The report's integrity is assessed again:
    a confirmation counts for it, a denial against it."""
    named = list(access.partner_records(user).filter(pk__in=report.partner_records.all()))
    if not named:
        raise ApplicationError(
            _("This report does not name you."), code="forbidden", status_code=403
        )
    comment = comment.strip()
    if problem := text_problem(comment, 500):
        raise ApplicationError(_("The comment is not valid."), fields={"comment": [problem]})
    answers = []
    with transaction.atomic():
        for partner in named:
            answer, _created = PartnerConfirmation.objects.update_or_create(
                report=report,
                partner=partner,
                defaults={
                    "account": user,
                    "took_part": took_part,
                    "comment": comment,
                    "device": device,
                    "network": network,
                },
            )
            answers.append(answer)
        audit_record(
            user=user,
            action=AuditAction.UPDATE,
            target=report,
            change="partner_answer",
            took_part=took_part,
        )
        mark_pending([report.pk])
    return answers


def _choice(value: Any, choices: list[Any], field: str, errors: dict[str, list[str]]) -> Any:
    if value in ("", None):
        return None
    if value not in choices:
        errors[field] = [_("Choose one of the options.")]
        return None
    return value


def partner_note_file(*, user: User, village: Region, data: dict[str, Any]) -> PartnerNote:
    """A partner's early-detection note about one of their villages, for its officers."""
    partner = access.partner_records(user).filter(village=village).first()
    jurisdiction = Jurisdiction.objects.filter(village=village).select_related("unit").first()
    if partner is None or jurisdiction is None:
        raise ApplicationError(
            _("You are not a partner of this village."), code="forbidden", status_code=403
        )
    errors: dict[str, list[str]] = {}
    text = str(data.get("text") or "").strip()
    if not text:
        errors["text"] = [_("Say what is happening.")]
    elif problem := text_problem(text, 4000):
        errors["text"] = [problem]
    aspect = _choice(data.get("aspect"), Aspect.values, "aspect", errors)
    urgency = _choice(data.get("urgency"), Urgency.values, "urgency", errors)
    if urgency is None and "urgency" not in errors:
        errors["urgency"] = [_("This field is required.")]
    if errors:
        raise ApplicationError(_("The note is not valid."), fields=errors)
    note = PartnerNote.objects.create(
        partner=partner,
        account=user,
        village=village,
        unit=jurisdiction.unit,
        text=text,
        aspect=aspect or "",
        urgency=urgency,
    )
    audit_record(user=user, action=AuditAction.CREATE, target=note, village=village.code)
    return note


def partner_note_grade(*, note: PartnerNote, officer: Officer, data: dict[str, Any]) -> PartnerNote:
    """The village's officer grades a partner's note: how reliable the partner is as a
    source, how credible what they wrote, with a comment."""
    covers = Assignment.objects.filter(
        officer=officer, village_id=note.village_id, end_date__isnull=True
    )
    if officer.status != OfficerStatus.ACTIVE or not covers.exists():
        raise ApplicationError(
            _("Only an officer of the village grades its notes."),
            code="forbidden",
            status_code=403,
        )
    errors: dict[str, list[str]] = {}
    reliability = _choice(data.get("reliability"), Reliability.values, "reliability", errors)
    raw = str(data.get("credibility") or "")
    credibility = _choice(
        int(raw) if raw.isdigit() else raw, Credibility.values, "credibility", errors
    )
    for field, value in (("reliability", reliability), ("credibility", credibility)):
        if value is None and field not in errors:
            errors[field] = [_("This field is required.")]
    comment = str(data.get("officer_comment") or "").strip()
    if problem := text_problem(comment, 1000):
        errors["officer_comment"] = [problem]
    if errors:
        raise ApplicationError(_("The grading is not valid."), fields=errors)
    note.reliability, note.credibility = reliability, credibility
    note.officer_comment, note.graded_by, note.graded_at = comment, officer, timezone.now()
    note.save()
    return note
