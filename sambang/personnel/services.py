"""Writes to personnel: assignments of officers to villages, and officer imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, read_rows
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.territory.models import Region, RegionLevel

from .models import NRP_VALIDATOR, Assignment, Duty, Education, Officer, OfficerStatus, Rank


def _village_unit_path(village: Region) -> str | None:
    jurisdiction = Jurisdiction.objects.filter(village=village).select_related("unit").first()
    return jurisdiction.unit.path if jurisdiction else None


def assignment_start(
    *,
    officer: Officer,
    village: Region,
    start_date: dt.date,
    area: str = "",
    contact: bool | None = None,
) -> Assignment:
    """Make ``officer`` a Bhabinkamtibmas of ``village`` (or of the part named in ``area``)
    from ``start_date``.

    The officer must be active, the village covered by the officer's unit, and the officer
    not already covering it on that date. Other officers may cover the same village. The
    first officer of a village is its residents' contact; ``contact=True`` makes this one
    the contact instead of the present one.
    """
    errors: dict[str, list[str]] = {}
    area = area.strip()
    if officer.status != OfficerStatus.ACTIVE:
        errors["officer"] = [_("Only an active officer can be assigned.")]
    if len(area) > Assignment._meta.get_field("area").max_length:  # type: ignore[operator]
        errors["area"] = [_("Describe the part of the village in at most 200 characters.")]
    if village.level != RegionLevel.VILLAGE:
        errors["village"] = [_("Choose a village.")]
    else:
        unit_path = _village_unit_path(village)
        if unit_path is None or not unit_path.startswith(officer.unit.path):
            errors["village"] = [
                _("This village is not in the jurisdiction of the officer's unit.")
            ]
        mine = Assignment.objects.filter(officer=officer, village=village)
        if mine.filter(end_date__isnull=True).exists():
            errors["village"] = [_("This officer already covers this village.")]
        elif mine.filter(end_date__gte=start_date).exists():
            errors["start_date"] = [
                _("This officer's earlier assignment here ends on or after this date.")
            ]
    if errors:
        raise ApplicationError(_("The assignment is not valid."), fields=errors)
    with transaction.atomic():
        present = (
            Assignment.objects.select_for_update()
            .filter(village=village, end_date__isnull=True, is_contact=True)
            .first()
        )
        if contact and present is not None:
            present.is_contact = False
            present.save(update_fields=["is_contact"])
        return Assignment.objects.create(
            officer=officer,
            village=village,
            start_date=start_date,
            area=area,
            is_contact=bool(contact) or present is None,
        )


def assignment_make_contact(*, assignment: Assignment) -> Assignment:
    """Make an active assignment's officer the village's contact for residents."""
    if assignment.end_date is not None:
        raise ApplicationError(_("This assignment has ended."), code="conflict", status_code=409)
    with transaction.atomic():
        Assignment.objects.select_for_update().filter(
            village_id=assignment.village_id, end_date__isnull=True, is_contact=True
        ).exclude(pk=assignment.pk).update(is_contact=False)
        assignment.is_contact = True
        assignment.save(update_fields=["is_contact"])
    return assignment


def assignment_end(*, assignment: Assignment, end_date: dt.date) -> Assignment:
    """Close an active assignment on ``end_date``; the history is kept. When the officer was
    the village's contact, the longest-serving officer still covering it takes over."""
    if assignment.end_date is not None:
        raise ApplicationError(
            _("This assignment has already ended."), code="conflict", status_code=409
        )
    if end_date < assignment.start_date:
        raise ApplicationError(
            _("The assignment is not valid."),
            fields={"end_date": [_("The end date is before the start date.")]},
        )
    with transaction.atomic():
        was_contact = assignment.is_contact
        assignment.end_date, assignment.is_contact = end_date, False
        assignment.save(update_fields=["end_date", "is_contact"])
        if was_contact:
            successor = (
                Assignment.objects.select_for_update()
                .filter(village_id=assignment.village_id, end_date__isnull=True)
                .order_by("start_date", "pk")
                .first()
            )
            if successor is not None:
                successor.is_contact = True
                successor.save(update_fields=["is_contact"])
    return assignment


def officer_move(*, officer: Officer, unit: Unit) -> Officer:
    """Move an active officer to another Polsek (a Polres placing its officers); their
    assignments are kept, ended or started separately."""
    if officer.status != OfficerStatus.ACTIVE:
        raise ApplicationError(
            _("Only an active officer can be moved."),
            fields={"officer": [_("Only an active officer can be moved.")]},
        )
    if unit.level != UnitLevel.POLSEK:
        raise ApplicationError(
            _("An officer moves to a Polsek."), fields={"unit": [_("Choose a Polsek.")]}
        )
    officer.unit = unit
    officer.save(update_fields=["unit"])
    return officer


_OFFICER_COLUMNS = ["nrp", "name", "rank", "unit_code", "education"]
_YES = {"1", "y", "ya", "yes", "true", "sudah"}
_NO = {"", "0", "n", "no", "tidak", "false", "belum"}


@dataclass
class _PlannedOfficer:
    officer: Officer
    villages: list[tuple[Region, str]]  # a village and the part of it covered
    assigned_from: dt.date


def _choice(value: str, choices: type[Rank] | type[Education] | type[OfficerStatus]) -> str | None:
    text = value.strip().lower()
    for choice in choices:
        if text in (choice.value, str(choice.label).lower()):
            return choice.value
    return None


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.replace(",", ";").split(";") if item.strip()]


