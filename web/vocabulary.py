"""Words, not codes: every code the reviewer's pages show, in Chinese and English. The code
itself stays available on hover (``title``) for staff who search by it.

``say(category, code, language)`` is the word; an unknown code is shown as itself, readable
(``some_code`` → "some code"), so a code an office adds is never hidden.
"""

from __future__ import annotations

from extractors.form_choices import CHOICES
from extractors.form_layout import LABELS
from notices.acknowledgement import TYPE_NAMES
from notices.grants import GRANT_NAMES
from notices.materials import MATERIAL_NAMES
from web.i18n import STATUSES


def _split_label(label: str) -> tuple[str, str]:
    # the form's labels are "申请类别 Application type": Chinese words, then English
    zh, _, en = label.partition(" ")
    return zh, en


FIELDS: dict[str, tuple[str, str]] = {name: _split_label(label) for name, label in LABELS.items()}
FIELDS |= {"sex": ("性别", "Sex"), "return_carrier": ("快递公司", "Courier"),
           "nationality": ("国籍", "Nationality"), "email": ("电子邮箱", "E-mail")}
TYPES = {code: (zh, en[:1].upper() + en[1:]) for code, (zh, en) in TYPE_NAMES.items()}
PRIORITIES = {
    "urgent": ("特急（当日办结）", "Urgent (same day)"), "green_channel": ("绿色通道", "Green channel"),
    "emergency": ("紧急", "Emergency"), "expedited": ("加急", "Expedited"),
    "normal": ("普通", "Normal"),
}
URGENCIES = {c.code: (c.zh, c.en) for c in CHOICES["urgency"]}
CARRIERS = {c.code: (c.zh, c.en) for c in CHOICES["return_carrier"]}
SEXES = {c.code: (c.zh, c.en) for c in CHOICES["sex"]}
GRANTS = {kind: (zh, en[:1].upper() + en[1:]) for kind, (zh, en) in GRANT_NAMES.items()}
TALENTS = {c.code: (c.zh, c.en) for c in CHOICES["talent_category"]}
REGISTRATIONS = {c.code: (c.zh, c.en) for c in CHOICES["household_registration"]}
KINDS = {**MATERIAL_NAMES,
         "passport": ("护照", "Passport"), "waybill": ("快递运单", "Waybill"),
         "cover_sheet": ("封面页", "Cover sheet"), "email_body": ("邮件正文", "E-mail text"),
         "other": ("其他", "Other"), "supporting_document": ("证明材料", "Supporting document")}
