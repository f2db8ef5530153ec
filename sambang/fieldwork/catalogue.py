"""The seeded activity catalogue, in the officers' own terms (administrators edit it later)."""

from __future__ import annotations

from typing import Any

# code, name (Bahasa Indonesia), name (English), group, what its report must hold
# fmt: off
CATALOGUE: list[tuple[str, str, str, str, list[str]]] = [
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
# fmt: on

# The types whose work is often done at night (a patrol of the night watch, an incident, an
# election's security, a dispute or a village event that runs late): a report of another
# type done at night is remarked on by the integrity signals.
NIGHT_WORK = {
    "deteksi-dini",
    "problem-solving",
    "pelayanan-polisi",
    "kegiatan-desa",
    "pembinaan-siskamling",
    "mitigasi-bencana",
    "pam-pilkada",
    "insidentil",
}


def catalogue_seed(activity_type_model: Any) -> None:
    """Create or refresh the seeded types (the model is passed in: migrations use their own,
    and those before night work was recorded have no such field)."""
    has_night = any(f.name == "night_work" for f in activity_type_model._meta.get_fields())
    for order, (code, name, name_en, group, required) in enumerate(CATALOGUE, start=1):
        activity_type_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "group": group,
                "required_fields": required,
                "sort_order": order * 10,
                **({"night_work": code in NIGHT_WORK} if has_night else {}),
            },
        )
