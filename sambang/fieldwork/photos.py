"""Checking an uploaded photo by its content, reading its EXIF data, and re-encoding it.

What is stored is never the file as sent: the capture time and position that the integrity
checks need are read from the EXIF data into fields first, then the picture is decoded, at
reduced size where it is large, and written again as a plain JPEG without any metadata (no
GPS, no phone model, no comment, nothing appended after the image).

Memory stays bounded whatever is sent: the pixel count is read from the header and a picture
larger than a phone makes is refused before any decoding; a large JPEG is decoded at 1/2,
1/4 or 1/8 of its size (libjpeg's scaled decoding, Pillow's ``draft``); and the server
decodes at most ``DECODE_SLOTS`` photos at a time, whatever its number of processes and
threads and of the uploads that arrive at once.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
import os
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

import imagehash
from django.conf import settings
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from sambang.core.errors import ApplicationError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
# What a phone's camera makes (24 megapixels, a baseline JPEG). A larger picture is refused
# from its header, before any decoding: a 50-megapixel JPEG of 0.3 MB holds 200 MB once
# decoded. Pillow's own limit (``Image.MAX_IMAGE_PIXELS``) is the same (``FieldworkConfig``).
MAX_PIXELS = 24_000_000
# Pictures that can only be decoded whole, at 4 to 15 bytes a pixel (PNG, WebP, a progressive
# JPEG): screenshots (a tablet's: 5.6 megapixels) and pictures passed on by messaging apps
# (2560 pixels at most on their long side) are smaller.
MAX_PIXELS_DECODED_WHOLE = 6_000_000
# Stored photos are at most this long on their long side (3 megapixels at 4:3), and at
# least STORED_MIN_SIDE when sent larger: enough to read a banner or recognise a face. A
# large JPEG is decoded at the smallest of 1/2, 1/4, 1/8 of its size that keeps the least
# (a phone's 12-megapixel photo at half size: a quarter of the work of decoding it whole).
STORED_MAX_SIDE = 2048
STORED_MIN_SIDE = 1600
STORED_QUALITY = 85
THUMBNAIL_SIZE = (320, 320)
# Photos decoded at the same time by the whole server (all its processes and threads): its
# memory for photos is this many photos' whatever the number of uploads that arrive at once
# (at the limits above, at most 50 MB for a phone's JPEG, 110 MB for a 6-megapixel WebP);
# the others wait their turn (a photo takes 0.2–0.6 s).
DECODE_SLOTS = 2
# Malformed EXIF data is ignored: the photo is kept, without capture time or position.
_EXIF_ERRORS = (ValueError, TypeError, OSError, SyntaxError, KeyError, IndexError, struct.error)

PhotoSource = bytes | IO[bytes]


@dataclass
class ReceivedPhoto:
    """An upload whose header says it is a photo within the limits (nothing decoded yet):
    ``sha256`` of the file as sent, its size in pixels and in bytes."""

    sha256: str
    content_type: str
    extension: str
    width: int
    height: int
    size: int


@dataclass
class CheckedPhoto:
    """A photo as it is stored: ``data`` is the re-encoded JPEG (no metadata), ``width`` and
    ``height`` its size; ``sha256`` is the digest of the file as sent (a retried upload is
    recognised by it); the capture time and position come from the sent file's EXIF."""

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


def _too_many_pixels(limit: int) -> ApplicationError:
    return _reject(
        _("The image is too large in pixels: at most %(limit)s megapixels.")
        % {"limit": limit // 1_000_000}
    )


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


def _exif_or_nothing(
    image: Image.Image, zone: ZoneInfo
) -> tuple[dt.datetime | None, float | None, float | None]:
    try:
        return _exif(image, zone)
    except _EXIF_ERRORS:
        return None, None, None


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned, in place, as the camera's orientation tag says (as it is when the
    tag cannot be read). In place: a copy of a 12-megapixel photo's pixels costs ~7 ms."""
    with suppress(*_EXIF_ERRORS):
        ImageOps.exif_transpose(image, in_place=True)
    return image


@contextmanager
def _decoding_slot() -> Iterator[None]:
    """One of the server's ``DECODE_SLOTS``: a lock on a file (``flock``) that every process
    of this user on this machine shares, and that is released when its holder ends, however
    it ends. A free slot is taken at once; else the wait is on one of them."""
    folder = Path(tempfile.gettempdir())
    first = (os.getpid() + threading.get_native_id()) % DECODE_SLOTS
    order = [(first + i) % DECODE_SLOTS for i in range(DECODE_SLOTS)]
    for flags in (fcntl.LOCK_EX | fcntl.LOCK_NB, fcntl.LOCK_EX):
        for slot in order:
            handle = (folder / f"sambang-photo-decode-{os.getuid()}-{slot}.lock").open("a")
            try:
                fcntl.flock(handle, flags)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                handle.close()
            return


def _decoded_whole(image: Image.Image) -> bool:
    """Whether the picture can only be decoded at full size (not a baseline JPEG)."""
    return image.format not in ("JPEG", "MPO") or bool(
        image.info.get("progressive") or image.info.get("progression")
    )


def _stream(source: PhotoSource) -> tuple[IO[bytes], int]:
    """The upload as a seekable stream at its start, and its size in bytes (an upload cut
    off at the upload handler's cap, ``core.uploads.TooLargeUpload``, gives the size sent)."""
    if isinstance(source, bytes):
        return io.BytesIO(source), len(source)
    size = getattr(source, "size", None)
    if not isinstance(size, int):
        size = source.seek(0, io.SEEK_END)
    source.seek(0)
    return source, size


