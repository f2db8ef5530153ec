"""Export: up to a million reports to CSV and to XLSX, time and peak memory.

Each format is written by the background job that the download page uses
(``export_job_run``: the national supervisor's scoped rows, streamed in chunks), each in
its own process so that peak memory is its own. Baseline: a process that reads the same
rows from the database and writes nothing. ``BENCH_EXPORT_ROWS`` sets the rows (default
1,000,000: the most recent ones, in whole days, so a few more); a database without units
first gets a CI-sized country.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import ensure_country, report, setup_django

HERE = Path(__file__).resolve().parent
ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "1000000"))


def child(mode: str, since: str) -> None:
    """Run one export (or the baseline read) and print its time and peak memory."""
    setup_django()
    from django.http import QueryDict

    from sambang.exports.models import ExportJob
    from sambang.exports.services import export_job_run
    from sambang.exports.tables import TABLES
    from sambang.personnel.models import User

    user = User.objects.get(username="mabes")
    query = f"from={since}"
    start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if mode == "read":
        rows = TABLES["reports"].rows(user, QueryDict(query))
        count = sum(1 for _ in rows.iterator(chunk_size=2000))
        size = 0
    else:
        job = ExportJob.objects.create(
            user=user, table="reports", params={"query": query}, fmt=mode
        )
        done = export_job_run(str(job.pk))
        assert done is not None, "the export job was not run"
        job = done
        count, size = job.total, job.file.size
        job.file.delete()
        job.delete()
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - start,
                "rows": count,
                "bytes": size,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "start_mb": start_rss / 1024,
            }
        )
    )


def main() -> None:
    vendor = setup_django()
    from sambang.fieldwork.models import ActivityReport

    ensure_country()
    recent = ActivityReport.objects.order_by("-occurred_at").values_list("occurred_at", flat=True)
    total = recent.count()
    cut = recent[min(ROWS, total) - 1]
    since = cut.date().isoformat()
    figures: dict[str, str] = {}
    runs = {}
    for mode in ("read", "csv", "xlsx"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", mode, since],
            capture_output=True,
            text=True,
            check=True,
        )
        runs[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    base = runs["read"]
    figures["rows"] = f"{base['rows']:,} reports (from {since})"
    for mode, label in (("read", "baseline: read only"), ("csv", "CSV"), ("xlsx", "XLSX")):
        run = runs[mode]
        figures[label] = (
            f"{run['seconds']:.1f} s ({run['rows'] / run['seconds']:,.0f} rows/s,"
            f" {run['seconds'] / base['seconds']:.1f}× baseline), peak memory"
            f" {run['peak_mb']:.0f} MB ({run['peak_mb'] - run['start_mb']:+.0f} MB while writing)"
            + (f", file {run['bytes'] / 1e6:.0f} MB" if run["bytes"] else "")
        )
    report("Export", vendor, figures)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
