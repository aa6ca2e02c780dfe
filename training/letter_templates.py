"""The training letters: many wordings and layouts of every kind, English, Chinese and bilingual.

``draft(kind, rng)`` writes one letter of ``kind`` (training/drafts.py) with its truth. The letter
classifier (training/train_letter_kinds.py) learns from these, and bench/extraction.py reports
them as the training set. What is measured apart is written by bench/letters_heldout.py, with
its own wordings, layouts, names and organisations; nothing here is copied from
../shared/corpus/letters/, which is measured and never tuned on.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from training.drafts import Draft, Grid
from training.people import (
    Organisation,
    Person,
    date_between,
    people,
    person,
    write_date,
    write_nationality,
)
from validators.working_days import add_working_days, office_calendar

NAMES: list[tuple[str, str, str, str | None]] = [
    ("Oliver", "Bennett", "GBR", "奥利弗·贝内特"), ("Amelia", "Clarke", "GBR", None),
    ("Lukas", "Becker", "DEU", "卢卡斯·贝克尔"), ("Sophie", "Wagner", "DEU", None),
    ("Hiroshi", "Sato", "JPN", "佐藤浩"), ("Yui", "Kobayashi", "JPN", None),
    ("Minjun", "Park", "KOR", "朴敏俊"), ("Jiwoo", "Choi", "KOR", None),
    ("Camille", "Dubois", "FRA", "卡米尔·杜布瓦"), ("Hugo", "Lefebvre", "FRA", None),
    ("Ethan", "Walker", "USA", "伊森·沃克"), ("Madison", "Brooks", "USA", None),
    ("Dmitri", "Sokolov", "RUS", "德米特里·索科洛夫"), ("Anastasia", "Morozova", "RUS", None),
    ("Giulia", "Ferrari", "ITA", "朱莉娅·法拉利"), ("Matteo", "Romano", "ITA", None),
    ("Pablo", "Navarro", "ESP", None), ("Carmen", "Ortega", "ESP", "卡门·奥尔特加"),
    ("Thiago", "Almeida", "BRA", "蒂亚戈·阿尔梅达"), ("Larissa", "Costa", "BRA", None),
    ("Arjun", "Patel", "IND", "阿琼·帕特尔"), ("Priya", "Nair", "IND", None),
    ("Nguyen Van", "Minh", "VNM", "阮文明"), ("Tran Thi", "Lan", "VNM", None),
    ("Anan", "Chaiyaporn", "THA", None), ("Nattaya", "Srisuk", "THA", "娜塔雅·西苏"),
    ("Ahmad", "Fauzi", "IDN", None), ("Dewi", "Lestari", "IDN", "德维·莱斯塔丽"),
    ("Mehmet", "Demir", "TUR", "穆罕默德·德米尔"), ("Elif", "Kaya", "TUR", None),
    ("Ivan", "Petrenko", "UKR", None), ("Oksana", "Shevchuk", "UKR", "奥克萨娜·舍甫丘克"),
    ("Jakub", "Nowak", "POL", None), ("Zofia", "Wisniewska", "POL", None),
    ("Lars", "Johansson", "SWE", "拉尔斯·约翰松"), ("Freja", "Nielsen", "DNK", None),
    ("Kwame", "Mensah", "GHA", "夸梅·门萨"), ("Chidi", "Okafor", "NGA", None),
    ("Ali", "Khan", "PAK", None), ("Fatima", "Zahra", "MAR", "法蒂玛·扎赫拉"),
    ("Bat-Erdene", "Dorj", "MNG", None), ("Aruzhan", "Seitkali", "KAZ", "阿鲁詹·赛特卡利"),
    ("Sean", "Murphy", "IRL", None), ("Chloe", "Tremblay", "CAN", "克洛伊·特朗布莱"),
    ("Mateo", "Gonzalez", "ARG", None), ("Valentina", "Rojas", "CHL", None),
    ("Noa", "Levi", "ISR", None), ("Siddharth", "Rao", "IND", None),
    ("Ruth", "Tadesse", "ETH", None), ("Marek", "Dvorak", "CZE", "马雷克·德沃夏克"),
    ("Tomas", "Van Dijk", "NLD", None), ("Hannah", "Gruber", "AUT", None),
    ("Juan Carlos", "de la Cruz", "PHL", None), ("Siew Ling", "Tan", "SGP", "陈秀玲"),
    ("Nurul", "Aisyah", "MYS", None), ("Bui", "Quang Huy", "VNM", None),
]

COMPANIES = [
    Organisation("Hangzhou Lanshan Electronics Co., Ltd.", "杭州蓝山电子有限公司", "Hangzhou", "杭州"),
    Organisation("Ningbo Haitong Logistics Co., Ltd.", "宁波海通物流有限公司", "Ningbo", "宁波"),
    Organisation("Wenzhou Ruifeng Valve Manufacturing Co., Ltd.", "温州瑞丰阀门制造有限公司",
                 "Wenzhou", "温州"),
    Organisation("Jiaxing Hengda New Materials Co., Ltd.", "嘉兴恒达新材料有限公司", "Jiaxing", "嘉兴"),
    Organisation("Jinhua Tianyi Toys Co., Ltd.", "金华天翼玩具有限公司", "Jinhua", "金华"),
    Organisation("Taizhou Kangning Pharmaceutical Co., Ltd.", "台州康宁制药有限公司", "Taizhou", "台州"),
    Organisation("Hangzhou Xinghe Software Technology Co., Ltd.", "杭州星河软件技术有限公司",
                 "Hangzhou", "杭州"),
    Organisation("Zhoushan Blue Ocean Fisheries Co., Ltd.", "舟山蓝海渔业有限公司", "Zhoushan", "舟山"),
]
SCHOOLS = [
    Organisation("Qiantang Normal University", "钱塘师范大学", "Hangzhou", "杭州"),
    Organisation("Ningbo Maritime College", "宁波海事学院", "Ningbo", "宁波"),
    Organisation("Zhejiang Institute of Fine Arts", "浙江美术学院", "Hangzhou", "杭州"),
    Organisation("Wenzhou University of Medicine", "温州医药大学", "Wenzhou", "温州"),
    Organisation("Huzhou Vocational College of Technology", "湖州职业技术学院", "Huzhou", "湖州"),
]
AGENCIES = [
    Organisation("Hangzhou Silk Road International Travel Service Co., Ltd.", "杭州丝路国际旅行社有限公司",
                 "Hangzhou", "杭州"),
    Organisation("Ningbo Harbour Travel Agency Co., Ltd.", "宁波海港旅行社有限公司", "Ningbo", "宁波"),
]
CHINESE_STAFF = [("王芳", "WANG Fang"), ("刘洋", "LIU Yang"), ("陈晨", "CHEN Chen"),
                 ("杨帆", "YANG Fan"), ("赵雷", "ZHAO Lei"), ("黄丽", "HUANG Li"),
                 ("吴军", "WU Jun"), ("徐静", "XU Jing")]
POSITIONS = [("Software Engineer", "软件工程师"), ("Sales Manager", "销售经理"),
             ("English Teacher", "英语教师"), ("Quality Engineer", "质量工程师"),
             ("Chief Designer", "首席设计师"), ("Financial Controller", "财务总监"),
             ("Production Supervisor", "生产主管"), ("Marketing Specialist", "市场专员")]

MATERIALS: dict[str, tuple[list[str], list[str]]] = {
    "health_certificate": (["health certificate", "medical examination certificate",
                            "health check report"], ["健康证明", "体检证明", "健康体检报告"]),
    "employment_letter": (["employment letter", "certificate of employment",
                           "letter from my employer"], ["在职证明", "工作证明", "单位证明"]),
    "work_permit": (["work permit", "Foreigner's Work Permit"], ["工作许可", "外国人工作许可证"]),
    "kinship_notarization": (["kinship notarization", "notarized certificate of kinship",
                              "notarial certificate of relationship"], ["亲属关系公证书", "亲属关系公证"]),
    "study_certificate": (["certificate of study", "study certificate"], ["在读证明", "学习证明"]),
    "accommodation_registration": (["accommodation registration", "registration form of temporary "
                                    "residence"], ["住宿登记表", "临时住宿登记"]),
    "passport": (["original passport", "passport"], ["护照原件", "护照"]),
    "photo": (["passport photos", "recent photographs"], ["照片", "近期免冠照片"]),
    "no_criminal_record": (["certificate of no criminal record", "police clearance certificate"],
                           ["无犯罪记录证明"]),
}
ZH_NUMBERS = {5: "五", 7: "七", 10: "十", 15: "十五", 20: "二十", 30: "三十"}
MATTERS = {
    "submit_application": ("submit the application and its materials", "递交申请及材料"),
    "collect_documents": ("collect the passport and the permit", "领取护照及证件"),
    "pay_fees": ("pay the fees", "缴纳相关费用"),
    "supplement_materials": ("supplement missing materials", "补充提交材料"),
    "receive_notices": ("receive notices from the office", "接收相关通知"),
    "sign_forms": ("sign the application forms", "签署申请表格"),
}
RELATIONS = {"employer": ("the human resources officer of my employer", "工作单位人事专员"),
             "school": ("the international student office of my university", "学校国际学生办公室老师"),
             "relative": ("my spouse", "配偶"), "travel_agency": ("a travel agency", "旅行社")}
START = dt.date(2026, 6, 1)


PHRASED_SHARE = 0.5  # of each letter kind, from the second family (training/letter_phrasings.py)


def draft(kind: str, rng: random.Random, language: str | None = None) -> Draft:
    from training.letter_phrasings import PHRASED_KINDS, phrased_draft  # it builds on this module

    language = language or rng.choice(["en", "zh", "bi"])
    if kind in PHRASED_KINDS and rng.random() < PHRASED_SHARE:
        return phrased_draft(kind, rng, language)
    if kind in DEMO_KINDS and language != "bi" and rng.random() < 0.3:
        return _demo_letter(kind, rng, language)
    made = WRITERS[kind](rng, language)
    made.kind, made.language = kind, language
    if kind in LETTER_KINDS or rng.random() < 0.3:
        _frame(made, rng)
    return made


DEMO_KINDS = ("personal_statement", "personnel_list_letter", "employment_letter", "school_letter",
              "authorization_letter", "health_certificate", "kinship_notarization", "work_permit",
              "residence_permit", "supporting_document", "waybill")


def _demo_letter(kind: str, rng: random.Random, language: str) -> Draft:
    """The short letters of the demo and the tests (mailroom/sample_letters.py), one family
    among the others, so the office's own samples are read like any letter."""
    from mailroom import sample_letters as demo

    them, other = (demo.Person(p.surname.upper(), p.given.upper(), p.nationality, p.passport_number)
                   for p in people(rng, NAMES, 2))
    org = rng.choice(COMPANIES)
    org_name = org.en if language == "en" else org.zh
    if kind == "personal_statement":
        letter = demo.personal_statement(them, rng.choice(["health_certificate", "kinship_notarization"]),
                                         language, promised_by=rng.choice([None, "2026-12-20"]))
    elif kind == "personnel_list_letter":
        letter = demo.personnel_list(org_name, [them, other], language)
    elif kind in ("employment_letter", "school_letter"):
        letter = demo.organization_letter(kind, org_name, them, language)
    elif kind == "authorization_letter":
        letter = demo.authorization_letter(them, org_name, rng.choice(["employer", "relative"]), language)
    elif kind == "waybill":
        letter = demo.waybill("sf", f"SF{rng.randrange(10**11, 10**12)}", language)
    else:
        letter = demo.certificate(kind, them, language, rng.choice([None, "2027-06-30"]))
    rows = [list(row) for row in letter.table]
    blocks: list = [*letter.lines, *([Grid(rows[0], rows[1:])] if rows else [])]
    return Draft(kind, language, letter.title, blocks, [], {})


