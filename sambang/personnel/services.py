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
from sambang.organization.models import Jurisdiction, Unit
from sambang.territory.models import Region, RegionLevel

from .models import NRP_VALIDATOR, Assignment, Duty, Education, Officer, OfficerStatus, Rank


def _village_unit_path(village: Region) -> str | None:
    jurisdiction = Jurisdiction.objects.filter(village=village).select_related("unit").first()
    return jurisdiction.unit.path if jurisdiction else None


def assignment_start(*, officer: Officer, village: Region, start_date: dt.date) -> Assignment:
    """Make ``officer`` the Bhabinkamtibmas of ``village`` from ``start_date``.

    The officer must be active, the village covered by the officer's unit, free of an
    active officer, and not covered by someone else's assignment on that date.
    """
    errors: dict[str, list[str]] = {}
    if officer.status != OfficerStatus.ACTIVE:
        errors["officer"] = [_("Only an active officer can be assigned.")]
    if village.level != RegionLevel.VILLAGE:
        errors["village"] = [_("Choose a village.")]
    else:
        unit_path = _village_unit_path(village)
        if unit_path is None or not unit_path.startswith(officer.unit.path):
            errors["village"] = [
                _("This village is not in the jurisdiction of the officer's unit.")
            ]
        active = Assignment.objects.filter(village=village, end_date__isnull=True).first()
        if active is not None:
            errors["village"] = [
                _("This village already has an active officer: %(officer)s.")
                % {"officer": active.officer}
            ]
        elif Assignment.objects.filter(village=village, end_date__gt=start_date).exists():
            errors["start_date"] = [
                _("An earlier assignment of this village ends after this date.")
            ]
    if errors:
        raise ApplicationError(_("The assignment is not valid."), fields=errors)
    return Assignment.objects.create(officer=officer, village=village, start_date=start_date)


def assignment_end(*, assignment: Assignment, end_date: dt.date) -> Assignment:
    """Close an active assignment on ``end_date``; the history is kept."""
    if assignment.end_date is not None:
        raise ApplicationError(
            _("This assignment has already ended."), code="conflict", status_code=409
        )
    if end_date < assignment.start_date:
        raise ApplicationError(
            _("The assignment is not valid."),
            fields={"end_date": [_("The end date is before the start date.")]},
        )
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


_OFFICER_COLUMNS = ["nrp", "name", "rank", "unit_code", "education"]
_YES = {"1", "y", "ya", "yes", "true", "sudah"}
_NO = {"", "0", "n", "no", "tidak", "false", "belum"}


@dataclass
class _PlannedOfficer:
    officer: Officer
    villages: list[Region]
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
    (village codes separated by ``;``) and assigned_from (YYYY-MM-DD, default today).
    Every row is checked; nothing is written if any row is wrong.
    """
    rows = read_rows(path, _OFFICER_COLUMNS)
    result = ImportResult(dry_run=dry_run)
    units = Unit.objects.in_bulk([r["unit_code"].upper() for _, r in rows], field_name="code")
    existing = Officer.objects.in_bulk([r["nrp"] for _, r in rows], field_name="nrp")
    village_codes = {code for _, r in rows for code in _list(r.get("villages", ""))}
    villages = Region.objects.filter(code__in=village_codes, level=RegionLevel.VILLAGE).in_bulk()
    village_units = dict(
        Jurisdiction.objects.filter(village_id__in=village_codes).values_list(
            "village_id", "unit__path"
        )
    )
    occupied = dict(
        Assignment.objects.filter(village_id__in=village_codes, end_date__isnull=True).values_list(
            "village_id", "officer__nrp"
        )
    )
    duties = set(Duty.values)
    seen_nrp: dict[str, int] = {}
    seen_village: dict[str, int] = {}
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
        officer_villages: list[Region] = []
        for code in _list(row.get("villages", "")):
            village = villages.get(code)
            if village is None:
                error("villages", f"No village {code!r} is loaded.")
                continue
            if unit is not None and not village_units.get(code, "\0").startswith(unit.path):
                error("villages", f"{code} is not in the jurisdiction of {unit.code}.")
            if occupied.get(code, nrp) != nrp:
                error("villages", f"{code} already has an active officer (NRP {occupied[code]}).")
            if code in seen_village:
                error("villages", f"{code} is also given on row {seen_village[code]}.")
            seen_village[code] = number
            officer_villages.append(village)
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
            for village in item.villages:
                if occupied.get(village.code) != item.officer.nrp:
                    Assignment.objects.create(
                        officer=item.officer, village=village, start_date=item.assigned_from
                    )
    return result
