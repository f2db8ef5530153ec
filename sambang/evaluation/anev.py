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

from sambang.organization.models import Unit, UnitLevel

from .events import (
    Citizen,
    MonthTrend,
    citizen,
    incidents_by_category,
    social_conflicts_by_year,
    trends,
)
from .periods import HISTORY_MONTHS, add_months
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
    personnel,
    personnel_by_unit,
)


@dataclass
class Anev:
    unit: Unit
    month: dt.date
    series: list[Reporting]  # oldest first, the month last
    last_year: Reporting
    children: list[ChildRow]
    officers: list[OfficerRow]
    villages: list[dict[str, Any]]
    trends: list[MonthTrend]
    activities: list[dict[str, Any]]
    citizen: Citizen
    incidents: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    personnel: list[Personnel]
    directives: dict[str, int]
    equipment: list[dict[str, Any]]
    budget: list[dict[str, Any]]
    allowance: dict[str, Any] | None
    denied: int  # household visits whose resident said nobody came

    @property
    def current(self) -> Reporting:
        return self.series[-1]

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
    if children:
        staff_of = personnel_by_unit(children, unit.path)
        staff = [staff_of[child.pk] for child in children]
    else:
        staff = [personnel(unit)]
    return Anev(
        unit=unit,
        month=month,
        series=[figures[m] for m in months],
        last_year=figures[last_year],
        children=ranked(children, {pk: by_month[month] for pk, by_month in by_child.items()}),
        officers=officer_rows(unit, month) if not children else [],
        villages=village_rows(unit, month) if unit.level == UnitLevel.POLSEK else [],
        trends=trends(unit, months),
        activities=activities_by_type(unit, month),
        citizen=citizen(unit, month),
        incidents=incidents_by_category(unit, month),
        conflicts=social_conflicts_by_year(unit, month.year),
        personnel=staff,
        directives=directives(unit, month),
        equipment=equipment(unit),
        budget=budget(unit, month.year),
        allowance=allowance(unit, month.year, sum(p.officers for p in staff)),
        denied=denied_visits(unit, month),
    )
