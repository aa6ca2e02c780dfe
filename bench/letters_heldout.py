"""The held-apart letters: a second generator that training never sees.

Its own names, organisations, cities, wordings and layouts (numbered lines where the training
letters have tables, headers in another order, other headings, prose that names people in
another way), drawn with its own seeds. bench/extraction.py reports it beside the training set
and ../shared/corpus/letters/; nothing is ever tuned on its figures.
"""

from __future__ import annotations

import datetime as dt
import random

from training.drafts import Draft, Grid
from training.people import Organisation, date_between, people, person, write_date, write_nationality
from validators.working_days import add_working_days, office_calendar

NAMES: list[tuple[str, str, str, str | None]] = [
    ("George", "Davies", "GBR", "乔治·戴维斯"), ("Isla", "Fraser", "GBR", None),
    ("Felix", "Hoffmann", "DEU", None), ("Lena", "Schulz", "DEU", "莉娜·舒尔茨"),
    ("Takumi", "Watanabe", "JPN", None), ("Sakura", "Ito", "JPN", "伊藤樱"),
    ("Seojun", "Kang", "KOR", None), ("Hayoon", "Yoon", "KOR", "尹夏允"),
    ("Louis", "Moreau", "FRA", None), ("Manon", "Girard", "FRA", "玛农·吉拉尔"),
    ("Logan", "Mitchell", "USA", None), ("Avery", "Coleman", "USA", "艾弗里·科尔曼"),
    ("Nikolai", "Volkov", "RUS", None), ("Ekaterina", "Orlova", "RUS", "叶卡捷琳娜·奥尔洛娃"),
    ("Lorenzo", "Ricci", "ITA", None), ("Chiara", "Bruno", "ITA", None),
    ("Diego", "Herrera", "ESP", "迭戈·埃雷拉"), ("Lucia", "Molina", "ESP", None),
    ("Rafael", "Barbosa", "BRA", None), ("Beatriz", "Ribeiro", "BRA", "贝娅特丽丝·里贝罗"),
    ("Vikram", "Iyer", "IND", None), ("Ananya", "Reddy", "IND", "阿南娅·雷迪"),
    ("Pham Duc", "Anh", "VNM", None), ("Somsak", "Boonmee", "THA", "颂萨·汶密"),
    ("Budi", "Santoso", "IDN", None), ("Emre", "Yildiz", "TUR", "埃姆雷·耶尔德兹"),
    ("Taras", "Bondarenko", "UKR", None), ("Katarzyna", "Lewandowska", "POL", None),
    ("Erik", "Lindqvist", "SWE", None), ("Mads", "Jensen", "DNK", "马兹·延森"),
    ("Ama", "Owusu", "GHA", None), ("Ngozi", "Eze", "NGA", None),
    ("Imran", "Qureshi", "PAK", None), ("Youssef", "Amrani", "MAR", None),
    ("Temuulen", "Bold", "MNG", "特木伦·博尔德"), ("Daniyar", "Abenov", "KAZ", None),
    ("Aoife", "Byrne", "IRL", None), ("Liam", "Gagnon", "CAN", None),
    ("Santiago", "Perez", "ARG", "圣地亚哥·佩雷斯"), ("Ignacio", "Vega", "CHL", None),
    ("Mariam", "Haddad", "EGY", None), ("Jonas", "Peeters", "BEL", None),
    ("Sven", "de Vries", "NLD", None), ("Zanele", "Dlamini", "ZAF", "赞内莱·德拉米尼"),
]
COMPANIES = [
    Organisation("Shaoxing Jinghu Textile Machinery Co., Ltd.", "绍兴镜湖纺织机械有限公司", "Shaoxing", "绍兴"),
    Organisation("Lishui Greenpeak Tea Industry Co., Ltd.", "丽水青峰茶业有限公司", "Lishui", "丽水"),
    Organisation("Quzhou Donggang Chemical Co., Ltd.", "衢州东港化工有限公司", "Quzhou", "衢州"),
    Organisation("Yiwu Global Trade Link Co., Ltd.", "义乌环贸通商贸有限公司", "Yiwu", "义乌"),
]
SCHOOLS = [
    Organisation("Shaoxing University of Arts and Sciences", "绍兴文理大学", "Shaoxing", "绍兴"),
    Organisation("Jiaxing College of Commerce", "嘉兴商学院", "Jiaxing", "嘉兴"),
]
MATERIALS = {  # wordings the training letters do not use
    "health_certificate": ("medical certificate", "健康检查证明"),
    "employment_letter": ("confirmation of employment", "任职证明"),
    "work_permit": ("permit to work", "工作许可证"),
    "kinship_notarization": ("certificate of kinship", "亲属关系证明"),
    "study_certificate": ("proof of enrolment", "学籍证明"),
    "accommodation_registration": ("proof of accommodation", "住宿证明"),
    "no_criminal_record": ("criminal record certificate", "无犯罪记录"),
    "photo": ("photographs", "相片"),
}
START = dt.date(2026, 3, 1)


