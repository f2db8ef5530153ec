"""Checking an uploaded photo by its content, reading its EXIF data, and its thumbnail."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import warnings
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import imagehash
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from sambang.core.errors import ApplicationError

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
THUMBNAIL_SIZE = (320, 320)
# A phone photo has ~12–50 megapixels; anything far larger is a decompression bomb.
MAX_PIXELS = 80_000_000


@dataclass
class CheckedPhoto:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    width: int
    height: int
    phash: int
    thumbnail: bytes
    taken_at: dt.datetime | None
    latitude: float | None
    longitude: float | None


def _reject(message: str) -> ApplicationError:
    return ApplicationError(message, fields={"file": [message]})


def _degrees(value: tuple[float, float, float], ref: str) -> float:
    degrees = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
    return -degrees if ref in ("S", "W") else degrees


def _exif(
    image: Image.Image, zone: ZoneInfo
) -> tuple[dt.datetime | None, float | None, float | None]:
    """Capture time (in the camera's offset, else the unit's zone) and position, if written."""
    exif = image.getexif()
    details = exif.get_ifd(ExifTags.IFD.Exif)
    taken_at = None
    stamp = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if isinstance(stamp, str):
        try:
            taken_at = dt.datetime.strptime(stamp.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        except ValueError:
            taken_at = None
    if taken_at is not None:
        offset = details.get(ExifTags.Base.OffsetTimeOriginal)
        try:
            parsed = dt.datetime.strptime(offset, "%z").tzinfo if isinstance(offset, str) else None
        except ValueError:
            parsed = None
        taken_at = taken_at.replace(tzinfo=parsed or zone)
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    latitude = longitude = None
    try:
        if gps.get(2) and gps.get(4):
            latitude = _degrees(gps[2], gps.get(1, "N"))
            longitude = _degrees(gps[4], gps.get(3, "E"))
            if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
                latitude = longitude = None
    except (TypeError, ValueError, ZeroDivisionError, IndexError):
        latitude = longitude = None
    return taken_at, latitude, longitude


def check_photo(data: bytes, zone: ZoneInfo) -> CheckedPhoto:
    """The photo if it is a real JPEG, PNG or WebP within the limits; else a clear error."""
    limit = settings.SAMBANG_PHOTO_MAX_BYTES
    if len(data) > limit:
        raise _reject(
            _("The file is %(size)s MB; photos may be at most %(limit)s MB.")
            % {"size": round(len(data) / 1e6, 1), "limit": round(limit / 1e6)}
        )
    if not data:
        raise _reject(_("The file is empty."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
            if image.width * image.height > MAX_PIXELS:
                raise _reject(_("The image is too large in pixels."))
            image.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except ApplicationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _reject(_("The image is too large in pixels.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _reject(_("This file is not a JPEG, PNG or WebP photo.")) from error
    assert image.format is not None
    taken_at, latitude, longitude = _exif(image, zone)
    upright = ImageOps.exif_transpose(image).convert("RGB")
    thumb = upright.copy()
    thumb.thumbnail(THUMBNAIL_SIZE)
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    phash = int(str(imagehash.phash(upright)), 16)
    return CheckedPhoto(
        data=data,
        content_type=ACCEPTED_FORMATS[image.format],
        extension={"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image.format],
        sha256=hashlib.sha256(data).hexdigest(),
        width=upright.width,
        height=upright.height,
        phash=phash - (1 << 64) if phash >= 1 << 63 else phash,
        thumbnail=out.getvalue(),
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )
