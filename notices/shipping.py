"""The letter an applicant gets when the passport is dispatched: carrier and tracking number."""

from __future__ import annotations

from notices.materials import SIGNATURE

CARRIER_NAMES = {"ems": ("中国邮政EMS", "China Post EMS"), "sf": ("顺丰速运", "SF Express")}


def dispatch_notice(reference: str, carrier: str, waybill: str) -> tuple[str, str]:
    zh, en = CARRIER_NAMES.get(carrier, (carrier, carrier))
    subject = f"[{reference}] 证件已寄出 / Your documents are on their way"
    body = (
        f"您好：\n\n您的护照及证件（案件编号 {reference}）已交{zh}寄出，运单号 {waybill}。"
        "签收时请核对受理回执。\n\n"
        f"Dear applicant,\n\nYour passport and documents (case {reference}) were dispatched with "
        f"{en}, waybill number {waybill}. Please check them against your acceptance receipt when "
        "you sign for the parcel.\n" + SIGNATURE
    )
    return subject, body
