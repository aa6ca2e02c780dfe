"""A third training family: the same kinds filled in as forms, kept as records, sent as memos.

The first two families (training/letter_templates.py, training/letter_phrasings.py) write
letters: a heading, paragraphs, perhaps one table. Offices also send what they keep on file in
their own shape: a physical-examination record of many items by department, an entrustment
form with a box for the principal and one for the agent, an HR department's summary table of
applicants, a memo, a statement typed into an e-mail, a doctor's or a registrar's certificate in
the third person. Here each kind is written in such shapes, so the model learns what a kind is
for (who issues it, what it attests, promises or entrusts) and not the letter around it. Also
written: pages that print a passport number or a name and are none of the office's documents
(a booking, an itinerary, a bank's letter, a lease), so a passport number alone decides nothing.
Written from how such records are commonly kept, not from the held-apart generator or
../shared/corpus/. It trains the kind model (training/train_letter_kinds.py); its truth has the
other families' shape where a kind has fields.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from training.drafts import Draft, Grid
from training.letter_phrasings import SEALS, _maybe, _pick
from training.letter_templates import (
    CHINESE_STAFF,
    COMPANIES,
    MATERIALS,
    MATTERS,
    NAMES,
    POSITIONS,
    RELATIONS,
    SCHOOLS,
    START,
    _agent,
    _authorization_truth,
    _both,
    _letterhead,
    _name_with_zh,
    _named,
    _person_truth,
    _promise_span,
    _written_nationality,
)
from training.people import Person, date_between, people, person, write_date, write_nationality


def record_draft(kind: str, rng: random.Random, language: str) -> Draft:
    made = _WRITERS[kind](rng, language)
    made.kind, made.language, made.template = kind, language, "record"
    return made


def _form(language: str, fields: list[tuple[str, str, str]], rng: random.Random) -> Grid:
    """Labelled fields as a form prints them: label and value side by side, one or two pairs to
    a row."""
    cells = [(_both(language, en, zh), value) for en, zh, value in fields]
    if rng.random() < 0.5 or len(cells) < 4:
        return Grid(list(cells[0]), [list(c) for c in cells[1:]])
    pairs = [
        [*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ("", ""))] for i in range(0, len(cells), 2)
    ]
    return Grid(pairs[0], pairs[1:])


def _sex(rng: random.Random, language: str) -> str:
    male = rng.random() < 0.5
    return _both(language, "Male" if male else "Female", "男" if male else "女")


def _born(rng: random.Random, language: str) -> str:
    return write_date(date_between(rng, dt.date(1965, 1, 1), 13000), "en" if language == "en" else "zh", rng)


def _day(rng: random.Random, language: str, day: dt.date) -> str:
    return write_date(day, "en" if language == "en" else "zh", rng)


Pair = tuple[str, str]


def _memo_head(rng: random.Random, language: str, sender: str, sender_zh: str, subject: Pair) -> list[str]:
    """The head of a memo or a printed e-mail: to, from, subject."""
    return [
        _both(
            language,
            rng.choice(
                [
                    "To: Exit-Entry Administration",
                    "TO: Exit and Entry Office",
                    "Recipient: Public Security Bureau, Exit-Entry Section",
                ]
            ),
            rng.choice(["收件人：出入境管理部门", "致：公安局出入境管理大队"]),
        ),
        _both(language, f"From: {sender}", f"发件人：{sender_zh}"),
        _both(language, f"Subject: {subject[0]}", f"主题：{subject[1]}"),
    ]


# -- personal statements: a form, an e-mail, numbered undertakings ---------------------------

STATEMENT_FORM_TITLES = (
    [
        "Declaration Form for Documents Not Submitted",
        "Missing Document Declaration",
        "Applicant Declaration",
        "Statement on Outstanding Documents",
    ],
    ["材料缺项情况说明表", "申请人声明表", "关于未能提交材料的声明"],
)
# a title that itself promises: a statement that promises nothing is not headed so
UNDERTAKING_FORM_TITLES = (
    ["Late Submission Undertaking", "Document Deferral Request"],
    ["缓交材料承诺表", "补交材料保证"],
)
STATEMENT_REASONS = (
    [
        "still being issued by the authority at home",
        "delayed by the courier",
        "waiting for an appointment at the hospital",
        "the issuing office asked for two more weeks",
        "the original is with the notary for legalisation",
        "my previous employer has not sent it yet",
    ],
    [
        "原籍国机关尚未出具",
        "快递延误",
        "医院预约未到",
        "出具单位要求再等两周",
        "原件正在公证认证",
        "原单位尚未寄出",
    ],
)
EMAIL_OPENINGS = (
    [
        "I am writing about my application for a residence permit.",
        "Please accept this message as my written explanation.",
        "Further to my application submitted today, I would like to explain one point.",
    ],
    [
        "现就本人居留许可申请的材料问题说明如下。",
        "特发此邮件作书面说明。",
        "关于今日递交的申请，有一事需说明。",
    ],
)
EMAIL_CLOSINGS = (
    ["Kind regards,", "Many thanks,", "Sincerely,", "Yours faithfully,"],
    ["谢谢！", "此致敬礼", "顺祝商祺"],
)


def _statement(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    signed = date_between(rng, START, 150)
    materials = rng.sample(sorted(MATERIALS), rng.choice([0, 1, 1, 1, 2]))
    missing = materials or [rng.choice(sorted(MATERIALS))]
    en_when, zh_when, by, note = _promise_span(rng, signed, language)
    what_en = " and ".join(rng.choice(MATERIALS[m][0]) for m in missing)
    what_zh = "、".join(rng.choice(MATERIALS[m][1]) for m in missing)
    reason_en, reason_zh = (rng.choice(bank) for bank in STATEMENT_REASONS)
    promise_en = (
        rng.choice(
            [
                f"I will send the {what_en} {en_when}.",
                f"I undertake to submit it {en_when}.",
                f"The {what_en} will be handed in {en_when}.",
            ]
        )
        if materials
        else rng.choice(
            ["I cannot say when it will be available.", "I ask that my application be processed without it."]
        )
    )
    promise_zh = (
        rng.choice([f"本人承诺{zh_when}补交{what_zh}。", f"{what_zh}将于{zh_when}补交。"])
        if materials
        else rng.choice(["目前无法确定何时能够提供。", "请予先行受理。"])
    )
    shape = rng.randrange(3)
    if shape == 0:
        fields = [
            ("Applicant", "申请人", _name_with_zh(p, name, language)),
            ("Passport No.", "护照号码", p.passport_number),
            ("Material not submitted", "未提交材料", _both(language, what_en, what_zh)),
            ("Reason", "原因", _both(language, reason_en, reason_zh)),
            (*(("Undertaking", "承诺") if materials else ("Remarks", "备注")),
             _both(language, promise_en, promise_zh)),
        ]
        blocks: list = [
            _form(language, fields, rng),
            _both(language, "I confirm that the above is true.", "以上情况属实。"),
            _both(language, f"Signature of applicant: {name}", f"申请人签名：{name}"),
            _day(rng, language, signed),
        ]
        titles = (
            [*STATEMENT_FORM_TITLES[0], *UNDERTAKING_FORM_TITLES[0]],
            [*STATEMENT_FORM_TITLES[1], *UNDERTAKING_FORM_TITLES[1]],
        )
        title = _pick(rng, language, *(titles if materials else STATEMENT_FORM_TITLES))
    elif shape == 1:
        subject = (
            rng.choice(
                [
                    "Missing document for my application",
                    "Explanation: document to follow",
                    f"Application of {name}: {what_en} to follow",
                ]
            ),
            rng.choice(["申请材料缺项说明", f"{what_zh}后补说明"]),
        )
        blocks = [
            *_memo_head(rng, language, name, name, subject),
            _both(language, rng.choice(["Dear officer,", "Hello,", "Dear Sir or Madam,"]), "您好："),
            _pick(rng, language, *EMAIL_OPENINGS),
            _both(
                language,
                f"My {what_en} is {reason_en}, so I could not attach it.",
                f"本人的{what_zh}{reason_zh}，故未能随申请提交。",
            ),
            _both(language, promise_en, promise_zh),
            _pick(rng, language, *EMAIL_CLOSINGS),
            _both(
                language,
                f"{name} (passport {p.passport_number})",
                f"{_name_with_zh(p, name, language)}（护照号{p.passport_number}）",
            ),
            _day(rng, language, signed),
        ]
        title = ""
    else:
        blocks = [
            _both(
                language,
                f"I, {name}, holder of passport {p.passport_number}, declare that:",
                f"本人{_name_with_zh(p, name, language)}，护照号码{p.passport_number}，声明如下：",
            ),
            _both(language, f"1. My {what_en} is {reason_en}.", f"一、本人{what_zh}{reason_zh}。"),
            _both(language, f"2. {promise_en}", f"二、{promise_zh}"),
            _both(
                language,
                "3. I know that false statements may lead to refusal.",
                "三、如有虚假，愿承担一切后果。",
            ),
            _both(language, f"Declarant: {name}", f"声明人：{name}"),
            _day(rng, language, signed),
        ]
        title = _pick(
            rng,
            language,
            ["Declaration", "Undertaking", "Statement by the Applicant"] if materials else ["Declaration"],
            ["声明书", "承诺书", "申请人声明"] if materials else ["声明书", "申请人声明"],
        )
    truth = {
        "name": name,
        "passport_number": p.passport_number,
        "promised_materials": materials,
        "promised_by": by.isoformat() if materials else None,
        "statement_date": signed.isoformat(),
    }
    if note and materials:
        truth["promised_by_note"] = note
    return Draft("", language, title, blocks, [], truth)


# -- lists of people: an employer's or a school's summary table, a memo ------------------------

PERSONNEL_TITLES = (
    [
        "Summary of Foreign Employees Applying for Residence Permits",
        "Batch Application: Employee Details",
        "Foreign Staff Information Sheet",
        "Applicants Sponsored by the Employer",
        "Residence Permit Applications - Company Summary",
        "Staff Details for Group Application",
    ],
    [
        "外国人居留许可申请汇总表（单位）",
        "外籍员工办证信息表",
        "单位担保申请人员汇总表",
        "外籍员工集体办证名单",
        "外籍员工信息登记表",
    ],
)
SCHOOL_TITLES = (
    [
        "Summary of International Students Applying for Residence Permits",
        "Student Visa Application Summary",
        "International Student Information Sheet",
        "Group Application: Enrolled Students",
        "Registry Confirmation of Enrolled Students",
    ],
    ["外国留学生居留许可申请汇总表", "留学生信息汇总表", "学生集体办证名单", "在籍国际学生信息表"],
)
EMPLOYEE_COLUMNS = {
    "sex": ("Sex", "性别"),
    "birth": ("Date of birth", "出生日期"),
    "position": ("Post", "岗位"),
    "contract": ("Contract until", "合同期至"),
    "department": ("Department", "部门"),
}
STUDENT_COLUMNS = {
    "sex": ("Gender", "性别"),
    "birth": ("Born", "出生日期"),
    "major": ("Major", "专业"),
    "student_no": ("Student ID", "学号"),
    "until": ("Expected graduation", "预计毕业"),
}
MAJORS = [
    ("Chinese Language", "汉语言"),
    ("International Trade", "国际贸易"),
    ("Clinical Medicine", "临床医学"),
    ("Civil Engineering", "土木工程"),
    ("Fine Arts", "美术学"),
    ("Computer Science", "计算机科学"),
]
DEPARTMENTS = [("R&D", "研发部"), ("Sales", "销售部"), ("Production", "生产部"), ("Finance", "财务部")]


def _summary_grid(
    rng: random.Random, language: str, staff: list[Person], written: list[str], extras: dict[str, Pair]
) -> Grid:
    chosen = rng.sample(sorted(extras), rng.randint(1, 3))
    columns = ["name", "nationality", "passport", *chosen]
    rng.shuffle(columns)
    labels = {
        **extras,
        "name": (rng.choice(["Name", "Surname, given name", "Name in full"]), "姓名"),
        "nationality": (rng.choice(["Nationality", "Country"]), "国籍"),
        "passport": (rng.choice(["Passport No.", "Passport", "Travel document"]), "护照号码"),
    }
    header = [_both(language, "No.", "序号"), *(_both(language, *labels[c]) for c in columns)]
    rows = []
    for i, (p, w) in enumerate(zip(staff, written, strict=True), 1):
        major, department, position = rng.choice(MAJORS), rng.choice(DEPARTMENTS), rng.choice(POSITIONS)
        cell = {
            "name": _name_with_zh(p, w, language),
            "nationality": _written_nationality(p, language, rng),
            "passport": p.passport_number,
            "sex": _sex(rng, language),
            "birth": _born(rng, language),
            "position": _both(language, *position),
            "department": _both(language, *department),
            "contract": _day(rng, language, date_between(rng, dt.date(2027, 1, 1), 900)),
            "major": _both(language, *major),
            "student_no": f"{rng.randint(2021, 2026)}{rng.randrange(10**5):05d}",
            "until": _day(rng, language, date_between(rng, dt.date(2027, 6, 1), 1200)),
        }
        rows.append([str(i), *(cell[c] for c in columns)])
    return Grid(header, rows)


def _group_letter(rng: random.Random, language: str, students: bool) -> Draft:
    org = rng.choice(SCHOOLS if students else COMPANIES)
    group = people(rng, NAMES, rng.randint(2, 12))
    written = [p.written(rng) for p in group]
    staff_zh, staff_en = rng.choice(CHINESE_STAFF)
    if students:
        intro = _both(
            language,
            rng.choice(
                [
                    f"The {len(group)} students below are registered full-time at our university and "
                    "apply for study residence permits through the international office.",
                    "Our registry confirms the enrolment of the following international students.",
                    "These students are currently enrolled in degree programmes and attend classes.",
                ]
            ),
            rng.choice(
                [
                    f"以下{len(group)}名外国留学生为我校全日制在籍学生，由国际处统一代办学习类居留许可。",
                    "经学籍管理部门核实，下列留学生在我校在读。",
                ]
            ),
        )
        office = _both(language, "International Office / Registry", "国际交流处 学籍科")
    else:
        intro = _both(
            language,
            rng.choice(
                [
                    f"The {len(group)} foreign employees below hold labour contracts with us; HR submits "
                    "their applications together.",
                    "Please process the residence permits of the staff members listed in the summary below.",
                    "We sponsor the following employees and confirm their employment.",
                ]
            ),
            rng.choice(
                [
                    f"以下{len(group)}名外籍员工与我单位签订劳动合同，由人事部统一申办居留许可。",
                    "请为下表所列我单位员工办理居留许可。",
                ]
            ),
        )
        office = _both(language, "Human Resources Department", "人力资源部")
    if rng.random() < 0.7:
        listing: list = [
            _summary_grid(rng, language, group, written, STUDENT_COLUMNS if students else EMPLOYEE_COLUMNS)
        ]
        title = _pick(rng, language, *(SCHOOL_TITLES if students else PERSONNEL_TITLES))
        head: list = []
    else:  # a memo listing them one a line
        subject = (
            (f"Residence permits for {len(group)} of our students", f"{len(group)}名留学生居留许可申请")
            if students
            else (f"Residence permits for {len(group)} employees", f"{len(group)}名员工居留许可申请")
        )
        head = _memo_head(rng, language, f"{staff_en}, {org.en}", f"{org.zh} {staff_zh}", subject)
        listing = [
            _both(
                language,
                f"{i}. {w} / {write_nationality(p.nationality, 'en', rng)} / {p.passport_number}",
                f"{i}. {_name_with_zh(p, w, language)} / {write_nationality(p.nationality, 'zh', rng)} / "
                f"{p.passport_number}",
            )
            for i, (p, w) in enumerate(zip(group, written, strict=True), 1)
        ]
        title = _both(language, "MEMORANDUM", "公函")
    blocks = [
        *head,
        intro,
        *listing,
        *_maybe(
            rng,
            0.6,
            [
                _both(
                    language,
                    f"Contact: {staff_en}, tel. 0571-{rng.randint(8000, 8999)}{rng.randint(1000, 9999)}",
                    f"联系人：{staff_zh}",
                )
            ],
        ),
        office,
        _both(language, f"{org.en} {SEALS[0]}", f"{org.zh}{SEALS[1]}"),
        _day(rng, language, date_between(rng, START, 150)),
    ]
    truth = {
        **_named(org, language, "school" if students else "organization"),
        ("states_enrolled" if students else "states_employed"): True,
        "people": [_person_truth(p, w, language) for p, w in zip(group, written, strict=True)],
    }
    return Draft("", language, title, blocks, _letterhead(org, language, rng), truth)


def _personnel_list(rng: random.Random, language: str) -> Draft:
    return _group_letter(rng, language, students=False)


def _school_letter(rng: random.Random, language: str) -> Draft:
    if rng.random() < 0.6:
        return _group_letter(rng, language, students=True)
    # one student's certificate of enrolment kept as a registry record
    school, p = rng.choice(SCHOOLS), person(rng, NAMES)
    name = p.written(rng)
    major = rng.choice(MAJORS)
    fields = [
        ("Name", "姓名", _name_with_zh(p, name, language)),
        ("Sex", "性别", _sex(rng, language)),
        ("Nationality", "国籍", _written_nationality(p, language, rng)),
        ("Passport No.", "护照号码", p.passport_number),
        ("Student No.", "学号", f"{rng.randint(2021, 2026)}{rng.randrange(10**5):05d}"),
        ("Programme", "专业", _both(language, *major)),
        ("Period of study", "学习期限", f"{rng.randint(2023, 2026)}.09 - {rng.randint(2027, 2030)}.07"),
        ("Status", "学籍状态", _both(language, "registered, attending", "在籍在读")),
    ]
    blocks = [
        _both(language, "The registry certifies the following student record.", "经核查，该生学籍信息如下："),
        _form(language, fields, rng),
        _both(
            language,
            "This certificate is issued for the student's residence permit application.",
            "本证明仅用于该生办理居留许可。",
        ),
        _both(language, f"Registrar's Office, {school.en} {SEALS[0]}", f"{school.zh}教务处{SEALS[1]}"),
        _day(rng, language, date_between(rng, START, 150)),
    ]
    title = _pick(
        rng,
        language,
        [
            "Certificate of Enrolment",
            "Student Status Record",
            "Proof of Registration",
            "Enrolment Confirmation",
        ],
        ["学籍证明", "在读证明", "学生注册证明"],
    )
    truth = {
        **_named(school, language, "school"),
        "states_enrolled": True,
        "people": [_person_truth(p, name, language)],
    }
    return Draft("", language, title, blocks, _letterhead(school, language, rng), truth)


# -- an employer's record of one employee ----------------------------------------------------

EMPLOYMENT_TITLES = (
    [
        "Employment Verification",
        "Proof of Employment",
        "Certificate of Service",
        "Confirmation of Employment",
        "Employee Information Record",
        "Reference",
    ],
    ["在职证明", "工作证明", "聘用证明", "任职证明", "员工在职信息表"],
)


def _employment_letter(rng: random.Random, language: str) -> Draft:
    org, p = rng.choice(COMPANIES), person(rng, NAMES)
    name = p.written(rng)
    position, department = rng.choice(POSITIONS), rng.choice(DEPARTMENTS)
    since = date_between(rng, dt.date(2019, 1, 1), 2000)
    if rng.random() < 0.5:
        fields = [
            ("Employee", "员工姓名", _name_with_zh(p, name, language)),
            (
                "Nationality",
                "国籍",
                _written_nationality(p, language, rng),
            ),
            ("Passport No.", "护照号码", p.passport_number),
            ("Department", "所在部门", _both(language, *department)),
            ("Job title", "职务", _both(language, *position)),
            ("Date joined", "入职日期", _day(rng, language, since)),
            ("Employment type", "用工形式", _both(language, "full-time, labour contract", "全职，劳动合同")),
        ]
        blocks: list = [
            _both(language, "HR records for the employee named below:", "经查，该员工信息如下："),
            _form(language, fields, rng),
            _both(language, "The employee is currently in service.", "该员工目前在职。"),
        ]
    else:
        blocks = [
            _both(language, rng.choice(["To whom it may concern,", "Dear officer,"]), "出入境管理部门："),
            _both(
                language,
                rng.choice(
                    [
                        f"We confirm that {name}, passport {p.passport_number}, has worked in our "
                        f"{department[0]} department since {_day(rng, 'en', since)} and currently serves as "
                        f"{position[0]}.",
                        f"{name} (passport no. {p.passport_number}) has been on our payroll since "
                        f"{_day(rng, 'en', since)}; present post: {position[0]}.",
                    ]
                ),
                f"{_name_with_zh(p, name, language)}（护照号码{p.passport_number}）自{_day(rng, 'zh', since)}"
                f"起在我公司{department[1]}工作，现任{position[1]}。",
            ),
            _both(language, "This letter is issued at the employee's request.", "特此证明。"),
        ]
    blocks += [
        _both(language, f"{org.en} {SEALS[0]}", f"{org.zh}{SEALS[1]}"),
        _day(rng, language, date_between(rng, START, 150)),
    ]
    truth = {
        **_named(org, language),
        "name": name,
        "passport_number": p.passport_number,
        "position": position[0] if language == "en" else position[1],
        "position_aliases": [position[1] if language == "en" else position[0]],
    }
    return Draft(
        "", language, _pick(rng, language, *EMPLOYMENT_TITLES), blocks, _letterhead(org, language, rng), truth
    )


# -- an entrustment form, a note authorising a collection ------------------------------------

AUTHORIZATION_TITLES = (
    [
        "Entrustment Form",
        "Authorisation to Collect",
        "Letter of Representation",
        "Proxy Form",
        "Designation of Representative",
        "Consent for Another Person to Act",
    ],
    ["委托书（表）", "代领委托书", "代办授权书", "委托代理人登记表", "授权代理声明"],
)


def _authorization(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    relation = rng.choice(sorted(RELATIONS))
    matters = rng.sample(sorted(MATTERS), rng.randint(1, 3))
    agent_en, agent_zh, extra = _agent(rng, relation, rng.choice(CHINESE_STAFF))
    agent = agent_zh if language == "zh" else agent_en
    id_card = f"33{rng.randrange(10**4):04d}19{rng.randint(60, 99)}****{rng.randrange(10**4):04d}"
    numbered = [
        _both(language, f"{i}. {MATTERS[m][0].capitalize()}", f"{i}. {MATTERS[m][1]}")
        for i, m in enumerate(matters, 1)
    ]
    if rng.random() < 0.5:
        head = Grid(
            [
                _both(language, "", ""),
                _both(language, "Principal", "委托人"),
                _both(language, "Agent", "受托人"),
            ],
            [
                [_both(language, "Name", "姓名"), _name_with_zh(p, name, language), agent],
                [_both(language, "ID / passport No.", "证件号码"), p.passport_number, id_card],
                [_both(language, "Relationship", "关系"), "", _both(language, *RELATIONS[relation])],
            ],
        )
        blocks: list = [
            head,
            _both(language, "Matters entrusted:", "委托事项："),
            *numbered,
            _both(language, "Valid until the application is closed.", "委托期限：至申请办结止。"),
            _both(language, f"Principal's signature: {name}", f"委托人签名：{name}"),
            _both(language, f"Agent's signature: {agent}", f"受托人签名：{agent}"),
        ]
    else:
        blocks = [
            _both(language, rng.choice(["Dear officer,", "To the Exit-Entry Office,"]), "出入境管理部门："),
            _both(
                language,
                f"I, {name}, passport {p.passport_number}, cannot attend in person and "
                f"designate {agent_en}, {RELATIONS[relation][0]}, to act for me in the following:",
                f"本人{_name_with_zh(p, name, language)}（护照号码{p.passport_number}）因故不能亲自办理，"
                f"特指定{agent_zh}（{RELATIONS[relation][1]}）代为办理以下事项：",
            ),
            *numbered,
            _both(
                language,
                f"Please accept documents signed by {agent_en} as signed by me.",
                f"{agent_zh}所签文件，本人均予认可。",
            ),
            _both(language, f"{name}", f"{name}"),
        ]
    blocks.append(_day(rng, language, date_between(rng, START, 150)))
    truth = _authorization_truth(p, name, (agent_en, agent_zh), extra, relation, matters, language)
    return Draft("", language, _pick(rng, language, *AUTHORIZATION_TITLES), blocks, [], truth)


# -- a physical examination record, a doctor's certificate ------------------------------------

HEALTH_TITLES = (
    [
        "Physical Examination Record for Foreigners",
        "Medical Fitness Certificate",
        "Health Examination Form",
        "Certificate of Medical Examination",
        "Verification of Physical Examination",
        "Medical Check-up Results",
    ],
    ["外国人体格检查表", "体检报告单", "健康检查记录表", "体检验证证明", "外国人健康检查结果"],
)
DEPARTMENTS_EXAMINED = [
    ("Internal medicine: heart, lungs, liver, spleen", "内科：心、肺、肝、脾", "normal", "未见异常"),
    ("Surgery: skin, lymph nodes, spine", "外科：皮肤、淋巴结、脊柱", "normal", "未见异常"),
    ("Eyes: visual acuity, colour vision", "眼科：视力、色觉", "normal", "正常"),
    ("ENT", "耳鼻喉科", "no abnormality", "未见异常"),
    ("Blood type", "血型", "O", "O型"),
    ("Blood routine", "血常规", "within range", "正常"),
    ("HIV antibody", "HIV抗体", "negative", "阴性"),
    ("Syphilis (TPPA)", "梅毒（TPPA）", "negative", "阴性"),
    ("HBsAg", "乙肝表面抗原", "negative", "阴性"),
    ("Chest X-ray", "胸部X光", "clear", "未见异常"),
    ("Electrocardiogram", "心电图", "sinus rhythm", "窦性心律"),
    ("Abdominal ultrasound", "腹部B超", "no abnormality", "未见异常"),
    ("Tuberculosis screening", "结核筛查", "negative", "阴性"),
]
CLINICS = [
    ("Zhejiang Travel Health Service Centre", "浙江省出入境检验检疫体检中心"),
    ("Hangzhou West Lake Hospital, Department of Physical Examination", "杭州西湖医院体检部"),
]


def _health_certificate(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    examined = date_between(rng, START, 150)
    clinic = rng.choice(CLINICS)
    if rng.random() < 0.6:
        fields = [
            ("Name", "姓名", _name_with_zh(p, name, language)),
            ("Sex", "性别", _sex(rng, language)),
            ("Date of birth", "出生日期", _born(rng, language)),
            (
                "Nationality",
                "国籍",
                _written_nationality(p, language, rng),
            ),
            ("Passport No.", "护照号码", p.passport_number),
            ("Date examined", "检查日期", _day(rng, language, examined)),
        ]
        items = rng.sample(DEPARTMENTS_EXAMINED, rng.randint(5, 10))
        results = Grid(
            [
                _both(language, "Examination", "检查项目"),
                _both(language, "Result", "结果"),
                _both(language, "Doctor", "医师"),
            ],
            [[_both(language, i[0], i[1]), _both(language, i[2], i[3]), ""] for i in items],
        )
        blocks: list = [
            _form(language, fields, rng),
            results,
            _both(
                language,
                rng.choice(
                    ["Overall assessment: fit.", "Conclusion: healthy, no communicable disease found."]
                ),
                rng.choice(["总检结论：合格。", "结论：健康，未发现传染病。"]),
            ),
            _both(language, "Chief examining physician: ________", "主检医师：________"),
        ]
    else:
        blocks = [
            _both(
                language,
                f"This is to certify that I examined {name} (passport {p.passport_number}) "
                f"on {_day(rng, 'en', examined)}.",
                f"兹证明本院于{_day(rng, 'zh', examined)}对{_name_with_zh(p, name, language)}"
                f"（护照号码{p.passport_number}）进行了体格检查。",
            ),
            _both(
                language,
                rng.choice(
                    [
                        "The examination showed no sign of infectious or mental disease, "
                        "and the person is medically fit to reside and work.",
                        "All tests, including chest radiograph and serology, were normal.",
                    ]
                ),
                rng.choice(["检查未见传染性疾病及精神疾病，身体状况良好。", "胸片及血清学检查均正常。"]),
            ),
            _both(language, "Attending physician: Dr. ________", "医师：________"),
        ]
    blocks += [
        _both(language, f"{clinic[0]} {SEALS[0]}", f"{clinic[1]}{SEALS[1]}"),
        _both(
            language,
            f"Issued: {_day(rng, 'en', examined + dt.timedelta(days=rng.randint(1, 6)))}",
            f"出具日期：{_day(rng, 'zh', examined + dt.timedelta(days=rng.randint(1, 6)))}",
        ),
    ]
    truth = {"name": name, "passport_number": p.passport_number, "examination_date": examined.isoformat()}
    return Draft("", language, _pick(rng, language, *HEALTH_TITLES), blocks, [], truth)


# -- pages that print a passport number and are none of the office's documents ------------------


def _not_the_offices(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    day = _day(rng, language, date_between(rng, START, 300))
    shapes: list[tuple[Pair, list[Pair]]] = [
        (
            ("Hotel Reservation Confirmation", "酒店预订确认单"),
            [
                (
                    f"Guest: {name}   Passport: {p.passport_number}",
                    f"入住人：{name}  护照：{p.passport_number}",
                ),
                (f"Check-in {day}, 3 nights, deluxe king room", f"入住日期{day}，3晚，豪华大床房"),
                ("Breakfast included. Free cancellation until 18:00.", "含早餐，18:00前可免费取消。"),
            ],
        ),
        (
            ("Electronic Ticket Itinerary", "电子客票行程单"),
            [
                (
                    f"Passenger: {name}  ID: {p.passport_number}",
                    f"旅客姓名：{name}  证件号码：{p.passport_number}",
                ),
                (
                    f"Flight MU5{rng.randrange(1000):03d} Shanghai - Frankfurt {day}",
                    f"航班MU5{rng.randrange(1000):03d} 上海-法兰克福 {day}",
                ),
                ("Baggage 2PC. Fare 6,480.00 CNY", "行李额2件 票价6480.00元"),
            ],
        ),
        (
            ("Tenancy Agreement", "房屋租赁合同"),
            [
                (
                    f"Tenant: {name}, passport {p.passport_number}",
                    f"承租方：{name}，护照号{p.passport_number}",
                ),
                (
                    f"Rent 4,500 CNY a month from {day}, deposit two months",
                    f"月租金4500元，自{day}起，押二付一",
                ),
                ("The landlord repairs the water heater within 7 days.", "热水器故障由出租方七日内维修。"),
            ],
        ),
        (
            ("Account Opening Confirmation", "开户确认书"),
            [
                (
                    f"Customer: {name}   Document: passport {p.passport_number}",
                    f"客户：{name}  证件：护照{p.passport_number}",
                ),
                ("Account type: savings; debit card issued", "账户类型：储蓄账户，已发借记卡"),
                (f"Branch: Hangzhou Wulin, {day}", f"开户网点：杭州武林支行 {day}"),
            ],
        ),
        (
            ("Insurance Policy Schedule", "保险单"),
            [
                (
                    f"Insured: {name} (passport {p.passport_number})",
                    f"被保险人：{name}（护照{p.passport_number}）",
                ),
                ("Cover: medical expenses up to 300,000 CNY", "保障：医疗费用最高30万元"),
                (f"Period: one year from {day}", f"保险期间：自{day}起一年"),
            ],
        ),
        (
            ("Course Timetable", "课程表"),
            [
                (f"Student: {name}", f"学生：{name}"),
                ("Monday 08:00 Comprehensive Chinese; 10:00 Listening", "周一 08:00 综合汉语；10:00 听力"),
                ("Wednesday 14:00 Calligraphy", "周三 14:00 书法"),
            ],
        ),
    ]
    (title_en, title_zh), lines = rng.choice(shapes)
    return Draft(
        "",
        language,
        _both(language, title_en, title_zh),
        [_both(language, en, zh) for en, zh in lines],
        [],
        {},
    )


_WRITERS: dict[str, Callable[[random.Random, str], Draft]] = {
    "personal_statement": _statement,
    "personnel_list_letter": _personnel_list,
    "school_letter": _school_letter,
    "employment_letter": _employment_letter,
    "authorization_letter": _authorization,
    "health_certificate": _health_certificate,
    "other": _not_the_offices,
}
RECORD_KINDS = tuple(_WRITERS)
