"""The layout of the office's application form, in millimetres from the page's top-left corner.

One description serves both sides: ``mailroom/forms.py`` draws the form from it, and
``extractors/scanned_form.py`` reads a printed, filled and scanned copy by finding the labels
and OCR-ing the boxes where this layout says the values are.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.application_form import FORM_FIELDS

PAGE_MM = (210.0, 297.0)
LABEL_FONT = "STSong-Light"  # an Adobe CID font every PDF reader has; nothing to ship
LABEL_SIZE_PT = 9
LABEL_LEFT_MM = 15.0
BOX_LEFT_MM, BOX_WIDTH_MM, BOX_HEIGHT_MM = 80.0, 115.0, 7.0
FIRST_BOX_BOTTOM_MM, ROW_PITCH_MM = 32.0, 9.6
LABEL_ABOVE_BOX_BOTTOM_MM = 2.0
TITLE = "出入境业务申请表 · Exit-Entry Application Form"
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
    "household_registration": "户籍 Household registration",
    "employer_or_school": "工作单位/学校 Employer or school",
    "requested_until": "申请停留至 Requested until",
    "urgency": "紧急类别 Urgency",
    "urgency_reason": "紧急事由 Reason",
    "talent_category": "人才类别 Talent category (A/B/C)",
    "work_location": "工作地点 Work location",
    "port_of_entry": "入境口岸 Port of entry (port visa)",
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


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


def field_box(name: str) -> Box:
    """Where the value of field ``name`` is written (mm from the top-left corner)."""
    bottom = FIRST_BOX_BOTTOM_MM + FORM_FIELDS.index(name) * ROW_PITCH_MM
    return Box(BOX_LEFT_MM, bottom - BOX_HEIGHT_MM, BOX_LEFT_MM + BOX_WIDTH_MM, bottom)


def label_baseline(name: str) -> float:
    return field_box(name).bottom - LABEL_ABOVE_BOX_BOTTOM_MM
