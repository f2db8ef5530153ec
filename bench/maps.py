"""Map layers on generated data: a Polda's month as H3 hexagons (incident density) and as
Getis-Ord Gi* hot spots (three months, with the prediction accuracy index), and a
Polres's villages shaded by an indicator.

Uses the database in ``DATABASE_URL`` (a CI-sized country is generated when it holds no
units). Each layer is requested through the JSON API as the unit's supervisor, for
units drawn at random. Baseline: ``/healthz`` through the same client.
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

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "10"))
SEED = 20261123


def main() -> None:
    vendor = setup_django()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from sambang.fieldwork.models import ActivityReport
    from sambang.organization.models import Unit, UnitLevel
    from sambang.personnel.models import User
    from sambang.security.models import Incident

    setup_test_environment()
    ensure_country()
    month = measured_month("maps")
    rng = random.Random(SEED)

    def timed(client: Client, paths: list[str]) -> list[float]:
        return timed_requests(client, paths, "maps")

    figures = {
        "reports / incidents": f"{ActivityReport.objects.count():,} / {Incident.objects.count():,}",
        "month": f"{month:%Y-%m}",
    }
    client = Client()
    client.force_login(User.objects.get(username="mabes"))  # the national supervisor
    timed(client, ["/healthz"] * 20)
    baseline = percentiles_ms(timed(client, ["/healthz"] * max(SAMPLES, 20)))
    figures["baseline: /healthz"] = f"p50 {baseline['p50']:.1f} ms, p95 {baseline['p95']:.1f} ms"
    poldas = list(Unit.objects.filter(level=UnitLevel.POLDA).values_list("code", flat=True))
    polres = list(Unit.objects.filter(level=UnitLevel.POLRES).values_list("code", flat=True))
    cases = {
        "Polda H3 hexagons (heat)": [
            f"/api/v1/map/{rng.choice(poldas)}/{month:%Y-%m}/heat" for _ in range(SAMPLES)
        ],
        "Polda Gi* hot spots": [
            f"/api/v1/map/{rng.choice(poldas)}/{month:%Y-%m}/hotspots" for _ in range(SAMPLES)
        ],
        "Polres village layer": [
            f"/api/v1/map/{rng.choice(polres)}/{month:%Y-%m}/area" for _ in range(SAMPLES)
        ],
    }
    for name, paths in cases.items():
        timed(client, paths[:1])  # warm up
        cuts = percentiles_ms(timed(client, paths))
        figures[name] = (
            f"p50 {cuts['p50']:.0f} ms, p95 {cuts['p95']:.0f} ms, p99 {cuts['p99']:.0f} ms"
            f"  ({cuts['p50'] / baseline['p50']:.0f}× baseline p50)"
        )
    report("Map layers", vendor, figures)


if __name__ == "__main__":
    main()