def officers_import(*, path: Path, dry_run: bool = False) -> ImportResult:
    """Create or update officers from CSV/XLSX, and optionally assign their villages.

    Columns: nrp, name, rank, unit_code, education; optional phone, dikbangspes (ya/tidak),
    dikbangspes_year, trainings and other_duties (separated by ``;``), status, villages
    (village codes separated by ``;``, each optionally with the part covered:
    ``3216012001=RW 01-05``) and assigned_from (YYYY-MM-DD, default today). A village may
    have several officers; its first one is the residents' contact.
    Every row is checked; nothing is written if any row is wrong.
    """
    rows = read_rows(path, _OFFICER_COLUMNS)
    result = ImportResult(dry_run=dry_run)
    units = Unit.objects.in_bulk([r["unit_code"].upper() for _, r in rows], field_name="code")
    existing = Officer.objects.in_bulk([r["nrp"] for _, r in rows], field_name="nrp")
    village_codes = {
        _village_item(entry)[0] for _, r in rows for entry in _list(r.get("villages", ""))
    }
    villages = Region.objects.filter(code__in=village_codes, level=RegionLevel.VILLAGE).in_bulk()
    village_units = dict(
        Jurisdiction.objects.filter(village_id__in=village_codes).values_list(
            "village_id", "unit__path"
        )
    )
    held = set(
        Assignment.objects.filter(village_id__in=village_codes, end_date__isnull=True).values_list(
            "village_id", "officer__nrp"
        )
    )
    duties = set(Duty.values)
    seen_nrp: dict[str, int] = {}
    planned: list[_PlannedOfficer] = []
    today = timezone.localdate()

    for number, row in rows:

        def error(field: str, message: str, number: int = number) -> None:
            result.errors.add(number, field, message)

        nrp = row["nrp"]
        try:
            NRP_VALIDATOR(nrp)
        except ValidationError:
            error("nrp", "An NRP has 8 digits.")
        if nrp in seen_nrp:
            error("nrp", f"{nrp} appears again (first on row {seen_nrp[nrp]}).")
        seen_nrp[nrp] = number
        if not row["name"]:
            error("name", "This field is required.")
        rank = _choice(row["rank"], Rank)
        if rank is None:
            error("rank", f"Unknown rank {row['rank']!r}.")
        education = _choice(row["education"], Education)
        if education is None:
            error(
                "education",
                f"Unknown education level {row['education']!r}; use SMA, D3, S1, S2 or S3.",
            )
        unit = units.get(row["unit_code"].upper())
        if unit is None:
            error("unit_code", f"No unit {row['unit_code']!r}.")
        status = _choice(row.get("status") or "active", OfficerStatus)
        if status is None:
            error("status", "Use active, transferred or retired.")
        dikbangspes_text = row.get("dikbangspes", "").lower()
        if dikbangspes_text not in _YES | _NO:
            error("dikbangspes", "Use ya or tidak.")
        dikbangspes = dikbangspes_text in _YES
        year: int | None = None
        if row.get("dikbangspes_year"):
            try:
                year = int(float(row["dikbangspes_year"]))
            except ValueError:
                error("dikbangspes_year", "Give a year such as 2019.")
            else:
                if not 1960 <= year <= today.year:
                    error("dikbangspes_year", f"The year must be between 1960 and {today.year}.")
                if not dikbangspes:
                    error("dikbangspes_year", "A year is given but dikbangspes is not done.")
        other_duties = [d.lower() for d in _list(row.get("other_duties", ""))]
        for duty in other_duties:
            if duty not in duties:
                error("other_duties", f"Unknown duty {duty!r}; use {', '.join(sorted(duties))}.")
        assigned_from = today
        if row.get("assigned_from"):
            try:
                assigned_from = dt.date.fromisoformat(row["assigned_from"][:10])
            except ValueError:
                error("assigned_from", "Give a date as YYYY-MM-DD.")
        officer_villages: list[tuple[Region, str]] = []
        for entry in _list(row.get("villages", "")):
            code, area = _village_item(entry)
            village = villages.get(code)
            if village is None:
                error("villages", f"No village {code!r} is loaded.")
                continue
            if unit is not None and not village_units.get(code, "\0").startswith(unit.path):
                error("villages", f"{code} is not in the jurisdiction of {unit.code}.")
            if len(area) > 200:
                error("villages", f"The part of {code} covered is longer than 200 characters.")
            if any(village == chosen for chosen, _area in officer_villages):
                error("villages", f"{code} is given twice.")
                continue
            officer_villages.append((village, area))
        if officer_villages and status not in (None, OfficerStatus.ACTIVE):
            error("villages", "Only an active officer can be assigned villages.")
        if unit is None or rank is None or education is None or status is None:
            continue
        officer = existing.get(nrp) or Officer(nrp=nrp)
        officer.name, officer.rank, officer.unit, officer.education = (
            row["name"],
            rank,
            unit,
            education,
        )
        officer.status, officer.phone = status, row.get("phone", "")
        officer.dikbangspes_done, officer.dikbangspes_year = dikbangspes, year
        officer.trainings = _list(row.get("trainings", ""))
        officer.other_duties = other_duties
        planned.append(_PlannedOfficer(officer, officer_villages, assigned_from))

    result.created = sum(1 for nrp in seen_nrp if nrp not in existing)
    result.updated = len(seen_nrp) - result.created
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        for item in planned:
            item.officer.save()
            for village, area in item.villages:
                if (village.code, item.officer.nrp) not in held:
                    assignment_start(
                        officer=item.officer,
                        village=village,
                        start_date=item.assigned_from,
                        area=area,
                    )
    return result


def _village_item(item: str) -> tuple[str, str]:
    """``3216012001=RW 01-05`` → the village code and the part of it covered."""
    code, _sep, area = item.partition("=")
    return code.strip(), area.strip()
