"""The decision letter: approval or rejection, the reason for a rejection, and what the
applicant can do next (in Chinese, then English)."""

from __future__ import annotations

from notices.acknowledgement import TYPE_NAMES
from notices.materials import SIGNATURE


def decision_letter(reference: str, application_type: str | None, approved: bool,
                    reason: str | None) -> tuple[str, str]:
    zh_type, en_type = TYPE_NAMES.get(application_type or "", ("出入境业务", "exit-entry"))
    if approved:
        subject = f"[{reference}] 申请已批准 / Your application is approved"
        body = (
            f"您好：\n\n您的{zh_type}申请（案件编号 {reference}）已批准。证件将按您填写的回寄地址"
            "以快递寄还，寄出后我们会告知运单号；也可凭受理回执到窗口领取。\n\n"
            f"Dear applicant,\n\nYour {en_type} application (case {reference}) is approved. Your "
            "documents will be returned by express courier to the return address on your form; "
            "we will send the tracking number when they leave. You may also collect them at the "
            "counter with your acceptance receipt.\n" + SIGNATURE
        )
        return subject, body
    subject = f"[{reference}] 申请未获批准 / Your application is not approved"
    body = (
        f"您好：\n\n您的{zh_type}申请（案件编号 {reference}）未获批准。\n理由：{reason}\n\n"
        "如您对本决定不服，可以依法申请行政复议或者提起行政诉讼；也可以在补齐条件后重新提出申请。"
        "您的护照及原件将寄还给您。\n\n"
        f"Dear applicant,\n\nYour {en_type} application (case {reference}) is not approved.\n"
        f"Reason: {reason}\n\nIf you disagree with this decision you may apply for administrative "
        "reconsideration or bring an administrative lawsuit, as the law provides; you may also "
        "apply again once the requirements are met. Your passport and original documents will "
        "be returned to you.\n" + SIGNATURE
    )
    return subject, body
