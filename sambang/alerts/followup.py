"""How a unit followed up its early-warning alerts in a month (shown in the Anev).

The alerts counted are those of the unit's subtree whose alarm sounded in a week that began
in the month (``Alert.week``, a Monday of the unit's local calendar). Of them: how many were
acknowledged and closed with an action so far (and with which action), and the median days
from the alarm to its acknowledgement.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from sambang.evaluation.periods import in_subtree, month_end, pct
from sambang.organization.models import Unit

from .models import ActionKind, Alert


@dataclass
class FollowUp:
    raised: int = 0  # denominator: alerts of the subtree whose alarm week began in the month
    acknowledged: int = 0
    closed: int = 0
    by_action: dict[str, int] = field(default_factory=dict)  # ActionKind label → closed
    median_days_to_acknowledge: float | None = None

    @property
    def acknowledged_pct(self) -> float | None:
        return pct(self.acknowledged, self.raised)

    @property
    def closed_pct(self) -> float | None:
        return pct(self.closed, self.raised)


def follow_up(unit: Unit, month: dt.date) -> FollowUp:
    alerts = Alert.objects.filter(in_subtree(unit), week__gte=month, week__lte=month_end(month))
    result = FollowUp()
    waits = []
    labels = dict(ActionKind.choices)
    for created, acknowledged, closed, action in alerts.values_list(
        "created_at", "acknowledged_at", "closed_at", "action"
    ):
        result.raised += 1
        if acknowledged is not None:
            result.acknowledged += 1
            waits.append((acknowledged - created).total_seconds() / 86_400)
        if closed is not None:
            result.closed += 1
            label = str(labels.get(action, action))
            result.by_action[label] = result.by_action.get(label, 0) + 1
    if waits:
        result.median_days_to_acknowledge = round(statistics.median(waits), 1)
    return result
