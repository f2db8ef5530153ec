"""The monthly Anev as a PDF to take into the meeting: headline, trends, tables."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF, FontFace

from .anev import Anev
from .charts import Series, line_chart
from .tables import anev_tables


def _text(value: Any) -> str:
    """Text the PDF's core font can draw (Latin-1; anything else becomes '?'), decimals as
    the reader's language writes them (Bahasa Indonesia: 4,9)."""
    if value is None:
        return "-"
    if isinstance(value, float):
        value = formats.number_format(value, 1, use_l10n=True)
    return str(value).encode("latin-1", "replace").decode("latin-1")


def trend_chart(anev: Anev) -> str:
    return line_chart(
        [m.month.strftime("%m/%y") for m in anev.series],
        [
            Series(_("Completeness"), [m.completeness for m in anev.series]),
            Series(_("On time"), [m.timeliness for m in anev.series]),
            Series(_("Plan realized"), [m.realization for m in anev.series]),
        ],
        title=_("Reporting, last six months (%)"),
        maximum=100,
    )


def events_chart(anev: Anev) -> str:
    return line_chart(
        [t.month.strftime("%m/%y") for t in anev.trends],
        [
            Series(_("Incidents"), [t.incidents for t in anev.trends]),
            Series(_("Residents' reports"), [t.citizen for t in anev.trends]),
            Series(_("Trusted reports / 100"), [m.trusted / 100 for m in anev.series]),
        ],
        title=_("Incidents, residents' reports and activity, last six months"),
    )


def anev_pdf(anev: Anev, *, status: str, map_svg: str | None = None) -> bytes:
    pdf = FPDF(orientation="portrait", format="A4")
    pdf.set_title(_text(f"Anev {anev.unit.name} {anev.month:%Y-%m}"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, _text(_("Monthly analysis and evaluation")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.cell(
        0,
        7,
        _text(f"{anev.unit.name} - {anev.month:%m/%Y} - {status}"),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    now = anev.current
    headline = [
        (_("Completeness"), now.completeness, "%"),
        (_("On time"), now.timeliness, "%"),
        (_("Trusted reports"), now.trusted, ""),
        (_("Doubtful"), now.doubtful_share, "%"),
        (_("Plan realized"), now.realization, "%"),
        (_("Residents' reports"), anev.citizen.received, ""),
        (_("Overdue"), anev.citizen.overdue, ""),
    ]
    pdf.set_font("Helvetica", "", 10)
    for label, _value, _unit in headline:
        pdf.cell(31, 6, _text(label), border="LTR")
    pdf.ln()
    pdf.set_font("Helvetica", "B", 13)
    for _label, value, unit in headline:
        pdf.cell(31, 8, _text(f"{_text(value)}{unit if value is not None else ''}"), border="LBR")
    pdf.ln(11)
    pdf.image(io.BytesIO(trend_chart(anev).encode()), w=180)
    pdf.image(io.BytesIO(events_chart(anev).encode()), w=180)
    if map_svg:
        pdf.image(io.BytesIO(map_svg.encode()), w=180)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 234, 240))
    for table in anev_tables(anev):
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(0, 8, _text(table.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 7)
        with pdf.table(headings_style=heading, line_height=4.5, text_align="LEFT") as grid:
            header = grid.row()
            for column in table.columns:
                header.cell(_text(column.title))
            for item in table.rows:
                line = grid.row()
                for column in table.columns:
                    line.cell(_text(column.value(item)))
            if not table.rows:
                grid.row().cell(_text(_("None.")), colspan=len(table.columns))
    return bytes(pdf.output())
