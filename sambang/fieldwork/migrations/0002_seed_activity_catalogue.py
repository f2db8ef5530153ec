"""Seed the activity catalogue in the officers' own terms; administrators edit it later."""

from django.db import migrations

from sambang.fieldwork.catalogue import CATALOGUE, catalogue_seed


def seed(apps, schema_editor):
    catalogue_seed(apps.get_model("fieldwork", "ActivityType"))


def unseed(apps, schema_editor):
    apps.get_model("fieldwork", "ActivityType").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_add_field_work")]
    operations = [migrations.RunPython(seed, unseed)]
