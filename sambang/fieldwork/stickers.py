"""The visit sticker: a QR code linking to the page where a resident confirms the visit."""

from __future__ import annotations

import io

import segno
from fpdf import FPDF

from .models import HouseholdVisit


def sticker_png(url: str) -> bytes:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def sticker_pdf(visit: HouseholdVisit, url: str, local_date: str) -> bytes:
    """An A6 sticker: who visited, where and when, and the QR code to confirm it."""
    report = visit.report
    pdf = FPDF(format=(105, 148))  # A6, in millimetres
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, "SAMBANG", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        "Kunjungan Bhabinkamtibmas / Community police visit",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    officer = report.officer
    lines = [
        f"{officer.get_rank_display()} {officer.name}",
        f"{report.village.name} - RT {visit.rt} / RW {visit.rw}",
        local_date,
    ]
    for line in lines:
        pdf.cell(
            0,
            5,
            line.encode("latin-1", "replace").decode("latin-1"),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.image(io.BytesIO(sticker_png(url)), x=(pdf.w - 60) / 2, y=pdf.get_y() + 3, w=60, h=60)
    pdf.set_y(pdf.get_y() + 66)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        "Pindai untuk mengonfirmasi kunjungan dan memberi nilai.\n"
        "Scan to confirm the visit and rate it.",
        align="C",
    )
    return bytes(pdf.output())
