"""Cover sheets: a printed page whose QR code carries a case reference (read with a page's other
codes by ``extractors.barcodes.read_page_codes``).

A clerk prints one (``mailroom cover-sheet REF``), puts it on top of the papers that belong to
that case and scans the pile; processing starts a new document group at every cover sheet.
"""

from __future__ import annotations

import io
import re

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

PAYLOAD_PREFIX = "MAILROOM-COVER:"
PAYLOAD_PATTERN = re.compile(r"^MAILROOM-COVER:(MR-\d{4}-\d{6})$")
CJK_FONT = "STSong-Light"  # an Adobe CID font every PDF reader has; nothing to ship


def cover_payload(reference: str) -> str:
    return f"{PAYLOAD_PREFIX}{reference}"


def make_cover_sheet(reference: str, applicant_line: str | None = None) -> bytes:
    """A one-page A4 PDF: the QR code, the reference in large type, bilingual instructions."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    page.setTitle(f"Cover sheet {reference}")
    page.setFont(CJK_FONT, 22)
    page.drawCentredString(width / 2, height - 35 * mm, "案件材料封面 · Case cover sheet")
    page.setFont("Helvetica-Bold", 30)
    page.drawCentredString(width / 2, height - 55 * mm, reference)

    size = 80 * mm
    widget = QrCodeWidget(cover_payload(reference), barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, (width - size) / 2, height - 65 * mm - size)

    text_top = height - 160 * mm
    if applicant_line:
        page.setFont(CJK_FONT, 14)
        page.drawCentredString(width / 2, text_top, applicant_line)
    page.setFont(CJK_FONT, 11)
    lines = [
        "请将本页放在该案件材料的最上面一并扫描。",
        "Put this sheet on top of the papers for this case and scan them together.",
        "本页之后、下一张封面之前的所有页面都将归入此案件。",
        "Every page after this sheet, up to the next cover sheet, is filed to this case.",
    ]
    for index, line in enumerate(lines):
        page.drawCentredString(width / 2, text_top - (12 + 7 * index) * mm, line)
    page.showPage()
    page.save()
    return buffer.getvalue()
