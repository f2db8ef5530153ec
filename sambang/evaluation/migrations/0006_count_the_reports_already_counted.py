"""Record, for the reports the rollups already count, what they were counted with
(``CountedReport``): later changes are counted as differences from these rows."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def fill(apps, schema_editor):
    report_model = apps.get_model("fieldwork", "ActivityReport")
    counted_model = apps.get_model("evaluation", "CountedReport")
    zones = {
        pk: ZoneInfo(name)
        for pk, name in apps.get_model("organization", "Unit").objects.values_list(
            "pk", "timezone"
        )
    }
    grace = dt.timedelta(hours=settings.SAMBANG_REPORT_ON_TIME_HOURS)
    rows = (
        report_model.objects.exclude(state="draft")
        .exclude(integrity_level="")
        .order_by("id")
        .values_list(
            "id", "officer_id", "unit_id", "village_id", "activity_type_id", "integrity_level",
            "occurred_at", "submitted_at", "plan_item_id",
        )  # fmt: skip
    )
    batch = []
    for pk, officer, unit, village, kind, level, occurred, submitted, plan_item in rows.iterator(
        chunk_size=5000
    ):
        batch.append(
            counted_model(
                report_id=pk,
                officer_id=officer,
                unit_id=unit,
                village_id=village,
                activity_type_id=kind,
                integrity_level=level,
                day=occurred.astimezone(zones[unit]).date(),
                on_time=submitted is not None and submitted - occurred <= grace,
                plan_item_id=plan_item,
            )
        )
        if len(batch) == 5000:
            counted_model.objects.bulk_create(batch)
            batch = []
    counted_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_count_each_report_once")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
