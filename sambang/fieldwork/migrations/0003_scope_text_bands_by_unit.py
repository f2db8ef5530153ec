"""Look for copied text within the unit a report was filed in: bands carry the unit."""

import django.db.models.deletion
from django.db import migrations, models


def fill_units(apps, schema_editor):
    ReportTextBand = apps.get_model("fieldwork", "ReportTextBand")
    ActivityReport = apps.get_model("fieldwork", "ActivityReport")
    ReportTextBand.objects.update(
        unit_id=models.Subquery(
            ActivityReport.objects.filter(pk=models.OuterRef("report_id")).values("unit_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0002_seed_activity_catalogue"),
        ("organization", "0001_create_units_and_jurisdiction"),
    ]

    operations = [
        migrations.AddField(
            model_name="reporttextband",
            name="unit",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organization.unit",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reporttextband",
            name="unit",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organization.unit",
            ),
        ),
        migrations.AlterField(
            model_name="reporttextband",
            name="band",
            field=models.BigIntegerField(),
        ),
        migrations.AddIndex(
            model_name="reporttextband",
            index=models.Index(fields=["unit", "band"], name="text_band_lookup"),
        ),
    ]
