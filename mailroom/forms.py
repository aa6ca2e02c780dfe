"""Draws the office's bilingual application form as a fillable PDF (AcroForm).

The field names are DESIGN.md's; ``render_application_form(values)`` pre-fills them, which is
how the demo and the tests make the filled forms applicants e-mail in.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors import form_layout as layout
from extractors.application_form import FORM_FIELDS


def render_application_form(values: dict[str, str] | None = None) -> bytes:
    values = values or {}
    pdfmetrics.registerFont(UnicodeCIDFont(layout.LABEL_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    page.setTitle("Application form / 申请表")
    page.setFont(layout.LABEL_FONT, 16)
    page.drawCentredString(width / 2, height - 20 * mm, layout.TITLE)
    for name in FORM_FIELDS:
        box = layout.field_box(name)
        page.setFont(layout.LABEL_FONT, layout.LABEL_SIZE_PT)
        page.drawString(layout.LABEL_LEFT_MM * mm, height - layout.label_baseline(name) * mm,
                        layout.LABELS[name])
        page.acroForm.textfield(
            name=name,
            value=values.get(name, ""),
            x=box.left * mm,
            y=height - box.bottom * mm,
            width=(box.right - box.left) * mm,
            height=(box.bottom - box.top) * mm,
            fontName="Helvetica",
            fontSize=10,
            borderWidth=0.5,
            forceBorder=True,
        )
    page.showPage()
    page.save()
    return buffer.getvalue()
