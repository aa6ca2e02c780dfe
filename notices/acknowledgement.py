"""The acknowledgement an applicant receives when an e-mailed application opens a case."""

from __future__ import annotations

TYPE_NAMES = {
    "visa_extension": ("签证延期", "visa extension"),
    "visa_renewal": ("签证换发", "visa renewal"),
    "visa_reissue": ("签证补发", "visa reissue"),
    "residence_permit_work": ("工作类居留许可", "residence permit (work)"),
    "residence_permit_study": ("学习类居留许可", "residence permit (study)"),
    "residence_permit_family": ("团聚类居留许可", "residence permit (family)"),
    "residence_permit_private": ("私人事务类居留许可", "residence permit (private affairs)"),
    "permanent_residence": ("永久居留", "permanent residence"),
    "work_and_residence_permit": ("工作许可和居留许可", "work and residence permit"),
    "port_visa": ("口岸签证", "port visa"),
    "cn_passport": ("普通护照", "passport"),
    "cn_hk_macao_permit": ("往来港澳通行证", "Exit-Entry Permit to Hong Kong and Macao"),
    "cn_taiwan_permit": ("往来台湾通行证", "Mainland Travel Permit to Taiwan"),
}


def acknowledgement(reference: str, application_type: str | None) -> tuple[str, str]:
    """(subject, body) in Chinese then English; the subject carries ``[reference]``."""
    zh_type, en_type = TYPE_NAMES.get(application_type or "", ("出入境业务", "exit-entry"))
    subject = f"[{reference}] 已收到您的申请 / Application received"
    body = (
        f"您好：\n\n我们已收到您的{zh_type}申请，案件编号为 {reference}。"
        "请在今后所有来信的主题中保留此编号。我们审核材料后会再与您联系；"
        "如需补充材料，将一次性告知。\n\n"
        f"Dear applicant,\n\nWe have received your {en_type} application. Its case reference is "
        f"{reference}. Please keep it in the subject of every e-mail about this application. We "
        "will write again after reviewing your documents; if anything is missing, we will list "
        "everything at once.\n\n出入境管理部门 / Exit-Entry Administration Office\n"
        "(此邮件由系统自动发送 / This message was sent automatically.)\n"
    )
    return subject, body
