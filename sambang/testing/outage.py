"""A database restart as its clients see it, without restarting the server.

The PostgreSQL server is shared (CI, other databases, other people): instead of restarting
it, one database stops accepting connections and loses the ones it has, which is what an
application sees while its database restarts or fails over, then accepts them again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql


def _set_allowed(admin_url: str, name: str, allowed: bool) -> int:
    """Allow or refuse connections to ``name``; when refusing, end those it has. Returns how
    many were ended."""
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(
            sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                sql.Identifier(name), sql.SQL("true" if allowed else "false")
            )
        )
        if allowed:
            return 0
        ended = admin.execute(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()) AS ended",
            [name],
        ).fetchone()
        return int(ended[0]) if ended else 0


@contextmanager
def database_refusing_connections(admin_url: str, name: str) -> Iterator[int]:
    """Within the block, database ``name`` refuses new connections and has lost its open
    ones (yields how many). ``admin_url`` points at another database of the same server
    (``postgres``); connections are allowed again on leaving, whatever happened."""
    try:
        yield _set_allowed(admin_url, name, allowed=False)
    finally:
        _set_allowed(admin_url, name, allowed=True)


def outage_in_background(
    admin_url: str, name: str, *, after_s: float, lasting_s: float
) -> tuple[threading.Thread, dict[str, float | int]]:
    """Start, in a thread, an outage of ``lasting_s`` seconds ``after_s`` seconds from now.
    The dictionary receives when it started and ended (``time.monotonic()``) and how many
    connections it cut."""
    import time

    marks: dict[str, float | int] = {}

    def run() -> None:
        time.sleep(after_s)
        marks["started"] = time.monotonic()
        with database_refusing_connections(admin_url, name) as ended:
            marks["connections_ended"] = ended
            time.sleep(lasting_s)
        marks["ended"] = time.monotonic()

    thread = threading.Thread(target=run, name="outage", daemon=True)
    thread.start()
    return thread, marks
