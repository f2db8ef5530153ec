"""The visit sticker: who visited, where and when, and a QR code linking to the page where
a resident confirms the visit; as an A6 PDF to print, or the same as a PNG picture to send
by chat or print on a sticker printer."""

from __future__ import annotations

import io

import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from .models import HouseholdVisit

TITLE = "SAMBANG"
SUBTITLE = "Kunjungan Bhabinkamtibmas / Community police visit"
INSTRUCTIONS = (
    "Pindai untuk mengonfirmasi kunjungan dan memberi nilai.",
    "Scan to confirm the visit and rate it.",
)


def qr_png(url: str) -> bytes:
    """A plain QR code of ``url`` (the village report form's, or inside a sticker)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def _lines(visit: HouseholdVisit, local_date: str) -> list[str]:
    report = visit.report
    officer = report.officer
    return [
        f"{officer.get_rank_display()} {officer.name}",
        f"{report.village.name} - RT {visit.rt} / RW {visit.rw}",
        local_date,
    ]


def sticker_png(visit: HouseholdVisit, url: str, local_date: str) -> bytes:
    """The A6 sticker as a picture (840 × 1184 px, 8 px a millimetre): the PDF's text and
    QR code, for a phone to send or a label printer to print."""
    width, height = 840, 1184
    sticker = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(sticker)

    def centred(text: str, y: int, size: int) -> int:
        font = ImageFont.load_default(size=size)
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(((width - (box[2] - box[0])) / 2, y), text, fill="black", font=font)
        return y + round(box[3] - box[1]) + size // 2

    y = centred(TITLE, 60, 64)
    y = centred(SUBTITLE, y + 10, 26)
    y += 20
    for line in _lines(visit, local_date):
        y = centred(line, y, 34)
    qr = Image.open(io.BytesIO(qr_png(url))).convert("RGB")
    side = 480
    sticker.paste(qr.resize((side, side), Image.Resampling.NEAREST), ((width - side) // 2, y + 20))
    y += side + 60
    for line in INSTRUCTIONS:
        y = centred(line, y, 24)
    out = io.BytesIO()
    sticker.save(out, "PNG", optimize=True)
    return out.getvalue()


def sticker_pdf(visit: HouseholdVisit, url: str, local_date: str) -> bytes:
    """An A6 sticker: who visited, where and when, and the QR code to confirm it."""
    pdf = FPDF(format=(105, 148))  # A6, in millimetres
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.multi_cell(
        0,
        4.5,
        SUBTITLE,
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    for line in _lines(visit, local_date):
        pdf.cell(
            0,
            5,
            line.encode("latin-1", "replace").decode("latin-1"),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.image(io.BytesIO(qr_png(url)), x=(pdf.w - 60) / 2, y=pdf.get_y() + 3, w=60, h=60)
    pdf.set_y(pdf.get_y() + 66)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(
        0,
        4,
        "\n".join(INSTRUCTIONS),
        align="C",
    )
    return bytes(pdf.output())
