"""Writes of the incident register and of persons of interest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.organization.models import Jurisdiction, Unit
from sambang.personnel.models import User
from sambang.territory.models import Region
from sambang.territory.selectors import map_cell

from .models import Incident, IncidentCategory, IncidentStatus, PersonOfInterest

CLOCK_SKEW = dt.timedelta(minutes=10)
_TEXT_FIELDS = ("description", "modus_operandi", "groups_involved")
_NUMBERS = ("dead", "injured", "losses_idr")


def _clean(
    user: User,
    data: dict[str, Any],
    *,
    categories: Mapping[str, IncidentCategory] | None = None,
    villages: Mapping[str, Region] | None = None,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The data's values checked; ``categories`` (by code) and ``villages`` (the user's,
    from ``access.villages_for_user``, by code) spare an import a look-up per row."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    if "category" in data:
        category = (
            categories.get(data["category"])
            if categories is not None
            else IncidentCategory.objects.filter(code=data["category"]).first()
        )
        if category is None:
            errors["category"] = [_("Unknown category.")]
        cleaned["category"] = category
    if "village" in data:
        village = (
            villages.get(data["village"])
            if villages is not None
            else access.villages_for_user(user).filter(code=data["village"]).first()
        )
        if village is None:
            errors["village"] = [_("Not a village of your units.")]
        cleaned["village"] = village
    if "occurred_at" in data:
        when = data["occurred_at"]
        if when is not None and timezone.is_naive(when):
            when = when.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        if when is None:
            errors["occurred_at"] = [_("This field is required.")]
        elif when > timezone.now() + CLOCK_SKEW:
            errors["occurred_at"] = [_("This time is in the future.")]
        cleaned["occurred_at"] = when
    for name in ("latitude", "longitude"):
        if name in data:
            cleaned[name] = data[name]
    for name in _TEXT_FIELDS:
        if name in data:
            cleaned[name] = (data[name] or "").strip()
    if "description" in cleaned and not cleaned["description"]:
        errors["description"] = [_("Describe what happened.")]
    for name in _NUMBERS:
        if name in data:
            cleaned[name] = data[name] or 0
    if "status" in data:
        if data["status"] not in IncidentStatus.values:
            errors["status"] = [_("Unknown status.")]
        cleaned["status"] = data["status"]
    if "reports" in data:
        reports = list(access.reports_for_user(user).filter(uuid__in=data["reports"] or []))
        if len(reports) != len(set(data["reports"] or [])):
            errors["reports"] = [_("Link only reports you can see.")]
        cleaned["reports"] = reports
    if "citizen_reports" in data:
        codes = {str(code).strip().upper() for code in data["citizen_reports"] or []}
        citizen = list(access.citizen_reports_for_user(user).filter(tracking_code__in=codes))
        if len(citizen) != len(codes):
            errors["citizen_reports"] = [_("Link only residents' reports you can see.")]
        cleaned["citizen_reports"] = citizen
    return cleaned, errors


def _place(incident: Incident, units: Mapping[str, int] | None = None) -> None:
    """The Polsek covering the village (``units``: unit ids by village code, if known) and
    the map cell of the position."""
    if units is not None:
        incident.unit_id = units.get(incident.village_id)
    else:
        jurisdiction = (
            Jurisdiction.objects.filter(village=incident.village).select_related("unit").first()
        )
        incident.unit = jurisdiction.unit if jurisdiction else None
    incident.cell = map_cell(incident.latitude, incident.longitude)


def _save(incident: Incident, cleaned: dict[str, Any], errors: dict[str, list[str]]) -> Incident:
    reports = cleaned.pop("reports", None)
    citizen_reports = cleaned.pop("citizen_reports", None)
    latitude = cleaned.get("latitude", incident.latitude)
    longitude = cleaned.get("longitude", incident.longitude)
    if (latitude is None) != (longitude is None):
        errors["latitude"] = [_("Send latitude and longitude together.")]
    if errors:
        raise ApplicationError(_("The incident is not valid."), fields=errors)
    for name, value in cleaned.items():
        setattr(incident, name, value)
    _place(incident)
    with transaction.atomic():
        incident.save()
        if reports is not None:
            incident.reports.set(reports)
        if citizen_reports is not None:
            incident.citizen_reports.set(citizen_reports)
    return incident


def incident_record(*, user: User, data: dict[str, Any]) -> Incident:
    """Record an incident in one of the user's villages, linked to reports they can see."""
    cleaned, errors = _clean(user, data)
    for name in ("category", "village", "occurred_at", "description"):
        if name not in cleaned:
            errors.setdefault(name, [_("This field is required.")])
    return _save(Incident(recorded_by=user), cleaned, errors)


