"""The acceptance receipt (受理回执): a PDF the applicant keeps while the office holds the
passport — case reference, application type, date accepted, due date, documents held."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm

from notices.acknowledgement import TYPE_NAMES
from notices.pdf_page import FONT, close_page, labelled_rows, open_page


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
    page, buffer = open_page(A5, f"受理回执 Acceptance receipt {receipt.reference}")
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
    y = labelled_rows(page, rows, y=height - 34 * mm, label_x=12 * mm, value_x=55 * mm,
                      step=8 * mm, label_size=9, value_size=10)
    page.setFont(FONT, 9)
    page.drawString(12 * mm, y, "本部门保管的材料 Documents held by the office:")
    for line in receipt.documents_held:
        y -= 6 * mm
        page.drawString(16 * mm, y, f"· {line}")
    page.setFont(FONT, 8)
    page.drawString(12 * mm, 14 * mm, "请妥善保存本回执，领取或邮寄回护照时核对。")
    page.drawString(12 * mm, 10 * mm, "Keep this receipt: it is checked when the passport is returned.")
    return close_page(page, buffer)
