"""Writes to the unit tree and to each unit's jurisdiction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, read_rows
from sambang.core.validators import date_problem, text_problem
from sambang.notifications.models import Kind
from sambang.notifications.services import announce
from sambang.personnel.models import Officer, OfficerStatus, User
from sambang.territory.models import Region, RegionLevel

from .models import (
    PARENT_LEVEL,
    UNIT_CODE_VALIDATOR,
    Directive,
    DirectiveReceipt,
    Jurisdiction,
    Unit,
    UnitLevel,
    UnitTimeZone,
    parent_level_error,
)

_LEVEL_ORDER = list(PARENT_LEVEL)
_TIMEZONES = {
    **{tz.value: tz.value for tz in UnitTimeZone},
    "WIB": UnitTimeZone.WIB.value,
    "WITA": UnitTimeZone.WITA.value,
    "WIT": UnitTimeZone.WIT.value,
}


def unit_path(code: str, parent: Unit | None) -> str:
    return f"{parent.path if parent else ''}{code}/"


def unit_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: Unit | None,
    timezone: str = UnitTimeZone.WIB,
    address: str = "",
    phone: str = "",
) -> Unit:
    """Create a unit under ``parent``; its level must sit directly below the parent's."""
    errors = _unit_errors(code=code, name=name, level=level, parent=parent, timezone=timezone)
    if errors:
        raise ApplicationError("The unit is not valid.", fields=errors)
    unit = Unit(
        code=code,
        name=name,
        level=level,
        parent=parent,
        timezone=timezone,
        address=address,
        phone=phone,
        path=unit_path(code, parent),
    )
    unit.save()
    return unit


