"""Photos stored before every photo was re-encoded: find those that still carry what was
sent (EXIF with the sender's position and phone, comments, bytes after the image, another
format) and store them again as ``check_photo`` stores a new one.

A stored file is already clean when it is a JPEG holding only the JFIF header that Pillow
writes, nothing after its end marker, and no side longer than ``STORED_MAX_SIDE``. Anything
else is re-encoded: the picture and its thumbnail are replaced by plain JPEGs (new names,
the old files deleted), with the size, type and dimensions that go with them. The digest and
perceptual hash stay, as they describe the photo as the officer sent it (the duplicate
checks compare new uploads with them); capture time and position were read into fields when
the photo arrived.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from PIL import Image, UnidentifiedImageError

from sambang.core.errors import ApplicationError
from sambang.personnel.models import Officer
from sambang.public.models import CitizenAttachment

from .models import PhotoState, ReportPhoto
from .photos import STORED_MAX_SIDE, check_photo

# What Pillow's JPEG writer leaves in a file it wrote without metadata: the JFIF header.
_PLAIN_INFO = frozenset({"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"})
_PLAIN_SEGMENTS = frozenset({"APP0"})
_END_OF_IMAGE = b"\xff\xd9"


@dataclass
class Cleaning:
    """What a run found for one kind of photo."""

    kind: str
    examined: int = 0
    reencoded: int = 0
    unreadable: list[str] = field(default_factory=list)  # stored names left as they are


def is_plain(file: FieldFile) -> bool:
    """Whether a stored image is already as ``check_photo`` writes it."""
    with file.open("rb") as stream:
        data = stream.read()
    # One end marker, last: nothing appended (a marker's bytes cannot occur in the coded
    # picture, where a 0xFF byte is always followed by 0x00).
    if not data.endswith(_END_OF_IMAGE) or data.count(_END_OF_IMAGE) != 1:
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            return (
                image.format == "JPEG"
                and set(image.info) <= _PLAIN_INFO
                and {name for name, _ in getattr(image, "applist", [])} <= _PLAIN_SEGMENTS
                and max(image.size) <= STORED_MAX_SIDE
            )
    except (UnidentifiedImageError, OSError, ValueError):
        return False


def _replace(file: FieldFile, data: bytes, folder: str) -> None:
    old = file.name
    file.save(f"{folder}/{uuid.uuid4().hex}.jpg", ContentFile(data), save=False)
    if old:
        file.storage.delete(old)


def _folder(file: FieldFile) -> str:
    return str(PurePosixPath(file.name or "").parent)


def _reencode(
    row: models.Model, image: FieldFile, thumbnail: FieldFile | None
) -> dict[str, object]:
    """Re-encode ``image`` (and make ``thumbnail`` again); the fields that change."""
    with image.open("rb") as stream:
        checked = check_photo(stream.read(), ZoneInfo(settings.TIME_ZONE))
    _replace(image, checked.data, _folder(image))
    changed: dict[str, object] = {image.field.name: image.name}
    if thumbnail is not None:
        _replace(thumbnail, checked.thumbnail, _folder(thumbnail))
        changed[thumbnail.field.name] = thumbnail.name
    for name, value in (
        ("size", len(checked.data)),
        ("content_type", checked.content_type),
        ("width", checked.width),
        ("height", checked.height),
    ):
        if any(f.name == name for f in row._meta.get_fields()):
            changed[name] = value
    return changed


def _photos() -> Iterator[tuple[str, QuerySet[Any], str, str | None]]:
    """Each kind of stored photo: its rows, its image field and its thumbnail's, if any."""
    # A photo still as sent is decoded by the worker into a plain one (``processing``).
    ready = ReportPhoto.objects.filter(state=PhotoState.READY)
    yield "report photos", ready, "image", "thumbnail"
    yield "residents' photos", CitizenAttachment.objects.all(), "image", "thumbnail"
    yield "officers' portraits", Officer.objects.exclude(photo=""), "photo", None


def photos_clean(*, dry_run: bool = False) -> list[Cleaning]:
    """Re-encode every stored photo that is not yet plain (``dry_run``: count them only).
    A file that cannot be read as a photo is left and named in the result."""
    results = []
    for kind, rows, image_field, thumbnail_field in _photos():
        found = Cleaning(kind)
        for row in rows.order_by("pk").iterator(chunk_size=500):
            image: FieldFile = getattr(row, image_field)
            found.examined += 1
            try:
                if is_plain(image):
                    continue
            except OSError:
                found.unreadable.append(image.name or "")
                continue
            if dry_run:
                found.reencoded += 1
                continue
            thumbnail = getattr(row, thumbnail_field) if thumbnail_field else None
            try:
                with transaction.atomic():
                    changed = _reencode(row, image, thumbnail)
                    type(row).objects.filter(pk=row.pk).update(**changed)
            except (ApplicationError, OSError):
                found.unreadable.append(image.name or "")
                continue
            found.reencoded += 1
        results.append(found)
    return results
