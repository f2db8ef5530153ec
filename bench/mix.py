"""The soak's load, as clients make it: ``python bench/load.py mix <base-url> <seconds>
<actors.json>``, one JSON object of results on standard output.

Three kinds of client, each on its own keep-alive connection, each pausing a little between
requests (people, not a benchmark loop):

- officers file reports through ``POST /api/v1/reports/`` with client-made UUIDs (their API
  token obtained with their password), and after a share of them (``photo_share`` in
  ``actors.json``) a photo through ``PUT /api/v1/reports/<uuid>/photos/<photo-uuid>``;
- supervisors, signed in through the login form, read the home dashboard, their unit's
  page, the Anev page and JSON, and the report list;
- residents file public reports (``POST /api/v1/public/citizen-reports``), each from an
  address of their own (``X-Forwarded-For``; the server trusts one proxy) and with a
  ``submission`` UUID of its own, so that a report sent again is not a second one.

A write answered 503 is sent again, the same record under the same UUID, after the
``Retry-After`` the server gave; one lost with its connection (refused: the server is
restarting; reset: it died while answering) after a second, as a phone would; both until it
is answered or a minute after the end has passed. A read answered 503 or lost waits as long,
then the supervisor moves on. Every request is logged with its kind, status (599: no answer),
duration, time (``time.monotonic()``, the machine's clock, so that the caller can match an
outage's or a crash's window), whether it had ``Retry-After``, and why it got no answer
(``refused``, ``reset``, ``timeout``, ``other``; empty when answered).
"""

from __future__ import annotations

import http.client
import json
import random
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from load import multipart
from load import report as report_body

STALE_CONNECTION = (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected)
# Lost without an answer: the cause, as the log gives it.
REFUSED, RESET, TIMEOUT, OTHER = "refused", "reset", "timeout", "other"
RESENT = [0]  # requests sent again after a stale keep-alive connection (reported)
RETRY_GRACE_S = 60  # a write still unanswered this long after the end is given up
CLIENT_TIMEOUT_S = 30


