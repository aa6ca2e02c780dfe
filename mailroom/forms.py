"""Draws the office's bilingual application form as a fillable PDF (AcroForm).

The field names are DESIGN.md's. ``blank_application_form()`` is what applicants download and
print (also committed as ``forms/application_form.pdf``): the form, then a page explaining every
code of its drop-down lists in Chinese and English. ``render_application_form(values)``
pre-fills the form page, which is how the demo and the tests make the filled forms applicants
e-mail in.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from extractors import form_layout as layout
from extractors.application_form import FORM_FIELDS
from extractors.form_choices import CHOICES, display

LEGEND_TITLE = "填表代码说明 · Codes used on the form"


def render_application_form(values: dict[str, str] | None = None) -> bytes:
    return _draw(values or {}, legend=False)


@cache
def blank_application_form() -> bytes:
    return _draw({}, legend=True)


def _draw(values: dict[str, str], legend: bool) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(layout.LABEL_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle("Application form / 申请表")
    _form_page(page, values)
    if legend:
        _legend_page(page)
    page.save()
    return buffer.getvalue()


def _form_page(page: canvas.Canvas, values: dict[str, str]) -> None:
    width, height = A4
    page.setFont(layout.LABEL_FONT, 16)
    page.drawCentredString(width / 2, height - 20 * mm, layout.TITLE)
    for name in FORM_FIELDS:
        box = layout.field_box(name)
        page.setFont(layout.LABEL_FONT, layout.LABEL_SIZE_PT)
        page.drawString(layout.LABEL_LEFT_MM * mm, height - layout.label_baseline(name) * mm,
                        layout.LABELS[name])
        where = {"x": box.left * mm, "y": height - box.bottom * mm,
                 "width": (box.right - box.left) * mm, "height": (box.bottom - box.top) * mm,
                 "fontName": "Helvetica", "fontSize": 10, "borderWidth": 0.5, "forceBorder": True}
        value = values.get(name, "")
        choices = CHOICES.get(name)
        if choices and (not value or value in {c.code for c in choices}):
            # (shown, exported): the form's value is the code, the list shows its words too
            # (shown, exported): the value is the code, the list shows its words too; the
            # first entry, shown as a space, is "not chosen yet" (reportlab needs a value)
            options = [(" ", "")] + [(display(c), c.code) for c in choices]
            page.acroForm.choice(name=name, value=value or " ", options=options, **where)
        else:
            # a sample with a value outside the list (a test of what validation does with it)
            page.acroForm.textfield(name=name, value=value, **where)
    page.showPage()


def _legend_page(page: canvas.Canvas) -> None:
    _, height = A4
    y = height - 20 * mm
    page.setFont(layout.LABEL_FONT, 14)
    page.drawString(layout.LABEL_LEFT_MM * mm, y, LEGEND_TITLE)
    for name, choices in CHOICES.items():
        y -= 10 * mm
        page.setFont(layout.LABEL_FONT, 11)
        page.drawString(layout.LABEL_LEFT_MM * mm, y, layout.LABELS[name])
        page.setFont(layout.LABEL_FONT, 9)
        for choice in choices:
            y -= 5 * mm
            page.drawString((layout.LABEL_LEFT_MM + 5) * mm, y, choice.code)
            page.drawString((layout.LABEL_LEFT_MM + 65) * mm, y, f"{choice.zh}  {choice.en}")
    page.showPage()
