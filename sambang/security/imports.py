"""Importing incidents kept on paper: a CSV or XLSX file, one incident a row.

A row passes the checks of an incident recorded through the API: the API's own write
serializer (lengths, numbers, choices, a plausible date), then the service's rules
(``incidents._clean``: a village of the user's units, a known category, not in the
future, a description). Every row is checked and reported as ``row N, column: message``;
if any row is wrong, nothing is written.

Columns: ``village`` (its Kemendagri code), ``occurred_at`` (``YYYY-MM-DD HH:MM`` or
``DD/MM/YYYY HH:MM``, a date alone meaning midnight; local time of the Polsek covering
the village unless an offset is given), ``category`` (its code, or its name as the
catalogue writes it, in Indonesian or English) and ``description``; optional
``modus_operandi``, ``groups_involved``, ``dead``, ``injured``, ``losses_idr``,
``status`` (its code or its label) and ``latitude`` with ``longitude``. An empty cell
is a value left out.

Importing the same file again adds nothing. Incidents carry no client UUID, so a row is
the same incident as one already recorded (and visible to the user) when its natural
key matches: village, time, category and description. Such a row updates the optional
columns it fills (the status as the case moved on, casualties) and leaves the rest.

The evaluation's incident rollups (``IncidentDay``) are refreshed as for an incident
recorded one by one (``village_days_refresh``, what its save signal calls), but once per
village for all the days the file touches, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import serializers

from sambang import access
from sambang.core.errors import ApplicationError
from sambang.core.tabular import ImportResult, RowErrors, read_rows
from sambang.evaluation.rollups import village_days_refresh
from sambang.organization.models import Jurisdiction, Unit
from sambang.personnel.models import User

from .api import IncidentWriteSerializer
from .incidents import _clean, _place
from .models import Incident, IncidentCategory, IncidentStatus

REQUIRED = ["village", "occurred_at", "category", "description"]
OPTIONAL = [
    "modus_operandi",
    "groups_involved",
    "dead",
    "injured",
    "losses_idr",
    "status",
    "latitude",
    "longitude",
]
COLUMNS = [*REQUIRED, *OPTIONAL]
_NUMBERS = ("dead", "injured", "losses_idr")
# Day first, as Indonesian forms write it (ISO 8601 is tried before these).
_DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y")
_CHUNK = 500

Key = tuple[str, dt.datetime, int, str]  # village, time, category, description


@dataclass
class ImportedIncident:
    """What the import did (or would do) with one row."""

    row: int
    incident: Incident
    outcome: str  # "new", "updated" or "unchanged"


@dataclass
class IncidentImportResult(ImportResult):
    unchanged: int = 0
    rows: list[ImportedIncident] = field(default_factory=list)


@dataclass
class _Planned:
    row: int
    key: Key
    cleaned: dict[str, Any]


def incidents_import(*, path: Path, user: User, dry_run: bool = False) -> IncidentImportResult:
    """Record the incidents of a CSV/XLSX file in the user's villages (supervisors).

    All rows or none: a wrong row is reported with its column, and nothing is written.
    A row matching an incident already recorded (village, time, category, description)
    updates it instead of adding another; see the module's docstring for the columns.
    """
    if not access.can_import_incidents(user):
        raise ApplicationError(
            _("Incidents are imported by supervisors."), code="forbidden", status_code=403
        )
    rows = read_rows(path, REQUIRED, COLUMNS)
    result = IncidentImportResult(dry_run=dry_run)
    planned = _check_rows(rows, user, result.errors)
    if result.errors:
        return result
    existing = _existing(user, [p.key for p in planned])
    new: list[Incident] = []
    changed: list[tuple[Incident, tuple[int | None, dt.datetime]]] = []
    changed_fields: set[str] = set()
    for plan in planned:
        incident = existing.get(plan.key)
        if incident is None:
            incident = Incident(recorded_by=user)
            for name, value in plan.cleaned.items():
                setattr(incident, name, value)
            new.append(incident)
            result.created += 1
            outcome = "new"
        else:
            updates = {
                name: value
                for name, value in plan.cleaned.items()
                if name in OPTIONAL and getattr(incident, name) != value
            }
            if updates:
                before = (incident.unit_id, incident.occurred_at)
                for name, value in updates.items():
                    setattr(incident, name, value)
                changed.append((incident, before))
                changed_fields |= set(updates)
                result.updated += 1
                outcome = "updated"
            else:
                result.unchanged += 1
                outcome = "unchanged"
        result.rows.append(ImportedIncident(plan.row, incident, outcome))
    if not dry_run:
        _write(new, changed, changed_fields)
    return result


def _check_rows(
    rows: list[tuple[int, dict[str, str]]], user: User, errors: RowErrors
) -> list[_Planned]:
    """Each row through the API's serializer and the service's rules; the rows to write."""
    codes = {row.get("village", "") for _, row in rows}
    zones = {
        village: ZoneInfo(zone)
        for village, zone in Jurisdiction.objects.filter(village_id__in=codes).values_list(
            "village_id", "unit__timezone"
        )
    }
    default_zone = ZoneInfo(user.unit.timezone if user.unit else settings.TIME_ZONE)
    # What ``_clean`` would look up row by row, read once: the same queries, the same rules.
    villages = access.villages_for_user(user).in_bulk(codes)
    categories = IncidentCategory.objects.in_bulk(field_name="code")
    category_codes = _category_codes(categories.values())
    statuses = _status_values()
    # One serializer for every row: its fields are built once (``run_validation``).
    serializer = IncidentWriteSerializer()
    seen: dict[Key, int] = {}
    planned = []
    for number, row in rows:
        data: dict[str, Any] = {name: row[name] for name in COLUMNS if row.get(name, "") != ""}
        row_errors: dict[str, list[str]] = {}
        if "occurred_at" in data:
            moment = _moment(data["occurred_at"])
            if moment is None:
                row_errors["occurred_at"] = [
                    _("Use a date and time as YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM.")
                ]
                del data["occurred_at"]
            elif moment.tzinfo is None:
                data["occurred_at"] = moment.replace(
                    tzinfo=zones.get(data.get("village", ""), default_zone)
                )
            else:
                data["occurred_at"] = moment
        if "category" in data:
            data["category"] = category_codes.get(data["category"].lower(), data["category"])
        if "status" in data:
            data["status"] = statuses.get(data["status"].lower(), data["status"])
        for name in _NUMBERS:
            if name in data and re.fullmatch(r"\d+\.0+", data[name]):
                data[name] = data[name].split(".")[0]  # a spreadsheet's whole number
        try:
            validated = serializer.run_validation(data)
        except serializers.ValidationError as error:
            detail: Any = error.detail if isinstance(error.detail, dict) else {"row": error.detail}
            for name, messages in detail.items():
                listed = messages if isinstance(messages, list) else [messages]
                row_errors.setdefault(str(name), [str(message) for message in listed])
        else:
            cleaned, rule_errors = _clean(
                user, dict(validated), categories=categories, villages=villages
            )
            for name, messages in rule_errors.items():
                row_errors.setdefault(name, messages)
            if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
                row_errors.setdefault("latitude", [_("Send latitude and longitude together.")])
            if not row_errors:
                key = (
                    cleaned["village"].code,
                    cleaned["occurred_at"],
                    cleaned["category"].pk,
                    cleaned["description"],
                )
                if key in seen:
                    row_errors["row"] = [
                        _("The same incident as row %(row)s.") % {"row": seen[key]}
                    ]
                else:
                    seen[key] = number
                    planned.append(_Planned(number, key, cleaned))
        for name in [*COLUMNS, *sorted(set(row_errors) - set(COLUMNS))]:
            for message in row_errors.get(name, []):
                errors.add(number, name, message)
    return planned


def _moment(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in _DAY_FIRST:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _category_codes(categories: Iterable[IncidentCategory]) -> dict[str, str]:
    """Category codes by their code and by each of their names, lower-cased (codes first)."""
    categories = list(categories)
    codes = {category.code.lower(): category.code for category in categories}
    for category in categories:
        codes.setdefault(category.name.strip().lower(), category.code)
        codes.setdefault(category.name_en.strip().lower(), category.code)
    return codes


def _status_values() -> dict[str, str]:
    """Status values by their value and by their label in Indonesian and English."""
    values = {value: value for value in IncidentStatus.values}
    for language in ("id", "en"):
        with translation.override(language):
            for value, label in IncidentStatus.choices:
                values.setdefault(str(label).lower(), value)
    return values


def _existing(user: User, keys: list[Key]) -> dict[Key, Incident]:
    """The incidents the user sees that the rows name by their natural key."""
    found: dict[Key, Incident] = {}
    wanted = set(keys)
    keys = sorted(wanted, key=lambda key: (key[0], key[1]))  # a chunk: few villages and days
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        candidates = access.incidents_for_user(user).filter(
            village_id__in={key[0] for key in chunk}, occurred_at__in={key[1] for key in chunk}
        )
        for incident in candidates.select_related("village", "category").order_by("id"):
            key = (
                incident.village_id,
                incident.occurred_at,
                incident.category_id,
                incident.description,
            )
            if key in wanted:
                found.setdefault(key, incident)
    return found


@transaction.atomic
def _write(
    new: list[Incident],
    changed: list[tuple[Incident, tuple[int | None, dt.datetime]]],
    changed_fields: set[str],
) -> None:
    placed = [*new, *(incident for incident, _before in changed)]
    units = dict(
        Jurisdiction.objects.filter(village_id__in={i.village_id for i in placed}).values_list(
            "village_id", "unit_id"
        )
    )
    for incident in placed:
        _place(incident, units)
    # Bulk writes send no save signals: the rollups are refreshed below, once per village.
    Incident.objects.bulk_create(new, batch_size=_CHUNK)
    if changed:
        Incident.objects.bulk_update(
            [incident for incident, _before in changed],
            sorted(changed_fields | {"unit", "cell"}),
            batch_size=_CHUNK,
        )
    touched = [(i.village_id, i.unit_id, i.occurred_at) for i in new]
    touched += [(i.village_id, unit_id, at) for i, (unit_id, at) in changed]
    touched += [(i.village_id, i.unit_id, i.occurred_at) for i, _before in changed]
    for village_id, days in sorted(_local_days(touched).items()):  # a fixed order: no deadlock
        village_days_refresh(village_id, days)


def _local_days(
    moments: Iterable[tuple[str, int | None, dt.datetime]],
) -> dict[str, set[dt.date]]:
    """The local days (in the zone of the unit counting it) each village's incidents fall on."""
    moments = list(moments)
    zones = {
        pk: ZoneInfo(name)
        for pk, name in Unit.objects.filter(
            pk__in={unit_id for _v, unit_id, _at in moments if unit_id is not None}
        ).values_list("pk", "timezone")
    }
    days: dict[str, set[dt.date]] = defaultdict(set)
    for village_id, unit_id, moment in moments:
        if unit_id is not None:  # outside every Polsek's jurisdiction: not counted
            days[village_id].add(moment.astimezone(zones[unit_id]).date())
    return days
