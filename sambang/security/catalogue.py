"""The seeded incident category tree; administrators may add to it."""

from __future__ import annotations

from typing import Any

# code, parent code, name (Bahasa Indonesia), name (English), counts as a social conflict
# fmt: off
CATEGORIES: list[tuple[str, str | None, str, str, bool]] = [
    ("konflik-sosial", None, "Konflik sosial", "Social conflict", True),
    ("antar-kelompok", "konflik-sosial", "Bentrok antarkelompok/warga", "Clash between groups", True),
    ("tawuran-pelajar", "konflik-sosial", "Tawuran pelajar", "Student fight", True),
    ("sengketa-lahan", "konflik-sosial", "Sengketa lahan", "Land dispute", True),
    ("sara", "konflik-sosial", "Ketegangan suku/agama (SARA)", "Ethnic or religious tension", True),
    ("kriminalitas", None, "Kriminalitas", "Crime", False),
    ("curanmor", "kriminalitas", "Pencurian kendaraan bermotor", "Motorcycle theft", False),
    ("pencurian", "kriminalitas", "Pencurian", "Theft", False),
    ("narkoba", "kriminalitas", "Narkoba", "Drugs", False),
    ("kdrt", "kriminalitas", "Kekerasan dalam rumah tangga", "Domestic violence", False),
    ("balap-liar", "kriminalitas", "Balap liar", "Illegal racing", False),
    ("penganiayaan", "kriminalitas", "Penganiayaan", "Assault", False),
    ("bencana", None, "Bencana", "Disaster", False),
    ("banjir", "bencana", "Banjir", "Flood", False),
    ("kebakaran", "bencana", "Kebakaran", "Fire", False),
    ("lalu-lintas", None, "Lalu lintas", "Traffic", False),
    ("kecelakaan", "lalu-lintas", "Kecelakaan lalu lintas", "Traffic accident", False),
]
# fmt: on


def categories_seed(category_model: Any) -> None:
    """Create or refresh the seeded categories (the model is passed: migrations use theirs)."""
    for code, parent, name, name_en, social in CATEGORIES:
        category_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "social_conflict": social,
                "parent": category_model.objects.get(code=parent) if parent else None,
            },
        )
