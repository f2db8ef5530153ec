"""Soak: the production server and the report worker under a sustained mix of work for
minutes; memory must stay flat, nothing may fail, every record sent must be in the database
exactly once, and the worker must have processed every report once the load stops.

    python bench/soak.py --minutes 10
    python bench/run.py soak                       # a minute (BENCH_SECONDS), both databases
    python bench/soak.py --seconds 40 --outage-at 14 --outage-seconds 8   # a database restart
    python bench/soak.py --seconds 40 --kill-at 15   # kill -9 server and worker, start again
    python bench/soak.py --minutes 5 --photo-share 0.5 --photo-size 4032x3024  # 12 MP photos

Starts the production server (``sambang/config/server.py``) and settings on the
database of ``--database`` (default ``DATABASE_URL``, else ``sambang_soak`` on the local
PostgreSQL), filled with a CI-sized generated country when it has none, beside it the report
worker (``sambang process``, same settings), and drives the server from a separate process
(``bench/load.py mix``, see ``bench/mix.py``): officers filing reports and, after a share of
them (``--photo-share``), a photo (640×480, or ``--photo-size``), supervisors reading
dashboards, residents filing public reports. Every few seconds it adds up the resident
memory (RSS) of the server's main process and workers, and counts this run's reports waiting for
the worker (the backlog; a count by the partial index ``report_pending``).

The request only stores a report; the worker processes it (``fieldwork/processing.py``).
When the load stops, the soak waits (``--drain-timeout``) until none of this run's reports
waits and none of its photos is left as received, and reports the reports acknowledged and
processed per second (processed: this run's reports over the time from the start until its
backlog was empty again), the largest backlog seen and how long the worker took to catch up.

Memory is *flat* when the mean of the last window (the last minute, or the last quarter of
a shorter run) is at most 10% above the mean of the window just after the warm-up (the
first minute, or quarter, is warm-up: each worker imports, compiles templates and fills its
caches on its first requests of each kind).

With ``--outage-at``, the database refuses connections and loses the ones it has for
``--outage-seconds`` (what clients see during a restart; the shared server itself keeps
running): requests in that window must be answered 503 with ``Retry-After`` within the
client's timeout, never 500; the clients send the same records again and, afterwards,
each is in the database exactly once.

With ``--kill-at``, the server's main process, its workers and the report worker are killed at
once with SIGKILL (a power cut, the kernel's OOM killer), and started again at once.
Clients meet refused and reset connections until the new server answers (and a few seconds
more): those are counted, not failures, and the clients send the same records again (same
UUID), as a phone would. Afterwards each acknowledged record is in the database exactly
once, and every report of the run is processed. The memory series starts again with the new
server: flatness is measured from the restart on (the series before the kill is not checked).

PostgreSQL only: on SQLite (``bench/run.py`` runs every benchmark on both) it says so and
exits. ``--fresh`` drops and creates the database first and drops it at the end.
``--json FILE`` writes every figure for a test to read. Exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common import SERVER, free_port, wait_ready

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sambang_soak"
GROWTH_ALLOWED = 0.10  # memory: the last window's mean at most 10% above the early one's
RECOVERY_S = 20  # 503s this long after an outage are still the outage's
# Connections refused or reset this long after the server is back from a kill are still the
# kill's (a client waits a second before sending again).
KILL_RECOVERY_S = 5
BACKLOG_EVERY_S = 2.0
# Every request must be answered within the client's timeout (the driver's, 30 s): on a
# shared machine a request may wait seconds for the CPU or the disk, but never hang.
CLIENT_TIMEOUT_S = 30
# A 503 must come quickly: a refused connection fails at once, a silent server within the
# connect timeout (3 s here).
UNAVAILABLE_WITHIN_S = 10
PASSWORD = "soak-" + secrets.token_hex(8)
BENCH_SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))


def admin_url(database_url: str) -> str:
    return urlsplit(database_url)._replace(path="/postgres").geturl()


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def recreate(database_url: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(database_name(database_url))
    with psycopg.connect(admin_url(database_url), autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if not drop_only:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def server_environment(database_url: str, folder: Path, workers: int | None) -> dict[str, str]:
    """The production settings, on loopback, for this run's database and folder."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "CACHE_URL", "LOG_FORMAT", "STATIC_ROOT", "MEDIA_ROOT")
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="sambang.config.settings.production",
        SECRET_KEY="soak-" + "s" * 60,
        SAMBANG_PLAIN_HTTP="1",
        SAMBANG_DATA_DIR=str(folder),
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        # Residents report from addresses of their own, given by the (one) proxy's header.
        SAMBANG_TRUSTED_PROXIES="1",
        # Supervisors sign in with a password only: the second factor is tested elsewhere,
        # and a load driver holding TOTP secrets would test nothing more.
        SAMBANG_TWO_FACTOR_ROLES="none",
        # A restart must answer quickly: refused connections fail at once, and a server
        # that does not answer at all fails within this.
        DATABASE_CONNECT_TIMEOUT="3",
    )
    if workers:
        environment["WEB_CONCURRENCY"] = str(workers)
    return environment