FLAGS = {
    "single_window_ineligible": ("不符合单一窗口条件", "Outside the single window's eligibility"),
    "inviting_organisation_missing": ("未填写邀请单位", "No inviting organisation on the form"),
    "port_of_entry_missing": ("未填写入境口岸", "No port of entry on the form"),
    "grant_unrecorded": ("签发证件未登记", "What was granted is not recorded yet"),
    "urgency_awaits_recognition": ("紧急事务待出入境管理部门认定",
                                   "An urgent matter awaits the office's recognition"),
    "green_channel_without_support": ("绿色通道缺少复工复产证明",
                                      "Green channel claimed without proof of resuming work"),
    "mrz_unverified": ("护照机读码未能核验", "The passport's machine-readable zone could not be verified"),
    "name_differs": ("申请表与护照姓名不一致", "The form and the passport give different names"),
    "date_of_birth_differs": ("申请表与护照出生日期不一致",
                              "The form and the passport give different dates of birth"),
    "passport_number_differs": ("申请表与护照号码不一致",
                                "The form and the passport give different passport numbers"),
    "passport_expires_early": ("护照有效期不足", "The passport expires too soon for the stay"),
    "photo_missing": ("缺少照片", "No photo"),
    "form_unsigned": ("申请表未签名", "The form is not signed"),
    "not_waivable": ("承诺书承诺了不可后补的材料", "A statement promises a material that cannot be waived"),
    "promise_too_late": ("承诺补交期限超过一个月", "A statement promises a material too late"),
    "promise_unkept": ("承诺的材料逾期未交", "A promised material is overdue"),
    "emergency_without_support": ("紧急事由缺少证明材料", "An emergency is claimed without proof"),
    "deadline_provisional": ("办结期限为暂定（节假日安排未公布）",
                             "The deadline is provisional (holidays not yet published)"),
    "deadline_passed": ("已超过办结期限", "The deadline has passed"),
    "visa_expired": ("签证已过期", "The visa has expired"),
    "visa_extended_by_rule": ("签证按规定自动延期60日", "The visa was extended 60 days by rule"),
    "listed_name_differs": ("名单上的姓名与申请人不一致", "A list names someone else under this number"),
    "no_application_form": ("没有申请表", "No application form"),
    "unknown_application_type": ("申请类别无法识别", "Unknown application type"),
    "awaiting_second_approval": ("等待第二位审批人", "Awaiting a second approval"),
    "reopened_after_correction": ("决定后更正，需重新审批", "Corrected after the decision: review again"),
    "original_not_arrived": ("护照原件尚未收到", "The passport itself has not arrived"),
    "applicant_unreachable": ("无法联系申请人", "The applicant cannot be reached"),
    "permit_expiry_unread": ("许可证件有效期未能识别", "A permit's expiry could not be read"),
    "parcel_returned": ("回寄快件被退回", "The return parcel is coming back"),
    "parcel_stalled": ("回寄快件长时间无更新", "The return parcel has not moved"),
    "list_from_other_organization": ("名单出自申请表所填单位以外的单位",
                                     "The list is from another organisation than the form's"),
    "list_rows_unread": ("名单有未能识别的行", "Some rows of a list could not be read"),
    "agent_not_allowed": ("该代办人关系不在允许范围内", "This agent may not apply for this type"),
    "agent_relation_unknown": ("未填写代办人关系", "The agent's relation is not given"),
    "authorization_not_applicants": ("委托书未写明申请人姓名和护照号码",
                                     "The authorization does not name the applicant"),
    "authorization_other_agent": ("委托书的受托人不是申请表所填代办人",
                                  "The authorization names another agent"),
    "authorization_does_not_cover": ("委托事项未涵盖本申请",
                                     "The authorization does not cover this application"),
}
ACTIONS = {
    "opened": ("建立案件", "case opened"), "status_changed": ("状态变更", "status changed"),
    "validated": ("材料审核", "materials checked"), "claimed": ("领取", "claimed"),
    "document_added": ("新增材料", "document added"), "field_corrected": ("更正信息", "field corrected"),
    "materials_requested": ("一次性告知补正", "materials requested"),
    "accepted": ("受理", "accepted"), "deadline_passed": ("超过期限", "deadline passed"),
    "deadline_recomputed": ("重新计算期限", "deadline recomputed"),
    "promise_reminded": ("提醒补交", "promise reminded"),
    "applicant_copied": ("建立本案申请人副本", "case's own applicant copy made"),
    "applicant_merged": ("并入申请人档案", "applicant record merged"),
    "parcel_returned": ("快件退回", "parcel returned"), "parcel_stalled": ("快件停滞", "parcel stalled"),
    "urgency_recognised": ("认定紧急事务", "urgent matter recognised"),
    "grant_recorded": ("登记签发证件", "grant recorded"),
    "email_bounced": ("邮件被退回，改为邮寄", "e-mail bounced: by post from now on"),
    "port_visa_notified": ("出具口岸签证通知书", "port visa notification issued"),
}
LETTERS = {
    "acknowledgement": ("收件回执", "acknowledgement"),
    "request_for_materials": ("补正材料通知", "request for materials"),
    "acceptance_receipt": ("受理回执", "acceptance receipt"),
    "promise_reminder": ("补交提醒", "promise reminder"),
    "expiry_reminder": ("到期提醒", "expiry reminder"),
    "correction_notice": ("更正通知", "correction notice"), "decision": ("决定书", "decision"),
    "return_dispatched": ("回寄通知", "return notice"),
    "batch_acknowledgement": ("批量申请收件回执", "batch acknowledgement"),
}
CATEGORIES: dict[str, dict[str, tuple[str, str]]] = {
    "field": FIELDS, "type": TYPES, "priority": PRIORITIES, "urgency": URGENCIES,
    "carrier": CARRIERS, "sex": SEXES, "registration": REGISTRATIONS, "talent": TALENTS, "grant": GRANTS,
    "kind": KINDS, "flag": FLAGS, "action": ACTIONS, "status": STATUSES, "state": STATUSES,
    "material": MATERIAL_NAMES, "letter": LETTERS,
}


def say(category: str, code: str | None, language: str) -> str:
    if not code:
        return ""
    pair = CATEGORIES[category].get(code)
    if pair is None:
        return code.replace("_", " ")
    return pair[0] if language == "zh" else pair[1]
