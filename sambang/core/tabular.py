"""Reading CSV and XLSX uploads as rows, and reporting errors row by row."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sambang.core.errors import ApplicationError

MAX_ROWS = 200_000
WHOLE_ROW = "row"  # the "column" of an error about a row as a whole

# Each column of an import file also goes by an Indonesian name, which the Indonesian pages
# show and every import accepts: a file written from the Indonesian help reads as one
# written from the English.
INDONESIAN = {
    "village": "desa",
    "occurred_at": "waktu_kejadian",
    "category": "kategori",
    "description": "uraian",
    "groups_involved": "kelompok_terlibat",
    "dead": "meninggal",
    "injured": "luka",
    "losses_idr": "kerugian_rp",
    "latitude": "lintang",
    "longitude": "bujur",
    "unit": "satuan",
    "officer": "nrp",  # an officer is named by NRP
    "kind": "jenis",
    "good": "baik",
    "light_damage": "rusak_ringan",
    "heavy_damage": "rusak_berat",
    "note": "catatan",
    "fiscal_year": "tahun_anggaran",
    "allocation_idr": "pagu_rp",
    "realization_idr": "realisasi_rp",
    "monthly_idr": "per_bulan_rp",
    "course": "kursus",
    "title": "judul",
    "start_date": "tanggal_mulai",
    "end_date": "tanggal_selesai",
    "passed": "lulus",
    "year": "tahun",
    "month": "bulan",
    "count": "jumlah",
    "source": "sumber",
}


def column_name(name: str) -> str:
    """A column's name as the reader's language writes it in a file."""
    indonesian = (get_language() or "").startswith("id")
    return INDONESIAN.get(name, name) if indonesian else name


@dataclass
class RowError:
    row: int  # the line or sheet row number a person sees (header is row 1)
    field: str
    message: str

    def __str__(self) -> str:
        if self.field == WHOLE_ROW:
            return _("row %(row)s: %(problem)s") % {"row": self.row, "problem": self.message}
        return _("row %(row)s, %(column)s: %(problem)s") % {
            "row": self.row,
            "column": column_name(self.field),
            "problem": self.message,
        }


@dataclass
class RowErrors:
    errors: list[RowError] = field(default_factory=list)

    def add(self, row: int, field_name: str, message: str) -> None:
        self.errors.append(RowError(row, field_name, message))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def as_fields(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for error in self.errors:
            grouped.setdefault(f"row {error.row}", []).append(f"{error.field}: {error.message}")
        return grouped


def read_rows(
    path: Path, required: list[str], known: list[str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX file as ``(row number, {column: text})``.

    Column names are matched case-insensitively, spaces read as underscores; the ``known``
    columns (the required ones if not given) are also found by their Indonesian names. A
    missing required column is an error for the whole file.
    """
    try:
        if path.suffix.lower() == ".xlsx":
            header, body = _xlsx(path)
        else:
            header, body = _csv(path)
    except (
        OSError,
        UnicodeDecodeError,
        csv.Error,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
    ) as error:
        raise ApplicationError(
            _("Cannot read %(file)s: %(error)s") % {"file": path.name, "error": error},
            code="invalid_file",
        ) from error
    aliases = {INDONESIAN[name]: name for name in known or required if name in INDONESIAN}
    columns = []
    for cell in header:
        name = "_".join(str(cell or "").lower().split())
        columns.append(name if name in (known or required) else aliases.get(name, name))
    missing = [name for name in required if name not in columns]
    if missing:
        raise ApplicationError(
            _("%(file)s lacks the columns: %(columns)s.")
            % {"file": path.name, "columns": ", ".join(column_name(name) for name in missing)},
            code="invalid_file",
            fields={name: [_("This column is required.")] for name in missing},
        )
    rows = []
    for number, values in body:
        cells = ["" if value is None else str(value).strip() for value in values]
        if not any(cells):
            continue
        rows.append((number, dict(zip(columns, cells, strict=False))))
        if len(rows) > MAX_ROWS:
            raise ApplicationError(
                _("%(file)s has more than %(n)s rows.") % {"file": path.name, "n": MAX_ROWS},
                code="invalid_file",
            )
    return rows


@contextmanager
def upload_path(upload: UploadedFile) -> Iterator[Path]:
    """An uploaded CSV or XLSX file as a path that ``read_rows`` reads, removed afterwards.

    The suffix says how the file is read: ``.xlsx`` as a workbook, anything else as CSV.
    """
    suffix = Path(upload.name or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=".xlsx" if suffix == ".xlsx" else ".csv") as f:
        for chunk in upload.chunks():
            f.write(chunk)
        f.flush()
        yield Path(f.name)


def _csv(path: Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    text = path.read_text(encoding="utf-8-sig")
    dialect: type[csv.Dialect] = csv.excel
    if any(separator in text[:4096] for separator in ",;\t"):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    # else one column (a list of NRPs, say): nothing to sniff
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, [])
    return header, [(number, list(row)) for number, row in enumerate(reader, start=2)]


def _xlsx(path: Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "") for cell in next(rows, ())]
    body = [(number, list(row)) for number, row in enumerate(rows, start=2)]
    workbook.close()
    return header, body


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do); nothing is written when errors exist."""

    created: int = 0
    updated: int = 0
    dry_run: bool = False
    errors: RowErrors = field(default_factory=RowErrors)

    @property
    def ok(self) -> bool:
        return not self.errors