ADDRESSEES = [("To: Exit-Entry Administration Bureau, {city} Public Security Bureau",
               "{city}市公安局出入境管理局："),
              ("To the Exit and Entry Administration Division", "致出入境管理部门："),
              ("Dear Sir or Madam,", "尊敬的出入境管理部门：")]
PURPOSES = [("This letter is submitted with an application for a residence permit for work.",
             "本函随工作类居留许可申请一并提交。"),
            ("The application concerns the extension of a residence permit.", "申请事项：居留许可延期。"),
            ("Application type: residence permit for family reunion.", "申请类别：团聚类居留许可。"),
            ("", "")]
CLOSINGS = [("Thank you for your kind assistance.", "感谢贵局的支持与帮助。"),
            ("Yours faithfully,", "此致 敬礼！"), ("Should you have any questions, please contact us.",
                                                 "如有疑问，请与我们联系。"), ("", "")]
CONTACTS = [("Contact: {staff}, Tel. 138{n}", "联系人：{staff_zh}，电话：138{n}"),
            ("Address: No. {k} {city} Road", "地址：{city_zh}市某路{k}号"), ("", "")]


def _frame(made: Draft, rng: random.Random) -> None:
    """What every letter to the office carries whatever its kind: an addressee, a line about the
    application, a closing and a contact. Shared by all kinds, so the model learns to look past it."""
    org = rng.choice(COMPANIES)
    staff_zh, staff_en = rng.choice(CHINESE_STAFF)
    fill = {"city": org.city_en, "city_zh": org.city_zh, "staff": staff_en, "staff_zh": staff_zh,
            "n": rng.randrange(10**8), "k": rng.randint(1, 999)}
    head = [_both(made.language, en.format(**fill), zh.format(**fill))
            for en, zh in (rng.choice(ADDRESSEES), rng.choice(PURPOSES)) if en]
    foot = [_both(made.language, en.format(**fill), zh.format(**fill))
            for en, zh in (rng.choice(CLOSINGS), rng.choice(CONTACTS)) if en]
    made.blocks = [*rng.sample(head, len(head)), *made.blocks, *foot]


