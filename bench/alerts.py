"""The early warning's weekly run over a country's villages, and what a write costs it.

Uses the database in ``DATABASE_URL`` (a CI-sized country is generated when it holds no
units). The generator writes months of records; the watch needs years. So the weekly counts
(``SignalWeek``) of every village of a Polsek are drawn here for ``BENCH_YEARS`` years and
``BENCH_WEEKS`` more, at the rates the backtest draws (``alerts.backtest``: the generated
country's incidents and residents' reports; early detection and household concerns where an
officer reports), replacing any the database held. Then the watch is taken through the last
``BENCH_WEEKS`` weeks, one weekly run after the other (``alerts.detection.watch_run``), as
the Monday job does. Baseline: reading one week's counts of the whole country, which every
weekly run does several dozen times (the seasonal and recent weeks).

Also measured: a write's share — counting a village-week again from its records
(``alerts.counts.weeks_refresh``), as each processed batch of reports does.

    BENCH_YEARS    years of drawn history before the watched weeks (3)
    BENCH_WEEKS    weeks watched (4)
    BENCH_SAMPLES  village-weeks counted again (50)
    BENCH_REDRAW   0: keep the counts a previous run drew (1)
"""

from __future__ import annotations

import datetime as dt
import os
import random

from common import ensure_country, percentiles_ms, report, setup_django, stopwatch

YEARS = int(os.environ.get("BENCH_YEARS", "3"))
WEEKS = int(os.environ.get("BENCH_WEEKS", "4"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))
REDRAW = os.environ.get("BENCH_REDRAW", "1") != "0"
SEED = 20261204
# The key of the drawn rows per family.
KEYS = {
    "incidents": "pencurian",
    "residents": "crime",
    "early": "security",
    "concerns": "security:medium",
}


def draw_history(last: dt.date) -> tuple[int, int]:
    """Weekly counts for every village of a Polsek, ``YEARS`` years and ``WEEKS`` weeks up to
    ``last``; returns (villages, rows)."""
    import numpy as np

    from sambang.alerts.backtest import MEAN_WEIGHT, village_means
    from sambang.alerts.models import SignalWeek
    from sambang.core.bulk import BulkTable
    from sambang.organization.models import Jurisdiction, UnitLevel

    SignalWeek.objects.all().delete()
    rng = random.Random(SEED)
    draw = np.random.default_rng(SEED)
    weeks = 52 * YEARS + WEEKS
    mondays = [last - dt.timedelta(weeks=weeks - 1 - n) for n in range(weeks)]
    t = np.arange(weeks)
    table = BulkTable(
        SignalWeek, ["village_id", "unit_id", "week", "family", "key", "records", "weight"]
    )
    villages = rows = 0
    batch: list[tuple[object, ...]] = []
    season_of: dict[int, np.ndarray] = {}
    places = Jurisdiction.objects.filter(unit__level=UnitLevel.POLSEK).values_list(
        "village_id", "unit_id"
    )
    for village, unit_id in places.order_by("unit_id", "village_id").iterator(chunk_size=10_000):
        if unit_id not in season_of:
            season_of[unit_id] = 1 + 0.2 * np.sin(2 * np.pi * (t / 52 + rng.random()))
        villages += 1
        for family, mean in village_means(rng).items():
            if mean == 0:
                continue
            key, weight = KEYS[family], MEAN_WEIGHT.get(family, 1.0)
            mu = mean / weight * season_of[unit_id] * draw.gamma(10, 0.1, weeks)
            counts = draw.poisson(mu)
            for n in np.flatnonzero(counts):
                records = int(counts[n])
                batch.append((village, unit_id, mondays[n], family, key, records, records * weight))
        if len(batch) >= 50_000:
            table.write(batch)
            rows += len(batch)
            batch = []
    table.write(batch)
    return villages, rows + len(batch)


def main() -> None:
    vendor = setup_django()
    from sambang.alerts.counts import weeks_refresh
    from sambang.alerts.detection import _counts, last_complete_week, watch_run
    from sambang.alerts.models import Alert, DetectionRun, SeriesWeek, SignalWeek
    from sambang.core.bulk import analyze
    from sambang.organization.models import Unit, UnitLevel

    ensure_country()
    last = last_complete_week()
    if REDRAW or not SignalWeek.objects.filter(week=last).exists():
        with stopwatch() as took:
            villages, rows = draw_history(last)
        analyze()
        drawn = f"in {took():.0f} s"
    else:
        villages = SignalWeek.objects.values("village").distinct().count()
        rows, drawn = SignalWeek.objects.count(), "kept from a previous run"
    figures = {
        "drawn history": (
            f"{villages:,} villages, {YEARS} years + {WEEKS} weeks, {rows:,} weekly-count rows "
            f"{drawn}"
        ),
    }
    baseline = []
    for n in range(3):
        with stopwatch() as took:
            _counts([last - dt.timedelta(weeks=WEEKS + n)])
        baseline.append(took())
    base = min(baseline)
    figures["baseline: reading one week's counts"] = f"{base * 1000:.0f} ms"
    for model in (Alert, SeriesWeek, DetectionRun):
        model.objects.all().delete()
    with stopwatch() as took:
        results = watch_run(until=last, since=last - dt.timedelta(weeks=WEEKS - 1))
    seconds = [r.seconds for r in results]
    figures["weekly run"] = (
        f"{len(results)} weeks in {took():.1f} s: max {max(seconds):.1f} s a week, "
        f"{max(seconds) / base:.0f}× baseline; {max(r.series for r in results):,} series "
        f"with something in a week"
    )
    polseks = Unit.objects.filter(level=UnitLevel.POLSEK).count()
    alarms = sum(r.alarms for r in results)
    figures["alerts raised on unplanted counts"] = (
        f"{alarms:,} in {len(results)} weeks, {polseks:,} Polseks: "
        f"{alarms / polseks / (len(results) * 12 / 52):.2f} per Polsek-month"
    )
    keys = list(
        SignalWeek.objects.filter(week=last).values_list("village_id", "week")[: SAMPLES * 10]
    )
    random.Random(SEED).shuffle(keys)
    refreshes = []
    for key in keys[:SAMPLES]:
        with stopwatch() as took:
            weeks_refresh([key])
        refreshes.append(took())
    if len(refreshes) >= 2:
        cuts = percentiles_ms(refreshes)
        figures["a village-week counted again"] = (
            f"p50 {cuts['p50']:.1f} ms, p95 {cuts['p95']:.1f} ms ({len(refreshes)} samples)"
        )
    report("early warning: the weekly run", vendor, figures)


if __name__ == "__main__":
    main()
