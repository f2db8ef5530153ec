"""Tables as CSV and XLSX downloads, row by row, never the whole table in memory.

A page offers its table for download with ``?export=csv`` or ``?export=xlsx``; the view
passes the same scoped queryset it shows (iterated in chunks) and the columns to write.
CSV streams as it is read. XLSX is written by XlsxWriter in constant-memory mode to a
temporary file, then sent. Cells that a spreadsheet would read as a formula are written
as text (CSV and formula injection: OWASP).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_575  # a sheet's rows below its header; more go on to the next sheet
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column[T]:
    header: str  # the CSV's column name: stable, the same in every language
    value: Callable[[T], Any]
    label: str | Promise = ""  # for people (an XLSX's or a PDF's heading); else ``header``

    @property
    def title(self) -> str:
        return str(self.label) if self.label else self.header


def requested_format(request: HttpRequest) -> str | None:
    """``csv`` or ``xlsx`` when the request asks for a download of the page's table."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else None


def _plain(value: Any) -> Any:
    """A cell value: local time for moments, text for what has no number."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | dt.date):
        return value
    return str(value)


def _text(value: str) -> str:
    """Text that no spreadsheet evaluates: a leading formula character is quoted."""
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines[T](rows: Iterable[T], columns: Sequence[Column[T]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that spreadsheets read the file as UTF-8
    yield writer.writerow([column.header for column in columns])
    for row in rows:
        cells = []
        for column in columns:
            value = _plain(column.value(row))
            if isinstance(value, dt.datetime):
                value = value.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(value, dt.date):
                value = value.isoformat()
            cells.append(_text(value) if isinstance(value, str) else value)
        yield writer.writerow(cells)


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Iterable[Any]
    columns: Sequence[Column[Any]]


def _write_sheets(book: Any, sheet: Sheet) -> None:
    """The rows on a worksheet of their own (more on the next when one is full)."""
    bold = book.add_format({"bold": True})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    title = "".join(c for c in sheet.title if c not in "[]:*?/\\")[:28] or None
    worksheet = None
    row_number = XLSX_MAX_ROWS
    part = 0
    for row in sheet.rows:
        if row_number >= XLSX_MAX_ROWS:
            part += 1
            name = title if part == 1 or title is None else f"{title[:24]} ({part})"
            worksheet = book.add_worksheet(name)
            for index, column in enumerate(sheet.columns):
                worksheet.write_string(0, index, column.title, bold)
            row_number = 0
        row_number += 1
        assert worksheet is not None
        for index, column in enumerate(sheet.columns):
            value = _plain(column.value(row))
            if isinstance(value, dt.datetime):
                worksheet.write_datetime(row_number, index, value, moment)
            elif isinstance(value, dt.date):
                worksheet.write_datetime(row_number, index, value, day)
            elif isinstance(value, int | float):
                worksheet.write_number(row_number, index, value)
            elif value:
                worksheet.write_string(row_number, index, value)
    if worksheet is None:  # no rows: the header alone
        worksheet = book.add_worksheet(title)
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(0, index, column.title, bold)


def xlsx_file(sheets: Sequence[Sheet]) -> Any:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    book = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    for sheet in sheets:
        _write_sheets(book, sheet)
    book.close()
    handle.seek(0)
    return handle


def workbook_response(sheets: Sequence[Sheet], *, name: str) -> FileResponse:
    """Several tables as one XLSX workbook, a sheet each."""
    return FileResponse(
        xlsx_file(sheets),
        as_attachment=True,
        filename=f"{name}.xlsx",
        content_type=XLSX_TYPE,
    )


def export_response[T](
    rows: Iterable[T], columns: Sequence[Column[T]], *, name: str, fmt: str
) -> StreamingHttpResponse | FileResponse:
    """The rows as a download named ``name-<today>.csv`` or ``.xlsx``."""
    filename = f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_lines(rows, columns), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        xlsx_file([Sheet("", rows, columns)]),
        as_attachment=True,
        filename=filename,
        content_type=XLSX_TYPE,
    )