def pixels(text: str) -> tuple[int, int]:
    """``WxH`` (``4032x3024``) as (width, height)."""
    width, _, height = text.lower().partition("x")
    try:
        return int(width), int(height)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: width x height, e.g. 4032x3024") from None


def prepare(
    folder: Path, officers: int, supervisors: int, photo_size: tuple[int, int]
) -> dict[str, Any]:
    """Migrate, generate a country when the database has none, give the actors a password,
    collect the static files, make the photos; returns the actors for the load driver."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    from common import ensure_country, measured_month
    from django.contrib.auth.hashers import make_password

    from sambang.organization.models import Unit, UnitLevel
    from sambang.personnel.models import Assignment, User
    from sambang.testing.fieldwork import photo_bytes

    ensure_country()
    month = measured_month("soak")
    active = Assignment.objects.filter(
        end_date__isnull=True, officer__user__isnull=False, village__centroid_lat__isnull=False
    ).select_related("officer__user", "village")
    chosen = list(active.order_by("officer_id")[:officers])
    supervising = []
    for level in (UnitLevel.POLSEK, UnitLevel.POLRES, UnitLevel.POLDA):
        for unit in Unit.objects.filter(level=level).order_by("code"):
            if User.objects.filter(username=unit.code.lower()).exists():
                supervising.append(unit)
                break
    supervising = (supervising * supervisors)[:supervisors]
    hashed = make_password(PASSWORD)
    usernames = [a.officer.user.username for a in chosen] + [u.code.lower() for u in supervising]
    User.objects.filter(username__in=usernames).update(password=hashed)
    villages = sorted(set(active.values_list("village_id", flat=True)))
    photos = []
    for seed in range(8):
        path = folder / f"photo-{seed}.jpg"
        path.write_bytes(photo_bytes(seed, size=photo_size))
        photos.append(str(path))
    return {
        "run_mark": f"soak-{secrets.token_hex(4)}",
        "officers": [
            {
                "username": a.officer.user.username,
                "password": PASSWORD,
                "village": a.village_id,
                "lat": a.village.centroid_lat,
                "lng": a.village.centroid_lng,
            }
            for a in chosen
        ],
        "supervisors": [
            {
                "username": u.code.lower(),
                "password": PASSWORD,
                "unit": u.code,
                "month": f"{month:%Y-%m}",
            }
            for u in supervising
        ],
        "residents": 0,
        "villages": villages[:50],
        "photos": photos,
    }


def processes_of(master: int) -> list[int]:
    """The server's main process and its workers."""
    pids = [master]
    for task in Path(f"/proc/{master}/task").glob("*"):
        children = task / "children"
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler(threading.Thread):
    def __init__(self, master: int, every_s: float) -> None:
        super().__init__(name="memory", daemon=True)
        self.master, self.every_s = master, every_s
        self.samples: list[tuple[float, float, int]] = []  # (monotonic, MB, processes)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            pids = processes_of(self.master)
            self.samples.append((time.monotonic(), sum(rss_mb(p) for p in pids), len(pids)))
            self.stopped.wait(self.every_s)


