"""Assignment recommendations on generated data: a Polsek's and a Polres's, the whole
service (reading the unit, solving, keeping the result), with the solver's status and gap
and the balance before and after.

Uses the database in ``DATABASE_URL`` (a CI-sized country is generated when it holds no
units). The generator gives villages no population: the measured units' villages without
households get some drawn here (log-normal, median 1,500, seeded), as real villages differ.
Polseks are drawn at random; the Polres is the one with 15–25 Polseks nearest to 300
villages (on a smaller country, the largest), recommended twice: sharing out only the
villages that have an officer today, and giving every village an officer. Baseline: reading
a unit's villages, officers and workload figures, which every recommendation does first.

    BENCH_SAMPLES      Polseks measured (10)
    BENCH_TIME_LIMIT   the solver's time limit for a Polres, in seconds (20)
    BENCH_MOVES        officers a Polres may move between its Polseks (20)
"""

from __future__ import annotations

import os
import random
import statistics

from common import ensure_country, percentiles_ms, report, setup_django, stopwatch

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "10"))
TIME_LIMIT = int(os.environ.get("BENCH_TIME_LIMIT", "20"))
MOVES = int(os.environ.get("BENCH_MOVES", "20"))
SEED = 20261204
# The routing solver's time for an officer's week, as in production (the test settings'
# default is shorter).
os.environ.setdefault("SAMBANG_WEEK_ROUTE_SECONDS", "0.5")


def cut(before: float | None, after: float | None, excess_over: float = 0.0) -> str:
    """How much of the imbalance goes, in percent (max ÷ mean: what lies above 1)."""
    if before is None or after is None or before - excess_over <= 0:
        return "–"
    return f"{100 * (before - after) / (before - excess_over):.0f}%"


def give_households(units: list[object], rng: random.Random) -> int:
    """Households for the villages of ``units`` that have none; how many were given."""
    from sambang.community.models import VillageProfile
    from sambang.organization.models import Jurisdiction

    paths = [unit.path for unit in units]  # type: ignore[attr-defined]
    codes = sorted(
        {
            code
            for path in paths
            for code in Jurisdiction.objects.filter(unit__path__startswith=path).values_list(
                "village_id", flat=True
            )
        }
    )
    known = set(
        VillageProfile.objects.filter(village_id__in=codes, households__isnull=False).values_list(
            "village_id", flat=True
        )
    )
    given = 0
    for code in codes:
        if code not in known:
            households = round(rng.lognormvariate(7.3, 0.8))  # median e^7.3 ≈ 1,500
            VillageProfile.objects.update_or_create(
                village_id=code, defaults={"households": households}
            )
            given += 1
    return given


