"""A catalogue of bad inputs, by family, for every kind of field a write takes.

The tests in ``sambang/tests/test_bad_inputs.py`` read each write's fields (from the
OpenAPI document for the JSON API, from a short list for the HTML forms), ask
:func:`bad_values` for the values that must be refused, and check that each one is
answered with a 4xx naming the field, and that nothing was written.

Text that merely *looks* dangerous (``<script>``, ``' OR 1=1``) is valid text: it is
in :data:`HOSTILE_TEXT`, which must be accepted or refused cleanly and, when stored,
come back escaped (pages, PDF) or neutralised (spreadsheet formulas).
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from typing import Any

# Codes that name a row elsewhere (a village, a unit, an officer's NRP, a catalogue entry):
# a value that names nothing is refused for the field, not a 404 or a 500.
CODE_FIELDS = {"village", "unit", "officer", "activity_type", "category", "citizen_reports"}

# The years outside which no date of police work is plausible.
FAR_PAST_YEAR = 1900
FAR_FUTURE_YEAR = 2999

LONG = 200_000  # characters: far beyond any column, well within a request


@dataclass(frozen=True)
class Field:
    """One input of a write, as far as bad values go."""

    name: str  # dotted for nested inputs: "household.rt"
    kind: str  # text, code, enum, number, integer, date, datetime, time, uuid, boolean, list, json
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = False
    item_kind: str | None = None  # for lists: the kind of each item


@dataclass(frozen=True)
class Bad:
    family: str
    label: str
    value: Any


def _text(field: Field) -> list[Bad]:
    limit = field.max_length
    values = [
        Bad("long", "one past the limit" if limit else "very long", "x" * ((limit or LONG) + 1)),
        Bad("long", "very long", "x" * LONG),
        Bad("unicode", "NUL byte", "before\x00after"),
        Bad("unicode", "lone surrogate", "before\ud800after"),
        Bad("type", "an object", {"text": "x"}),
        Bad("type", "a list", ["x", "y"]),
    ]
    return values


def _code(field: Field) -> list[Bad]:
    return [
        Bad("code", "unknown code", "ZZ.99.99.9999"),
        Bad("code", "SQL in a code", "' OR '1'='1"),
        Bad("code", "path in a code", "../../etc/passwd"),
        *_text(field),
    ]


def _enum(field: Field) -> list[Bad]:
    values = [
        Bad("code", "unknown choice", "not-a-choice"),
        Bad("code", "SQL in a choice", "approve' OR '1'='1"),
        Bad("type", "a list", ["x"]),
        Bad("type", "an object", {"x": 1}),
    ]
    if not field.nullable:
        values.append(Bad("type", "null", None))
    return values


def _number(field: Field, integer: bool) -> list[Bad]:
    values = [
        Bad("type", "not a number", "abc"),
        Bad("type", "decimal comma", "1,5"),
        Bad("type", "an object", {"value": 1}),
        Bad("range", "not a number (NaN)", "NaN"),
        Bad("range", "infinity", "Infinity"),
        Bad("range", "overflowing exponent", "1e400"),
    ]
    if field.minimum is not None:
        values.append(Bad("range", "below the minimum", field.minimum - 1))
    if field.maximum is not None and field.maximum < 2**63 - 1:
        values.append(Bad("range", "above the maximum", field.maximum + 1))
    if integer:
        values += [
            Bad("type", "a fraction", 1.5),
            Bad("range", "beyond 64 bits", 2**63),
            Bad("range", "forty digits", 10**40),
        ]
    return values


def _date(field: Field) -> list[Bad]:
    return [
        Bad("time", "no such day", "2024-02-30"),
        Bad("time", "not a date", "someday"),
        Bad("time", "far in the past", f"{FAR_PAST_YEAR}-01-01"),
        Bad("time", "far in the future", f"{FAR_FUTURE_YEAR}-01-01"),
        Bad("time", "the last day of the calendar", "9999-12-31"),
        Bad("time", "the first day of the calendar", "0001-01-01"),
        Bad("type", "a number", 20240101),
    ]


def _datetime(field: Field) -> list[Bad]:
    return [
        Bad("time", "no such moment", "2024-13-45T25:61:00"),
        Bad("time", "not a time", "yesterday"),
        Bad("time", "far in the past", f"{FAR_PAST_YEAR}-01-01T08:00:00+07:00"),
        Bad("time", "far in the future", f"{FAR_FUTURE_YEAR}-01-01T08:00:00+07:00"),
        Bad("time", "past the calendar in UTC", "9999-12-31T23:00:00-12:00"),
        Bad("time", "before the calendar in UTC", "0001-01-01T01:00:00+14:00"),
        Bad("type", "a number", 1700000000),
    ]


def _time(field: Field) -> list[Bad]:
    return [
        Bad("time", "hour 25", "25:00"),
        Bad("time", "minute 61", "12:61"),
        Bad("time", "a word", "noon"),
    ]


def _uuid(field: Field) -> list[Bad]:
    return [
        Bad("type", "not a UUID", "not-a-uuid"),
        Bad("type", "SQL in a UUID", "' OR 1=1 --"),
        Bad("type", "an object", {"uuid": "x"}),
    ]


def _boolean(field: Field) -> list[Bad]:
    return [
        Bad("type", "not a truth value", "maybe"),
        Bad("type", "a list", [True]),
    ]


def _list(field: Field) -> list[Bad]:
    values = [
        Bad("type", "not a list", {"x": 1}),
        Bad("type", "a list of objects", [{"x": 1}]),
    ]
    if field.item_kind in ("enum", "code", "uuid", "integer"):
        values.append(Bad("code", "an item naming nothing", ["not-a-choice"]))
    if field.item_kind == "integer":
        values.append(Bad("code", "an id of nothing", [2**31 - 1]))
    if field.item_kind == "uuid":
        values.append(Bad("code", "a UUID of nothing", ["00000000-0000-4000-8000-000000000000"]))
    if field.item_kind == "code":
        values.append(Bad("code", "a code of nothing", ["ZZ-NOTHING"]))
    values.append(Bad("long", "ten thousand items", ["x"] * 10_000))
    return values


def _json(field: Field) -> list[Bad]:
    return [
        Bad("unicode", "NUL byte inside", {"Minggu": ["before\x00after"]}),
        Bad("unicode", "lone surrogate inside", {"Minggu": ["before\ud800after"]}),
        Bad("long", "very long inside", {"Minggu": ["x" * LONG]}),
    ]


_FAMILIES = {
    "text": _text,
    "code": _code,
    "enum": _enum,
    "number": lambda f: _number(f, integer=False),
    "integer": lambda f: _number(f, integer=True),
    "date": _date,
    "datetime": _datetime,
    "time": _time,
    "uuid": _uuid,
    "boolean": _boolean,
    "list": _list,
    "json": _json,
}


def bad_values(field: Field) -> list[Bad]:
    """Every value of the catalogue that this field must refuse."""
    return _FAMILIES[field.kind](field)


def field_from_schema(name: str, schema: dict[str, Any], components: dict[str, Any]) -> Field:
    """A field as the OpenAPI document describes it (drf-spectacular's shapes)."""
    schema = resolve(schema, components)
    nullable = bool(schema.get("nullable"))
    kind_of = {"number": "number", "integer": "integer", "boolean": "boolean"}
    leaf = name.rsplit(".", 1)[-1]
    if "enum" in schema or "oneOf" in schema:
        kind = "enum"
    elif schema.get("type") == "array":
        items = resolve(schema.get("items", {}), components)
        item = field_from_schema(leaf, items, components) if items else None
        return Field(name, "list", item_kind=item.kind if item else None)
    elif schema.get("type") in kind_of:
        kind = kind_of[schema["type"]]
    elif schema.get("type") == "string":
        fmt = schema.get("format")
        kind = {"date": "date", "date-time": "datetime", "time": "time", "uuid": "uuid"}.get(
            fmt or "", "code" if leaf in CODE_FIELDS else "text"
        )
    else:
        kind = "json"
    return Field(
        name,
        kind,
        max_length=schema.get("maxLength"),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        nullable=nullable,
    )


def resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return dict(components[schema["$ref"].rsplit("/", 1)[-1]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return {**resolve(schema["allOf"][0], components), "nullable": schema.get("nullable")}
    return schema


def fields_from_schema(schema: dict[str, Any], components: dict[str, Any]) -> list[Field]:
    """The writable fields of a request body, nested objects flattened to dotted names."""
    schema = resolve(schema, components)
    fields: list[Field] = []
    for name, prop in schema.get("properties", {}).items():
        prop = resolve(prop, components)
        if prop.get("readOnly") or prop.get("format") == "binary":
            continue
        if prop.get("type") == "object" and "properties" in prop:
            fields += [
                Field(f"{name}.{f.name}", f.kind, f.max_length, f.minimum, f.maximum, f.nullable)
                for f in fields_from_schema(prop, components)
            ]
        else:
            fields.append(field_from_schema(name, prop, components))
    return fields


# Whole request bodies that no write accepts: (label, content type, bytes).
BAD_BODIES: list[tuple[str, str, bytes]] = [
    ("invalid UTF-8", "application/json", b'{"text": "\xff\xfe\xfd"}'),
    ("overlong UTF-8 slash", "application/json", b'{"text": "\xc0\xaf\xc0\xaf"}'),
    ("UTF-16 surrogate in UTF-8", "application/json", b'{"text": "\xed\xa0\x80"}'),
    ("raw NUL byte", "application/json", b'{"text": "a\x00b"}'),
    ("not JSON", "application/json", b"<xml>not json</xml>"),
    ("a JSON list", "application/json", b'["not", "an", "object"]'),
    ("a JSON string", "application/json", b'"text"'),
    ("NaN literal", "application/json", b'{"latitude": NaN}'),
    ("deep nesting", "application/json", b"[" * 100_000 + b"]" * 100_000),
    ("plain text", "text/plain", b"narrative=hello"),
    ("XML", "application/xml", b"<?xml version='1.0'?><a>b</a>"),
]

# Values of a URL's path parameters, as sent on the wire (percent-encoded): (label, value).
# One with a NUL names no record anywhere and is a 404 in the one error shape; the others
# must be answered without a server error.
NUL_PATH_VALUES: list[tuple[str, str]] = [
    ("NUL byte inside", "32.16%00"),
    ("only a NUL byte", "%00"),
]
BAD_PATH_VALUES: list[tuple[str, str]] = [
    *NUL_PATH_VALUES,
    ("very long", "x" * 4000),
    ("beyond a bigint", "9" * 30),
    ("invalid UTF-8", "%ff%fe"),
    ("encoded surrogate", "%ed%a0%80"),
    ("dot segments", ".."),
    ("SQL", "1%27%20OR%20%271%27=%271"),
]

# Query strings of a list (``limit``/``offset``) that must not reach the database as they
# are: (label, query). Each is answered with a page of at most the largest ``limit``.
BAD_PAGINATION: list[tuple[str, str]] = [
    ("limit beyond a bigint", "limit=" + "9" * 20),
    ("offset beyond a bigint", "offset=" + "9" * 20),
    ("both beyond a bigint", "limit=" + "9" * 30 + "&offset=" + "9" * 30),
    ("limit just past a bigint", f"limit={2**63}"),
    ("negative limit", "limit=-1"),
    ("zero limit", "limit=0"),
    ("negative offset", "offset=-5"),
    ("limit in exponent form", "limit=1e9"),
    ("limit as a fraction", "limit=2.5"),
    ("limit twice", "limit=1&limit=" + "9" * 20),
]

# Valid text that must be stored or refused cleanly, and always come back inert.
HOSTILE_TEXT: list[str] = [
    "<script>alert('sambang')</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE fieldwork_activityreport; --",
    "' OR '1'='1",
    '=HYPERLINK("http://evil.example","klik")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "{{ 7*7 }} {% now 'Y' %}",
    "\u202etxt.exe",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A small PNG that declares a huge image: its pixels never have to be decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * width  # filter byte + one grey byte per pixel
    compressor = zlib.compressobj(9)
    data = io.BytesIO()
    for _ in range(64):  # a few rows: enough for a decoder to start, small on the wire
        data.write(compressor.compress(row))
    data.write(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", data.getvalue())
        + chunk(b"IEND", b"")
    )


def jpeg_pixel_bomb(width: int = 10_000, height: int = 5_000) -> bytes:
    """A valid baseline JPEG of ``width`` × ``height`` grey pixels, small on the wire (0.3 MB
    at 50 megapixels, under Pillow's default limit): every 8×8 block is the same (no DC
    change, no AC), coded with one-bit Huffman codes. Decoded whole, it holds 200 MB."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    one_code = b"\x01" + b"\x00" * 15 + b"\x00"  # one code, one bit long, for symbol 0
    components = b"\x01\x22\x00\x02\x11\x00\x03\x11\x00"  # Y 2×2, Cb and Cr 1×1
    mcus = -(-width // 16) * -(-height // 16)
    bits = mcus * 6 * 2  # six blocks an MCU, each a "0" (DC unchanged) and a "0" (EOB)
    scan = b"\x00" * (bits // 8) + (bytes([0xFF >> (bits % 8)]) if bits % 8 else b"")
    return (
        b"\xff\xd8"
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 3) + components)
        + segment(0xC4, b"\x00" + one_code + b"\x10" + one_code)
        + segment(0xDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00")
        + scan
        + b"\xff\xd9"
    )


# Files that are not photos, whatever their name or content type says:
# (label, file name, content type, bytes).
BAD_FILES: list[tuple[str, str, str, bytes]] = [
    ("a script named .jpg", "photo.jpg", "image/jpeg", b"#!/bin/sh\nrm -rf /\n"),
    (
        "an HTML page labelled an image",
        "photo.png",
        "image/png",
        b"<html><script>alert(1)</script></html>",
    ),
    ("an SVG with a script", "photo.svg", "image/svg+xml", b"<svg onload=alert(1)></svg>"),
    ("an empty file", "photo.jpg", "image/jpeg", b""),
    ("a PDF", "photo.jpg", "image/jpeg", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"),
    ("a decompression bomb", "photo.png", "image/png", png_bomb()),
    ("a 50-megapixel JPEG of 0.3 MB", "photo.jpg", "image/jpeg", jpeg_pixel_bomb()),
]


def _photo_with_identity() -> bytes:
    """A phone's photo: capture time, GPS position, the phone's make and model in EXIF."""
    from PIL import ExifTags, Image

    from sambang.testing.fieldwork import photo_bytes

    image = Image.open(io.BytesIO(photo_bytes(11, position=(-6.2346, 107.0021))))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "SAMSUNG-MAKE"
    exif[ExifTags.Base.Model] = "SM-A515F-MODEL"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:02 09:15:00"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"COMMENT-FROM-THE-PHONE")
    return out.getvalue()


def _jpeg_with_comment(comment: bytes) -> bytes:
    from sambang.testing.fieldwork import photo_bytes

    photo = photo_bytes(12)
    return photo[:2] + b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment + photo[2:]


def _jpeg_with_a_second_picture() -> bytes:
    from PIL import Image

    from sambang.testing.fieldwork import photo_bytes

    image = Image.open(io.BytesIO(photo_bytes(15)))
    out = io.BytesIO()
    image.save(out, "MPO", save_all=True, append_images=[image.resize((160, 120))])
    return out.getvalue()


def _zip_archive() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return out.getvalue()


def reencoded_files() -> list[tuple[str, str, str, bytes, list[bytes]]]:
    """Real photos that carry more than a picture: accepted, and never stored as sent.
    (label, file name, content type, bytes, what must not reach the stored file)."""
    from sambang.testing.fieldwork import photo_bytes

    script = b"<html><script>alert(1)</script></html>"
    return [
        (
            "a phone's photo with GPS, make and model",
            "phone.jpg",
            "image/jpeg",
            _photo_with_identity(),
            [b"Exif", b"SAMSUNG-MAKE", b"SM-A515F-MODEL", b"COMMENT-FROM-THE-PHONE"],
        ),
        (
            "a JPEG with a ZIP appended",
            "polyglot.jpg",
            "image/jpeg",
            photo_bytes(13) + _zip_archive(),
            [b"PK\x03\x04", b"index.html"],
        ),
        (
            "a JPEG with an HTML page appended",
            "polyglot.jpg",
            "image/jpeg",
            photo_bytes(14) + script,
            [b"<script"],
        ),
        (
            "a JPEG with an HTML page in its comment",
            "polyglot.jpg",
            "image/jpeg",
            _jpeg_with_comment(script),
            [b"<script"],
        ),
        (
            "a JPEG carrying a second picture (MPO, as phones write a depth or HDR map)",
            "phone-mpo.jpg",
            "image/jpeg",
            _jpeg_with_a_second_picture(),
            [b"MPF\x00"],
        ),
    ]
