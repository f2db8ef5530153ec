"""The weekly watch: each series one week further, alerts where a rise is unusual.

A series is one signal family of one village, or of a Polsek's villages together (rare
signals that a village sees once a year can rise across a Polsek). A week of the watch
(``week_detect``) reads only what that week needs: the weekly counts of the same season of
earlier years and of the last weeks (``surveillance.baseline``), this week's counts, and
each series' CUSUM after the week before (``SeriesWeek``); it writes the week's
``SeriesWeek`` rows (where something happened) and an ``Alert`` per alarm. Nothing is
recomputed from the records: the counts are kept current as they are written
(``alerts.counts``). ``watch_run`` brings the watch up to the last complete week, one week
after the other from the first it has not been through.

Weeks before the first counted week of a family are missing, not quiet: they stay out of
the baselines (a Polsek that began keeping incidents in Sambang last month, a village whose
officer began reporting last month, are compared with their weeks since; a series with
fewer than ``surveillance.MIN_BASELINE_WEEKS`` such weeks is not watched yet).
A series belongs to its village's Polsek of the week; a village that changes Polsek starts
a new series there. Weighted signals are watched as record-equivalents (``record_scale``)
and shown in their weighted units. A Polsek's alert is raised only where none of its
villages sounded for the same signal that week; an alarm restarts its CUSUM, so a rise
that goes on raises an alert again when the new weeks are unusual on their own.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min, Sum
from django.utils import timezone

from sambang.core.bulk import BulkTable
from sambang.notifications.models import Kind
from sambang.notifications.services import announce

from . import surveillance
from .counts import week_of
from .models import Alert, DetectionRun, Family, SeriesWeek, Severity, SignalWeek

SeriesKey = tuple[int, str | None, str]  # unit, village (None: the Polsek's), family
NONE = (0.0, 0)  # a week without records
# A new installation's watch begins this many weeks before the last complete week.
FIRST_WEEKS = 8


def _weeks_ago(week: dt.date, n: int) -> dt.date:
    return week - dt.timedelta(weeks=n)


@dataclass
class WeekResult:
    week: dt.date
    series: int
    alarms: int
    seconds: float


def _counts(weeks: list[dt.date]) -> dict[SeriesKey, dict[dt.date, tuple[float, int]]]:
    """The weighted counts and the records of ``weeks`` per series (villages and their
    Polseks)."""
    series: dict[SeriesKey, dict[dt.date, tuple[float, int]]] = defaultdict(dict)
    rows = (
        SignalWeek.objects.filter(week__in=weeks)
        .values_list("unit_id", "village_id", "family", "week")
        .annotate(total=Sum("weight"), records=Sum("records"))
        .order_by()
    )
    for unit_id, village, family, week, total, records in rows.iterator(chunk_size=10_000):
        series[(unit_id, village, family)][week] = (total, records)
        polsek = series[(unit_id, None, family)]
        weight, n = polsek.get(week, (0.0, 0))
        polsek[week] = (weight + total, n + records)
    return series


def record_scale(values: Iterable[tuple[float, int]]) -> float:
    """The mean weight of a record in ``values`` (weight, records): 1 where nothing is
    weighted. A weighted count (an A1 report 1, an E5 0.04) varies less than a count of
    records; the CUSUM is run on record-equivalents (weight ÷ this) so that its Poisson and
    negative-binomial scores hold, and is shown in weighted units."""
    weight = records = 0.0
    for w, n in values:
        weight += w
        records += n
    return weight / records if records and weight else 1.0


# Signals only an officer of the village records: before its first record, the village
# had no officer reporting (missing, not quiet). Incidents and residents' reports may come
# from anyone once the Polsek keeps them in Sambang.
OFFICERS_FAMILIES = (Family.EARLY_DETECTION, Family.CONCERNS)


def _history_began() -> dict[tuple[int | str, str], dt.date]:
    """The first week counted: per Polsek and family, and per village for the families
    officers record."""
    began: dict[tuple[int | str, str], dt.date] = {}
    for unit_id, family, first in (
        SignalWeek.objects.values_list("unit_id", "family").annotate(first=Min("week")).order_by()
    ):
        began[(unit_id, family)] = first
    for village, family, first in (
        SignalWeek.objects.filter(family__in=OFFICERS_FAMILIES)
        .values_list("village_id", "family")
        .annotate(first=Min("week"))
        .order_by()
    ):
        began[(village, family)] = first
    return began


@transaction.atomic
def week_detect(week: dt.date) -> WeekResult:
    """Take every series through ``week`` (a Monday), from the CUSUM of the week before."""
    started = time.perf_counter()
    week = week_of(week)
    seasonal = [_weeks_ago(week, -t) for t in surveillance.seasonal_weeks(0)]
    recent = [_weeks_ago(week, -t) for t in surveillance.recent_weeks(0)]
    counts = _counts([*seasonal, *recent, week])
    began = _history_began()
    previous = {
        (row.unit_id, row.village_id, row.family): row
        for row in SeriesWeek.objects.filter(week=_weeks_ago(week, 1), cusum__gt=0, alarm=False)
    }
    SeriesWeek.objects.filter(week=week).delete()
    rows: list[SeriesWeek] = []
    alarms: list[Alert] = []
    for key in set(counts) | set(previous):
        unit_id, village, family = key
        values = counts.get(key, {})
        place = village if village is not None and family in OFFICERS_FAMILIES else unit_id
        first = began.get((place, family), week)
        scale = record_scale(values.values())
        base = surveillance.baseline(
            [values.get(w, NONE)[0] / scale for w in seasonal if first <= w],
            [values.get(w, NONE)[0] / scale for w in recent if first <= w],
        )
        observed = values.get(week, NONE)[0]
        before = previous.get(key)
        step = surveillance.step(before.cusum if before else 0.0, observed / scale, base)
        if observed == 0 and step.cusum == 0:
            continue
        expected = base.mean * scale
        row = SeriesWeek(
            unit_id=unit_id,
            village_id=village,
            family=family,
            week=week,
            observed=observed,
            expected=round(expected, 4),
            dispersion=round(base.dispersion, 4),
            baseline_weeks=base.weeks,
            cusum=round(step.cusum, 4),
            alarm=step.alarm,
            rising_since=before.rising_since if before else week,
            run_observed=observed + (before.run_observed if before else 0.0),
            run_expected=round(expected + (before.run_expected if before else 0.0), 4),
        )
        rows.append(row)
        if step.alarm:
            alarms.append(_alert(row, surveillance.tail(observed / scale, base)))
    BulkTable.of(SeriesWeek).write_models(rows)
    # A Polsek's villages together sound with any village of them that rises enough: the
    # village's alert says it, the Polsek's is raised only where no village of it sounded.
    sounded = {(a.unit_id, a.family) for a in alarms if a.village_id is not None}
    alarms = [a for a in alarms if a.village_id is not None or (a.unit_id, a.family) not in sounded]
    fresh = week >= last_complete_week()  # a catch-up's older weeks are not news
    for alert in alarms:
        saved, created = Alert.objects.update_or_create(
            unit_id=alert.unit_id,
            village_id=alert.village_id,
            family=alert.family,
            week=alert.week,
            defaults={
                field: getattr(alert, field)
                for field in (
                    "first_week",
                    "observed",
                    "expected",
                    "score",
                    "threshold",
                    "severity",
                )
            },
        )
        if created and fresh:
            announce(kind=Kind.ALERT, object_id=saved.pk)
    seconds = round(time.perf_counter() - started, 3)
    DetectionRun.objects.update_or_create(
        week=week, defaults={"series": len(rows), "alarms": len(alarms), "seconds": seconds}
    )
    return WeekResult(week, len(rows), len(alarms), seconds)


def _alert(row: SeriesWeek, tail: float) -> Alert:
    strong = row.cusum >= 2 * surveillance.THRESHOLD or tail < surveillance.SPIKE_P / 10
    return Alert(
        unit_id=row.unit_id,
        village_id=row.village_id,
        family=row.family,
        first_week=row.rising_since,
        week=row.week,
        observed=round(row.run_observed, 2),
        expected=round(row.run_expected, 2),
        score=row.cusum,
        threshold=surveillance.THRESHOLD,
        severity=Severity.HIGH if strong else Severity.NORMAL,
    )


def last_complete_week(today: dt.date | None = None) -> dt.date:
    """The Monday of last week (the week that ended last Sunday), in the server's zone
    (WIB: a run at 01:00 on Monday already sees Sunday ended; WITA and WIT ended sooner)."""
    today = today or timezone.localdate()
    return _weeks_ago(week_of(today), 1)


def watch_run(until: dt.date | None = None, since: dt.date | None = None) -> list[WeekResult]:
    """Take the watch through every week up to ``until`` (default: the last complete week)
    that it has not been through, or again from ``since``."""
    until = week_of(until) if until else last_complete_week()
    if since is not None:
        start = week_of(since)
    else:
        done = DetectionRun.objects.filter(week__lte=until).order_by("-week").first()
        start = _weeks_ago(done.week, -1) if done else _weeks_ago(until, FIRST_WEEKS - 1)
    results = []
    week = start
    while week <= until:
        results.append(week_detect(week))
        week = _weeks_ago(week, -1)
    return results
