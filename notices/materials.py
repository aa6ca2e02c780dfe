"""What the office writes to applicants about their materials, in Chinese then English: the
request for materials (the one-time notice, 一次性告知), the promise reminder and the expiry
reminder. Each returns (subject, body); the subject carries ``[reference]``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from notices.acknowledgement import TYPE_NAMES

MATERIAL_NAMES = {
    "application_form": ("申请表", "application form"),
    "passport": ("护照", "passport"),
    "photo": ("照片", "passport photo"),
    "employment_letter": ("在职证明", "employment letter"),
    "work_permit": ("外国人工作许可证", "work permit"),
    "health_certificate": ("健康证明", "health certificate"),
    "kinship_notarization": ("亲属关系公证书", "notarized proof of kinship"),
    "personal_statement": ("个人承诺书", "personal statement"),
    "personnel_list_letter": ("单位人员名单函", "employer's personnel list letter"),
    "school_letter": ("学校公函", "school letter"),
    "authorization_letter": ("授权委托书", "authorization letter"),
    "residence_permit": ("居留许可", "residence permit"),
    "supporting_document": ("证明材料", "supporting document"),
}
SIGNATURE = ("\n出入境管理部门 / Exit-Entry Administration Office\n"
             "(此邮件由系统自动发送 / This message was sent automatically.)\n")


# a date counted into a year whose holiday schedule is not published yet
PROVISIONAL_ZH = "（暂定，以公布的节假日安排为准）"
PROVISIONAL_EN = " (provisional: next year's holiday schedule is not published yet)"


def material_name(material: str) -> tuple[str, str]:
    return MATERIAL_NAMES.get(material, (material, material.replace("_", " ")))


def request_for_materials(
    reference: str, application_type: str | None, missing: Sequence[str], reply_by: dt.date,
    provisional: bool = False,
) -> tuple[str, str]:
    zh_type, en_type = TYPE_NAMES.get(application_type or "", ("出入境业务", "exit-entry"))
    zh_items = "\n".join(f"  {i}. {material_name(m)[0]}" for i, m in enumerate(missing, 1))
    en_items = "\n".join(f"  {i}. {material_name(m)[1]}" for i, m in enumerate(missing, 1))
    subject = f"[{reference}] 补正材料通知 / Request for materials"
    body = (
        f"您好：\n\n您的{zh_type}申请（案件编号 {reference}）尚缺少以下材料，现一次性告知：\n"
        f"{zh_items}\n\n请于 {reply_by.isoformat()}{PROVISIONAL_ZH if provisional else ''} "
        "前回复本邮件并附上上述材料，或邮寄纸质材料"
        "（请附案件封面页）。健康证明、亲属关系公证书如确有困难，可提交个人承诺书，承诺一个月内补交。\n\n"
        f"Dear applicant,\n\nYour {en_type} application (case {reference}) still needs the "
        f"following materials. This list is complete:\n{en_items}\n\nPlease reply to this e-mail "
        f"with them attached by {reply_by.isoformat()}{PROVISIONAL_EN if provisional else ''}, "
        "or post them with the case's cover sheet. "
        "If a health certificate or proof of kinship is hard to obtain, a personal statement "
        "promising it within one month is accepted instead.\n" + SIGNATURE
    )
    return subject, body


def promise_reminder(reference: str, material: str, promised_by: dt.date) -> tuple[str, str]:
    zh, en = material_name(material)
    subject = f"[{reference}] 承诺材料补交提醒 / Reminder: promised material due"
    body = (
        f"您好：\n\n您在个人承诺书中承诺于 {promised_by.isoformat()} 前补交{zh}（案件编号 "
        f"{reference}）。请按时回复本邮件提交。\n\n"
        f"Dear applicant,\n\nIn your personal statement you promised to supply the {en} by "
        f"{promised_by.isoformat()} (case {reference}). Please reply to this e-mail with it in "
        "time.\n" + SIGNATURE
    )
    return subject, body


def expiry_reminder(reference: str, material: str, valid_until: dt.date) -> tuple[str, str]:
    zh, en = material_name(material)
    subject = f"[{reference}] 证件到期提醒 / Your {en} expires soon"
    body = (
        f"您好：\n\n我们的记录显示，您的{zh}将于 {valid_until.isoformat()} 到期。"
        "如需继续在华停留，请及时申请延期或换发。\n\n"
        f"Dear holder,\n\nOur records show that your {en} expires on {valid_until.isoformat()}. "
        "If you need to stay longer, please apply for an extension or renewal in time.\n"
        + SIGNATURE
    )
    return subject, body


def acceptance_notice(reference: str, due: dt.date, provisional: bool) -> tuple[str, str]:
    note_zh = PROVISIONAL_ZH if provisional else ""
    note_en = PROVISIONAL_EN if provisional else ""
    subject = f"[{reference}] 受理回执 / Acceptance receipt"
    body = (
        f"您好：\n\n您的申请（案件编号 {reference}）材料齐全，已正式受理，预计办结日期 "
        f"{due.isoformat()}{note_zh}。受理回执见附件，请妥善保存：在我们保管您的护照期间，"
        "它是您的凭证。\n\n"
        f"Dear applicant,\n\nYour application (case {reference}) is complete and has been "
        f"accepted. We expect to decide it by {due.isoformat()}{note_en}. The acceptance receipt "
        "is attached: please keep it, it is your proof while the office holds your passport.\n"
        + SIGNATURE
    )
    return subject, body
