"""On PostgreSQL not even TRUNCATE empties the audit log, unless the session says it is
Django's flush (the test suite, ``sambang demo --reset``)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from sambang.audit.models import AuditAction, AuditEvent
from sambang.audit.truncate import SETTING

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
    ),
]


def test_postgresql_refuses_to_truncate_the_audit_log() -> None:
    AuditEvent.objects.create(action=AuditAction.VIEW_RESTRICTED, object_type="x", object_id="1")
    for sql in (
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_auditevent RESTART IDENTITY CASCADE",
        "TRUNCATE ONLY audit_auditevent",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # The suite's connections may empty the table (Django's flush): not this one.
            cursor.execute(f"SET LOCAL {SETTING} = 'off'")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks left pending
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 1
