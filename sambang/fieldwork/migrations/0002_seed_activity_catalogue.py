"""Seed the activity catalogue in the officers' own terms; administrators edit it later."""

from django.db import migrations

# code, name (id), name (en), group, required fields
CATALOGUE = [
    ("dds", "Sambang / DDS (door to door system)", "Door-to-door visit (DDS)", "mandatory", ["household"]),
    ("deteksi-dini", "Deteksi dini", "Early detection", "mandatory", ["information"]),
    ("problem-solving", "Problem solving", "Problem solving", "mandatory", ["problem", "partners"]),
    ("pelayanan-polisi", "Pelayanan kepolisian", "Police service", "mandatory", ["outcome"]),
    ("kegiatan-desa", "Kegiatan di desa/kelurahan", "Village activity", "mandatory", ["participants", "photo"]),
    ("pembinaan-ormas", "Pembinaan ormas dan kelompok masyarakat", "Community and ormas guidance", "mandatory", ["participants"]),
    ("pembinaan-siskamling", "Pembinaan Siskamling", "Siskamling guidance", "mandatory", ["participants", "photo"]),
    ("penyuluhan", "Penyuluhan", "Counselling", "other", ["participants", "photo"]),
    ("jumat-curhat", "Jumat Curhat", "Friday listening session (Jumat Curhat)", "other", ["participants", "outcome", "photo"]),
    ("program-polri", "Program Polri", "Polri program", "program", ["participants"]),
    ("dana-desa", "Pengawalan dana desa", "Village funds oversight", "program", ["partners", "outcome"]),
    ("bantuan-sosial", "Pengawalan bantuan sosial", "Social aid oversight", "program", ["partners", "outcome"]),
    ("pencegahan-narkoba", "Pencegahan narkoba", "Drug prevention", "program", ["participants", "photo"]),
    ("kejahatan-siber", "Sosialisasi kejahatan siber", "Cyber-crime awareness", "program", ["participants", "photo"]),
    ("deradikalisasi", "Deradikalisasi", "Deradicalisation", "program", ["participants"]),
    ("vaksinasi", "Pendampingan vaksinasi", "Vaccination support", "program", ["participants", "photo"]),
    ("mitigasi-bencana", "Mitigasi bencana", "Disaster mitigation", "other", ["participants", "photo"]),
    ("pam-pilkada", "Pengamanan Pilkada", "Election (Pilkada) security", "other", ["partners", "outcome"]),
    ("insidentil", "Kegiatan insidentil / kontinjensi", "Incidental or contingency work", "other", ["outcome"]),
    ("terobosan-kreatif", "Terobosan kreatif", "Creative breakthrough", "other", ["outcome", "photo"]),
]


def seed(apps, schema_editor):
    ActivityType = apps.get_model("fieldwork", "ActivityType")
    for order, (code, name, name_en, group, required) in enumerate(CATALOGUE, start=1):
        ActivityType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "group": group,
                "required_fields": required,
                "sort_order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("fieldwork", "ActivityType").objects.filter(
        code__in=[row[0] for row in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_add_field_work")]
    operations = [migrations.RunPython(seed, unseed)]