class Stack:
    """The server (its main process and workers, in a process group of their own) and the
    report worker (``sambang process``), in production's settings; their output is logged to
    ``server.log`` and ``worker.log`` in ``folder``, across restarts."""

    def __init__(self, environment: dict[str, str], port: int, folder: Path) -> None:
        self.environment, self.port = environment, port
        self.base = f"http://127.0.0.1:{port}"
        self.server_log, self.worker_log = folder / "server.log", folder / "worker.log"
        self.start()

    def start(self) -> None:
        with self.server_log.open("a") as log:
            self.server = subprocess.Popen(
                SERVER,
                env={**self.environment, "SAMBANG_BIND": f"127.0.0.1:{self.port}"},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        with self.worker_log.open("a") as log:
            self.worker = subprocess.Popen(
                [str(BIN / "sambang"), "process"],
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self) -> None:
        wait_ready("soak", self.base, self.server, self.server_log)

    def kill(self) -> int:
        """SIGKILL to the server's main process, its workers and the report worker at once (the
        group: a worker being forked is not missed); returns how many processes died."""
        killed = len(processes_of(self.server.pid)) + 1
        os.killpg(self.server.pid, signal.SIGKILL)
        self.worker.kill()
        self.server.wait()
        self.worker.wait()
        return killed

    def stop(self) -> None:
        for process in (self.server, self.worker):
            process.terminate()
        for process in (self.server, self.worker):
            process.wait(timeout=60)


def waiting(first_id: int) -> int:
    """This run's reports (those after ``first_id``) waiting for the worker: a count by the
    partial index on pending reports, cheap however large the table."""
    from sambang.fieldwork.models import ActivityReport

    return ActivityReport.objects.filter(pending=True, pk__gt=first_id).count()


class BacklogSampler(threading.Thread):
    """This run's reports waiting for the worker, counted every few seconds (none counted
    while the database is away)."""

    def __init__(self, first_id: int, every_s: float) -> None:
        super().__init__(name="backlog", daemon=True)
        self.first_id, self.every_s = first_id, every_s
        self.samples: list[tuple[float, int]] = []  # (monotonic, reports waiting)
        self.stopped = threading.Event()

    def run(self) -> None:
        from django.db import DatabaseError, connection

        while not self.stopped.is_set():
            try:
                self.samples.append((time.monotonic(), waiting(self.first_id)))
            except DatabaseError:  # an outage: connect again next time
                connection.close()
            self.stopped.wait(self.every_s)
        connection.close()


def drain(first_id: int, worker: subprocess.Popen[Any], timeout_s: float) -> float | None:
    """Wait until none of this run's reports waits for the worker and none of its photos is
    left as received; returns when that was seen (``time.monotonic()``), None when the
    worker died or did not catch up within ``timeout_s``."""
    from sambang.fieldwork.models import PhotoState, ReportPhoto

    received = ReportPhoto.objects.filter(report_id__gt=first_id, state=PhotoState.RECEIVED)
    give_up_at = time.monotonic() + timeout_s
    while worker.poll() is None:
        now = time.monotonic()
        if not waiting(first_id) and not received.exists():
            return now
        if now > give_up_at:
            return None
        time.sleep(0.5)
    return None


def memory_figures(
    samples: list[tuple[float, float, int]], started: float, ended: float
) -> dict[str, Any]:
    window = min(60.0, (ended - started) / 4)
    during = [(t, mb) for t, mb, _ in samples if started <= t <= ended]
    early = [mb for t, mb in during if started + window <= t < started + 2 * window]
    late = [mb for t, mb in during if t >= ended - window]
    if not early or not late:
        return {"flat": False, "reason": "too few samples", "samples": len(during)}
    early_mean, late_mean = statistics.fmean(early), statistics.fmean(late)
    return {
        "window_s": round(window, 1),
        "start_mb": round(during[0][1], 1),
        "after_warm_up_mb": round(early_mean, 1),
        "end_mb": round(late_mean, 1),
        "peak_mb": round(max(mb for _, mb in during), 1),
        "growth": round(late_mean / early_mean - 1, 4),
        "flat": late_mean <= early_mean * (1 + GROWTH_ALLOWED),
        "processes": max(n for _, _, n in samples),
        "samples": len(during),
    }


def cut(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def latency_figures(rows: list[list[Any]]) -> dict[str, dict[str, Any]]:
    kinds: dict[str, dict[str, Any]] = {}
    for kind in sorted({row[0] for row in rows}):
        mine = [row for row in rows if row[0] == kind]
        answered = [row[2] for row in mine if row[1] in (200, 201, 302)]
        statuses: dict[str, int] = {}
        for row in mine:
            statuses[str(row[1])] = statuses.get(str(row[1]), 0) + 1
        kinds[kind] = {
            "requests": len(mine),
            "statuses": statuses,
            "p50_ms": round(cut(answered, 0.50) * 1000, 1),
            "p95_ms": round(cut(answered, 0.95) * 1000, 1),
            "p99_ms": round(cut(answered, 0.99) * 1000, 1),
            "max_ms": round(max(row[2] for row in mine) * 1000, 1),
        }
    return kinds


def records_figures(load: dict[str, Any]) -> dict[str, Any]:
    """Each acknowledged record in the database once; nothing sent there twice; the reports
    processed (``pending``: how many still wait) and the photos decoded (``states``: how many
    ready, unreadable, still received)."""
    from sambang.fieldwork.models import ActivityReport, ReportPhoto
    from sambang.public.models import CitizenReport

    def stored(model: Any, uuids: list[str], field: str) -> list[tuple[str, Any]]:
        """(uuid, ``field``) of the rows of these UUIDs."""
        found: list[tuple[str, Any]] = []
        for start in range(0, len(uuids), 500):
            chunk = uuids[start : start + 500]
            rows = model.objects.filter(uuid__in=chunk).values_list("uuid", field)
            found += [(str(u), value) for u, value in rows]
        return found

    figures: dict[str, Any] = {}
    for name, model, field in (
        ("reports", ActivityReport, "pending"),
        ("photos", ReportPhoto, "state"),
    ):
        acknowledged = set(load["acknowledged"][name])
        attempted = set(load["attempted"][name])
        values = stored(model, sorted(attempted), field)
        found = [u for u, _ in values]
        figures[name] = {
            "attempted": len(attempted),
            "acknowledged": len(acknowledged),
            "found": len(found),
            "duplicates": len(found) - len(set(found)),
            "missing": sorted(acknowledged - set(found))[:20],
            "unacknowledged_but_stored": len(set(found) - acknowledged),
        }
        if name == "reports":
            figures[name]["pending"] = sum(1 for _, pending in values if pending)
        else:
            figures[name]["states"] = dict(Counter(state for _, state in values))
    codes = load["acknowledged"]["public"]
    rows = list(
        CitizenReport.objects.filter(description__contains=load["run_mark"]).values_list(
            "tracking_code", flat=True
        )
    )
    figures["public"] = {
        "acknowledged": len(codes),
        "found": len(rows),
        "duplicates": len(rows) - len(set(codes) & set(rows)),
        "missing": sorted(set(codes) - set(rows))[:20],
    }
    return figures


def processing_figures(
    load: dict[str, Any],
    backlog: list[tuple[float, int]],
    first_id: int,
    waiting_before: int,
    drained_at: float | None,
    worker_exit: int | None,
) -> dict[str, Any]:
    """The worker's pace against the server's: reports acknowledged per second of load,
    this run's reports processed per second from the start until none waited (the drain
    included), the largest backlog seen, how long it took to catch up after the load; and
    the reports that already waited before the run (an earlier run's, not in these figures)."""
    from sambang.fieldwork.models import ActivityReport

    started, ended = load["started"], load["ended"]
    reports = ActivityReport.objects.filter(pk__gt=first_id).count()
    return {
        "acknowledged_per_s": round(len(load["acknowledged"]["reports"]) / (ended - started), 2),
        "reports": reports,
        "processed_per_s": (
            round(reports / (drained_at - started), 2) if drained_at is not None else None
        ),
        "max_backlog": max((n for _, n in backlog), default=0),
        "backlog_samples": len(backlog),
        "drained": drained_at is not None,
        "drain_s": round(max(drained_at - ended, 0.0), 1) if drained_at is not None else None,
        "still_waiting": waiting(first_id),
        "waiting_at_start": waiting_before,
        "worker_exit": worker_exit,  # None: it was still running when the soak stopped it
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float)
    length.add_argument("--seconds", type=float)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DATABASE))
    parser.add_argument("--fresh", action="store_true", help="drop and create it (PostgreSQL)")
    parser.add_argument("--officers", type=int, default=8)
    parser.add_argument("--supervisors", type=int, default=3)
    parser.add_argument("--residents", type=int, default=2)
    parser.add_argument("--workers", type=int, help="server processes (default: one per core)")
    parser.add_argument(
        "--photo-share", type=float, default=0.25, help="share of reports followed by a photo"
    )
    parser.add_argument(
        "--photo-size",
        type=pixels,
        default=(640, 480),
        metavar="WxH",
        help="the photos' size (4032x3024: a 12 MP phone's)",
    )
    parser.add_argument("--outage-at", type=float, help="seconds into the run")
    parser.add_argument("--outage-seconds", type=float, default=8)
    parser.add_argument(
        "--kill-at",
        type=float,
        help="seconds into the run: kill -9 the server and the worker, start them again",
    )
    parser.add_argument(
        "--drain-timeout",
        type=float,
        default=300,
        help="seconds the worker may take to catch up once the load stops",
    )
    parser.add_argument("--memory-every", type=float, default=2.0, help="seconds")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    # Under bench/run.py (make bench): BENCH_SECONDS, a minute by default.
    seconds = args.seconds or (args.minutes * 60 if args.minutes else BENCH_SECONDS)
    postgres = args.database.startswith("postgres")
    if not postgres:  # bench/run.py runs every benchmark on SQLite too
        print("soak: PostgreSQL only (the production stack); skipped on SQLite.")
        return 0
    if args.fresh and postgres:
        recreate(args.database)

    with tempfile.TemporaryDirectory(prefix="sambang-soak-") as tmp:
        folder = Path(tmp)
        environment = server_environment(args.database, folder, args.workers)
        os.environ.update(environment)
        sys.path.insert(0, str(HERE))
        actors = prepare(folder, args.officers, args.supervisors, args.photo_size)
        actors["residents"] = args.residents
        actors["photo_share"] = args.photo_share
        (folder / "actors.json").write_text(json.dumps(actors))
        from django.db import connection
        from django.db.models import Max

        from sambang.fieldwork.models import ActivityReport

        # This run's reports are those after the last one now (the worker may also meet
        # reports an earlier run left waiting: counted here, not in this run's figures).
        first_id = ActivityReport.objects.aggregate(last=Max("pk"))["last"] or 0
        waiting_before = ActivityReport.objects.filter(pending=True).count()
        connection.close()
        stack = Stack(environment, free_port(), folder)
        memory_sampler = MemorySampler(stack.server.pid, args.memory_every)
        backlog = BacklogSampler(first_id, BACKLOG_EVERY_S)
        outage_marks: dict[str, float | int] = {}
        kill_marks: dict[str, float | int] = {}
        try:
            stack.wait_ready()
            memory_sampler.start()
            backlog.start()
            driver = subprocess.Popen(
                [
                    sys.executable,
                    str(HERE / "load.py"),
                    "mix",
                    stack.base,
                    str(seconds),
                    str(folder / "actors.json"),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=HERE,
            )
            assert driver.stderr is not None
            signed_in = driver.stderr.readline()  # the clients have signed in: the run starts
            if args.outage_at is not None and signed_in.startswith("READY"):
                from sambang.testing.outage import outage_in_background

                _, outage_marks = outage_in_background(
                    admin_url(args.database),
                    database_name(args.database),
                    after_s=args.outage_at,
                    lasting_s=args.outage_seconds,
                )
            if args.kill_at is not None and signed_in.startswith("READY"):
                time.sleep(args.kill_at)
                kill_marks["at"] = time.monotonic()
                kill_marks["processes"] = stack.kill()
                stack.start()
                memory_sampler.master = stack.server.pid
                stack.wait_ready()
                kill_marks["back"] = time.monotonic()
            out, err = driver.communicate(timeout=seconds + 300)
            if driver.returncode != 0:
                sys.exit(f"soak: the load driver failed:\n{err[-3000:]}")
            load = json.loads(out)
            drained_at = drain(first_id, stack.worker, args.drain_timeout)
            worker_exit = stack.worker.poll()
        finally:
            memory_sampler.stopped.set()
            backlog.stopped.set()
            stack.stop()
            backlog.join(timeout=30)
        records = records_figures(load)
        processing = processing_figures(
            load, backlog.samples, first_id, waiting_before, drained_at, worker_exit
        )
        connection.close()
        server_log = stack.server_log.read_text()
        worker_log = stack.worker_log.read_text()

    rows = load["requests"]
    started, ended = load["started"], load["ended"]
    outage: dict[str, Any] = {}
    window = (0.0, 0.0)
    if "started" in outage_marks:
        window = (
            float(outage_marks["started"]),
            float(outage_marks.get("ended", ended)) + RECOVERY_S,
        )
        in_outage = [row for row in rows if window[0] <= row[3] <= window[1]]
        unavailable = [row for row in in_outage if row[1] == 503]
        outage = {
            "seconds": round(float(outage_marks.get("ended", ended)) - window[0], 1),
            "into_run_s": round(window[0] - started, 1),
            "connections_ended": outage_marks.get("connections_ended"),
            "requests": len(in_outage),
            "unavailable": len(unavailable),
            "without_retry_after": sum(not row[4] for row in unavailable),
            "slowest_ms": round(max((row[2] for row in in_outage), default=0) * 1000, 1),
            "slowest_503_ms": round(max((row[2] for row in unavailable), default=0) * 1000, 1),
        }
    kill_window = (0.0, 0.0)
    if kill_marks:
        kill_window = (float(kill_marks["at"]), float(kill_marks["back"]) + KILL_RECOVERY_S)

    def killed(row: list[Any]) -> bool:
        """A connection refused or reset by the kill and the restart."""
        return row[5] in ("refused", "reset") and kill_window[0] <= row[3] <= kill_window[1]

    def expected(row: list[Any]) -> bool:
        if row[1] in (200, 201) or (row[1] == 302 and row[0] == "sign-in"):
            return True
        if row[1] == 599:
            return killed(row)
        return row[1] == 503 and window[0] <= row[3] <= window[1]

    unexpected: dict[str, int] = {}
    for row in rows:
        if not expected(row):
            key = f"{row[0]} {row[1]}"
            unexpected[key] = unexpected.get(key, 0) + 1
    lost = [row for row in rows if row[1] == 599]
    kill: dict[str, Any] = {}
    if kill_marks:
        kill = {
            "into_run_s": round(kill_window[0] - started, 1),
            "processes_killed": kill_marks["processes"],
            "back_in_s": round(float(kill_marks["back"]) - kill_window[0], 1),
            "connections_lost": sum(killed(row) for row in lost),
        }
    # After a kill the memory series is the new server's: its windows start again with it.
    memory_from = float(kill_marks["back"]) if kill_marks else started
    memory = memory_figures(memory_sampler.samples, memory_from, ended)
    memory["measured_from"] = "restart" if kill_marks else "start"
    measured = [row for row in rows if row[0] != "sign-in"]
    result = {
        "machine": f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}",
        "database": "PostgreSQL",
        "seconds": round(ended - started, 1),
        "clients": {
            "officers": len(actors["officers"]),
            "supervisors": len(actors["supervisors"]),
            "residents": actors["residents"],
        },
        "photos": {"share": args.photo_share, "size": "x".join(map(str, args.photo_size))},
        "requests": len(measured),
        "per_second": round(len(measured) / max(ended - started, 1e-6), 1),
        "by_kind": latency_figures(measured),
        "statuses_unexpected": unexpected,
        "error_samples": load["error_samples"],
        "client_failures": load["client_failures"],
        "stale_connections_resent": load["stale_connections_resent"],
        "connections_lost": dict(Counter(row[5] for row in lost)),
        "max_latency_s": round(max((row[2] for row in rows), default=0), 2),
        "memory": memory,
        "outage": outage,
        "kill": kill,
        "processing": processing,
        "records": records,
        "server_errors_logged": server_log.count('"level": "ERROR"'),
        "server_log_problems": problems_logged(server_log),
        "worker_errors_logged": worker_log.count('"level": "ERROR"'),
        "worker_log_problems": problems_logged(worker_log),
    }
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    print_figures(result)
    if args.fresh and postgres:
        recreate(args.database, drop_only=True)
    failed = checks(result, outage_expected=args.outage_at is not None)
    for problem in failed:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if failed else 0


