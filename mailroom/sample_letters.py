"""Synthetic letters of every kind, in English and Chinese, as born-digital PDFs (with a text
layer) and as scans of them, for the demo, the tests and the development set.

Every page says it is synthetic. The wording is the kind a real applicant or employer writes;
the extractors are measured on it (bench/extraction.py).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from PIL import Image, ImageFilter
from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from mailroom.samples import SYNTHETIC, pdf_page_image

CJK_FONT = "STSong-Light"
TABLE_COLUMNS_MM = (25, 40, 110, 140)  # No. | Name | Nationality | Passport No.


@dataclass(frozen=True)
class Person:
    surname: str
    given_names: str
    nationality: str
    passport_number: str

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}"


@dataclass(frozen=True)
class Letter:
    kind: str
    language: str  # en | zh
    title: str
    lines: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)
    waybill: str | None = None


def personal_statement(person: Person, material: str, language: str, *, promised_by: str | None,
                       signed_on: str = "2026-11-20") -> Letter:
    names = {"health_certificate": ("health certificate", "健康证明"),
             "kinship_notarization": ("kinship notarization", "亲属关系公证书"),
             "passport": ("passport", "护照")}[material]
    if language == "zh":
        when = f"于{_zh_date(promised_by)}前" if promised_by else "在一个月内"
        return Letter("personal_statement", "zh", "个人承诺书", [
            f"本人 {person.name}，护照号码：{person.passport_number}，",
            f"因故暂时无法提交{names[1]}。",
            f"本人承诺{when}补交{names[1]}，逾期未交愿承担相应责任。",
            f"日期：{_zh_date(signed_on)}",
        ])
    when = f"by {promised_by}" if promised_by else "within one month"
    return Letter("personal_statement", "en", "PERSONAL STATEMENT", [
        f"I, {person.name}, passport number {person.passport_number},",
        f"cannot provide my {names[0]} at the time of application.",
        f"I promise to provide the {names[0]} {when}.",
        f"Date: {signed_on}",
    ])


def personnel_list(organization: str, people: list[Person], language: str) -> Letter:
    header = ["序号", "姓名", "国籍", "护照号码"] if language == "zh" else \
        ["No.", "Name", "Nationality", "Passport No."]
    rows = [[str(i), p.name, p.nationality, p.passport_number] for i, p in enumerate(people, 1)]
    intro = (f"{organization}现申请为以下外籍员工办理居留许可：" if language == "zh"
             else f"{organization} applies for residence permits for the following employees:")
    title = "外籍人员名单" if language == "zh" else "PERSONNEL LIST"
    return Letter("personnel_list_letter", language, title, [intro], [header, *rows])


def organization_letter(kind: str, organization: str, person: Person, language: str) -> Letter:
    if kind == "employment_letter":
        title, zh_title = "EMPLOYMENT CERTIFICATE", "在职证明"
        en = f"{organization} certifies that the person below is employed full-time by us."
        zh = f"兹证明以下人员为{organization}全职员工。"
    else:
        title, zh_title = "SCHOOL LETTER - CERTIFICATE OF ENROLMENT", "在读证明"
        en = f"{organization} certifies that the student below is enrolled in a degree programme."
        zh = f"兹证明以下学生在{organization}在读。"
    if language == "zh":
        return Letter(kind, "zh", zh_title, [zh, f"姓名：{person.name}",
                                             f"护照号码：{person.passport_number}", "特此证明。"])
    return Letter(kind, "en", title, [en, f"Name: {person.name}",
                                      f"Passport No.: {person.passport_number}"])


def authorization_letter(person: Person, agent: str, relation: str, language: str) -> Letter:
    if language == "zh":
        zh_relation = {"employer": "工作单位", "school": "学校", "relative": "配偶"}[relation]
        return Letter("authorization_letter", "zh", "授权委托书", [
            f"委托人：{person.name}", f"护照号码：{person.passport_number}",
            f"受托人：{agent}", f"关系：{zh_relation}",
            "委托人授权受托人代为办理出入境证件申请事宜。",
        ])
    return Letter("authorization_letter", "en", "AUTHORIZATION LETTER", [
        f"Principal: {person.name}", f"Passport No.: {person.passport_number}",
        f"I hereby authorize {agent} to apply on my behalf.", f"Relationship: {relation}",
    ])


def waybill(carrier: str, number: str, language: str) -> Letter:
    name = {"ems": ("EMS China Post Express", "中国邮政 EMS 速递"),
            "sf": ("SF Express", "顺丰速运")}[carrier]
    if language == "zh":
        return Letter("waybill", "zh", f"{name[1]} 运单", [f"运单号：{number}", "寄件人：申请人",
                                                           "收件人：出入境管理局"], waybill=number)
    return Letter("waybill", "en", f"{name[0]} WAYBILL", [f"Waybill No.: {number}",
                  "Sender: applicant", "Recipient: Exit-Entry Administration"], waybill=number)


def certificate(kind: str, person: Person, language: str,
                valid_until: str | None = None) -> Letter:
    titles = {"health_certificate": ("HEALTH CERTIFICATE - Medical examination", "健康证明 体检"),
              "kinship_notarization": ("NOTARIAL CERTIFICATE OF KINSHIP", "亲属关系公证书"),
              "work_permit": ("FOREIGNER'S WORK PERMIT", "外国人工作许可证"),
              "residence_permit": ("RESIDENCE PERMIT FOR FOREIGNERS", "外国人居留许可"),
              "supporting_document": ("HOSPITAL NOTICE OF CRITICAL ILLNESS", "医院病危通知书")}
    en, zh = titles[kind]
    if language == "zh":
        lines = [f"姓名：{person.name}", f"护照号码：{person.passport_number}"]
        return Letter(kind, "zh", zh, lines + ([f"有效期至：{_zh_date(valid_until)}"]
                                               if valid_until else []))
    lines = [f"Name: {person.name}", f"Passport No.: {person.passport_number}"]
    return Letter(kind, "en", en, lines + ([f"Valid until: {valid_until}"] if valid_until else []))


def letter_pdf(letter: Letter) -> bytes:
    """A born-digital A4 PDF of ``letter`` with a text layer (Chinese in a CID font)."""
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    font = CJK_FONT if letter.language == "zh" else "Helvetica"
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    height = A4[1]
    page.setFont(font, 18)
    page.drawString(25 * mm, height - 30 * mm, letter.title)
    page.setFont("Helvetica", 9)
    page.drawString(25 * mm, height - 37 * mm, SYNTHETIC)
    y = height - 52 * mm
    page.setFont(font, 12)
    for line in letter.lines:
        page.drawString(25 * mm, y, line)
        y -= 9 * mm
    for row in letter.table:
        for column, cell in enumerate(row):
            page.drawString(TABLE_COLUMNS_MM[column] * mm, y, cell)
        y -= 8 * mm
    if letter.waybill:
        barcode = code128.Code128(letter.waybill, barHeight=18 * mm, barWidth=0.45 * mm)
        barcode.drawOn(page, 25 * mm, y - 25 * mm)
    page.showPage()
    page.save()
    return buffer.getvalue()


def scan_of(pdf: bytes, *, dpi: int = 200, seed: int = 0, angle: float = 0.0,
            rotate: int = 0) -> Image.Image:
    """The first page as a scanner sees it: grey, slightly tilted, noisy and soft."""
    rng = random.Random(seed)
    image = pdf_page_image(pdf, dpi=dpi)
    if angle:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    pixels = image.load()
    assert pixels is not None
    for _ in range(image.width * image.height // 400):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = rng.choice((0, 255))
    return image.rotate(rotate, expand=True) if rotate else image


def _zh_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = (int(part) for part in iso.split("-"))
    return f"{year}年{month}月{day}日"
