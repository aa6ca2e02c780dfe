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

from extractors.application_form import FORM_FIELDS

CJK_FONT = "STSong-Light"
LABELS: dict[str, str] = {
    "application_type": "申请类别 Application type",
    "surname": "姓 Surname",
    "given_names": "名 Given names",
    "nationality": "国籍 Nationality (ICAO)",
    "passport_number": "护照号码 Passport No.",
    "date_of_birth": "出生日期 Date of birth",
    "sex": "性别 Sex (M/F/X)",
    "email": "电子邮箱 E-mail",
    "phone": "电话 Phone",
    "address_in_china": "在华住址 Address in China",
    "employer_or_school": "工作单位/学校 Employer or school",
    "requested_until": "申请停留至 Requested until",
    "urgency": "紧急类别 Urgency",
    "urgency_reason": "紧急事由 Reason",
    "agent_name": "代办人 Agent",
    "agent_relation": "代办人关系 Agent relation",
    "inbound_waybill": "寄件运单号 Inbound waybill",
    "return_recipient": "回寄收件人 Return recipient",
    "return_phone": "收件人电话 Return phone",
    "return_address": "回寄地址 Return address",
    "return_postcode": "邮编 Postcode",
    "return_carrier": "快递公司 Carrier (ems/sf)",
    "declaration_date": "声明日期 Declaration date",
    "signature": "签名 Signature",
}


def render_application_form(values: dict[str, str] | None = None) -> bytes:
    values = values or {}
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    width, height = A4
    page.setTitle("Application form / 申请表")
    page.setFont(CJK_FONT, 16)
    page.drawCentredString(width / 2, height - 20 * mm, "出入境业务申请表 · Exit-Entry Application Form")
    top = height - 32 * mm
    row = 9.6 * mm
    for index, name in enumerate(FORM_FIELDS):
        y = top - index * row
        page.setFont(CJK_FONT, 9)
        page.drawString(15 * mm, y + 2 * mm, LABELS[name])
        page.acroForm.textfield(
            name=name,
            value=values.get(name, ""),
            x=80 * mm,
            y=y,
            width=115 * mm,
            height=7 * mm,
            fontName="Helvetica",
            fontSize=10,
            borderWidth=0.5,
            forceBorder=True,
        )
    page.showPage()
    page.save()
    return buffer.getvalue()