def photo_digest(source: PhotoSource) -> str:
    """The SHA-256 of the file as sent, read in chunks (never the whole file at once)."""
    stream, _size = _stream(source)
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 16):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled down to fit a square of ``side`` pixels (never up)."""
    scale = side / max(size)
    if scale >= 1:
        return size
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def _plain_rgb(image: Image.Image) -> Image.Image:
    """The picture alone, in RGB (transparency over white), with no metadata: no EXIF, no
    comment (Pillow's JPEG writer copies ``info["comment"]``), no ICC profile, no XMP. A
    picture already in RGB (a phone's JPEG) is itself made plain, not copied: it was decoded
    for this alone."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        plain = Image.new("RGB", rgba.size, (255, 255, 255))
        plain.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode == "RGB":
        plain = image
    else:
        plain = image.convert("RGB")
    plain.info = {}
    return plain


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def _opened(source: PhotoSource) -> tuple[Image.Image, IO[bytes], str]:
    """The photo opened from its header (nothing decoded), its stream and SHA-256, if it is a
    JPEG, PNG or WebP within the limits in bytes and in pixels; else a clear error on ``file``."""
    limit = settings.SAMBANG_PHOTO_MAX_BYTES
    stream, size = _stream(source)
    if size > limit:
        raise _reject(
            _("The file is %(size)s MB; photos may be at most %(limit)s MB.")
            % {"size": round(size / 1e6, 1), "limit": round(limit / 1e6)}
        )
    if not size:
        raise _reject(_("The file is empty."))
    sha256 = photo_digest(stream)
    try:
        # Opening reads the header only: the size is known before a pixel is decoded (above
        # twice MAX_PIXELS, Pillow itself refuses: DecompressionBombError).
        image = Image.open(stream, formats=ACCEPTED_FORMATS)
        pixels = image.width * image.height
        if pixels > MAX_PIXELS:
            raise _too_many_pixels(MAX_PIXELS)
        if _decoded_whole(image) and pixels > MAX_PIXELS_DECODED_WHOLE:
            raise _too_many_pixels(MAX_PIXELS_DECODED_WHOLE)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(MAX_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise _reject(_("This file is not a JPEG, PNG or WebP photo.")) from error
    return image, stream, sha256


def _complete(image: Image.Image, stream: IO[bytes]) -> bool:
    """Whether the file holds its picture to the end marker (a JPEG's EOI, a PNG's IEND, a
    WebP's declared length): an upload cut short is refused before it is stored. Bytes after
    the end, as some phones append (a motion photo's video), are allowed. Called just after
    opening: the stream then stands at the start of a JPEG's coded picture, past any EXIF
    thumbnail and its own end marker (the coded picture never holds the marker's bytes)."""
    if image.format == "WEBP":
        stream.seek(4)
        declared = int.from_bytes(stream.read(4), "little")
        return stream.seek(0, io.SEEK_END) >= declared + 8
    marker = b"IEND" if image.format == "PNG" else b"\xff\xd9"
    if image.format == "PNG":
        stream.seek(0)
    tail = b""
    while chunk := stream.read(1 << 20):
        if marker in chunk or marker in tail + chunk[: len(marker) - 1]:
            return True
        tail = chunk[-(len(marker) - 1) :]
    return False


def receive_photo(source: PhotoSource) -> ReceivedPhoto:
    """What the request checks before storing an upload as sent (``check_photo`` decodes it
    later, in the worker): its size, its header's format and size in pixels. A clear error
    on ``file`` otherwise. Milliseconds, whatever the photo."""
    image, stream, sha256 = _opened(source)
    if not _complete(image, stream):
        raise _reject(_("The photo is cut short: send it again."))
    extension = {"PNG": "png", "WEBP": "webp"}.get(image.format or "", "jpg")
    size = stream.seek(0, io.SEEK_END)
    stream.seek(0)
    return ReceivedPhoto(
        sha256,
        f"image/{extension.replace('jpg', 'jpeg')}",
        extension,
        image.width,
        image.height,
        size,
    )


def check_photo(source: PhotoSource, zone: ZoneInfo) -> CheckedPhoto:
    """The photo if it is a real JPEG, PNG or WebP within the limits, re-encoded without its
    metadata (its capture time and position read first); else a clear error on ``file``."""
    image, stream, sha256 = _opened(source)
    try:
        image.verify()
        stream.seek(0)
        image = Image.open(stream, formats=ACCEPTED_FORMATS)
        with _decoding_slot():
            image.draft("RGB", _fit(image.size, STORED_MIN_SIDE))
            image.load()
            taken_at, latitude, longitude = _exif_or_nothing(image, zone)
            image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
            stored = _plain_rgb(_upright(image))
            del image
            data = _jpeg(stored, STORED_QUALITY)
            phash = int(str(imagehash.phash(stored)), 16)
            width, height = stored.size
            stored.thumbnail(THUMBNAIL_SIZE)
            thumbnail = _jpeg(stored, 80)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(MAX_PIXELS) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as error:
        raise _reject(_("This file is not a JPEG, PNG or WebP photo.")) from error
    return CheckedPhoto(
        data=data,
        content_type="image/jpeg",
        extension="jpg",
        sha256=sha256,
        width=width,
        height=height,
        phash=phash - (1 << 64) if phash >= 1 << 63 else phash,
        thumbnail=thumbnail,
        taken_at=taken_at,
        latitude=latitude,
        longitude=longitude,
    )


def phash_quarters(phash: int) -> tuple[int, int, int, int]:
    """A perceptual hash's four 16-bit quarters (what the index looks photos up by)."""
    unsigned = phash & 0xFFFF_FFFF_FFFF_FFFF
    return (
        unsigned & 0xFFFF,
        (unsigned >> 16) & 0xFFFF,
        (unsigned >> 32) & 0xFFFF,
        (unsigned >> 48) & 0xFFFF,
    )
