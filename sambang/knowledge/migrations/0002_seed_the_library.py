"""Seed the library and the training modules as Sambang ships them (``knowledge.content``);
``sambang knowledge load`` brings them up to date after an upgrade."""

from django.db import migrations

from sambang.knowledge.services import library_seed


def seed(apps, schema_editor):
    library_seed(apps)


def unseed(apps, schema_editor):
    apps.get_model("knowledge", "TrainingModule").objects.all().delete()
    apps.get_model("knowledge", "Document").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_library_and_training"),
        ("fieldwork", "0002_seed_activity_catalogue"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
