"""The tables a user can download: each one its scoped rows (with the list page's filters)
and its columns. Restricted personal data is never among the columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from sambang import access
from sambang.core.exports import Column
from sambang.fieldwork.selectors import filter_reports, report_list
from sambang.personnel.selectors import filter_officers
from sambang.public.handling import EXPORT_COLUMNS as CITIZEN_COLUMNS
from sambang.public.selectors import filter_citizen_reports
from sambang.security.selectors import filter_incidents


@dataclass(frozen=True)
class ExportTable:
    name: str
    rows: Callable[[Any, Any], QuerySet[Any]]  # (user, query parameters) → scoped rows
    columns: list[Column[Any]]


REPORT_COLUMNS: list[Column[Any]] = [
    Column("uuid", lambda r: str(r.uuid)),
    Column("occurred_at", lambda r: r.occurred_at),
    Column("officer_nrp", lambda r: r.officer.nrp),
    Column("officer", lambda r: r.officer.name),
    Column("village_code", lambda r: r.village_id),
    Column("village", lambda r: r.village.name),
    Column("activity", lambda r: r.activity_type.code),
    Column("state", lambda r: r.state),
    Column("integrity", lambda r: r.integrity_level),
    Column("submitted_at", lambda r: r.submitted_at),
    Column("participants", lambda r: r.participants),
    Column("latitude", lambda r: r.latitude),
    Column("longitude", lambda r: r.longitude),
    Column("narrative", lambda r: r.narrative),
]

INCIDENT_COLUMNS: list[Column[Any]] = [
    Column("id", lambda i: i.pk),
    Column("occurred_at", lambda i: i.occurred_at),
    Column("category", lambda i: i.category.code),
    Column("village_code", lambda i: i.village_id),
    Column("village", lambda i: i.village.name),
    Column("unit", lambda i: i.unit.code if i.unit else ""),
    Column("latitude", lambda i: i.latitude),
    Column("longitude", lambda i: i.longitude),
    Column("status", lambda i: i.status),
    Column("dead", lambda i: i.dead),
    Column("injured", lambda i: i.injured),
    Column("losses_idr", lambda i: i.losses_idr),
    Column("description", lambda i: i.description),
]

OFFICER_COLUMNS: list[Column[Any]] = [
    Column("nrp", lambda o: o.nrp),
    Column("name", lambda o: o.name),
    Column("rank", lambda o: o.rank),
    Column("unit", lambda o: o.unit.code),
    Column("education", lambda o: o.education),
    Column("dikbangspes", lambda o: o.dikbangspes_done),
    Column("dikbangspes_year", lambda o: o.dikbangspes_year),
    Column("other_duties", lambda o: ";".join(o.other_duties)),
    Column("status", lambda o: o.status),
    Column("villages", lambda o: o.village_count),
]

TABLES: dict[str, ExportTable] = {
    table.name: table
    for table in (
        ExportTable(
            "reports",
            lambda user, params: report_list(
                filter_reports(access.reports_for_user(user), params, reader=user),
                order=params.get("order"),
            ),
            REPORT_COLUMNS,
        ),
        ExportTable(
            "residents-reports",
            lambda user, params: filter_citizen_reports(
                access.citizen_reports_for_user(user), params
            ),
            CITIZEN_COLUMNS,
        ),
        ExportTable(
            "incidents",
            lambda user, params: filter_incidents(access.incidents_for_user(user), params),
            INCIDENT_COLUMNS,
        ),
        ExportTable(
            "officers",
            lambda user, params: filter_officers(access.officers_for_user(user), params),
            OFFICER_COLUMNS,
        ),
    )
}
