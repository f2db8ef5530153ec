"""Seed the incident category tree."""

from django.db import migrations

from sambang.security.catalogue import CATEGORIES, categories_seed


def seed(apps, schema_editor):
    categories_seed(apps.get_model("security", "IncidentCategory"))


def unseed(apps, schema_editor):
    model = apps.get_model("security", "IncidentCategory")
    for code, *_ in reversed(CATEGORIES):
        model.objects.filter(code=code).delete()


class Migration(migrations.Migration):
    dependencies = [("security", "0002_add_incident_register")]
    operations = [migrations.RunPython(seed, unseed)]
