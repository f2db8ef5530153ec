"""Kemendagri region codes: ``32.16.01.2001`` is village 2001 of district 01 of
regency 16 of province 32. Villages numbered 1xxx are kelurahan, 2xxx desa;
regencies numbered 71 and above are cities (kota)."""

from __future__ import annotations

import re

from .models import RegionKind, RegionLevel

_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_LEVELS = {
    1: RegionLevel.PROVINCE,
    2: RegionLevel.REGENCY,
    3: RegionLevel.DISTRICT,
    4: RegionLevel.VILLAGE,
}


class InvalidRegionCode(ValueError):
    pass


def normalize_code(raw: str) -> str:
    """``3216012001`` or ``32.16.01.2001`` → ``32.16.01.2001``; raise on anything else."""
    text = raw.strip()
    if _DOTTED.match(text):
        return text
    if text.isdigit() and len(text) in (2, 4, 6, 10):
        parts = [text[0:2], text[2:4], text[4:6], text[6:10]]
        return ".".join(part for part in parts if part)
    raise InvalidRegionCode(raw)


def level_of(code: str) -> RegionLevel:
    return _LEVELS[code.count(".") + 1]


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def kind_of(code: str) -> RegionKind:
    level = level_of(code)
    last = code.rsplit(".", 1)[-1]
    if level == RegionLevel.PROVINCE:
        return RegionKind.PROVINCE
    if level == RegionLevel.REGENCY:
        return RegionKind.KOTA if int(last) >= 71 else RegionKind.KABUPATEN
    if level == RegionLevel.DISTRICT:
        return RegionKind.KECAMATAN
    return RegionKind.KELURAHAN if last.startswith("1") else RegionKind.DESA
