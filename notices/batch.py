"""The one letter an organisation receives for a batch it sent: every applicant's case and what
each still lacks, in Chinese then English."""

from __future__ import annotations

from collections.abc import Sequence

from notices.materials import SIGNATURE, material_name

# (reference, applicant's name, missing materials, complete)
BatchLine = tuple[str, str, Sequence[str], bool]


def batch_letter(organization: str | None, lines: Sequence[BatchLine]) -> tuple[str, str]:
    # no reference in the subject: a reply to it must not file everything into the first case
    subject = f"已收到{len(lines)}份申请 / {len(lines)} applications received"
    zh = "\n".join(f"  {reference} {name}：" + (
        "材料齐全，已受理" if complete
        else "尚缺 " + "、".join(material_name(m)[0] for m in missing) if missing
        else "审核中") for reference, name, missing, complete in lines)
    en = "\n".join(f"  {reference} {name}: " + (
        "complete, accepted" if complete
        else "still needs " + ", ".join(material_name(m)[1] for m in missing) if missing
        else "being checked") for reference, name, missing, complete in lines)
    who = organization or "贵单位"
    body = (
        f"您好：\n\n我们已收到{who}提交的{len(lines)}份申请，每位申请人各立一案：\n{zh}\n\n"
        "补交材料时，请在邮件主题中写明对应的案件编号，每封邮件只涉及一个案件。\n\n"
        f"Dear {organization or 'colleagues'},\n\nWe have received {len(lines)} applications "
        f"from you and opened one case for each applicant:\n{en}\n\n"
        "When you send a missing material, please put that case's reference in the subject, "
        "one case per e-mail.\n" + SIGNATURE
    )
    return subject, body
