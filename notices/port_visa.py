"""The Port Visa Notification (口岸签证通知书, text 004): what the inviting organisation prints and
the invited person shows at the port to be issued the visa on arrival.

Contract: ``port_visa_notification(notice)`` returns a bilingual one-page PDF (A4);
``notification_mail(reference, organisation)`` the covering e-mail's (subject, body).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from notices.materials import SIGNATURE
from notices.pdf_page import FONT, close_page, labelled_rows, open_page


@dataclass(frozen=True)
class PortVisaNotice:
    reference: str
    inviting_organisation: str
    person_name: str
    nationality: str
    passport_number: str
    port_of_entry: str
    approved_on: dt.date
    valid_until: dt.date  # for entry: the visa is issued at the port up to this day


def port_visa_notification(notice: PortVisaNotice) -> bytes:
    page, buffer = open_page(A4, f"口岸签证通知书 Port Visa Notification {notice.reference}")
    width, height = A4
    page.setFont(FONT, 16)
    page.drawCentredString(width / 2, height - 25 * mm, "口岸签证通知书 · Port Visa Notification")
    rows = [
        ("通知编号 Notification No.", notice.reference),
        ("邀请单位 Inviting organisation", notice.inviting_organisation),
        ("被邀请人 Invited person", notice.person_name),
        ("国籍 Nationality", notice.nationality),
        ("护照号码 Passport No.", notice.passport_number),
        ("入境口岸 Port of entry", notice.port_of_entry),
        ("批准日期 Approved on", notice.approved_on.isoformat()),
        ("有效期至 Valid for entry until", notice.valid_until.isoformat()),
    ]
    y = labelled_rows(page, rows, y=height - 45 * mm, label_x=20 * mm, value_x=80 * mm,
                      step=10 * mm, label_size=10, value_size=11)
    page.setFont(FONT, 9)
    for line in ("被邀请人抵达上述口岸时，凭本通知书及有效护照向口岸签证部门申请签证。",
                 "On arrival at the port above, the invited person applies for the visa at the port",
                 "visa office with this notification and a valid passport."):
        y -= 6 * mm
        page.drawString(20 * mm, y, line)
    return close_page(page, buffer)


def notification_mail(reference: str, organisation: str) -> tuple[str, str]:
    subject = f"[{reference}] 口岸签证通知书 / Port Visa Notification"
    body = (
        f"{organisation}：\n\n贵单位申请的口岸签证（案件编号 {reference}）已获批准。口岸签证通知书见附件，"
        "请打印后交被邀请人，抵达口岸时出示。\n\n"
        f"Dear {organisation},\n\nThe port visa your organisation applied for (case {reference}) "
        "has been approved. The Port Visa Notification is attached: print it and give it to the "
        "invited person, who shows it on arrival at the port.\n" + SIGNATURE
    )
    return subject, body