def heldout_draft(kind: str, rng: random.Random) -> Draft:
    language = rng.choice(["en", "zh", "bi"])
    made = {"personal_statement": _statement, "personnel_list_letter": _staff_list,
            "school_letter": _students, "employment_letter": _employment,
            "authorization_letter": _authorization, "health_certificate": _health}[kind](rng, language)
    made.kind, made.language, made.template = kind, language, f"heldout:{kind}"
    return made


def _pair(language: str, en: str, zh: str) -> list[str]:
    return {"en": [en], "zh": [zh], "bi": [zh, en]}[language]


def _statement(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    made_on = date_between(rng, START, 200)
    materials = rng.sample(sorted(MATERIALS), rng.choice([0, 1, 1, 2]))
    en_m = " together with the ".join(MATERIALS[m][0] for m in materials)
    zh_m = "和".join(MATERIALS[m][1] for m in materials)
    span = rng.randrange(3)
    if span == 0:
        weeks = rng.choice([2, 3])
        en_when, zh_when, by = f"within {['', '', 'two', 'three'][weeks]} weeks", f"{['', '', '两', '三'][weeks]}周内", \
            made_on + dt.timedelta(weeks=weeks)
    elif span == 1:
        days = rng.choice([10, 20])
        en_when, zh_when = f"within {days} working days", f"{days}个工作日内"
        by = add_working_days(made_on, days, office_calendar()).due
    else:
        by = made_on + dt.timedelta(days=rng.randint(14, 50))
        en_when, zh_when = f"on or before {write_date(by, 'en', rng)}", f"在{write_date(by, 'zh', rng)}以前"
    blocks = _pair(language, f"Re: my application – {name}, passport {p.passport_number}",
                   f"关于本人{name}（护照{p.passport_number}）的申请")
    blocks += _pair(language, "The office asked me for documents that I could not bring with me.",
                    "贵局要求提交的部分材料本人未能随身携带。")
    if materials:
        blocks += _pair(language, f"I commit to hand in the {en_m} {en_when}.",
                        f"本人保证{zh_when}向贵局递交{zh_m}。")
    else:
        blocks += _pair(language, "I ask the office to take this explanation into account.",
                        "以上情况，请予理解。")
    blocks += _pair(language, f"{name}, {write_date(made_on, 'en', rng)}",
                    f"{name}  {write_date(made_on, 'zh', rng)}")
    title = {"en": "EXPLANATION AND PLEDGE", "zh": "情况说明及保证书", "bi": "保证书 PLEDGE"}[language]
    return Draft("", language, title, blocks, [], {
        "name": name, "passport_number": p.passport_number, "promised_materials": materials,
        "promised_by": by.isoformat() if materials else None, "statement_date": made_on.isoformat()})


def _row_lines(rng: random.Random, staff: list, written: list[str], language: str) -> list[str]:
    out = []
    for i, (p, w) in enumerate(zip(staff, written, strict=True), 1):
        nat = write_nationality(p.nationality, "zh" if language == "zh" else "en", rng)
        out.append(rng.choice([f"({i}) {w} — {nat} — passport {p.passport_number}",
                               f"{i}、{w}，{nat}，护照号{p.passport_number}" if language != "en"
                               else f"{i}) {w}; {nat}; passport no. {p.passport_number}"]))
    return out


def _staff_list(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    staff = people(rng, NAMES, rng.randint(2, 10))
    written = [p.written(rng) for p in staff]
    employed = rng.random() < 0.8
    intro = _pair(language, "The following foreign staff members are on our payroll:" if employed else
                  "The following visitors are not employees of our company:",
                  "下列外籍职工均在我公司任职：" if employed else "下列来访人员并非我公司员工：")
    if rng.random() < 0.5:
        header = ["Passport", "Employee name", "Country"] if language == "en" else ["护照号", "员工姓名", "国籍"]
        grid = Grid(header, [[p.passport_number, w, write_nationality(p.nationality, "en", rng)]
                             for p, w in zip(staff, written, strict=True)])
        body: list = [*intro, grid]
    else:
        body = [*intro, *_row_lines(rng, staff, written, language)]
    title = {"en": "FOREIGN STAFF ROSTER", "zh": "外国员工花名册", "bi": "外国员工花名册 STAFF ROSTER"}[language]
    return Draft("", language, title, [*body, *_pair(language, org.en, org.zh)], _pair(language, org.en, org.zh), {
        "organization": org.en if language == "en" else org.zh,
        "organization_aliases": [org.zh if language == "en" else org.en], "states_employed": employed,
        "people": [{"name": w, "nationality": p.nationality, "passport_number": p.passport_number}
                   for p, w in zip(staff, written, strict=True)]})


def _students(rng: random.Random, language: str) -> Draft:
    school = rng.choice(SCHOOLS)
    students = people(rng, NAMES, rng.randint(1, 4))
    written = [s.written(rng) for s in students]
    start = date_between(rng, dt.date(2025, 2, 1), 400)
    end = start + dt.timedelta(days=rng.choice([500, 900]))
    blocks = _pair(language, f"We confirm that the students listed are registered with our college for the "
                   f"period {write_date(start, 'en', rng)} – {write_date(end, 'en', rng)}.",
                   f"兹确认下列学生在我校注册学习，期限为{write_date(start, 'zh', rng)}至{write_date(end, 'zh', rng)}。")
    blocks += _row_lines(rng, students, written, language)
    title = {"en": "CONFIRMATION OF STUDENT STATUS", "zh": "学生学籍证明", "bi": "学籍证明 STUDENT STATUS"}[language]
    return Draft("", language, title, blocks, _pair(language, school.en, school.zh), {
        "school": school.en if language == "en" else school.zh,
        "school_aliases": [school.zh if language == "en" else school.en],
        "people": [{"name": w, "nationality": s.nationality, "passport_number": s.passport_number}
                   for s, w in zip(students, written, strict=True)],
        "study_start": start.isoformat(), "study_end": end.isoformat()})


def _employment(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    p = person(rng, NAMES)
    name = p.written(rng)
    position = rng.choice([("Process Engineer", "工艺工程师"), ("Export Manager", "出口经理"),
                           ("Laboratory Technician", "实验室技术员")])
    blocks = _pair(language, f"{name}, holder of passport {p.passport_number}, is currently working with us "
                   f"as {position[0]}.", f"{name}（护照号{p.passport_number}）现在我公司担任{position[1]}。")
    blocks += _pair(language, "Job title: " + position[0], "职位：" + position[1])
    title = {"en": "TO WHOM IT MAY CONCERN – EMPLOYMENT", "zh": "任职证明", "bi": "任职证明 EMPLOYMENT"}[language]
    return Draft("", language, title, blocks, _pair(language, org.en, org.zh), {
        "organization": org.en if language == "en" else org.zh,
        "organization_aliases": [org.zh if language == "en" else org.en], "name": name,
        "passport_number": p.passport_number, "position": position[0] if language == "en" else position[1],
        "position_aliases": [position[1] if language == "en" else position[0]]})


def _authorization(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    agent_zh, agent_en = rng.choice([("钱多多", "QIAN Duoduo"), ("孙悦", "SUN Yue"), ("郑凯", "ZHENG Kai")])
    relation, rel_en, rel_zh = rng.choice([("relative", "my husband", "丈夫"), ("employer", "HR officer of my company",
                                                                                 "公司人事")])
    matters = sorted(rng.sample(["submit_application", "collect_documents", "pay_fees"], rng.randint(1, 3)))
    words = {"submit_application": ("lodge my application", "递交申请"),
             "collect_documents": ("pick up my passport", "领取护照"), "pay_fees": ("pay the fees", "缴纳费用")}
    en_m, zh_m = " and ".join(words[m][0] for m in matters), "、".join(words[m][1] for m in matters)
    blocks = _pair(language, f"I, {name} (passport {p.passport_number}), name {agent_en}, {rel_en}, as my agent "
                   f"to {en_m}.", f"本人{name}（护照号{p.passport_number}）委托{agent_zh}（{rel_zh}）为代理人，代为{zh_m}。")
    blocks += _pair(language, f"Agent: {agent_en}", f"代理人：{agent_zh}")
    title = {"en": "AUTHORISATION", "zh": "委托书", "bi": "委托书 AUTHORISATION"}[language]
    primary, alias = (agent_en, agent_zh) if language == "en" else (agent_zh, agent_en)
    return Draft("", language, title, blocks, [], {
        "principal_name": name, "principal_passport_number": p.passport_number, "agent_name": primary,
        "agent_name_aliases": [alias], "agent_relation": relation, "matters": matters})


def _health(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    examined = date_between(rng, START, 200)
    blocks = _pair(language, f"Examinee: {name}    Passport: {p.passport_number}",
                   f"受检人：{name}  护照号：{p.passport_number}")
    blocks += _pair(language, f"Examined on {write_date(examined, 'en', rng)}; no infectious disease found.",
                    f"检查日期：{write_date(examined, 'zh', rng)}，未发现传染病。")
    blocks += _pair(language, "Fit for residence. Note: this statement of results is valid for 6 months.",
                    "结论：合格。注：本结果声明六个月内有效。")
    title = {"en": "PHYSICAL CHECK-UP RESULT", "zh": "健康检查证明书", "bi": "健康检查证明书 CHECK-UP"}[language]
    return Draft("", language, title, blocks, _pair(language, "Lishui Central Hospital", "丽水中心医院"), {
        "name": name, "passport_number": p.passport_number, "examination_date": examined.isoformat()})
