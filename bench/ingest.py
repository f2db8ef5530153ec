"""Report ingest: accepting reports through the API and processing them in the worker,
against a bare insert.

Starts the production server (``sambang.config.server``) and the report worker
(``sambang process``) on the database in ``DATABASE_URL`` and drives the server from a
separate process (``bench/load.py``) with 1, 8 and 32 concurrent clients: officers filing
reports with their tokens. Baseline: the same row inserted through the same database driver
by as many clients, with nothing else done.

Each level is measured in two halves, so that each has its own CPU cost: the worker is
paused (SIGSTOP, between batches) while the clients file, then resumed until nothing waits.
CPU is read from ``/proc``: the server's processes, the worker's, and PostgreSQL's (its
live processes and the backends that ended meanwhile), divided by the reports accepted,
resp. processed. Then photos (a 12-megapixel phone JPEG after each report, 8 clients) the
same way, and the rates with the worker running beside the server, as in production: what
is acknowledged, what is processed meanwhile, and the p95.
Then checks that every accepted report is in the database exactly once and processed.

A database without units first gets a CI-sized country (one regency, one month); the
figures in BENCHMARKS.md are on a national one (``sambang generate --scale national``).
``BENCH_SECONDS`` sets each run's length (default 20), ``BENCH_CLIENTS`` the levels,
``BENCH_BESIDE_CLIENTS`` those with the worker beside (8,32), ``BENCH_PHOTO_SECONDS`` the
photo run's (default: as the others; 0 skips it), ``BENCH_WARM_UP_SECONDS`` the warm-up (3).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import (
    SERVER,
    ensure_country,
    free_port,
    report,
    server_shape,
    setup_django,
    wait_ready,
)
from load import BASELINE_MARK

HERE = Path(__file__).resolve().parent
SECONDS = os.environ.get("BENCH_SECONDS", "20")
PHOTO_SECONDS = os.environ.get("BENCH_PHOTO_SECONDS", SECONDS)
LEVELS = [int(n) for n in os.environ.get("BENCH_CLIENTS", "1,8,32").split(",")]
BESIDE = [int(n) for n in os.environ.get("BENCH_BESIDE_CLIENTS", "8,32").split(",")]
WARM_UP = os.environ.get("BENCH_WARM_UP_SECONDS", "3")
SECRET = "bench-" + "x" * 60
TICK = os.sysconf("SC_CLK_TCK")
DRAIN_TIMEOUT_S = 900


def officers_file(folder: str) -> str:
    from sambang.accounts.models import ApiToken
    from sambang.fieldwork.models import ActivityType
    from sambang.personnel.models import Assignment

    ensure_country()
    kind = ActivityType.objects.get(code="kegiatan-desa").pk
    officers = []
    # 64 officers spread over the country (every n-th), not neighbours of one Polsek: the
    # reports of one unit update the same rollup rows, and real load comes from everywhere.
    # Other officers each run (a random start): a run on the same database does not find
    # the last run's reports in their history (the worker reads an officer's reports).
    active = Assignment.objects.filter(
        end_date__isnull=True, officer__user__isnull=False, village__centroid_lat__isnull=False
    )
    ids = list(active.order_by("officer_id").values_list("pk", flat=True))
    step = max(len(ids) // 64, 1)
    picked = ids[random.randrange(step) :: step][:64]
    assignments = active.filter(pk__in=picked).select_related("officer__user", "village")
    for assignment in assignments:
        officer = assignment.officer
        _token, key = ApiToken.issue(officer.user, "bench ingest")
        officers.append(
            {
                "token": key,
                "officer_id": officer.pk,
                "unit_id": officer.unit_id,
                "village": assignment.village_id,
                "lat": assignment.village.centroid_lat,
                "lng": assignment.village.centroid_lng,
                "activity_type_id": kind,
            }
        )
    path = Path(folder) / "officers.json"
    path.write_text(json.dumps(officers))
    return str(path)


def phone_photo(folder: str) -> str:
    """A 12-megapixel JPEG (4032 × 3024) of about 3 MB, as a phone's camera writes one: a
    scene of soft shapes with sensor noise (a flat picture would decode unrealistically fast)."""
    from PIL import Image, ImageFilter

    rng = random.Random(12)
    small = Image.new("RGB", (48, 36))
    small.putdata([tuple(rng.randrange(256) for _ in range(3)) for _ in range(48 * 36)])  # type: ignore[misc]
    scene = small.resize((4032, 3024), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise((4032, 3024), 24).convert("RGB")
    picture = Image.blend(scene, noise, 0.12)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    path = Path(folder) / "phone.jpg"
    path.write_bytes(out.getvalue())
    return str(path)


# --- CPU from /proc -------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) "


def _seconds(pid: int, *, ended_children: bool = False) -> float:
    """CPU seconds of a process (all its threads); with ``ended_children``, also those of the
    children it has waited for (a backend or a worker that ended during the run)."""
    fields = _stat(pid)
    if not fields:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if ended_children:
        ticks += int(fields[13]) + int(fields[14])  # cutime, cstime
    return ticks / TICK


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def postmaster() -> int:
    """PostgreSQL's main process on this machine (the benchmark's database is local)."""
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if lines.get("Name", "").strip() == "postgres" and _comm(int(lines["PPid"])) != "postgres":
            return int(status.parent.name)
    sys.exit("ingest: PostgreSQL does not run on this machine: its CPU cannot be measured")


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def tree_seconds(root: int) -> float:
    """CPU seconds of a process, its live children and the children that ended."""
    return _seconds(root, ended_children=True) + sum(_seconds(c) for c in _children(root))


@contextmanager
def cpu(**roots: int) -> Iterator[Callable[[], dict[str, float]]]:
    """CPU seconds spent by each named process tree during the block."""
    before = {name: tree_seconds(pid) for name, pid in roots.items()}
    spent: dict[str, float] = {}
    yield lambda: spent
    spent.update({name: tree_seconds(pid) - before[name] for name, pid in roots.items()})


# --- runs ------------------------------------------------------------------------------


def describe(run: dict[str, Any]) -> str:
    return (
        f"{run['per_second']:>7} /s   p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms,"
        f" p99 {run['p99_ms']} ms"
    )


def errors(run: dict[str, Any]) -> str:
    failed = {code: n for code, n in run["statuses"].items() if code not in ("200", "201")}
    return f"{failed} e.g. {run['error']}" if failed else "0"


def load(
    mode: str, target: str, clients: int, officers: str, seconds: str = SECONDS, *extra: str
) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(HERE / "load.py"),
            mode,
            target,
            str(clients),
            seconds,
            officers,
            *extra,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def waiting() -> int:
    from django.db import connection

    from sambang.fieldwork.models import ActivityReport

    count = ActivityReport.objects.filter(pending=True).count()
    connection.close()
    return count


class Worker:
    """``sambang process``, paused while the clients file and resumed to drain."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "sambang"), "process", "--idle", "0.2"],
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def drain(self) -> tuple[int, float]:
        """Resume until no report waits; (how many waited, seconds it took). A paused worker
        waits between batches: nothing is held while it is stopped."""
        count = waiting()
        started = time.perf_counter()
        self.resume()
        deadline = time.monotonic() + DRAIN_TIMEOUT_S
        while waiting():
            if time.monotonic() > deadline or self.process.poll() is not None:
                sys.exit(f"ingest: the worker did not drain the backlog:\n{self.tail()}")
            time.sleep(0.1)
        return count, time.perf_counter() - started

    def tail(self) -> str:
        return Path(self.log.name).read_text()[-3000:]

    def stop(self) -> None:
        self.resume()
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def remove_baseline_rows() -> int:
    """The baseline's rows go before the worker sees them (they are marked waiting, as an
    accepted report is): later runs and benchmarks find the data as generated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM fieldwork_activityreport WHERE review_comment = %s", [BASELINE_MARK]
        )
        removed = cursor.rowcount
    connection.close()
    return removed


def per(seconds: float, count: int) -> str:
    return f"{1000 * seconds / max(count, 1):.1f} ms"


def parts(spent: dict[str, float], count: int) -> str:
    """CPU per item in all, and by process: "13.2 ms (server 10.5 ms, PostgreSQL 2.6 ms)"."""
    each = ", ".join(f"{name} {per(seconds, count)}" for name, seconds in spent.items())
    return f"{per(sum(spent.values()), count)} ({each})"


def main() -> None:
    vendor = setup_django()
    from django.db import connection

    from sambang.fieldwork.models import ActivityReport, ReportPhoto

    # SQLite runs inside the server's and the worker's processes: its CPU is theirs.
    database = {"PostgreSQL": postmaster()} if vendor == "postgresql" else {}
    database_url = os.environ["DATABASE_URL"]
    with tempfile.TemporaryDirectory(prefix="sambang-ingest-") as folder:
        officers = officers_file(folder)
        photo = phone_photo(folder)
        connection.close()
        port = free_port()
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "sambang.config.settings.production",
            "SECRET_KEY": SECRET,
            "SAMBANG_PLAIN_HTTP": "1",
            "SAMBANG_BIND": f"127.0.0.1:{port}",
            "SAMBANG_DATA_DIR": folder,
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "WARNING",
        }
        log = (Path(folder) / "server.log").open("w")
        server = subprocess.Popen(
            SERVER,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker = Worker(environment, Path(folder) / "worker.log")
        base = f"http://127.0.0.1:{port}"
        figures: dict[str, str] = {}
        accepted: list[str] = []
        removed = 0
        try:
            wait_ready("ingest", base, server, Path(log.name), timeout_s=60)
            # Every server process answers a few reports first (a new process loads the
            # word lists and compiles its templates on its first report), and the worker
            # processes them (its first batch loads its own): not measured.
            load("api", base, max(LEVELS), officers, WARM_UP)
            worker.drain()
            for clients in LEVELS:
                worker.pause()
                bare = load("sql", database_url, clients, officers)
                removed += remove_baseline_rows()
                with cpu(server=server.pid, **database) as spent:
                    api = load("api", base, clients, officers)
                accepted += api["uuids"]
                with cpu(worker=worker.process.pid, **database) as worked:
                    processed, took = worker.drain()
                slower = float(bare["per_second"]) / max(float(api["per_second"]), 0.1)
                share = 100 * float(api["per_second"]) / max(float(bare["per_second"]), 0.1)
                figures[f"{clients:>2} clients, bare insert"] = describe(bare)
                figures[f"{clients:>2} clients, accepted"] = (
                    f"{describe(api)}   ({share:.1f}% of bare, {slower:.0f}× slower;"
                    f" errors {errors(api)})"
                )
                n = len(api["uuids"])
                figures[f"{clients:>2} clients, CPU per accepted report"] = parts(spent(), n)
                figures[f"{clients:>2} clients, processed"] = (
                    f"{processed:,} in {took:.1f} s: {processed / max(took, 1e-9):.0f} /s;"
                    f" CPU per report {parts(worked(), processed)}"
                )
            if PHOTO_SECONDS != "0":
                photos_before = ReportPhoto.objects.count()
                worker.pause()
                with cpu(server=server.pid, **database) as spent:
                    run = load("photo", base, 8, officers, PHOTO_SECONDS, photo)
                accepted += run["uuids"]
                sent = ReportPhoto.objects.count() - photos_before
                connection.close()
                with cpu(worker=worker.process.pid, **database) as worked:
                    processed, took = worker.drain()
                size = Path(photo).stat().st_size / 1e6
                figures["photos: 12 MP JPEG, 8 clients"] = (
                    f"{sent:,} photos of {size:.1f} MB, each after its report;"
                    f" the photo's PUT: {describe(run)}; errors {errors(run)}"
                )
                figures["photos: CPU per report + photo, accepted"] = parts(spent(), sent)
                figures["photos: CPU per report + photo, processed"] = (
                    f"{parts(worked(), sent)}; {processed:,} reports in {took:.1f} s"
                )
            # As in production: the worker processes while the clients file.
            worker.resume()
            for clients in BESIDE:
                before = waiting()
                started = time.perf_counter()
                run = load("api", base, clients, officers)
                accepted += run["uuids"]
                after = waiting()
                done = len(run["uuids"]) - (after - before)
                _processed, drained = worker.drain()
                figures[f"{clients:>2} clients, worker beside: acknowledged"] = (
                    f"{describe(run)}; errors {errors(run)}"
                )
                figures[f"{clients:>2} clients, worker beside: processed meanwhile"] = (
                    f"{done / (time.perf_counter() - started - drained):.0f} /s"
                    f" ({done:,} of {len(run['uuids']):,}; the rest in {drained:.1f} s after)"
                )
        finally:
            worker.stop()
            server.terminate()
            server.wait(timeout=60)
            log.close()
        figures["baseline rows removed after each run"] = f"{removed:,}"
        found = ActivityReport.objects.filter(uuid__in=accepted)
        stored = set(str(u) for u in found.values_list("uuid", flat=True))
        unprocessed = found.filter(pending=True).count()
        figures["server"] = f"{server_shape()}; one worker"
        figures["accepted by the API"] = (
            f"{len(accepted):,}; in the database once each: {len(stored) == len(accepted)};"
            f" not processed: {unprocessed}"
        )
        report("Report ingest", vendor, figures)
        if len(stored) != len(accepted) or unprocessed:
            sys.exit(
                f"ingest: {len(accepted) - len(stored)} accepted reports are missing,"
                f" {unprocessed} not processed"
            )


if __name__ == "__main__":
    main()
