"""The monthly Anev and the supervisors' dashboards at every level, on generated data.

Uses the database in ``DATABASE_URL``. When it holds no units, a CI-sized country is
generated first (one regency, one month); for the national figures, point it at a
database built by ``sambang generate --scale national`` (see BENCHMARKS.md).

For each level (national, Polda, Polres, Polsek) it requests, as that level's supervisor,
the Anev page of a unit and month, the same Anev as JSON, and the home dashboard, each
through Django's full request cycle (routing, session, access checks, queries, template);
and the national Anev once more, each time after a write that changes the staffing stamp
(its staffing figures counted again rather than reused).
Units are drawn at random among those of the level. Baseline: ``/healthz`` through the
same client — the cost of a request that reads nothing.
"""

from __future__ import annotations

import os
import random

from common import (
    ensure_country,
    measured_month,
    percentiles_ms,
    report,
    setup_django,
    timed_requests,
)

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "20"))
SEED = 20261123


def main() -> None:
    vendor = setup_django()
    from django.db.models import F
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sambang.fieldwork.models import ActivityReport
    from sambang.organization.models import Unit, UnitLevel
    from sambang.personnel.models import User

    setup_test_environment()
    ensure_country()
    reports = ActivityReport.objects.count()
    month = measured_month("anev")
    rng = random.Random(SEED)

    def timed(client: Client, paths: list[str]) -> list[float]:
        return timed_requests(client, paths, "anev")

    figures: dict[str, str] = {"reports in the database": f"{reports:,}", "month": f"{month:%Y-%m}"}
    baseline_p50 = None
    names = {UnitLevel.MABES: "national"}
    for level in (UnitLevel.MABES, UnitLevel.POLDA, UnitLevel.POLRES, UnitLevel.POLSEK):
        units = list(Unit.objects.filter(level=level).values_list("code", flat=True))
        picked = [rng.choice(units) for _ in range(SAMPLES)]
        client = Client()
        client.force_login(User.objects.get(username=picked[0].lower()))
        if baseline_p50 is None:
            timed(client, ["/healthz"] * 20)  # warm up
            baseline = percentiles_ms(timed(client, ["/healthz"] * SAMPLES))
            baseline_p50 = baseline["p50"]
            figures["baseline: /healthz"] = (
                f"p50 {baseline['p50']:.1f} ms, p95 {baseline['p95']:.1f} ms"
            )
        # A supervisor sees their own unit; the national one sees any, so it samples all.
        own = picked[0]
        pages = {
            "Anev page": [f"/anev/{own}/{month:%Y-%m}/"] * SAMPLES,
            "Anev JSON": [f"/api/v1/evaluations/{own}/{month:%Y-%m}"] * SAMPLES,
            "home dashboard": ["/"] * SAMPLES,
        }
        if level == UnitLevel.MABES:
            pages["Anev of any unit"] = [
                f"/anev/{code}/{month:%Y-%m}/"
                for code in rng.sample(
                    list(Unit.objects.values_list("code", flat=True)),
                    min(SAMPLES, Unit.objects.count()),
                )
            ]
        timed(client, pages["Anev page"][:2])  # warm up
        for name, paths in pages.items():
            cuts = percentiles_ms(timed(client, paths))
            figures[f"{names.get(level, level)} {name}"] = (
                f"p50 {cuts['p50']:.0f} ms, p95 {cuts['p95']:.0f} ms, p99 {cuts['p99']:.0f} ms"
                f"  ({cuts['p50'] / baseline_p50:.0f}× baseline p50)"
            )
        if level == UnitLevel.MABES:
            # The staffing figures are counted once per change of the tables they come from
            # (``organization.selectors.staffing_kept``): the first Anev after a change.
            samples = []
            for _ in range(max(SAMPLES // 4, 2)):
                Unit.objects.filter(code=own).update(name=F("name"))  # a write: a new stamp
                samples += timed(client, pages["Anev page"][:1])
            cuts = percentiles_ms(samples)
            figures["national Anev page, first after a staffing change"] = (
                f"p50 {cuts['p50']:.0f} ms, max {max(samples) * 1000:.0f} ms"
                f"  ({cuts['p50'] / baseline_p50:.0f}× baseline p50)"
            )
    report("Anev and dashboards", vendor, figures)


if __name__ == "__main__":
    main()
