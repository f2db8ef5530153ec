"""The Anev's personnel table counts the officers who passed every training module, and is
kept while the staffing stamp stands: a try at a module, or a module turned on or off,
changes the stamp as every other table the figures are read from does
(``organization.0005_staffing_stamp``)."""

from django.db import migrations

TABLES = ("knowledge_attempt", "knowledge_trainingmodule")
STAMP = "organization_staffingstamp"


def add_triggers(apps, schema_editor):
    execute = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            execute(
                f"CREATE TRIGGER {table}_staffing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION sambang_staffing_changed()"
            )
            continue
        for event in ("INSERT", "UPDATE", "DELETE"):
            execute(
                f"CREATE TRIGGER {table}_staffing_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN INSERT INTO {STAMP} (id, token) VALUES (1, lower(hex(randomblob(16)))) "
                "ON CONFLICT (id) DO UPDATE SET token = excluded.token; END"
            )


def drop_triggers(apps, schema_editor):
    execute = schema_editor.execute
    for table in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            execute(f"DROP TRIGGER {table}_staffing ON {table}")
            continue
        for event in ("insert", "update", "delete"):
            execute(f"DROP TRIGGER {table}_staffing_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_seed_the_library"),
        ("organization", "0005_staffing_stamp"),
    ]
    operations = [migrations.RunPython(add_triggers, drop_triggers)]
