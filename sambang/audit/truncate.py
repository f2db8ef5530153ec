"""Emptying the audit log, which only Django's flush may do (see migration 0003)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# The session setting the audit table's TRUNCATE trigger reads (the test settings set it
# for every connection of the suite, through libpq's options).
SETTING = "sambang.allow_audit_truncate"


@contextmanager
def truncate_allowed() -> Iterator[None]:
    """Let this connection empty the audit table while the block runs: Django's flush
    (``sambang demo --reset``). On PostgreSQL a trigger refuses TRUNCATE otherwise; SQLite
    keeps no trigger."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SET {SETTING} = 'on'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"RESET {SETTING}")