def _both(language: str, en: str, zh: str) -> str:
    return {"en": en, "zh": zh, "bi": f"{zh} {en}"}[language]


def _blocks(language: str, en: list[str], zh: list[str]) -> list:
    if language == "en":
        return list(en)
    if language == "zh":
        return list(zh)
    return [item for pair in zip(zh, en, strict=False) for item in pair]


def _letterhead(org: Organisation, language: str, rng: random.Random) -> list[str]:
    phone = f"0{rng.randint(570, 579)}-{rng.randint(8000, 8999)} {rng.randint(1000, 9999)}"
    lines = {"en": [org.en], "zh": [org.zh], "bi": [org.zh, org.en]}[language]
    if rng.random() < 0.6:
        lines.append(_both(language, f"Tel: {phone}", f"电话：{phone}"))
    return lines


def _named(org: Organisation, language: str, key: str = "organization") -> dict[str, Any]:
    """An organisation as the truth gives it: as the letter writes it, the other form an alias."""
    primary, alias = (org.en, org.zh) if language == "en" else (org.zh, org.en)
    return {key: primary, f"{key}_aliases": [alias]}


def _agent(rng: random.Random, relation: str, staff: tuple[str, str]) -> tuple[str, str, list[str]]:
    """Who acts for the principal (English, Chinese, other aliases): a travel agency, known also
    by its staff member's name, or the staff member of the employer, school or family."""
    staff_zh, staff_en = staff
    if relation == "travel_agency":
        agency = rng.choice(AGENCIES)
        return agency.en, agency.zh, [staff_zh, staff_en]
    return staff_en, staff_zh, []


def _name_with_zh(p: Person, written: str, language: str) -> str:
    return f"{written}（{p.name_zh}）" if p.name_zh and language != "en" else written


def _written_nationality(p: Person, language: str, rng: random.Random) -> str:
    """A nationality as a cell of the letter's language writes it (a bilingual one in English)."""
    return write_nationality(p.nationality, "zh" if language == "zh" else "en", rng)


def _person_truth(p: Person, written: str, language: str) -> dict:
    truth = {"name": written, "nationality": p.nationality, "passport_number": p.passport_number}
    if p.name_zh and language != "en":
        truth["name_zh"] = p.name_zh
    return truth


# -- personal statements ---------------------------------------------------------------------

