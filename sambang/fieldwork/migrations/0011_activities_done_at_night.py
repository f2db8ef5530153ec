"""Record which activity types are often done at night, so that a report of another type
done at night is remarked on."""

from django.db import migrations, models

from sambang.fieldwork.catalogue import NIGHT_WORK


def mark(apps, schema_editor):
    apps.get_model("fieldwork", "ActivityType").objects.filter(code__in=NIGHT_WORK).update(
        night_work=True
    )


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0010_supervisors_record_late_reports")]

    operations = [
        migrations.AddField(
            model_name="activitytype",
            name="night_work",
            field=models.BooleanField(
                default=False,
                help_text="Work of this type is often done at night (a night-watch patrol, an "
                "incident): a report of it between 22.00 and 05.00 local time is not remarked on.",
                verbose_name="done at night too",
            ),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
