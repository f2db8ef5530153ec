"""Databases that other processes see, for tests that run the CLI (a worker, a backup) as a
subprocess against the data the test made.

On PostgreSQL a ``transaction=True`` test commits what it writes to the test database, so a
subprocess pointed at it sees everything. On SQLite the test database lives in memory, out
of reach of any other process: :func:`committed_database` copies it to a file (SQLite's
backup API) and points the test's connection at that file for the duration of the test.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.utils import ConnectionHandler


def database_url(settings_dict: dict[str, Any]) -> str:
    """A ``DATABASE_URL`` naming the database of ``settings_dict``."""
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = urllib.parse.quote(settings_dict.get("USER") or "", safe="")
    password = urllib.parse.quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{settings_dict['NAME']}"


@contextmanager
def committed_database(folder: Path) -> Iterator[str]:
    """Yield the ``DATABASE_URL`` of the test database as other processes can reach it.

    Use inside a ``transaction=True`` test, before writing any data: on SQLite the test's
    connection is switched to a file copy of the (migrated, empty) in-memory database, and
    switched back afterwards.
    """
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or not (name == ":memory:" or "mode=memory" in name):
        yield database_url(connection.settings_dict)
        return
    path = folder / "committed.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    with closing(sqlite3.connect(path)) as copy:
        memory.backup(copy)
    # The in-memory database lives as long as this connection object stays open.
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield database_url(connection.settings_dict)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory


@contextmanager
def other_database(settings_dict: dict[str, Any]) -> Iterator[Any]:
    """A connection of its own to another database (e.g. the target of a restore)."""
    handler = ConnectionHandler({"default": dict(settings_dict)})
    other = handler["default"]
    try:
        yield other
    finally:
        other.close()