def incident_update(*, incident: Incident, user: User, changes: dict[str, Any]) -> Incident:
    """Change an incident: its status as it is handled, casualties, links.

    Links are changed only by the supervisors of the unit that owns the incident (and
    those above it), and only among the records they can see: links to records beyond
    their sight stay as they are."""
    if ("reports" in changes or "citizen_reports" in changes) and not access.can_review(user):
        raise ApplicationError(
            _("Only the supervisors of the incident's unit change its links."),
            fields={
                name: [_("Only the supervisors of the incident's unit change its links.")]
                for name in ("reports", "citizen_reports")
                if name in changes
            },
            status_code=403,
        )
    cleaned, errors = _clean(user, changes)
    if "reports" in cleaned:
        unseen = incident.reports.exclude(pk__in=access.reports_for_user(user).values("pk"))
        cleaned["reports"] = [*cleaned["reports"], *unseen]
    if "citizen_reports" in cleaned:
        unseen_citizen = incident.citizen_reports.exclude(
            pk__in=access.citizen_reports_for_user(user).values("pk")
        )
        cleaned["citizen_reports"] = [*cleaned["citizen_reports"], *unseen_citizen]
    return _save(incident, cleaned, errors)


def person_record(*, user: User, data: dict[str, Any]) -> PersonOfInterest:
    """Record a person of interest (Polres and above), kept for the retention period."""
    errors: dict[str, list[str]] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    village = access.villages_for_user(user).filter(code=data.get("village")).first()
    jurisdiction = (
        Jurisdiction.objects.filter(village=village).select_related("unit").first()
        if village
        else None
    )
    if village is None or jurisdiction is None:
        errors["village"] = [_("Not a village of your units.")]
    incidents = list(
        access.incidents_for_user(user)
        .filter(pk__in=data.get("incidents") or [])
        .select_related("unit")
    )
    if len(incidents) != len(set(data.get("incidents") or [])):
        errors["incidents"] = [_("Link only incidents you can see.")]
    elif jurisdiction is not None and any(
        not _same_polres(incident, jurisdiction.unit) for incident in incidents
    ):
        # Whoever reads the incident and may read persons of interest must be able to
        # read this one: the person and the incident belong to the same Polres.
        errors["incidents"] = [_("Link only incidents of the person's own Polres.")]
    if errors:
        raise ApplicationError(_("The record is not valid."), fields=errors)
    assert village is not None and jurisdiction is not None
    with transaction.atomic():
        person = PersonOfInterest.objects.create(
            name=name,
            alias=(data.get("alias") or "").strip(),
            village=village,
            unit=jurisdiction.unit,
            note=(data.get("note") or "").strip(),
            recorded_by=user,
            retain_until=timezone.localdate()
            + dt.timedelta(days=settings.SAMBANG_PERSON_RETENTION_DAYS),
        )
        person.incidents.set(incidents)
    return person


def _same_polres(incident: Incident, unit: Unit) -> bool:
    """Whether the incident is recorded in the Polres (or the unit) the person belongs to:
    the lowest level that reads persons of interest is the Polres."""
    polres = "/".join(unit.path.split("/")[:3]) + "/"
    return incident.unit is not None and incident.unit.path.startswith(polres)


def persons_purge_expired(*, today: dt.date | None = None) -> int:
    """Delete the persons of interest kept past their retention date; return how many."""
    expired = PersonOfInterest.objects.filter(retain_until__lt=today or timezone.localdate())
    count = expired.count()
    expired.delete()
    return count
