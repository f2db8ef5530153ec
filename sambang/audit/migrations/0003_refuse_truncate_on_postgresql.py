"""On PostgreSQL the database also refuses TRUNCATE of the audit log.

The row trigger of 0002 stops UPDATE and DELETE; TRUNCATE fires no row trigger and emptied
the table in one statement. A statement trigger refuses it, unless the session has set
``sambang.allow_audit_truncate`` to ``on``: Django's flush (the test suite between
transactional tests, ``sambang demo --reset``) empties every table with TRUNCATE and says
so first (``audit.truncate.truncate_allowed``). Nothing in production sets it.
"""

from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION audit_event_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('sambang.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_no_truncate();
"""
ALLOW = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_no_truncate();
"""


def forbid(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def allow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_on_postgresql")]
    operations = [migrations.RunPython(forbid, allow)]
