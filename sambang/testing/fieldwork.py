"""Builders for field-work tests: report payloads and real photos with EXIF data."""

from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from typing import Any

from PIL import ExifTags, Image

from sambang.testing.world import World


def report_payload(world: World, unit_key: str = "polsek_a1a", **overrides: Any) -> dict[str, Any]:
    """A valid village-activity report of a Polsek's officer, an hour ago, in their village."""
    village = world.villages[unit_key]
    occurred = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    payload: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "activity_type": "kegiatan-desa",
        "village": village.code,
        "occurred_at": occurred.isoformat(),
        "latitude": village.centroid_lat,
        "longitude": village.centroid_lng,
        "accuracy_m": 12,
        "narrative": "Menghadiri musyawarah warga di balai desa tentang jadwal ronda malam "
        "dan kebersihan lingkungan menjelang musim hujan.",
        "participants": 25,
        "partners": ["babinsa", "village_head"],
    }
    payload.update(overrides)
    return payload


# Early-detection information as an officer files it (graded C3).
INFORMATION = {
    "subject": "Isu pungutan liar di pasar desa",
    "place": "Pasar desa",
    "how_obtained": "resident",
    "aspect": "economy",
    "urgency": "medium",
    "reliability": "C",
    "credibility": 3,
}


def household(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "rt": "003",
        "rw": "007",
        "house_number": "12",
        "street": "Kampung Rawa",
        "consent": False,
        "advice": "Mengaktifkan kembali ronda malam.",
        "concerns": [
            {
                "aspect": "security",
                "description": "Pencurian sepeda motor di malam hari",
                "urgency": "high",
                "frequency": "sometimes",
            }
        ],
    }
    values.update(overrides)
    return values


def _rational(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
    return (float(degrees), float(minutes), seconds)


def photo_bytes(
    seed: int,
    *,
    taken_at: dt.datetime | None = None,
    position: tuple[float, float] | None = None,
    size: tuple[int, int] = (640, 480),
    fmt: str = "JPEG",
    orientation: int | None = None,
) -> bytes:
    """A photo of random blocks (distinct per seed), with EXIF capture time, GPS and the
    camera's orientation tag (1–8: how the picture is to be turned) if given."""
    rng = random.Random(seed)
    small = Image.new("RGB", (16, 12))
    small.putdata(
        [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(16 * 12)]
    )
    image = small.resize(size, Image.Resampling.BICUBIC)
    exif = Image.Exif()
    if taken_at is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken_at.strftime(
            "%Y:%m:%d %H:%M:%S"
        )
        if taken_at.utcoffset() is not None:
            exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.OffsetTimeOriginal] = (
                taken_at.strftime("%z")[:3] + ":" + taken_at.strftime("%z")[3:]
            )
    if position is not None:
        lat, lng = position
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(
            {
                1: "S" if lat < 0 else "N",
                2: _rational(abs(lat)),
                3: "W" if lng < 0 else "E",
                4: _rational(abs(lng)),
            }
        )
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif) if fmt in ("JPEG", "WEBP", "PNG") else image.save(out, fmt)
    return out.getvalue()
