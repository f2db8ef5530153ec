"""The staffing stamp: a token that every write to the tables the staffing figures are read
from changes, set by triggers (statement-level on PostgreSQL, row-level on SQLite)."""

import uuid

from django.db import migrations, models

TABLES = (
    "organization_unit",
    "organization_jurisdiction",
    "territory_region",
    "personnel_officer",
    "personnel_assignment",
    "resources_training",
)
STAMP = "organization_staffingstamp"


def add_triggers(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        execute(
            "CREATE FUNCTION sambang_staffing_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN INSERT INTO {STAMP} (id, token) VALUES (1, gen_random_uuid()::text) "
            "ON CONFLICT (id) DO UPDATE SET token = excluded.token; RETURN NULL; END $$"
        )
        for table in TABLES:
            execute(
                f"CREATE TRIGGER {table}_staffing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION sambang_staffing_changed()"
            )
    else:
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                execute(
                    f"CREATE TRIGGER {table}_staffing_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN INSERT INTO {STAMP} (id, token) VALUES (1, lower(hex(randomblob(16)))) "
                    "ON CONFLICT (id) DO UPDATE SET token = excluded.token; END"
                )
    execute(f"INSERT INTO {STAMP} (id, token) VALUES (1, %s)", [uuid.uuid4().hex])


def drop_triggers(apps, schema_editor):
    execute = schema_editor.execute
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            execute(f"DROP TRIGGER {table}_staffing ON {table}")
        execute("DROP FUNCTION sambang_staffing_changed()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                execute(f"DROP TRIGGER {table}_staffing_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0004_directive_addressed_to_units_or_officers"),
        ("personnel", "0002_many_officers_per_village_with_contact"),
        ("resources", "0001_initial"),
        ("territory", "0001_create_regions"),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffingStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=40)),
            ],
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
