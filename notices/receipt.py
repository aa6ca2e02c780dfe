"""The acceptance receipt (受理回执): a PDF the applicant keeps while the office holds the
passport — case reference, application type, date accepted, due date, documents held."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from notices.acknowledgement import TYPE_NAMES

FONT = "STSong-Light"  # an Adobe CID font every PDF reader has; nothing to ship


@dataclass(frozen=True)
class Receipt:
    reference: str
    application_type: str | None
    applicant_name: str
    accepted_on: dt.date
    due: dt.date
    due_provisional: bool
    documents_held: Sequence[str]  # one line each, bilingual


def render_receipt(receipt: Receipt) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A5, invariant=True)
    page.setTitle(f"受理回执 Acceptance receipt {receipt.reference}")
    width, height = A5
    page.setFont(FONT, 15)
    page.drawCentredString(width / 2, height - 18 * mm, "受理回执 · Acceptance receipt")
    zh_type, en_type = TYPE_NAMES.get(receipt.application_type or "", ("出入境业务", "exit-entry"))
    due = receipt.due.isoformat() + (" (暂定 provisional)" if receipt.due_provisional else "")
    rows = [
        ("案件编号 Case reference", receipt.reference),
        ("申请类别 Application", f"{zh_type} {en_type}"),
        ("申请人 Applicant", receipt.applicant_name),
        ("受理日期 Accepted on", receipt.accepted_on.isoformat()),
        ("预计办结 Due by", due),
    ]
    y = height - 34 * mm
    for label, value in rows:
        page.setFont(FONT, 9)
        page.drawString(12 * mm, y, label)
        page.setFont(FONT, 10)
        page.drawString(55 * mm, y, value)
        y -= 8 * mm
    page.setFont(FONT, 9)
    page.drawString(12 * mm, y, "本部门保管的材料 Documents held by the office:")
    for line in receipt.documents_held:
        y -= 6 * mm
        page.drawString(16 * mm, y, f"· {line}")
    page.setFont(FONT, 8)
    page.drawString(12 * mm, 14 * mm, "请妥善保存本回执，领取或邮寄回护照时核对。")
    page.drawString(12 * mm, 10 * mm, "Keep this receipt: it is checked when the passport is returned.")
    page.showPage()
    page.save()
    return buffer.getvalue()
