"""Point-in-village lookup for a GPS fix, with the whole country loaded.

Two kinds of fix: inside Kabupaten Bekasi, whose village outlines are imported
(answered by boundary), and anywhere near a village centroid in the country
(answered by nearest centroid: most villages have no outline). Baseline: fetching
one village by its primary key — the cheapest query a request can make.
"""

from __future__ import annotations

import random
import sys

from common import SHARED_DATA, percentiles_ms, report, setup_django, stopwatch

SAMPLES = 2_000
SEED = 20261123


def timed(fn, args_list) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for args in args_list:
        with stopwatch() as took:
            fn(*args)
        samples.append(took())
    return samples


def describe(samples: list[float], baseline_p50: float) -> str:
    cuts = percentiles_ms(samples)
    return (
        f"p50 {cuts['p50']:.2f} ms, p95 {cuts['p95']:.2f} ms, p99 {cuts['p99']:.2f} ms"
        f"  ({cuts['p50'] / baseline_p50:.1f}× baseline p50)"
    )


def main() -> None:
    vendor = setup_django()
    from sambang.territory import services
    from sambang.territory.models import Region, RegionLevel
    from sambang.territory.selectors import locate_village

    outlines = SHARED_DATA / "boundaries" / "kab-bekasi-villages.geojson"
    if not outlines.exists():
        sys.exit(f"locate: {outlines} is absent; this benchmark needs the shared boundaries.")
    services.regions_load()
    services.boundaries_import(data=outlines.read_bytes())

    rng = random.Random(SEED)
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, centroid_lat__isnull=False).values_list(
            "code",
            "centroid_lat",
            "centroid_lng",
            "bbox_min_lng",
            "bbox_min_lat",
            "bbox_max_lng",
            "bbox_max_lat",
        )
    )
    outlined = [v[3:] for v in villages if v[3] is not None]
    # About 1 km of jitter around centroids across the country.
    national = [
        (lat + rng.uniform(-0.01, 0.01), lng + rng.uniform(-0.01, 0.01))
        for _, lat, lng, *_ in rng.sample(villages, SAMPLES)
    ]
    bekasi = []
    for west, south, east, north in rng.choices(outlined, k=SAMPLES):
        bekasi.append((rng.uniform(south, north), rng.uniform(west, east)))
    codes = [(code,) for code, *_ in rng.sample(villages, SAMPLES)]

    def by_key(code: str) -> None:
        Region.objects.only("code", "name").get(pk=code)

    # Warm up connections and caches before measuring.
    timed(by_key, codes[:100])
    timed(locate_village, national[:100])
    baseline = timed(by_key, codes)
    inside = timed(locate_village, bekasi)
    anywhere = timed(locate_village, national)
    found = sum(1 for lat, lng in national if locate_village(lat, lng) is not None)
    base_p50 = percentiles_ms(baseline)["p50"]
    report(
        "Point-in-village lookup",
        vendor,
        {
            "villages loaded": f"{len(villages):,} with centroids, {len(outlined)} with outlines",
            "baseline: village by key": describe(baseline, base_p50),
            "Bekasi fix (outlines)": describe(inside, base_p50),
            "national fix (centroids)": describe(anywhere, base_p50)
            + f"; {found / SAMPLES:.0%} found",
        },
    )


if __name__ == "__main__":
    main()
