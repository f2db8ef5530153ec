"""The weekly counts the early warning watches, per village, signal family and key.

What each family counts (``SignalWeek``; the week is the Monday of the unit's local week):

- **incidents**: incidents (``security.Incident``) by their category, when they happened;
- **early**: early-detection information (``security.InformationReport``) by its field,
  each weighted by its grade — the source's reliability (A 1, B 0.8, C 0.6, D 0.4, E 0.2,
  F 0.5: not judged) times the information's credibility (1 1, 2 0.8, 3 0.6, 4 0.4, 5 0.2,
  6 0.5) — so that an A1 report counts 1 and an E5 report 0.04;
- **residents**: residents' reports by category, when received (rejected ones not);
- **concerns**: household concerns heard on door-to-door visits, by field and urgency, each
  weighted by its urgency (high 1, medium 0.5, low 0.25).

Reports count as the evaluation counts them: sent, with their integrity known and not
doubtful. Records without a Polsek (a village no unit covers) have no local week and are
not counted.

A write refreshes the village-weeks it touches (the old and the new), in its transaction:
incidents and residents' reports as they are saved, activity reports when the worker has
processed them (``reports_processed``; the week a report was counted in before is read
from the evaluation's ``CountedReport``, which is why this app's receiver must run before
the evaluation's: ``sambang.alerts`` comes before ``sambang.evaluation`` in INSTALLED_APPS).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Model, Q, QuerySet
from django.db.models.signals import post_delete, post_init, post_save

from sambang.core.bulk import BulkTable
from sambang.evaluation.models import CountedReport
from sambang.evaluation.rollups import rollups_are_deferred, rollups_rebuilt
from sambang.fieldwork.models import (
    ActivityReport,
    HouseholdConcern,
    HouseholdVisit,
    IntegrityLevel,
    ReportState,
)
from sambang.fieldwork.processing import reports_processed
from sambang.organization.models import Unit
from sambang.public.models import CitizenReport, CitizenStatus
from sambang.security.models import Incident, InformationReport

from .models import Family, SignalWeek

RELIABILITY_WEIGHT = {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.4, "E": 0.2, "F": 0.5}
CREDIBILITY_WEIGHT = {1: 1.0, 2: 0.8, 3: 0.6, 4: 0.4, 5: 0.2, 6: 0.5}
URGENCY_WEIGHT = {"high": 1.0, "medium": 0.5, "low": 0.25}

# (village, unit, when, family, key, weight)
Row = tuple[str, int, dt.datetime, str, str, float]
CountKey = tuple[str, int, dt.date, str, str]  # village, unit, week, family, key


def week_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def unit_zones(unit_ids: Iterable[int] | None = None) -> dict[int, ZoneInfo]:
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=set(unit_ids))
    return {pk: _zone(name) for pk, name in units.values_list("pk", "timezone")}


def _trusted(prefix: str) -> Q:
    """Reports counted (``prefix``: the path to the report): sent, integrity known, trusted."""
    return ~Q(**{f"{prefix}state": ReportState.DRAFT}) & ~Q(
        **{f"{prefix}integrity_level__in": ["", IntegrityLevel.DOUBTFUL]}
    )


@dataclass(frozen=True)
class Source:
    """One family's records: where they are, which fields place them, how each counts."""

    family: str
    records: Callable[[], QuerySet[Any]]
    village: str  # the field holding the village
    moment: str  # the field holding when it counts
    fields: Sequence[str]  # read after the unit: (village, unit, moment, *fields)
    key_weight: Callable[..., tuple[str, float]]

    def rows(self, where: Q) -> Iterator[Row]:
        unit = self.village.removesuffix("village_id") + "unit_id"
        values = (
            self.records()
            .filter(where)
            .filter(**{f"{unit}__isnull": False})
            .values_list(self.village, unit, self.moment, *self.fields)
            .order_by()
        )
        for village, unit_id, moment, *rest in values.iterator(chunk_size=5000):
            key, weight = self.key_weight(*rest)
            yield village, unit_id, moment, self.family, key, weight


SOURCES = (
    Source(
        Family.INCIDENTS,
        Incident.objects.all,
        "village_id",
        "occurred_at",
        ["category__code"],
        lambda code: (code, 1.0),
    ),
    Source(
        Family.EARLY_DETECTION,
        lambda: InformationReport.objects.filter(_trusted("report__")),
        "report__village_id",
        "report__occurred_at",
        ["aspect", "reliability", "credibility"],
        lambda aspect, reliability, credibility: (
            aspect,
            RELIABILITY_WEIGHT.get(reliability, 0.5) * CREDIBILITY_WEIGHT.get(credibility, 0.5),
        ),
    ),
    Source(
        Family.RESIDENTS,
        lambda: CitizenReport.objects.exclude(status=CitizenStatus.REJECTED),
        "village_id",
        "received_at",
        ["category"],
        lambda category: (category, 1.0),
    ),
    Source(
        Family.CONCERNS,
        lambda: HouseholdConcern.objects.filter(_trusted("visit__report__")),
        "visit__report__village_id",
        "visit__report__occurred_at",
        ["aspect", "urgency"],
        lambda aspect, urgency: (f"{aspect}:{urgency}", URGENCY_WEIGHT.get(urgency, 0.5)),
    ),
)