class Connection:
    """One client's keep-alive connection; cookies kept; reconnects after a failure."""

    def __init__(self, base: str, address: str | None = None) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection = self._connect()
        self.lost = ""  # why the last request got no answer (``failure``), empty when answered

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=CLIENT_TIMEOUT_S)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body); status 599 when the connection failed (why: ``lost``)."""
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=sent)
                response = self.connection.getresponse()
                answer = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.connection.close()
                self.connection = self._connect()
                # The server closed an idle keep-alive connection as the request went out:
                # sent again at once on a new one, as browsers and HTTP libraries do.
                if attempt == 1 and reused and isinstance(error, STALE_CONNECTION):
                    RESENT[0] += 1
                    continue
                self.lost = failure(error)
                return 599, {}, repr(error).encode()
        self.lost = ""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = self._connect()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, answer


def failure(error: BaseException) -> str:
    """Why a request got no answer: nothing listening (refused), the connection cut under it
    (reset: the server's process died), no answer within the client's timeout, or else."""
    if isinstance(error, ConnectionRefusedError):
        return REFUSED
    if isinstance(error, (*STALE_CONNECTION, http.client.IncompleteRead)):
        return RESET
    if isinstance(error, TimeoutError):
        return TIMEOUT
    return OTHER


class Log:
    """Every request: (kind, status, seconds, monotonic time at the end, had Retry-After, why it
    got no answer). Samples of the unexpected answers; a refused or reset connection is no
    sample (a restart makes many: the caller counts them from the rows)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[tuple[str, int, float, float, bool, str]] = []
        self.samples: list[str] = []

    def add(
        self, kind: str, status: int, took: float, headers: dict[str, str], body: bytes, lost: str
    ) -> None:
        with self.lock:
            self.rows.append((kind, status, took, time.monotonic(), "retry-after" in headers, lost))
            counted_only = status in (200, 201, 302, 503) or lost in (REFUSED, RESET)
            if not counted_only and len(self.samples) < 10:
                self.samples.append(f"{kind} {status}: {body[:300].decode(errors='replace')}")


def timed(
    log: Log,
    kind: str,
    connection: Connection,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    start = time.perf_counter()
    status, answer_headers, answer = connection.request(method, path, body, headers)
    log.add(kind, status, time.perf_counter() - start, answer_headers, answer, connection.lost)
    return status, answer_headers, answer


def wait_hint(status: int, headers: dict[str, str]) -> float:
    """How long to wait before sending again: the server's Retry-After, else (a lost
    connection) a second."""
    if status == 503:
        try:
            return max(float(headers.get("retry-after", "1")), 0.5)
        except ValueError:
            return 1.0
    return 1.0


def until_answered(
    log: Log,
    kind: str,
    connection: Connection,
    method: str,
    path: str,
    body: bytes,
    headers: dict[str, str],
    give_up_at: float,
) -> tuple[int, dict[str, str], bytes]:
    """Send until the server answers something other than 503 or a lost connection."""
    while True:
        status, answer_headers, answer = timed(log, kind, connection, method, path, body, headers)
        if status not in (503, 599) or time.monotonic() > give_up_at:
            return status, answer_headers, answer
        time.sleep(wait_hint(status, answer_headers))


def main(argv: list[str]) -> None:
    base, seconds, actors_file = argv[0], float(argv[1]), argv[2]
    actors = json.loads(Path(actors_file).read_text())
    photos = [Path(path).read_bytes() for path in actors["photos"]]
    photo_share = float(actors["photo_share"])
    run_mark = actors["run_mark"]
    log = Log()
    acknowledged: dict[str, list[str]] = {"reports": [], "photos": [], "public": []}
    attempted: dict[str, list[str]] = {"reports": [], "photos": []}
    failures: list[BaseException] = []
    lock = threading.Lock()
    deadline = [0.0]
    started = [0.0]

    def start_clock() -> None:  # run once, before any client is let go
        started[0] = time.monotonic()
        deadline[0] = started[0] + seconds

    ready = threading.Barrier(
        len(actors["officers"]) + len(actors["supervisors"]) + actors["residents"] + 1,
        action=start_clock,
    )

    def note(bucket: dict[str, list[str]], name: str, value: str) -> None:
        with lock:
            bucket[name].append(value)

    def officer(index: int, who: dict[str, Any]) -> None:
        rng = random.Random(index)
        connection = Connection(base)
        status, _, answer = until_answered(
            log,
            "sign-in",
            connection,
            "POST",
            "/api/v1/auth/token",
            json.dumps({"username": who["username"], "password": who["password"]}).encode(),
            {"Content-Type": "application/json"},
            time.monotonic() + 120,
        )
        if status != 200:
            raise RuntimeError(f"officer {who['username']}: token: {status} {answer[:200]!r}")
        auth = {"Authorization": f"Token {json.loads(answer)['token']}"}
        ready.wait()
        while time.monotonic() < deadline[0]:
            time.sleep(rng.uniform(0.2, 1.2))
            body = report_body(rng, who)
            note(attempted, "reports", body["uuid"])
            status, _, _ = until_answered(
                log,
                "report",
                connection,
                "POST",
                "/api/v1/reports/",
                json.dumps(body).encode(),
                {**auth, "Content-Type": "application/json"},
                deadline[0] + RETRY_GRACE_S,
            )
            if status not in (200, 201):
                continue
            note(acknowledged, "reports", body["uuid"])
            if rng.random() < photo_share:  # a photo, uploaded after its report
                photo_uuid = str(uuid.uuid4())
                note(attempted, "photos", photo_uuid)
                payload, content_type = multipart(rng.choice(photos))
                status, _, _ = until_answered(
                    log,
                    "photo",
                    connection,
                    "PUT",
                    f"/api/v1/reports/{body['uuid']}/photos/{photo_uuid}",
                    payload,
                    {**auth, "Content-Type": content_type},
                    deadline[0] + RETRY_GRACE_S,
                )
                if status in (200, 201):
                    note(acknowledged, "photos", photo_uuid)

    def supervisor(index: int, who: dict[str, Any]) -> None:
        rng = random.Random(1000 + index)
        connection = Connection(base)
        status, _, _ = connection.request("GET", "/accounts/login/")
        token = connection.cookies.get("csrftoken", "")
        form = f"username={who['username']}&password={who['password']}&csrfmiddlewaretoken={token}"
        status, headers, answer = timed(
            log,
            "sign-in",
            connection,
            "POST",
            "/accounts/login/",
            form.encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "login" in headers.get("location", "login"):
            raise RuntimeError(f"supervisor {who['username']}: login: {status} {answer[:300]!r}")
        code, month = who["unit"], who["month"]
        pages = [
            ("dashboard", "/"),
            ("unit page", f"/units/{code}/"),
            ("anev page", f"/anev/{code}/{month}/"),
            ("anev json", f"/api/v1/evaluations/{code}/{month}"),
            ("report list", "/api/v1/reports/?limit=20"),
        ]
        ready.wait()
        while time.monotonic() < deadline[0]:
            time.sleep(rng.uniform(0.5, 2.0))
            kind, path = rng.choice(pages)
            status, headers, _ = timed(log, kind, connection, "GET", path)
            if status in (503, 599):
                time.sleep(wait_hint(status, headers))

    def resident(index: int) -> None:
        rng = random.Random(2000 + index)
        connection = Connection(base)
        ready.wait()
        sent = 0
        while time.monotonic() < deadline[0]:
            time.sleep(rng.uniform(1.0, 3.0))
            sent += 1
            body = {
                "category": rng.choice(["disorder", "traffic", "crime", "service"]),
                "description": (
                    f"Balap liar di jalan desa setiap malam minggu, warga resah ({run_mark} "
                    f"{index}-{sent})."
                ),
                "village": rng.choice(actors["villages"]),
                "anonymous": True,
                "submission": str(uuid.uuid4()),  # sent again after a lost answer: one report
            }
            # One address per report: the per-address limit is not what is measured here.
            address = f"10.{index % 250}.{sent // 250 % 250}.{sent % 250 + 1}"
            status, _, answer = until_answered(
                log,
                "public report",
                connection,
                "POST",
                "/api/v1/public/citizen-reports",
                json.dumps(body).encode(),
                {"Content-Type": "application/json", "X-Forwarded-For": address},
                deadline[0] + RETRY_GRACE_S,
            )
            if status in (200, 201):  # 200: sent before, its answer lost
                note(acknowledged, "public", json.loads(answer)["tracking_code"])

    def guarded(target: Any, *args: Any) -> None:
        try:
            target(*args)
        except BaseException as error:  # reported below: a dead client must not look idle
            failures.append(error)
            ready.abort()

    threads = [
        threading.Thread(target=guarded, args=(officer, i, who))
        for i, who in enumerate(actors["officers"])
    ]
    threads += [
        threading.Thread(target=guarded, args=(supervisor, i, who))
        for i, who in enumerate(actors["supervisors"])
    ]
    threads += [
        threading.Thread(target=guarded, args=(resident, i)) for i in range(actors["residents"])
    ]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=180)  # every client signed in: the measured run starts now
        print("READY", file=sys.stderr, flush=True)
    except threading.BrokenBarrierError:
        print("FAILED", file=sys.stderr, flush=True)
    for thread in threads:
        thread.join()
    result = {
        "started": started[0],
        "ended": time.monotonic(),
        "requests": log.rows,
        "error_samples": log.samples,
        "acknowledged": acknowledged,
        "attempted": attempted,
        "client_failures": [repr(error) for error in failures],
        "run_mark": run_mark,
        "stale_connections_resent": RESENT[0],
    }
    print(json.dumps(result))
