"""Each unit's month, its officers' months added up (``UnitMonth``), filled from the
officers' months already kept."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum

SUMS = (
    "reports", "on_time", "verified", "plausible", "doubtful", "village_days",
    "village_days_on_time", "planned", "realized", "realized_late",
)  # fmt: skip


def fill(apps, schema_editor):
    officer_month = apps.get_model("evaluation", "OfficerMonth")
    unit_month = apps.get_model("evaluation", "UnitMonth")
    rows = (
        officer_month.objects.values("unit_id", "month")
        .annotate(**{name: Sum(name) for name in SUMS})
        .order_by()
    )
    unit_month.objects.bulk_create(
        [unit_month(**row) for row in rows.iterator(chunk_size=5000)], batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_count_the_reports_already_counted"),
        ("organization", "0004_directive_addressed_to_units_or_officers"),
    ]

    operations = [
        migrations.CreateModel(
            name="UnitMonth",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("month", models.DateField()),
                ("reports", models.IntegerField(default=0)),
                ("on_time", models.IntegerField(default=0)),
                ("verified", models.IntegerField(default=0)),
                ("plausible", models.IntegerField(default=0)),
                ("doubtful", models.IntegerField(default=0)),
                ("village_days", models.IntegerField(default=0)),
                ("village_days_on_time", models.IntegerField(default=0)),
                ("planned", models.IntegerField(default=0)),
                ("realized", models.IntegerField(default=0)),
                ("realized_late", models.IntegerField(default=0)),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="organization.unit")),
            ],
            options={
                "indexes": [models.Index(fields=["month", "unit"], name="unitmonth_month")],
                "constraints": [models.UniqueConstraint(fields=("unit", "month"), name="unitmonth_unique")],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
