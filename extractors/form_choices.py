"""The form's choice fields: the codes an applicant may pick, each with its Chinese and English
label. The form draws them as drop-down lists (so no one can type a code that does not exist)
and a bilingual legend; the scanned-form reader matches what it reads against the same codes.
"""

from __future__ import annotations

from typing import NamedTuple


class Choice(NamedTuple):
    code: str
    zh: str
    en: str


CHOICES: dict[str, tuple[Choice, ...]] = {
    "application_type": (
        Choice("visa_extension", "签证延期", "Visa extension"),
        Choice("visa_renewal", "签证换发", "Visa renewal"),
        Choice("visa_reissue", "签证补发", "Visa reissue"),
        Choice("residence_permit_work", "工作类居留许可", "Residence permit, work"),
        Choice("residence_permit_study", "学习类居留许可", "Residence permit, study"),
        Choice("residence_permit_family", "团聚类居留许可", "Residence permit, family"),
        Choice("residence_permit_private", "私人事务类居留许可", "Residence permit, private"),
        Choice("permanent_residence", "永久居留", "Permanent residence"),
        Choice("work_and_residence_permit", "工作许可和居留许可", "Work + residence"),
        Choice("port_visa", "口岸签证", "Port visa"),
        Choice("cn_passport", "普通护照", "Chinese passport"),
        Choice("cn_hk_macao_permit", "往来港澳通行证", "HK/Macao permit"),
        Choice("cn_taiwan_permit", "往来台湾通行证", "Taiwan permit"),
    ),
    "urgency": (
        Choice("none", "无", "Not urgent"),
        Choice("urgent_epidemic", "防疫急需人员", "Epidemic response"),
        Choice("green_channel", "复工复产绿色通道", "Green channel"),
        Choice("emergency_wedding_funeral", "出境奔丧、婚礼", "Wedding/funeral"),
        Choice("emergency_critical_illness", "探望危重病人", "Critically ill relative"),
        Choice("emergency_study_start", "临近开学", "Study starts soon"),
        Choice("emergency_other", "其他紧急事务（由出入境管理部门认定）", "Other urgent matter"),
        Choice("expedited", "加急", "Expedited"),
    ),
    # where a Chinese citizen's household is registered: text 002's 7 or 20 working days
    "household_registration": (
        Choice("in_province", "本省户籍", "In this province"),
        Choice("out_of_province", "外省户籍", "Outside the province"),
    ),
    # text 004's single window is open to these categories of foreign talent
    "talent_category": (
        Choice("A", "外国高端人才（A类）", "Category A (high-end talent)"),
        Choice("B", "外国专业人才（B类）", "Category B (professional)"),
        Choice("C", "其他外国人员（C类）", "Category C (other)"),
    ),
    "sex": (
        Choice("M", "男", "Male"),
        Choice("F", "女", "Female"),
        Choice("X", "未指明", "Unspecified"),
    ),
    "return_carrier": (
        Choice("ems", "中国邮政 EMS", "China Post EMS"),
        Choice("sf", "顺丰速运", "SF Express"),
    ),
}


def display(choice: Choice) -> str:
    """What the drop-down shows and a printed form carries: the code first, so a scanned form is
    read by its code; the English words after it in brackets (the field's font has no CJK)."""
    return f"{choice.code} ({choice.en})"


def code_of(field: str, shown: str) -> str:
    """The code in a value as shown (``"sf (SF Express)"`` → ``"sf"``)."""
    return shown.split("(")[0].strip() if field in CHOICES else shown