def problems_logged(log: str) -> list[str]:
    """The last errors and warnings of a JSON log (an error's traceback kept whole)."""
    return [
        line[:600] if '"level": "WARNING"' in line else line[-2500:]
        for line in log.splitlines()
        if '"level": "ERROR"' in line or '"level": "WARNING"' in line
    ][-20:]


def checks(result: dict[str, Any], *, outage_expected: bool) -> list[str]:
    problems = []
    if result["statuses_unexpected"]:
        problems.append(
            f"unexpected answers {result['statuses_unexpected']} (connections lost: "
            f"{result['connections_lost']}): {result['error_samples']}"
        )
    if result["client_failures"]:
        problems.append(f"clients failed: {result['client_failures']}")
    if not result["memory"]["flat"]:
        problems.append(f"memory not flat: {result['memory']}")
    if result["max_latency_s"] >= CLIENT_TIMEOUT_S:
        problems.append(f"a request took {result['max_latency_s']} s")
    for name, figures in result["records"].items():
        if figures["missing"] or figures["duplicates"]:
            problems.append(f"{name}: {figures}")
    processing = result["processing"]
    if processing["worker_exit"] is not None:
        problems.append(
            f"the worker stopped (exit {processing['worker_exit']}): "
            f"{result['worker_log_problems'][-3:]}"
        )
    elif not processing["drained"]:
        problems.append(f"the worker did not catch up: {processing}")
    if result["records"]["reports"]["pending"]:
        problems.append(f"reports left waiting: {result['records']['reports']}")
    states = result["records"]["photos"]["states"]
    if states.get("received"):
        problems.append(f"photos left undecoded: {states}")
    if states.get("unreadable"):  # the soak's photos are all readable: a file was lost
        problems.append(f"photos found unreadable: {states}")
    if outage_expected:
        outage = result["outage"]
        if not outage.get("unavailable"):
            problems.append(f"the outage was not seen as 503s: {outage}")
        if outage.get("without_retry_after"):
            problems.append(f"503s without Retry-After: {outage}")
        if outage.get("slowest_503_ms", 0) > UNAVAILABLE_WITHIN_S * 1000:
            problems.append(f"a 503 came slowly: {outage}")
    return problems


