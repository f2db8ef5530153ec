"""The monthly analysis and evaluation (Anev) of a unit, computed from the rollups.

A unit's month is its own local month; below the national level every Polsek of a
Polda shares its zone. Activity figures come from the rollups only (``reporting``,
``events``); personnel, directives and equipment are read from their own small tables as
they stand (``staffing``). This module puts the parts of one month together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sambang.alerts.followup import FollowUp, follow_up
from sambang.fieldwork.processing import Backlog, backlog
from sambang.organization.models import Unit, UnitLevel

from .events import (
    Citizen,
    MonthTrend,
    citizen,
    incidents_by_category,
    social_conflicts_by_year,
    trends,
)
from .history import data_since, month_kept
from .periods import HISTORY_MONTHS, add_months, pct
from .reporting import (
    ChildRow,
    OfficerRow,
    Reporting,
    activities_by_type,
    denied_visits,
    officer_rows,
    ranked,
    reporting_with_children,
    village_rows,
)
from .rollups import month_of
from .staffing import (
    Personnel,
    allowance,
    budget,
    directives,
    equipment,
    personnel_table,
)


@dataclass
class Anev:
    unit: Unit
    month: dt.date
    series: list[Reporting]  # oldest first, the month last
    last_year: Reporting | None  # None: the unit kept no reports in Sambang then
    reports_since: dt.date  # before it, a month of reporting has no figures (``history``)
    children: list[ChildRow]
    officers: list[OfficerRow]
    villages: list[dict[str, Any]]
    trends: list[MonthTrend]
    activities: list[dict[str, Any]]
    citizen: Citizen
    incidents: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    personnel: list[Personnel]  # the headquarters and each child unit, or the unit alone
    personnel_total: Personnel  # the unit's whole subtree
    directives: dict[str, int]
    equipment: list[dict[str, Any]]
    budget: list[dict[str, Any]]
    allowance: dict[str, Any] | None
    denied: int  # household visits whose resident said nobody came
    waiting: Backlog  # the subtree's reports accepted and not yet checked: not counted yet
    alerts: FollowUp  # early-warning alerts of the month and what was done about them

    @property
    def current(self) -> Reporting:
        return self.series[-1]

    @property
    def budget_total(self) -> dict[str, Any]:
        """The budget lines of the year added up: allocated, realized, share realized."""
        allocation = sum(row["allocation"] for row in self.budget)
        realization = sum(row["realization"] for row in self.budget)
        return {
            "allocation": allocation,
            "realization": realization,
            "realized_pct": pct(realization, allocation),
        }

    def figures(self) -> dict[str, Any]:
        """The headline figures, as stored with a submitted evaluation."""
        now = self.current
        return {
            "expected": now.expected,
            "reported": now.reported,
            "on_time": now.on_time,
            "reports": now.reports,
            "planned": now.planned,
            "realized": now.realized + now.realized_late,
            "citizen_received": self.citizen.received,
            "citizen_overdue": self.citizen.overdue,
            "incidents": sum(e["current"] for e in self.incidents),
        }


def anev(unit: Unit, month: dt.date) -> Anev:
    month = month_of(month)
    months = [add_months(month, -i) for i in range(HISTORY_MONTHS - 1, -1, -1)]
    last_year = add_months(month, -12)
    children = list(unit.children.order_by("name"))
    figures, by_child = reporting_with_children(unit, children, [*months, last_year])
    reports_since = data_since(unit, "reports")
    for m in months:
        figures[m].kept = month_kept(reports_since, m)
    staff_total, staff = personnel_table(unit)
    return Anev(
        unit=unit,
        month=month,
        series=[figures[m] for m in months],
        last_year=figures[last_year] if month_kept(reports_since, last_year) else None,
        reports_since=reports_since,
        children=ranked(children, {pk: by_month[month] for pk, by_month in by_child.items()}),
        officers=officer_rows(unit, month) if not children else [],
        villages=village_rows(unit, month) if unit.level == UnitLevel.POLSEK else [],
        trends=trends(unit, months),
        activities=activities_by_type(unit, month),
        citizen=citizen(unit, month),
        incidents=incidents_by_category(unit, month),
        conflicts=social_conflicts_by_year(unit, month),
        personnel=staff or [staff_total],
        personnel_total=staff_total,
        directives=directives(unit, month),
        equipment=equipment(unit),
        budget=budget(unit, month.year),
        allowance=allowance(unit, month.year, staff_total.officers),
        denied=denied_visits(unit, month),
        waiting=backlog(unit.path),
        alerts=follow_up(unit, month),
    )
