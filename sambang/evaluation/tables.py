"""The Anev's tables, defined once for the CSV, XLSX and PDF exports.

A CSV's columns keep their names (``completeness``), the same in every language, for
programs that read them; an XLSX's and a PDF's headings and sheet names are words in the
reader's language (``LABELS``, ``SHEETS``; a sheet's name fits Excel's 31 characters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sambang.core.exports import Column

from .anev import Anev
from .reporting import ChildRow, OfficerRow
from .staffing import Personnel

# Each column's heading for people, by its CSV name.
LABELS: dict[str, str | Promise] = {
    "month": gettext_lazy("Month"),
    "expected": gettext_lazy("Expected"),
    "reported": gettext_lazy("Reported"),
    "completeness": gettext_lazy("Completeness (%)"),
    "on_time": gettext_lazy("On time"),
    "timeliness": gettext_lazy("Timeliness (%)"),
    "reports": gettext_lazy("Reports"),
    "trusted": gettext_lazy("Trusted"),
    "verified": gettext_lazy("Verified"),
    "doubtful": gettext_lazy("Doubtful"),
    "doubtful_share": gettext_lazy("Doubtful (%)"),
    "planned": gettext_lazy("Planned"),
    "realization": gettext_lazy("Realization (%)"),
    "rank": gettext_lazy("Rank"),
    "unit": gettext_lazy("Unit"),
    "nrp": "NRP",
    "officer": gettext_lazy("Officer"),
    "level": gettext_lazy("Level"),
    "village_code": gettext_lazy("Village code"),
    "village": gettext_lazy("Village"),
    "officers": gettext_lazy("Officers"),
    "trusted_reports": gettext_lazy("Trusted reports"),
    "days_with_a_trusted_report": gettext_lazy("Days with a trusted report"),
    "incidents": gettext_lazy("Incidents"),
    "residents_reports": gettext_lazy("Residents' reports"),
    "activity": gettext_lazy("Activity"),
    "category": gettext_lazy("Category"),
    "this_month": gettext_lazy("This month"),
    "same_month_last_year": gettext_lazy("A year before"),
    "change_pct": gettext_lazy("Change (%)"),
    "p_value": gettext_lazy("p-value"),
    "dead": gettext_lazy("Dead"),
    "injured": gettext_lazy("Injured"),
    "year": gettext_lazy("Year"),
    "conflicts": gettext_lazy("Conflicts"),
    "year_before": gettext_lazy("Year before"),
    "on_paper": gettext_lazy("On paper"),
    "headquarters": gettext_lazy("Headquarters"),
    "villages": gettext_lazy("Villages"),
    "officers_with_village": gettext_lazy("Officers with a village"),
    "coverage_pct": gettext_lazy("Coverage (%)"),
    "villages_per_officer": gettext_lazy("Villages per officer"),
    "officers_per_village": gettext_lazy("Officers per village"),
    "population_per_officer": gettext_lazy("Population per officer"),
    "area_km2_per_officer": gettext_lazy("km² per officer"),
    "education": gettext_lazy("Education"),
    "dikbangspes_done": "Dikbangspes",
    "with_trainings": gettext_lazy("With courses"),
    "modules_done": gettext_lazy("Every training module passed"),
    "dual_duties": gettext_lazy("Other duties"),
    "kind": gettext_lazy("Kind"),
    "good": gettext_lazy("Good"),
    "lightly_damaged": gettext_lazy("Lightly damaged"),
    "heavily_damaged": gettext_lazy("Heavily damaged"),
    "total": gettext_lazy("Total"),
    "allocation_idr": gettext_lazy("Allocation (IDR)"),
    "realization_idr": gettext_lazy("Realization (IDR)"),
    "realized_pct": gettext_lazy("Realized (%)"),
}
# Each table's sheet in an XLSX: short words (Excel cuts a name at 31 characters).
SHEETS = {
    "months": gettext_lazy("Months"),
    "units": gettext_lazy("Units"),
    "officers": gettext_lazy("Officers"),
    "villages": gettext_lazy("Villages"),
    "activities": gettext_lazy("Activities"),
    "incidents": gettext_lazy("Incidents"),
    "conflicts": gettext_lazy("Conflicts"),
    "personnel": gettext_lazy("Personnel"),
    "equipment": gettext_lazy("Equipment"),
    "budget": gettext_lazy("Budget"),
}


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    columns: list[Column[Any]]
    rows: list[Any]

    @property
    def sheet(self) -> str:
        return str(SHEETS.get(self.name, self.title))[:31]


def _labelled(columns: list[Column[Any]]) -> list[Column[Any]]:
    return [Column(c.header, c.value, LABELS.get(c.header, c.header)) for c in columns]


def _reporting_columns(get: Any) -> list[Column[Any]]:
    def of(attribute: str) -> Column[Any]:
        return Column(attribute, lambda row: getattr(get(row), attribute))

    return [
        of("expected"),
        of("reported"),
        of("completeness"),
        of("on_time"),
        of("timeliness"),
        of("reports"),
        of("trusted"),
        of("verified"),
        of("doubtful"),
        of("doubtful_share"),
        of("planned"),
        of("realization"),
    ]


def anev_tables(anev: Anev) -> list[Table]:
    # Months before the unit kept reports in Sambang have no data: no row.
    month_rows = [m for m in [*anev.series, anev.last_year] if m is not None and m.kept]
    tables = [
        Table(
            "months",
            _("Reporting by month"),
            [
                Column("month", lambda r: r.month.strftime("%Y-%m")),
                *_reporting_columns(lambda r: r),
            ],
            month_rows,
        )
    ]
    if anev.children:
        tables.append(
            Table(
                "units",
                _("Units below, ranked"),
                [
                    Column[ChildRow]("rank", lambda r: r.rank),
                    Column[ChildRow]("unit", lambda r: r.unit.name),
                    *_reporting_columns(lambda r: r.figures),
                ],
                anev.children,
            )
        )
    if anev.officers:
        tables.append(
            Table(
                "officers",
                _("Officers"),
                [
                    Column[OfficerRow]("nrp", lambda r: r.officer.nrp),
                    Column[OfficerRow]("officer", lambda r: r.officer.name),
                    Column[OfficerRow]("level", lambda r: str(r.level_label)),
                    *_reporting_columns(lambda r: r.figures),
                ],
                anev.officers,
            )
        )
    if anev.villages:
        tables.append(
            Table(
                "villages",
                _("Villages"),
                [
                    Column("village_code", lambda r: r["village"].code),
                    Column("village", lambda r: r["village"].name),
                    Column("officers", lambda r: ", ".join(o.name for o in r["officers"])),
                    Column("trusted_reports", lambda r: r["reports"]),
                    Column("days_with_a_trusted_report", lambda r: r["days"]),
                    Column("incidents", lambda r: r["incidents"]),
                    Column("residents_reports", lambda r: r["citizen"]),
                ],
                anev.villages,
            )
        )
    tables += [
        Table(
            "activities",
            _("Activities by type"),
            [
                Column("activity", lambda r: r["type"].label),
                Column("reports", lambda r: r["reports"]),
                Column("verified", lambda r: r["verified"]),
                Column("doubtful", lambda r: r["doubtful"]),
            ],
            anev.activities,
        ),
        Table(
            "incidents",
            _("Incidents by category"),
            [
                Column("category", lambda r: r["category"].label),
                Column("this_month", lambda r: r["current"]),
                Column("same_month_last_year", lambda r: r["previous"]),
                Column("change_pct", lambda r: r["change"] and r["change"].change_pct),
                Column("p_value", lambda r: r["change"] and round(r["change"].p_value, 4)),
                Column("dead", lambda r: r["dead"]),
                Column("injured", lambda r: r["injured"]),
            ],
            anev.incidents,
        ),
        Table(
            "conflicts",
            _("Social conflicts by year"),
            [
                Column("year", lambda r: r["year"]),
                Column("conflicts", lambda r: r["count"]),
                Column("year_before", lambda r: r["previous"]),
                Column("on_paper", lambda r: r["aggregate"]),
                Column("change_pct", lambda r: r["change"] and r["change"].change_pct),
                Column("p_value", lambda r: r["change"] and round(r["change"].p_value, 4)),
            ],
            anev.conflicts,
        ),
        Table(
            "personnel",
            _("Personnel"),
            [
                Column[Personnel]("unit", lambda r: r.unit.name),
                Column[Personnel]("headquarters", lambda r: r.headquarters),
                Column[Personnel]("villages", lambda r: r.villages),
                Column[Personnel]("officers", lambda r: r.officers),
                Column[Personnel]("officers_with_village", lambda r: r.assigned),
                Column[Personnel]("coverage_pct", lambda r: r.coverage),
                Column[Personnel]("villages_per_officer", lambda r: r.villages_per_officer),
                Column[Personnel]("officers_per_village", lambda r: r.officers_per_village),
                Column[Personnel]("population_per_officer", lambda r: r.population_per_officer),
                Column[Personnel]("area_km2_per_officer", lambda r: r.area_per_officer),
                Column[Personnel]("education", lambda r: r.education_summary),
                Column[Personnel]("dikbangspes_done", lambda r: r.dikbangspes),
                Column[Personnel]("with_trainings", lambda r: r.trained),
                Column[Personnel]("modules_done", lambda r: r.modules_done if r.modules else None),
                Column[Personnel]("dual_duties", lambda r: r.dual_duties),
            ],
            anev.personnel if len(anev.personnel) == 1 else [*anev.personnel, anev.personnel_total],
        ),
        Table(
            "equipment",
            _("Equipment"),
            [
                Column("kind", lambda r: r["label"]),
                Column("good", lambda r: r["good"]),
                Column("lightly_damaged", lambda r: r["light"]),
                Column("heavily_damaged", lambda r: r["heavy"]),
                Column("total", lambda r: r["total"]),
            ],
            anev.equipment,
        ),
        Table(
            "budget",
            _("Budget"),
            [
                Column("category", lambda r: r["label"]),
                Column("allocation_idr", lambda r: r["allocation"]),
                Column("realization_idr", lambda r: r["realization"]),
                Column("realized_pct", lambda r: r["realized_pct"]),
            ],
            anev.budget,
        ),
    ]
    return [Table(t.name, t.title, _labelled(t.columns), t.rows) for t in tables]