def print_figures(result: dict[str, Any]) -> None:
    from common import report

    figures = {
        "machine": result["machine"],
        "run": f"{result['seconds']} s, {result['requests']:,} requests, {result['per_second']} /s",
        "clients": ", ".join(f"{n} {k}" for k, n in result["clients"].items()),
        "photos": f"after {result['photos']['share']:.0%} of the reports, "
        f"{result['photos']['size']} pixels",
    }
    for kind, each in result["by_kind"].items():
        figures[kind] = (
            f"{each['requests']:>6,}  p50 {each['p50_ms']} ms, p95 {each['p95_ms']} ms, "
            f"p99 {each['p99_ms']} ms, max {each['max_ms']} ms  {each['statuses']}"
        )
    figures["unexpected answers"] = str(result["statuses_unexpected"] or 0)
    figures["stale keep-alive connections (sent again)"] = str(result["stale_connections_resent"])
    figures["connections lost (sent again)"] = str(result["connections_lost"] or 0)
    memory = result["memory"]
    figures["memory (RSS, master + workers)"] = (
        f"start {memory.get('start_mb')} MB, after warm-up {memory.get('after_warm_up_mb')} MB, "
        f"end {memory.get('end_mb')} MB, peak {memory.get('peak_mb')} MB "
        f"({memory.get('processes')} processes); flat: {memory['flat']}"
        + (" (measured from the restart on)" if memory["measured_from"] == "restart" else "")
    )
    if result["outage"]:
        figures["outage"] = json.dumps(result["outage"])
    if result["kill"]:
        kill = result["kill"]
        figures["kill -9 (server and worker)"] = (
            f"at {kill['into_run_s']} s, {kill['processes_killed']} processes; answering again "
            f"{kill['back_in_s']} s later; {kill['connections_lost']} connections lost meanwhile"
        )
    processing = result["processing"]
    drained = (
        f"caught up {processing['drain_s']} s after the load"
        if processing["drained"]
        else f"NOT caught up, {processing['still_waiting']} reports waiting"
    )
    figures["worker"] = (
        f"{processing['acknowledged_per_s']} reports/s acknowledged, "
        f"{processing['processed_per_s']} /s processed; largest backlog "
        f"{processing['max_backlog']:,} reports; {drained}"
    )
    for name, each in result["records"].items():
        figures[f"{name}: acknowledged / found"] = (
            f"{each['acknowledged']:,} / {each['found']:,}; duplicates {each['duplicates']}, "
            f"missing {len(each['missing'])}"
            + (f"; waiting {each['pending']}" if "pending" in each else "")
            + (f"; {each['states']}" if "states" in each else "")
        )
    report("Soak", result["database"], figures)


if __name__ == "__main__":
    sys.exit(main())