def _unit_errors(
    *, code: str, name: str, level: str, parent: Unit | None, timezone: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        UNIT_CODE_VALIDATOR(code)
    except ValidationError as error:
        errors["code"] = list(error.messages)
    if not name.strip():
        errors["name"] = ["This field is required."]
    if level not in UnitLevel.values:
        errors["level"] = [f"Unknown level {level!r}; use one of {', '.join(UnitLevel.values)}."]
    if parent_error := parent_level_error(level, parent):
        errors["parent"] = [parent_error]
    if timezone not in _TIMEZONES.values():
        errors["timezone"] = ["Use WIB, WITA or WIT."]
    return errors


_SINCE_COLUMNS = ("reports_since", "incidents_since", "citizen_reports_since")


def units_import(*, path: Path, dry_run: bool = False) -> ImportResult:
    """Create or update units from a CSV/XLSX file (code, name, level, parent_code, timezone;
    optional reports_since, incidents_since, citizen_reports_since: from when the unit keeps
    each kind of data in Sambang, YYYY-MM-DD; an empty cell leaves it as it is).

    Rows may come in any order; parents may be in the file or already stored.
    Every row is checked first; nothing is written if any row is wrong.
    """
    rows = read_rows(path, ["code", "name", "level", "parent_code"])
    result = ImportResult(dry_run=dry_run)
    existing = {unit.code: unit for unit in Unit.objects.all()}
    in_file: dict[str, tuple[int, dict[str, str]]] = {}
    for number, row in rows:
        code = row["code"].upper()
        if code in in_file:
            result.errors.add(
                number, "code", f"{code} appears again (first on row {in_file[code][0]})."
            )
        in_file[code] = (number, row)

    # Parents before children, so each row can be checked against its parent.
    ordered = sorted(in_file.items(), key=lambda item: _level_rank(item[1][1]["level"]))
    planned: dict[str, Unit] = dict(existing)
    for code, (number, row) in ordered:
        parent_code = row["parent_code"].upper()
        parent = planned.get(parent_code) if parent_code else None
        level = row["level"].lower()
        timezone = _TIMEZONES.get(row.get("timezone", "") or "WIB", row.get("timezone", ""))
        if parent_code and parent is None:
            result.errors.add(
                number, "parent_code", f"No unit {parent_code} in the file or stored."
            )
            continue
        for field_name, messages in _unit_errors(
            code=code, name=row["name"], level=level, parent=parent, timezone=timezone
        ).items():
            for message in messages:
                result.errors.add(number, field_name, message)
        unit = existing.get(code) or Unit(code=code)
        if unit.pk and (unit.parent_id != (parent.pk if parent else None) or unit.level != level):
            result.errors.add(
                number,
                "parent_code",
                "Moving a unit or changing its level is done in the admin, not by import.",
            )
        unit.name, unit.level, unit.parent, unit.timezone = row["name"], level, parent, timezone
        for column in _SINCE_COLUMNS:
            if text := row.get(column, ""):
                try:
                    setattr(unit, column, dt.date.fromisoformat(text[:10]))
                except ValueError:
                    result.errors.add(number, column, "Give a date as YYYY-MM-DD.")
        unit.path = unit_path(code, parent)
        planned[code] = unit
    if result.errors or dry_run:
        _count(result, in_file, existing)
        return result
    with transaction.atomic():
        for code, _row in ordered:  # parents first: a new child sees its parent's id
            planned[code].save()
    _count(result, in_file, existing)
    return result


def _level_rank(level: str) -> int:
    try:
        return _LEVEL_ORDER.index(UnitLevel(level.lower()))
    except ValueError:
        return len(_LEVEL_ORDER)


def _count(
    result: ImportResult, in_file: Mapping[str, object], existing: Mapping[str, Unit]
) -> None:
    result.created = sum(1 for code in in_file if code not in existing)
    result.updated = len(in_file) - result.created


def jurisdiction_import(*, path: Path, dry_run: bool = False) -> ImportResult:
    """Set which unit covers which villages, from a CSV/XLSX file (unit_code, region_code).

    A region code may be a village, or a district standing for all its villages.
    A village covered by another unit moves to the unit named here. Nothing is written
    if any row is wrong, or if two rows give one village to two units.
    """
    rows = read_rows(path, ["unit_code", "region_code"])
    result = ImportResult(dry_run=dry_run)
    units = Unit.objects.in_bulk([row["unit_code"].upper() for _, row in rows], field_name="code")
    region_codes = [row["region_code"] for _, row in rows]
    regions = Region.objects.in_bulk(region_codes)
    district_villages: dict[str, list[str]] = {}
    for code, parent in Region.objects.filter(
        level=RegionLevel.VILLAGE, parent_id__in=region_codes
    ).values_list("code", "parent_id"):
        district_villages.setdefault(parent, []).append(code)

    wanted: dict[str, tuple[int, Unit]] = {}
    for number, row in rows:
        unit = units.get(row["unit_code"].upper())
        region = regions.get(row["region_code"])
        if unit is None:
            result.errors.add(number, "unit_code", f"No unit {row['unit_code']!r}.")
        elif unit.level == UnitLevel.MABES:
            result.errors.add(number, "unit_code", "The national unit covers no villages directly.")
        if region is None:
            result.errors.add(number, "region_code", f"No region {row['region_code']!r} is loaded.")
            continue
        if region.level == RegionLevel.VILLAGE:
            villages = [region.code]
        elif region.level == RegionLevel.DISTRICT:
            villages = district_villages.get(region.code, [])
        else:
            result.errors.add(number, "region_code", "Give a district or a village code.")
            continue
        if unit is None or unit.level == UnitLevel.MABES:
            continue
        for village in villages:
            earlier = wanted.get(village)
            if earlier and earlier[1] != unit:
                result.errors.add(
                    number,
                    "region_code",
                    f"Village {village} is already given to {earlier[1].code} on row {earlier[0]}.",
                )
            wanted[village] = (number, unit)
    current = dict(
        Jurisdiction.objects.filter(village_id__in=list(wanted)).values_list(
            "village_id", "unit_id"
        )
    )
    changes = {v: unit for v, (_, unit) in wanted.items() if current.get(v) != unit.pk}
    result.created = sum(1 for v in changes if v not in current)
    result.updated = len(changes) - result.created
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        Jurisdiction.objects.filter(village_id__in=list(changes)).delete()
        Jurisdiction.objects.bulk_create(
            [Jurisdiction(village_id=v, unit=unit) for v, unit in changes.items()], batch_size=2000
        )
    return result


# --- directives (Atensi Pimpinan) -----------------------------------------------------


def _common_unit(units: Sequence[Unit]) -> Unit:
    """The lowest unit whose subtree holds all of ``units`` (paths: ``MABES/POLDA-X/…/``)."""
    parts = [unit.path.rstrip("/").split("/") for unit in units]
    common: list[str] = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return Unit.objects.get(path="/".join(common) + "/")


def directive_issue(
    *,
    issuer: User,
    title: str,
    body: str,
    due_date: dt.date | None,
    unit: Unit | None = None,
    units: Sequence[Unit] = (),
    officers: Sequence[Officer] = (),
    to_partners: bool = False,
) -> Directive:
    """Issue a directive to every active officer of ``unit``'s subtree, or of the subtrees
    of ``units``, or to the named ``officers`` (exactly one of the three; the caller checked
    that each is in the issuer's scope). One receipt per officer it reaches. ``to_partners``:
    the partners of the villages those officers cover read it too."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the directive a title.")]
    if not body.strip():
        errors["body"] = [_("Write what is to be done.")]
    for name, text, limit in (("title", title, 200), ("body", body, 4000)):
        if problem := text_problem(text, limit):
            errors[name] = [problem]
    if due_date is not None and (problem := date_problem(due_date)):
        errors["due_date"] = [problem]
    elif due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = [_("The due date has passed.")]
    if sum(1 for chosen in (unit, units, officers) if chosen) != 1:
        raise ApplicationError(
            _("The directive is not valid."),
            fields={
                **errors,
                "unit": [_("Address it to one unit, to several units, or to named officers.")],
            },
        )
    active = Officer.objects.filter(status=OfficerStatus.ACTIVE)
    field = "unit" if unit else "units" if units else "officers"
    if unit is not None:
        reached = active.filter(unit__path__startswith=unit.path)
        target = unit
    elif units:
        paths = Q()
        for chosen in units:
            paths |= Q(unit__path__startswith=chosen.path)
        reached = active.filter(paths)
        target = _common_unit(units)
    else:
        away = [officer for officer in officers if officer.status != OfficerStatus.ACTIVE]
        if away:
            errors["officers"] = [
                _("Not serving now: %(names)s.") % {"names": ", ".join(o.name for o in away)}
            ]
        reached = active.filter(pk__in=[officer.pk for officer in officers])
        target = _common_unit(list(Unit.objects.filter(pk__in={o.unit_id for o in officers})))
    if not errors and not reached.exists():
        errors[field] = [_("This unit has no active officers.")]
    if errors:
        raise ApplicationError(_("The directive is not valid."), fields=errors)
    with transaction.atomic():
        directive = Directive.objects.create(
            issuer=issuer,
            unit=target,
            title=title.strip(),
            body=body.strip(),
            due_date=due_date,
            to_partners=to_partners,
        )
        directive.units.set(units)
        directive.named_officers.set(officers)
        DirectiveReceipt.objects.bulk_create(
            DirectiveReceipt(directive=directive, officer=o) for o in reached.distinct()
        )
        announce(kind=Kind.DIRECTIVE, object_id=directive.pk)
    return directive


def directive_acknowledge(*, receipt: DirectiveReceipt) -> DirectiveReceipt:
    """The officer has read the directive (acknowledging twice changes nothing)."""
    if receipt.acknowledged_at is None:
        receipt.acknowledged_at = timezone.now()
        receipt.save(update_fields=["acknowledged_at"])
    return receipt


def directive_complete(*, receipt: DirectiveReceipt, note: str) -> DirectiveReceipt:
    """The officer reports the directive done, saying what was done."""
    note = note.strip()
    if not note:
        raise ApplicationError(
            _("Say what was done."), fields={"note": [_("This field is required.")]}
        )
    now = timezone.now()
    receipt.acknowledged_at = receipt.acknowledged_at or now
    receipt.completed_at, receipt.note = now, note[:2000]
    receipt.save(update_fields=["acknowledged_at", "completed_at", "note"])
    return receipt