def _statement(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    signed = date_between(rng, START, 150)
    count = rng.choice([0, 1, 1, 1, 2])
    materials = rng.sample(sorted(MATERIALS), count)
    mention = rng.choice(sorted(MATERIALS))  # explained, maybe mentioned again and again
    en_when, zh_when, by, note = _promise_span(rng, signed, language)
    en_names = " and the ".join(rng.choice(MATERIALS[m][0]) for m in materials)
    zh_names = "及".join(rng.choice(MATERIALS[m][1]) for m in materials)
    why_en = rng.choice([
        f"my {MATERIALS[mention][0][0]} is still being prepared in my home country",
        "the hospital has not yet issued the examination results",
        "the documents must first be legalised by the embassy",
        "I arrived in China only recently"])
    why_zh = rng.choice([f"{MATERIALS[mention][1][0]}仍在本国办理中", "医院尚未出具检查结果",
                         "相关材料需经使领馆认证", "本人刚刚入境"])
    en = [rng.choice([f"I, {name}, holder of passport No. {p.passport_number}, hereby declare the "
                      "following.",
                      f"My name is {name} (passport number {p.passport_number}). I am applying for "
                      "an extension of my residence permit.",
                      f"Applicant: {name}   Passport No.: {p.passport_number}"]),
          f"At present I am unable to submit all the required materials, because {why_en}."]
    zh = [rng.choice([f"本人{_name_with_zh(p, name, language)}，护照号码{p.passport_number}，现郑重声明如下：",
                      f"申请人：{name}  护照号码：{p.passport_number}",
                      f"本人{name}（护照号：{p.passport_number}）申请办理居留许可延期。"]),
          f"因{why_zh}，目前无法提交全部申请材料。"]
    if rng.random() < 0.4:  # a statement that keeps naming the material it explains
        en.append(f"I understand that the {MATERIALS[mention][0][0]} is required and I have "
                  f"already booked the appointment for the {MATERIALS[mention][0][0]}.")
        zh.append(f"本人知悉须提交{MATERIALS[mention][1][0]}，并已预约办理{MATERIALS[mention][1][0]}。")
    if materials:
        en.append(rng.choice([f"I promise to provide the {en_names} {en_when}.",
                              f"I hereby undertake to submit the {en_names} {en_when}.",
                              f"I will supply the {en_names} to your office {en_when}.",
                              f"I pledge that the {en_names} will be submitted {en_when}.",
                              f"I shall deliver the {en_names} in person {en_when}."]))
        zh.append(rng.choice([f"本人承诺{zh_when}补交{zh_names}。", f"本人保证{zh_when}提交{zh_names}。",
                              f"本人将{zh_when}补齐{zh_names}并提交贵局。"]))
    else:
        en.append(rng.choice(["I kindly ask the office to consider my situation.",
                              "I leave it to the office to decide how to proceed."]))
        zh.append(rng.choice(["恳请贵局予以考虑。", "特此说明。"]))
    en.append(f"Date: {write_date(signed, 'en', rng)}   Signature: {name}")
    zh.append(f"声明人：{name}  日期：{write_date(signed, 'zh', rng)}")
    title = _both(language, rng.choice(["PERSONAL STATEMENT", "STATEMENT", "LETTER OF COMMITMENT",
                                        "DECLARATION AND UNDERTAKING", "SELF-DECLARATION",
                                        "WRITTEN EXPLANATION", "LETTER OF UNDERTAKING",
                                        "COMMITMENT LETTER", "DECLARATION", "EXPLANATORY LETTER"]),
                  rng.choice(["个人声明", "承诺书", "个人承诺书", "情况说明", "声明书", "书面说明",
                              "承诺函", "个人说明", "申请人声明"]))
    truth = {"name": name, "passport_number": p.passport_number, "promised_materials": materials,
             "promised_by": by.isoformat() if materials else None,
             "statement_date": signed.isoformat()}
    if note and materials:
        truth["promised_by_note"] = note
    return Draft("", language, title, _blocks(language, en, zh), [], truth)


def _promise_span(rng: random.Random, signed: dt.date, language: str
                  ) -> tuple[str, str, dt.date, str | None]:
    choice = rng.randrange(5)
    if choice == 0:
        return "within one month", "在一个月内", signed + dt.timedelta(days=30), None
    if choice == 1:
        days = rng.choice([15, 20, 30])
        return (f"within {days} days", rng.choice([f"{days}日内", f"{ZH_NUMBERS[days]}日内", f"{days}天内"]),
                signed + dt.timedelta(days=days), None)
    if choice == 2:
        days = rng.choice([5, 10, 15, 20])
        due = add_working_days(signed, days, office_calendar()).due
        return (f"within {days} working days", f"{ZH_NUMBERS[days]}个工作日内", due,
                f"{days} working days")
    due = signed + dt.timedelta(days=rng.randint(10, 60))
    en_date, zh_date = write_date(due, "en", rng), write_date(due, "zh", rng)
    return (rng.choice([f"before {en_date}", f"by {en_date}", f"no later than {en_date}"]),
            rng.choice([f"于{zh_date}前", f"在{zh_date}之前"]), due, None)


# -- lists of people: employers and schools --------------------------------------------------

def _personnel_list(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    staff = people(rng, NAMES, rng.randint(2, 12))
    employed = rng.random() < 0.85
    written = [p.written(rng) for p in staff]
    intro_en = (rng.choice([f"This is to certify that the following {len(staff)} foreign nationals "
                            "are employees of our company and work for us full-time:",
                            "The foreign staff listed below are employed by our company under "
                            "valid labour contracts:"])
                if employed else rng.choice([
                    "The persons listed below are NOT employees of our company; they are experts "
                    "of a partner firm visiting us for a short training:",
                    "Please note that the following persons are not employed by our company. "
                    "They are family members of our staff:"]))
    intro_zh = (rng.choice([f"兹证明以下{len(staff)}名外籍人员系我公司在职员工：", "以下外籍员工均与我公司签订劳动合同："])
                if employed else rng.choice(["以下人员并非我公司员工，系合作单位来访专家：",
                                             "特此说明，下列人员不是我公司雇员，系员工家属："]))
    layout = rng.choice(["table", "table", "numbered", "prose"])
    blocks_en: list = [intro_en]
    blocks_zh: list = [intro_zh]
    if layout == "table":
        grid = _people_grid(rng, staff, written, language)
        return _list_draft(rng, org, language, "pl", [intro_en if language == "en" else
                                                       _both(language, intro_en, intro_zh), grid],
                           staff, written, employed)
    if layout == "numbered":
        for i, (p, w) in enumerate(zip(staff, written, strict=True), 1):
            blocks_en.append(f"{i}. {w}, {write_nationality(p.nationality, 'en', rng)}, passport "
                             f"{p.passport_number}")
            blocks_zh.append(f"{i}. {_name_with_zh(p, w, language)} "
                             f"{write_nationality(p.nationality, 'zh', rng)} 护照号码：{p.passport_number}")
    else:
        blocks_en.append("; ".join(f"{w} ({write_nationality(p.nationality, 'en', rng)} national, "
                                   f"passport No. {p.passport_number})"
                                   for p, w in zip(staff, written, strict=True)) + ".")
        blocks_zh.append("；".join(f"{_name_with_zh(p, w, language)}（"
                                  f"{write_nationality(p.nationality, 'zh', rng)}，护照号码：{p.passport_number}）"
                                  for p, w in zip(staff, written, strict=True)) + "。")
    if language == "bi":
        blocks = [blocks_zh[0], blocks_en[0], *blocks_zh[1:], *blocks_en[1:]]
    else:
        blocks = blocks_en if language == "en" else blocks_zh
    return _list_draft(rng, org, language, "pl", blocks, staff, written, employed)


def _people_grid(rng: random.Random, staff: list[Person], written: list[str], language: str) -> Grid:
    columns = ["no", "name", "nationality", "passport", *rng.sample(["position", "birth"], rng.randint(0, 1))]
    rest = columns[1:]
    rng.shuffle(rest)
    columns = [columns[0], *rest] if rng.random() < 0.8 else rest
    labels = {"no": ("No.", "序号"), "name": (rng.choice(["Name", "Full name"]), "姓名"),
              "nationality": ("Nationality", "国籍"),
              "passport": (rng.choice(["Passport No.", "Passport number"]), rng.choice(["护照号码", "护照号"])),
              "position": ("Position", "职务"), "birth": ("Date of birth", "出生日期")}
    header = [_both(language, labels[c][0], labels[c][1]) for c in columns]
    rows = []
    for i, (p, w) in enumerate(zip(staff, written, strict=True), 1):
        pos = rng.choice(POSITIONS)
        cell = {"no": str(i), "name": _name_with_zh(p, w, language),
                "nationality": _written_nationality(p, language, rng),
                "passport": p.passport_number, "position": _both(language, pos[0], pos[1]),
                "birth": write_date(date_between(rng, dt.date(1970, 1, 1), 12000), "en", rng)}
        rows.append([cell[c] for c in columns])
    return Grid(header, rows)


def _list_draft(rng: random.Random, org: Organisation, language: str, prefix: str, blocks: list,
                staff: list[Person], written: list[str], employed: bool) -> Draft:
    title = _both(language, rng.choice(["LIST OF FOREIGN EMPLOYEES", "PERSONNEL LIST",
                                        "CERTIFICATE OF FOREIGN STAFF", "STAFF LIST",
                                        "NAME LIST OF FOREIGN EMPLOYEES", "EMPLOYEE LIST",
                                        "LIST OF FOREIGN WORKERS", "CONFIRMATION OF EMPLOYMENT"]),
                  rng.choice(["外籍员工名单", "在职人员名单", "外籍人员名单", "员工名册", "外籍职工名单",
                              "人员清单", "在职外籍员工证明", "证明"]))
    closing = _both(language, "We guarantee that the above information is true.", "以上信息真实有效，特此证明。")
    signed = write_date(date_between(rng, START, 150), "en" if language == "en" else "zh", rng)
    truth = {**_named(org, language), "states_employed": employed,
             "people": [_person_truth(p, w, language) for p, w in zip(staff, written, strict=True)]}
    return Draft("", language, title, [*blocks, closing, _both(language, org.en, org.zh), signed],
                 _letterhead(org, language, rng), truth)


def _school_letter(rng: random.Random, language: str) -> Draft:
    school = rng.choice(SCHOOLS)
    students = people(rng, NAMES, rng.choice([1, 1, 2, 3, 5]))
    written = [s.written(rng) for s in students]
    start = date_between(rng, dt.date(2024, 9, 1), 600)
    end = start + dt.timedelta(days=rng.choice([365, 730, 1095, 1400]))
    s_en, e_en = write_date(start, "en", rng), write_date(end, "en", rng)
    s_zh, e_zh = write_date(start, "zh", rng), write_date(end, "zh", rng)
    programme = rng.choice([("a bachelor's programme in economics", "经济学本科"),
                            ("a Chinese language programme", "汉语进修"),
                            ("a master's programme in engineering", "工程硕士")])
    en = [f"This is to certify that the student(s) below are enrolled at {school.en} in "
          f"{programme[0]}, with a period of study from {s_en} to {e_en}."]
    zh = [f"兹证明下列学生在{school.zh}攻读{programme[1]}，学习期限自{s_zh}至{e_zh}。"]
    if len(students) == 1 or rng.random() < 0.4:
        for s, w in zip(students, written, strict=True):
            en.append(f"Name: {w}  Nationality: {write_nationality(s.nationality, 'en', rng)}  "
                      f"Passport No.: {s.passport_number}")
            zh.append(f"姓名：{_name_with_zh(s, w, language)}  国籍：{write_nationality(s.nationality, 'zh', rng)}  "
                      f"护照号码：{s.passport_number}")
        blocks = _blocks(language, en, zh)
    else:
        blocks = [_both(language, en[0], zh[0]), _people_grid(rng, students, written, language)]
    blocks.append(_both(language, rng.choice([
        "The university will manage the students during their studies.",
        "Tuition fees for the current academic year have been paid in full.",
        "The students live in the university's international student dormitory.",
        "This certificate is issued for the application for a residence permit for study."]),
        rng.choice(["学校将在其学习期间负责管理。", "本学年学费已全部缴清。", "该生住宿于学校留学生公寓。",
                    "本证明仅用于办理学习类居留许可。"])))
    if rng.random() < 0.5:
        blocks.insert(1, _both(language, f"Student No.: {rng.randrange(10**9)}   Faculty: "
                               f"{rng.choice(['School of Economics', 'College of Engineering'])}",
                               f"学号：{rng.randrange(10**9)}  院系：{rng.choice(['经济学院', '工程学院'])}"))
    title = _both(language, rng.choice(["CERTIFICATE OF ENROLMENT", "ENROLMENT VERIFICATION",
                                        "LETTER FROM THE UNIVERSITY", "STUDENT STATUS CERTIFICATE",
                                        "PROOF OF ENROLLMENT", "LIST OF STUDENTS",
                                        "CERTIFICATE OF STUDY", "LIST OF ENROLLED STUDENTS"]),
                  rng.choice(["在读证明", "学籍证明", "学生在读证明", "学生名单", "在校证明",
                              "留学生名单", "学习证明", "录取及在读证明"]))
    truth = {**_named(school, language, "school"),
             "people": [_person_truth(s, w, language) for s, w in zip(students, written, strict=True)],
             "study_start": start.isoformat(), "study_end": end.isoformat()}
    return Draft("", language, title, blocks, _letterhead(school, language, rng), truth)


def _employment_letter(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    p = person(rng, NAMES)
    name = p.written(rng)
    position = rng.choice(POSITIONS)
    since = write_date(date_between(rng, dt.date(2019, 1, 1), 2000), "en", rng)
    en = [rng.choice([
        f"This is to certify that {name}, passport number {p.passport_number}, has been employed by "
        f"{org.en} as {position[0]} since {since}.",
        f"We hereby confirm that Mr./Ms. {name} (Passport No. {p.passport_number}) works for our "
        f"company in the position of {position[0]}."]),
        rng.choice(["The employee's monthly salary is paid by the company.",
                    "This certificate is issued for the application of a residence permit."])]
    zh = [rng.choice([
        f"兹证明{_name_with_zh(p, name, language)}（护照号码：{p.passport_number}）自{since}起在我公司担任"
        f"{position[1]}。",
        f"{name}，护照号：{p.passport_number}，系我公司正式员工，职务为{position[1]}。"]),
        "特此证明。"]
    if rng.random() < 0.5:
        en = [f"Name: {name}", f"Passport No.: {p.passport_number}", f"Position: {position[0]}",
              f"Employer: {org.en}", "The above person is a full-time employee of our company."]
        zh = [f"姓名：{name}", f"护照号码：{p.passport_number}", f"职务：{position[1]}",
              f"工作单位：{org.zh}", "上述人员为我公司全职员工。"]
    title = _both(language, rng.choice(["EMPLOYMENT CERTIFICATE", "CERTIFICATE OF EMPLOYMENT",
                                        "EMPLOYMENT VERIFICATION LETTER", "PROOF OF EMPLOYMENT",
                                        "LETTER OF EMPLOYMENT", "EMPLOYMENT CONFIRMATION",
                                        "WORK CERTIFICATE", "CONFIRMATION OF EMPLOYMENT"]),
                  rng.choice(["在职证明", "工作证明", "聘用证明", "在岗证明", "收入及在职证明", "证明"]))
    blocks = [*_blocks(language, en, zh), write_date(date_between(rng, START, 150), (language == "en" and "en") or "zh", rng)]
    truth = {**_named(org, language), "name": name, "passport_number": p.passport_number,
             "position": position[0] if language == "en" else position[1],
             "position_aliases": [position[1] if language == "en" else position[0]]}
    return Draft("", language, title, blocks, _letterhead(org, language, rng), truth)


def _authorization(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    relation = rng.choice(sorted(RELATIONS))
    staff_zh, staff_en = rng.choice(CHINESE_STAFF)
    matters = rng.sample(sorted(MATTERS), rng.randint(1, 4))
    agent_en, agent_zh, aliases_extra = _agent(rng, relation, (staff_zh, staff_en))
    en_matters = "; ".join(MATTERS[m][0] for m in matters)
    zh_matters = "、".join(MATTERS[m][1] for m in matters)
    works_at = rng.choice(COMPANIES + SCHOOLS)
    id_card = f"33{rng.randrange(10**4):04d}19{rng.randint(60, 99)}****{rng.randrange(10**4):04d}"
    en = [f"Principal: {name}   Nationality: {write_nationality(p.nationality, 'en', rng)}   "
          f"Passport No.: {p.passport_number}",
          f"Agent: {agent_en}   ID card No.: {id_card}   Relationship: {RELATIONS[relation][0]}",
          rng.choice([f"The agent works at {works_at.en}.", "Tel. of the agent: 139" +
                      str(rng.randrange(10**8)), ""]),
          rng.choice([f"I hereby authorize {agent_en} to handle the following matters on my behalf: "
                      f"{en_matters}.",
                      f"I, {name}, appoint {agent_en} as my agent to {en_matters} for my residence "
                      "permit application."]),
          "I acknowledge all acts done by the agent within this authorization.",
          rng.choice(["This authorization is valid until the application is completed.",
                      "Period of authorization: three months from the date below.", ""])]
    zh = [f"委托人：{_name_with_zh(p, name, language)}  国籍：{write_nationality(p.nationality, 'zh', rng)}"
          f"  护照号码：{p.passport_number}",
          f"受托人：{agent_zh}  身份证号：{id_card}  与委托人关系：{RELATIONS[relation][1]}",
          rng.choice([f"受托人工作单位：{works_at.zh}", f"受托人电话：139{rng.randrange(10**8)}", ""]),
          rng.choice([f"本人特委托{agent_zh}代为办理以下事项：{zh_matters}。",
                      f"兹委托{agent_zh}全权代理本人{zh_matters}等事宜。"]),
          "受托人在委托权限内所办理的事项，本人均予以承认。",
          rng.choice(["委托期限：自签署之日起三个月。", "本委托书有效期至申请办结之日止。", ""])]
    if relation in ("employer", "school") and rng.random() < 0.5:
        # issued by the organisation: "our employee ... our staff member is authorised"
        who_en, who_zh = ("employee", "员工") if relation == "employer" else ("student", "学生")
        en = [f"Our foreign {who_en} {name} ({write_nationality(p.nationality, 'en', rng)}, passport "
              f"No. {p.passport_number}) is applying for a residence permit.",
              f"With the {who_en}'s consent, we authorize our staff member {agent_en} (ID card No. "
              f"{id_card}) to {en_matters} on the {who_en}'s behalf.",
              "We take responsibility for the matters handled by the authorized person."]
        zh = [f"我单位外籍{who_zh}{_name_with_zh(p, name, language)}（{write_nationality(p.nationality, 'zh', rng)}，"
              f"护照号码：{p.passport_number}）申请办理居留许可。",
              f"经本人同意，现委托我单位工作人员{agent_zh}（身份证号：{id_card}）代为{zh_matters}。",
              "我单位对受托人办理的事项承担责任。"]
        title = _both(language, rng.choice(["AUTHORIZATION", "LETTER OF AUTHORIZATION FOR APPLICATION "
                                            "MATTERS", "AUTHORIZATION TO ACT"]),
                      rng.choice(["委托书", "授权书", "单位委托书"]))
        blocks = [*_blocks(language, en, zh), _both(language, f"Date: {write_date(date_between(rng, START, 150), 'en', rng)}", f"日期：{write_date(date_between(rng, START, 150), 'zh', rng)}")]
        return Draft("", language, title, blocks, _letterhead(works_at, language, rng),
                     _authorization_truth(p, name, (agent_en, agent_zh), [], relation, matters, language))
    title = _both(language, rng.choice(["LETTER OF AUTHORIZATION", "POWER OF ATTORNEY",
                                        "AUTHORIZATION LETTER", "LETTER OF ATTORNEY",
                                        "CONSENT AND AUTHORIZATION", "MANDATE", "AUTHORIZATION"]),
                  rng.choice(["授权委托书", "委托书", "授权书", "委托授权书", "代办委托书"]))
    blocks = [*_blocks(language, en, zh), _both(language, f"Date: {write_date(date_between(rng, START, 150), 'en', rng)}", f"日期：{write_date(date_between(rng, START, 150), 'zh', rng)}")]
    truth = _authorization_truth(p, name, (agent_en, agent_zh), aliases_extra, relation, matters, language)
    return Draft("", language, title, blocks, [], truth)


def _authorization_truth(p: Person, name: str, agent: tuple[str, str], aliases: list[str],
                         relation: str, matters: list[str], language: str) -> dict[str, Any]:
    """An authorization's truth: the agent as the letter writes it, the other forms aliases."""
    agent_en, agent_zh = agent
    primary, alias = (agent_en, agent_zh) if language == "en" else (agent_zh, agent_en)
    return {"principal_name": name, "principal_passport_number": p.passport_number,
            "agent_name": primary, "agent_name_aliases": [alias, *aliases],
            "agent_relation": relation, "matters": matters}


def _health_certificate(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    examined = date_between(rng, START, 150)
    issued = examined + dt.timedelta(days=rng.randint(1, 8))
    hospital = rng.choice([("Zhejiang International Travel Healthcare Center", "浙江国际旅行卫生保健中心"),
                           ("Hangzhou First People's Hospital Physical Examination Center",
                            "杭州市第一人民医院体检中心")])
    en = [f"Name: {name}   Nationality: {write_nationality(p.nationality, 'en', rng)}",
          f"Passport No.: {p.passport_number}",
          f"Date of examination: {write_date(examined, 'en', rng)}"]
    zh = [f"姓名：{_name_with_zh(p, name, language)}  国籍：{write_nationality(p.nationality, 'zh', rng)}",
          f"护照号码：{p.passport_number}", f"体检日期：{write_date(examined, 'zh', rng)}"]
    tests = rng.sample([("Chest X-ray", "胸部X线", "normal", "未见异常"),
                        ("HIV antibody", "艾滋病抗体", "negative", "阴性"),
                        ("Syphilis", "梅毒", "negative", "阴性"),
                        ("Blood pressure", "血压", "118/76 mmHg", "118/76 mmHg"),
                        ("Electrocardiogram", "心电图", "normal", "正常"),
                        ("Hepatitis B surface antigen", "乙肝表面抗原", "negative", "阴性"),
                        ("Height / weight", "身高/体重", "176 cm / 70 kg", "176厘米/70公斤"),
                        ("Abdominal ultrasound", "腹部B超", "no abnormality", "未见异常"),
                        ("Vision", "视力", "5.0 / 5.0", "5.0 / 5.0")], rng.randint(3, 7))
    en.append(rng.choice([f"Sex: {rng.choice(['Male', 'Female'])}   Report No.: "
                          f"TJ{rng.randrange(10**8)}", "Examining physician: Dr. Zhou",
                          f"Date of birth: {write_date(date_between(rng, dt.date(1970, 1, 1), 12000), 'en', rng)}"]))
    zh.append(rng.choice([f"性别：{rng.choice(['男', '女'])}  报告编号：TJ{rng.randrange(10**8)}", "主检医师：周医生",
                          f"出生日期：{write_date(date_between(rng, dt.date(1970, 1, 1), 12000), 'zh', rng)}"]))
    grid = Grid([_both(language, "Item", "项目"), _both(language, "Result", "结果")],
                [[_both(language, t[0], t[1]), _both(language, t[2], t[3])] for t in tests])
    conclusion = _both(language, "Conclusion: no contagious disease was found; the examinee is fit.",
                       "结论：未发现传染性疾病，体检合格。")
    small = _both(language, "Statement: this certificate is valid for six months from the date of "
                  "issue and only for the person named above.", "声明：本证明自签发之日起六个月内有效，仅限本人使用。")
    issued_line = _both(language, f"Date of issue: {write_date(issued, 'en', rng)}",
                        f"签发日期：{write_date(issued, 'zh', rng)}")
    blocks = [*_blocks(language, en, zh), grid, conclusion, issued_line]
    if rng.random() < 0.6:
        blocks.append(small)
    title = _both(language, rng.choice(["HEALTH CERTIFICATE", "MEDICAL EXAMINATION REPORT",
                                        "CERTIFICATE OF PHYSICAL EXAMINATION", "MEDICAL REPORT",
                                        "PHYSICAL EXAMINATION CERTIFICATE",
                                        "RESULT OF HEALTH EXAMINATION", "MEDICAL CHECK-UP REPORT"]),
                  rng.choice(["健康证明", "体检报告", "健康检查证明书", "体检证明", "体检结果",
                              "外国人体格检查记录", "体检合格证明"]))
    org = Organisation(hospital[0], hospital[1], "Hangzhou", "杭州")
    truth = {"name": name, "passport_number": p.passport_number,
             "examination_date": examined.isoformat()}
    return Draft("", language, title, blocks, _letterhead(org, language, rng), truth)


# -- what else arrives: the classifier must tell these from letters ---------------------------

def _simple(title_en: str, title_zh: str, en: list[str], zh: list[str]) -> Callable[..., Draft]:
    def write(rng: random.Random, language: str) -> Draft:
        p = person(rng, NAMES)
        name = p.written(rng)
        day = write_date(date_between(rng, START, 500), "en" if language == "en" else "zh", rng)
        fill = {"name": name, "passport": p.passport_number, "date": day,
                "nat": write_nationality(p.nationality, "en", rng)}
        return Draft("", language, _both(language, title_en, title_zh),
                     _blocks(language, [e.format(**fill) for e in en], [z.format(**fill) for z in zh]),
                     [], {})
    return write


UNRELATED_EN = ["shopping list: milk, eggs, rice, apples", "meeting notes of the product team",
                "Total 44.00  Thank you for your visit", "weather forecast: light rain tomorrow",
                "menu of the day: noodles, dumplings, green tea", "bank statement for October",
                "please water the plants while I am away", "invoice for four office chairs",
                "the football match starts at seven", "receipt No. 20931 paid by card",
                "a list of books to read this winter", "minutes of the residents' committee",
                "train ticket Hangzhou East to Shanghai Hongqiao", "gym membership renewal",
                "nothing official here, just notes", "recipe: two cups of flour and one egg"]
UNRELATED_ZH = ["购物清单：牛奶、鸡蛋、大米、苹果", "产品组会议纪要", "合计44.00元 谢谢惠顾", "天气预报：明天小雨",
                "今日菜单：面条、饺子、绿茶", "十月份银行对账单", "外出期间请帮忙浇花", "办公椅四把的发票",
                "足球比赛七点开始", "收据编号20931 刷卡支付", "冬季读书清单", "居委会会议记录",
                "杭州东至上海虹桥火车票", "健身卡续费通知", "随手记录，没有正式内容", "菜谱：两杯面粉一个鸡蛋"]


def _unrelated(rng: random.Random, language: str) -> Draft:
    """Pages that are no document of the office's: receipts, notes, lists, tickets."""
    n = rng.randint(1, 5)
    en, zh = rng.sample(UNRELATED_EN, n), rng.sample(UNRELATED_ZH, n)
    return Draft("", language, "", _blocks(language, en, zh), [], {})


WRITERS: dict[str, Callable[[random.Random, str], Draft]] = {
    "personal_statement": _statement,
    "personnel_list_letter": _personnel_list,
    "school_letter": _school_letter,
    "employment_letter": _employment_letter,
    "authorization_letter": _authorization,
    "health_certificate": _health_certificate,
    "work_permit": _simple("FOREIGNER'S WORK PERMIT", "外国人工作许可证",
                           ["Name: {name}", "Nationality: {nat}", "Passport No.: {passport}",
                            "Permit No.: 933000012345678", "Valid until: {date}",
                            "Issued by the Foreign Experts Bureau"],
                           ["姓名：{name}", "国籍：{nat}", "护照号码：{passport}", "许可证号：933000012345678",
                            "有效期至：{date}", "发证机关：外国专家局"]),
    "residence_permit": _simple("RESIDENCE PERMIT FOR FOREIGNERS", "外国人居留许可",
                                ["Name: {name}", "Passport No.: {passport}", "Type: work",
                                 "Valid until: {date}", "Issued by the Exit-Entry Administration"],
                                ["姓名：{name}", "护照号码：{passport}", "居留事由：工作", "有效期至：{date}",
                                 "签发机关：出入境管理局"]),
    "kinship_notarization": _simple("NOTARIAL CERTIFICATE", "公证书",
                                    ["This is to certify that {name} is the spouse of Li Hua.",
                                     "Kinship: husband and wife. Notary public: Hangzhou Notary Office",
                                     "Date: {date}"],
                                    ["兹证明{name}与李华系夫妻关系。", "亲属关系公证。公证员：杭州市公证处",
                                     "日期：{date}"]),
    "supporting_document": _simple("NOTICE OF CRITICAL ILLNESS", "病危通知书",
                                   ["Patient: Maria Lopez, mother of {name}",
                                    "The patient is in critical condition in the intensive care unit.",
                                    "Hospital: City General Hospital, {date}"],
                                   ["患者：{name}之母", "患者病情危重，正在重症监护室抢救，特此通知家属。",
                                    "医院：市第一医院 {date}"]),
    "waybill": _simple("SF EXPRESS WAYBILL", "顺丰速运 运单",
                       ["Waybill No.: SF1234567890123", "Sender: {name}", "Recipient: Exit-Entry "
                        "Administration", "Weight 0.5 kg  Payment: sender"],
                       ["运单号：SF1234567890123", "寄件人：{name}", "收件人：出入境管理局", "重量0.5kg 寄付"]),
    "other": lambda rng, language: _unrelated(rng, language),
}
LETTER_KINDS = ("personal_statement", "personnel_list_letter", "school_letter",
                "employment_letter", "authorization_letter", "health_certificate")