def main() -> None:
    vendor = setup_django()
    from django.db.models import Count
    from django.utils import timezone

    from sambang.organization.models import Unit, UnitLevel
    from sambang.personnel.models import Officer, User
    from sambang.planning.selectors import planning_area
    from sambang.planning.services import PlanSettings, recommendation_make
    from sambang.planning.week import next_monday, week_suggest
    from sambang.planning.workload import village_figures

    ensure_country()
    rng = random.Random(SEED)
    user = User.objects.filter(role="national").first()
    polseks = list(
        Unit.objects.filter(level=UnitLevel.POLSEK)
        .annotate(villages=Count("jurisdiction"))
        .filter(villages__gt=0)
        .order_by("code")
    )
    polres_all = list(
        Unit.objects.filter(level=UnitLevel.POLRES).annotate(polseks=Count("children"))
    )
    polres_sized = [u for u in polres_all if 15 <= u.polseks <= 25] or polres_all

    def villages_of(unit: Unit) -> int:
        return len(planning_area(unit).villages)

    polres = min(polres_sized, key=lambda u: (abs(villages_of(u) - 300), u.code))
    drawn = [rng.choice(polseks) for _ in range(SAMPLES)]
    given = give_households([polres, *drawn], rng)

    def read(unit: Unit) -> None:
        area = planning_area(unit)
        village_figures(area.villages.values(), timezone.localdate())

    read(drawn[0])  # warm up
    baseline = []
    for unit in drawn:
        with stopwatch() as took:
            read(unit)
        baseline.append(took())
    base = percentiles_ms(baseline)
    figures = {
        "villages given households here": f"{given:,}",
        "baseline: reading a Polsek": f"p50 {base['p50']:.0f} ms, p95 {base['p95']:.0f} ms",
    }
    seconds, gaps, statuses = [], [], []
    for unit in drawn:
        with stopwatch() as took:
            made = recommendation_make(user=user, unit=unit, plan=PlanSettings(time_limit=10))
        seconds.append(took())
        gaps.append(made.result["solver"]["gap"] or 0.0)
        statuses.append(made.result["solver"]["status"])
    cuts = percentiles_ms(seconds)
    figures["Polsek recommendation"] = (
        f"p50 {cuts['p50']:.0f} ms, p95 {cuts['p95']:.0f} ms, max {max(seconds) * 1000:.0f} ms"
        f"  ({cuts['p50'] / base['p50']:.0f}× baseline p50)"
    )
    figures["Polsek solver status"] = (
        f"{statuses.count('optimal')} optimal of {len(statuses)}; largest gap {max(gaps):.2%}"
    )
    with stopwatch() as took:
        read(polres)
    figures["baseline: reading the Polres"] = f"{took() * 1000:.0f} ms"
    for label, cover_all in (
        ("Polres, the villages with an officer today", False),
        ("Polres, every village", True),
    ):
        plan = PlanSettings(time_limit=TIME_LIMIT, moves=MOVES, cover_all=cover_all)
        with stopwatch() as took:
            made = recommendation_make(user=user, unit=polres, plan=plan)
        result, solver = made.result, made.result["solver"]
        before, after = result["before"], result["after"]
        figures[label] = (
            f"{took():.1f} s: {polres.name}, {polres.polseks} Polseks, "  # type: ignore[attr-defined]
            f"{before['villages']} villages, {before['officers']} officers; solver "
            f"{solver['status']}, gap {solver['gap'] or 0:.2%}, {solver['seconds']:.1f} s "
            f"of {TIME_LIMIT} s"
        )
        figures[f"{label}, max ÷ mean"] = (
            f"{before['max_over_mean']} → {after['max_over_mean']} "
            f"(imbalance cut {cut(before['max_over_mean'], after['max_over_mean'], 1.0)})"
        )
        figures[f"{label}, Gini"] = (
            f"{before['gini']} → {after['gini']} (cut {cut(before['gini'], after['gini'])})"
        )
        held = sum(1 for v in result["villages"] if v["before"])
        figures[f"{label}, changes"] = (
            f"{result['changed']} of {held} villages with an officer change "
            f"({result['changed'] / max(held, 1):.0%}); {MOVES} moves allowed, "
            f"{sum(1 for o in result['officers'] if o.get('moves_to'))} made; covered "
            f"{before['covered']} → {after['covered']} of {before['villages']}"
        )
    # An officer's week, for officers of the drawn Polseks who cover villages.
    officers = list(
        Officer.objects.filter(
            unit__in=drawn, status="active", assignments__end_date__isnull=True
        ).distinct()
    )
    monday = next_monday(timezone.localdate())
    weeks, stops = [], []
    for officer in rng.sample(officers, min(SAMPLES, len(officers))):
        with stopwatch() as took:
            suggestion = week_suggest(officer=officer, start=monday)
        weeks.append(took())
        stops.append(sum(len(day) for day in suggestion.days) + len(suggestion.left_out))
    if weeks:
        week_cuts = (
            percentiles_ms(weeks)
            if len(weeks) > 1
            else {"p50": weeks[0] * 1000, "p95": weeks[0] * 1000}
        )
        figures["officer's week"] = (
            f"p50 {week_cuts['p50']:.0f} ms, p95 {week_cuts['p95']:.0f} ms, max "
            f"{max(weeks) * 1000:.0f} ms ({len(weeks)} officers, {statistics.median(stops):.0f} "
            "plan items each, routing time limit "
            f"{os.environ['SAMBANG_WEEK_ROUTE_SECONDS']} s)"
        )
    figures["Polsek villages (median)"] = str(
        statistics.median(u.villages for u in drawn)  # type: ignore[attr-defined]
    )
    report("Assignment recommendations", vendor, figures)


if __name__ == "__main__":
    main()
