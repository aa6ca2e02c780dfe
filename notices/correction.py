"""The letter an applicant gets when the office corrects a decided application: what changed,
from what to what, and that it is being reviewed again (in Chinese, then English)."""

from __future__ import annotations

from notices.materials import SIGNATURE

FIELD_NAMES = {
    "surname": ("姓", "surname"), "given_names": ("名", "given names"),
    "nationality": ("国籍", "nationality"), "passport_number": ("护照号码", "passport number"),
    "date_of_birth": ("出生日期", "date of birth"), "sex": ("性别", "sex"),
    "return_recipient": ("回寄收件人", "return recipient"),
    "return_phone": ("收件人电话", "return phone"), "return_address": ("回寄地址", "return address"),
    "return_postcode": ("邮编", "return postcode"), "return_carrier": ("快递公司", "courier"),
}


def correction_notice(reference: str, field: str, before: str | None, after: str) -> tuple[str, str]:
    zh, en = FIELD_NAMES.get(field, (field, field.replace("_", " ")))
    was = before or "—"
    subject = f"[{reference}] 申请信息已更正 / Your application was corrected"
    body = (
        f"您好：\n\n您的申请（案件编号 {reference}）已作出决定后，工作人员更正了{zh}：\n"
        f"  原为：{was}\n  现为：{after}\n"
        "因此您的申请将重新审核，审核完成后我们会再通知您。如果您并未要求此项更正，"
        "请立即回复本邮件。\n\n"
        f"Dear applicant,\n\nAfter a decision was made on your application {reference}, an "
        f"officer corrected its {en}:\n  was: {was}\n  now: {after}\n"
        "Your application will therefore be reviewed again; we will write when that is done. "
        "If you did not ask for this change, reply to this e-mail at once.\n"
        + SIGNATURE
    )
    return subject, body