def _tally(rows: Iterable[Row], zones: dict[int, ZoneInfo]) -> dict[CountKey, list[float]]:
    counts: dict[CountKey, list[float]] = defaultdict(lambda: [0, 0.0])
    for village, unit_id, moment, family, key, weight in rows:
        zone = zones.get(unit_id)
        if zone is None:
            continue
        count = counts[(village, unit_id, week_of(moment.astimezone(zone).date()), family, key)]
        count[0] += 1
        count[1] += weight
    return counts


def _models(counts: dict[CountKey, list[float]]) -> list[SignalWeek]:
    return [
        SignalWeek(
            village_id=village,
            unit_id=unit_id,
            week=week,
            family=family,
            key=key,
            records=int(records),
            weight=round(weight, 4),
        )
        for (village, unit_id, week, family, key), (records, weight) in counts.items()
    ]


def _bounds(week: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds holding every moment of the local week in any Indonesian zone."""
    start = dt.datetime.combine(week, dt.time(), dt.UTC)
    return start - dt.timedelta(days=1), start + dt.timedelta(days=8)


def weeks_refresh(keys: Iterable[tuple[str, dt.date]]) -> None:
    """Count again the villages' weeks ``keys`` (village, week) from their records."""
    by_week: dict[dt.date, set[str]] = defaultdict(set)
    for village, week in keys:
        by_week[week].add(village)
    for week, villages in sorted(by_week.items()):
        start, end = _bounds(week)
        rows = [
            row
            for source in SOURCES
            for row in source.rows(
                Q(**{f"{source.village}__in": villages})
                & Q(**{f"{source.moment}__gte": start, f"{source.moment}__lt": end})
            )
        ]
        counts = _tally(rows, unit_zones({row[1] for row in rows}))
        SignalWeek.objects.filter(village__in=villages, week=week).delete()
        SignalWeek.objects.bulk_create([row for row in _models(counts) if row.week == week])


def counts_rebuild(**_kwargs: Any) -> dict[str, int]:
    """Count every village's weeks again from all the records."""
    SignalWeek.objects.all().delete()
    zones = unit_zones()
    table = BulkTable.of(SignalWeek)
    written = 0
    for source in SOURCES:
        rows = _models(_tally(source.rows(Q()), zones))
        table.write_models(rows)
        written += len(rows)
    return {SignalWeek.__name__: written}


# --- What a write touches --------------------------------------------------------------


def _local_week(unit_id: int | None, moment: dt.datetime | None) -> dt.date | None:
    if unit_id is None or moment is None:
        return None
    zone = unit_zones([unit_id]).get(unit_id)
    return week_of(moment.astimezone(zone).date()) if zone else None


def _placed(instance: Model) -> tuple[str, dt.date | None]:
    if isinstance(instance, Incident):
        return instance.village_id, _local_week(instance.unit_id, instance.occurred_at)
    assert isinstance(instance, CitizenReport)
    return instance.village_id, _local_week(instance.unit_id, instance.received_at)


def _remember(sender: Any, instance: Model, **kwargs: Any) -> None:
    # Only the fields that place the record: the week is looked up when it is saved.
    if instance.pk is None:
        instance._signal_key = None  # type: ignore[attr-defined]
    elif isinstance(instance, Incident):
        instance._signal_key = (instance.village_id, instance.unit_id, instance.occurred_at)  # type: ignore[attr-defined]
    else:
        instance._signal_key = (instance.village_id, instance.unit_id, instance.received_at)  # type: ignore[attr-defined]


def _record_changed(sender: Any, instance: Model, **kwargs: Any) -> None:
    if rollups_are_deferred():
        return
    keys = set()
    old = getattr(instance, "_signal_key", None)
    if old is not None and (week := _local_week(old[1], old[2])) is not None:
        keys.add((old[0], week))
    village, week = _placed(instance)
    if week is not None:
        keys.add((village, week))
    weeks_refresh(keys)
    _remember(sender, instance)


def _reports_processed(sender: Any, report_ids: Sequence[int], **kwargs: Any) -> None:
    if rollups_are_deferred():
        return
    ids = set(
        InformationReport.objects.filter(report_id__in=report_ids).values_list(
            "report_id", flat=True
        )
    )
    ids |= set(
        HouseholdVisit.objects.filter(report_id__in=report_ids, concerns__isnull=False)
        .values_list("report_id", flat=True)
        .distinct()
    )
    if not ids:
        return
    # Where the evaluation counted them until now (it counts them again after this receiver)…
    keys = {
        (village, week_of(day))
        for village, day in CountedReport.objects.filter(report_id__in=ids).values_list(
            "village_id", "day"
        )
    }
    # … and where they are now.
    reports = list(
        ActivityReport.objects.filter(pk__in=ids).values_list(
            "village_id", "unit_id", "occurred_at"
        )
    )
    zones = unit_zones({unit_id for _, unit_id, _ in reports})
    keys |= {
        (village, week_of(moment.astimezone(zones[unit_id]).date()))
        for village, unit_id, moment in reports
        if unit_id in zones
    }
    weeks_refresh(keys)


def connect() -> None:
    reports_processed.connect(_reports_processed, dispatch_uid="signals-reports-processed")
    rollups_rebuilt.connect(counts_rebuild, dispatch_uid="signals-rebuilt")
    for model in (Incident, CitizenReport):
        post_init.connect(_remember, sender=model, dispatch_uid=f"signals-init-{model.__name__}")
        post_save.connect(
            _record_changed, sender=model, dispatch_uid=f"signals-save-{model.__name__}"
        )
        post_delete.connect(
            _record_changed, sender=model, dispatch_uid=f"signals-delete-{model.__name__}"
        )
