"""The reminder that what the office granted expires soon (text 001: visa expiration reminders).

Contract: ``grant_expiry_reminder(reference, kind, number, expires_on)`` returns a bilingual
(subject, body); the date is the grant's own, as the reviewer recorded it.
"""

from __future__ import annotations

import datetime as dt

from notices.materials import SIGNATURE

GRANT_NAMES = {
    "visa": ("签证", "visa"), "residence_permit": ("居留许可", "residence permit"),
    "work_permit": ("工作许可", "work permit"),
    "permanent_residence_card": ("永久居留身份证", "permanent residence ID card"),
    "passport": ("普通护照", "passport"), "hk_macao_permit": ("往来港澳通行证", "Hong Kong and Macao permit"),
    "taiwan_permit": ("往来台湾通行证", "Taiwan permit"),
}


def grant_name(kind: str) -> tuple[str, str]:
    return GRANT_NAMES.get(kind, (kind, kind.replace("_", " ")))


def grant_expiry_reminder(reference: str, kind: str, number: str, expires_on: dt.date
                          ) -> tuple[str, str]:
    zh, en = grant_name(kind)
    subject = f"[{reference}] {zh}到期提醒 / Your {en} expires on {expires_on.isoformat()}"
    body = (
        f"您好：\n\n本局为您签发的{zh}（编号 {number}）将于 {expires_on.isoformat()} 到期。"
        "如需继续在华停留，请在到期前申请延期或换发。\n\n"
        f"Dear holder,\n\nThe {en} this office granted you (No. {number}) expires on "
        f"{expires_on.isoformat()}. If you need to stay longer, please apply for an extension or "
        "renewal before then.\n" + SIGNATURE
    )
    return subject, body
