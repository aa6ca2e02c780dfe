"""A second training family: letters as people write them, composed from many phrasings.

training/letter_templates.py writes each kind from a few fixed sentences; a model trained on it
alone learns those sentences. Here each letter is put together from banks of interchangeable
parts (headings, openings, the sentence that says what the letter is for, identity blocks,
remarks, closings, seals) in several layouts, so no one phrase decides a kind and the model
has to learn what the kinds share: who issues it, what it certifies or promises. Written from
how such letters are commonly worded, not from the held-apart generator or ../shared/corpus/.
The truth has the first family's shape, so bench/extraction.py scores both alike.
"""

from __future__ import annotations

import datetime as dt
import random

from training.drafts import Draft, Grid
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
    _people_grid,
    _person_truth,
    _promise_span,
)
from training.people import Person, date_between, people, person, write_date, write_nationality

Pair = tuple[str, str]


def phrased_draft(kind: str, rng: random.Random, language: str) -> Draft:
    made = _WRITERS[kind](rng, language)
    made.kind, made.language, made.template = kind, language, "phrased"
    return made


def _pick(rng: random.Random, language: str, en: list[str], zh: list[str], **fill: object) -> str:
    """One phrasing in the letter's language (a bilingual letter: a Chinese and an English one)."""
    return _both(language, rng.choice(en).format(**fill), rng.choice(zh).format(**fill))


def _parts(
    rng: random.Random, language: str, banks: list[tuple[list[str], list[str]]], **fill: object
) -> list[str]:
    return [_pick(rng, language, en, zh, **fill) for en, zh in banks if en or zh]


def _maybe(rng: random.Random, chance: float, items: list[str]) -> list[str]:
    return items if rng.random() < chance else []


def _identity(rng: random.Random, language: str, p: Person, name: str) -> list[str]:
    """Who the letter is about, in one of the ways letters write it."""
    nat_en, nat_zh = write_nationality(p.nationality, "en", rng), write_nationality(p.nationality, "zh", rng)
    name_zh = _name_with_zh(p, name, language)
    style = rng.randrange(3)
    if style == 0:
        return [
            _both(language, f"Full name: {name}", f"姓名：{name_zh}"),
            _both(language, f"Nationality: {nat_en}", f"国籍：{nat_zh}"),
            _both(language, f"Passport number: {p.passport_number}", f"护照号码：{p.passport_number}"),
        ]
    if style == 1:
        return [
            _both(
                language,
                f"Name: {name}   Passport No.: {p.passport_number}   Nationality: {nat_en}",
                f"姓名：{name_zh}  护照号：{p.passport_number}  国籍：{nat_zh}",
            )
        ]
    return [
        _both(
            language,
            f"Surname and given names: {name} / Travel document No.: {p.passport_number}",
            f"外文姓名：{name_zh}　证件号码：{p.passport_number}",
        )
    ]


SEALS: Pair = ("(official seal)", "（盖章）")
SIGNATURE_LINES = (
    [
        "Signature: ____________",
        "Signed:",
        "Authorised signatory",
        "Yours sincerely,",
        "Best regards,",
        "Respectfully,",
    ],
    ["签名：", "签字：", "此致", "负责人签字：", "特此证明。", "谨此"],
)


def _signed(rng: random.Random, language: str, who: str, day: dt.date) -> list[str]:
    date_en, date_zh = write_date(day, "en", rng), write_date(day, "zh", rng)
    return [
        _pick(rng, language, *SIGNATURE_LINES),
        _both(language, who, who),
        _both(
            language,
            rng.choice([f"Date: {date_en}", date_en, f"Dated {date_en}"]),
            rng.choice([f"日期：{date_zh}", date_zh]),
        ),
    ]


# -- personal statements ---------------------------------------------------------------------

STATEMENT_HEADINGS = (
    [
        "Personal Statement",
        "Statement of Explanation",
        "Letter of Explanation",
        "Undertaking",
        "Declaration of Commitment",
        "Explanation Letter",
        "Statement Regarding Missing Documents",
        "Commitment to Submit Documents Later",
        "Solemn Declaration",
        "Applicant's Statement",
        "Supplementary Statement",
        "Explanation of Missing Materials",
        "Pledge",
        "Letter of Guarantee",
        "Statement",
        "Declaration",
    ],
    [
        "个人声明",
        "情况说明",
        "承诺书",
        "说明",
        "补交材料承诺书",
        "申请人承诺书",
        "关于申请材料的说明",
        "保证书",
        "个人情况说明",
        "延期提交材料承诺书",
        "声明",
        "说明函",
    ],
)
STATEMENT_OPENINGS = (
    [
        "To whom it may concern,",
        "Dear officer,",
        "Dear Sir/Madam,",
        "To the Exit-Entry Administration,",
        "I respectfully submit the following statement.",
        "I, the undersigned, state as follows.",
        "I am writing to explain the situation of my application.",
    ],
    [
        "尊敬的出入境管理部门：",
        "致出入境管理局：",
        "本人郑重说明如下：",
        "现将有关情况说明如下：",
        "本人就申请材料事宜说明如下：",
    ],
)
STATEMENT_REASONS = (
    [
        "I have not yet been able to obtain the {what} because the issuing office is closed for the holidays",
        "the {what} was requested weeks ago but has not been issued yet",
        "my {what} is still being processed in my home country and will be posted to me",
        "the clinic told me that the results will only be ready next month",
        "my employer is still preparing the required documents",
        "the original of the {what} was lost in the mail and a new one has been requested",
        "the embassy needs more time to authenticate the {what}",
        "I was abroad on business and could not complete the formalities in time",
    ],
    [
        "{what_zh}尚在办理中，暂时无法提供",
        "原{what_zh}在邮寄途中遗失，正在补办",
        "{what_zh}需经使馆认证，耗时较长",
        "体检结果须下月方能出具",
        "单位尚在准备相关材料",
        "本人因公出国，未能及时办理相关手续",
        "{what_zh}签发机构放假，暂未办出",
    ],
)
STATEMENT_PROMISES = (
    [
        "I undertake to hand in the {materials} {when}.",
        "I will submit the {materials} {when}.",
        "I commit to providing the {materials} {when}.",
        "I guarantee that the {materials} will be sent {when}.",
        "I will make up the missing {materials} {when}.",
        "I promise to bring the {materials} to your office {when}.",
    ],
    [
        "本人将{when_zh}补交{materials_zh}。",
        "本人保证{when_zh}提交{materials_zh}。",
        "本人承诺{when_zh}补齐{materials_zh}。",
        "{materials_zh}本人将{when_zh}送交贵局。",
    ],
)
STATEMENT_NO_PROMISE = (
    [
        "I ask for your understanding.",
        "I kindly request that my application be considered as it is.",
        "Thank you for considering my situation.",
    ],
    ["敬请谅解。", "恳请予以考虑。", "望予以理解。"],
)
STATEMENT_RESPONSIBILITY = (
    [
        "I understand that my application may be refused if I fail to keep this promise.",
        "I bear full legal responsibility for the truth of this statement.",
        "All information given above is true and complete.",
    ],
    ["如未能按期提交，本人愿承担相应后果。", "本人对以上内容的真实性负责。", "以上所述属实。"],
)


def _statement(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    signed = date_between(rng, START, 150)
    materials = rng.sample(sorted(MATERIALS), rng.choice([0, 1, 1, 1, 2]))
    mention = rng.choice(materials or sorted(MATERIALS))
    en_when, zh_when, by, note = _promise_span(rng, signed, language)
    fill = {
        "what": MATERIALS[mention][0][0],
        "what_zh": MATERIALS[mention][1][0],
        "materials": " and the ".join(rng.choice(MATERIALS[m][0]) for m in materials),
        "materials_zh": "和".join(rng.choice(MATERIALS[m][1]) for m in materials),
        "when": en_when,
        "when_zh": zh_when,
    }
    reason = _both(
        language,
        f"Because {rng.choice(STATEMENT_REASONS[0]).format(**fill)}, I cannot submit it with my application.",
        f"因{rng.choice(STATEMENT_REASONS[1]).format(**fill)}，本次申请无法一并提交。",
    )
    blocks = [
        *_maybe(rng, 0.7, _parts(rng, language, [STATEMENT_OPENINGS])),
        *_identity(rng, language, p, name),
        reason,
        _pick(rng, language, *(STATEMENT_PROMISES if materials else STATEMENT_NO_PROMISE), **fill),
        *_maybe(rng, 0.6, _parts(rng, language, [STATEMENT_RESPONSIBILITY])),
        *_signed(rng, language, name, signed),
    ]
    truth = {
        "name": name,
        "passport_number": p.passport_number,
        "promised_materials": materials,
        "promised_by": by.isoformat() if materials else None,
        "statement_date": signed.isoformat(),
    }
    if note and materials:
        truth["promised_by_note"] = note
    return Draft("", language, _pick(rng, language, *STATEMENT_HEADINGS), blocks, [], truth)


# -- lists of people ---------------------------------------------------------------------------

ADDRESSEES = (
    ["To the Exit-Entry Administration Bureau,", "To: Public Security Bureau, Exit-Entry Division"],
    ["出入境管理局：", "致公安局出入境管理支队："],
)
PERSONNEL_HEADINGS = (
    [
        "Foreign Staff Roster",
        "Employee Roster",
        "Roster of Foreign Employees",
        "Schedule of Employees",
        "List of Expatriate Staff",
        "Foreign Personnel Register",
        "Collective Certificate of Employment",
        "Name List of Foreign Staff",
        "Foreign Employees",
        "List of Applicants (Employees)",
    ],
    [
        "外籍员工花名册",
        "外国人员名册",
        "外籍人员花名册",
        "聘用外籍人员名单",
        "外籍员工情况表",
        "在职外籍人员一览表",
        "外籍员工集体证明",
        "外籍员工名单",
    ],
)
PERSONNEL_INTROS = (
    [
        "We hereby confirm that the following {n} foreign nationals are employed by our company and are "
        "applying for residence permits:",
        "The expatriates listed below currently work for us under labour contracts:",
        "Our company employs the foreign staff below; we support their applications:",
        "Please find below the details of our foreign employees:",
        "The persons in the table below hold valid labour contracts with our company.",
    ],
    [
        "兹有以下{n}名外籍员工在我公司工作，现申请办理居留许可：",
        "下列外籍人员与我公司签订了劳动合同：",
        "我公司聘用的外籍员工情况如下：",
        "现将我单位外籍员工名单报送如下：",
    ],
)
NOT_EMPLOYED_INTROS = (
    [
        "The following visitors are not on our payroll; they are guests attending a trade fair:",
        "For information: the persons below are customers of our company, not employees:",
    ],
    ["以下人员系来访客户，并非我公司员工：", "下列人员为参展来宾，不属于我公司职工："],
)
ORGANISATION_CLOSINGS = (
    [
        "The company guarantees that the above information is true and accepts responsibility for it.",
        "Human Resources Department",
        "We will inform your office of any change.",
        "Please contact our HR department with any questions.",
    ],
    [
        "我公司保证以上信息真实准确，并承担相应责任。",
        "人力资源部",
        "如有变动，我公司将及时告知。",
        "如有疑问请与人事部联系。",
    ],
)


def _people_lines(rng: random.Random, language: str, staff: list[Person], written: list[str]) -> list[str]:
    style = rng.randrange(3)
    lines = []
    for i, (p, w) in enumerate(zip(staff, written, strict=True), 1):
        nat_en = write_nationality(p.nationality, "en", rng)
        nat_zh = write_nationality(p.nationality, "zh", rng)
        name_zh = _name_with_zh(p, w, language)
        if style == 0:
            lines.append(
                _both(
                    language,
                    f"{i}) {w} - {nat_en} - passport {p.passport_number}",
                    f"{i}、{name_zh}，{nat_zh}，护照号码{p.passport_number}",
                )
            )
        elif style == 1:
            lines.append(
                _both(
                    language,
                    f"{i}. Name: {w}; Nationality: {nat_en}; Passport No.: {p.passport_number}",
                    f"{i}. 姓名：{name_zh}；国籍：{nat_zh}；护照号：{p.passport_number}",
                )
            )
        else:
            lines.append(
                _both(
                    language,
                    f"({i}) {w}, {nat_en} citizen, holder of passport {p.passport_number}",
                    f"（{i}）{name_zh}，{nat_zh}公民，持护照{p.passport_number}",
                )
            )
    return lines


def _personnel_list(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    staff = people(rng, NAMES, rng.randint(2, 12))
    written = [p.written(rng) for p in staff]
    employed = rng.random() < 0.85
    intro = _pick(rng, language, *(PERSONNEL_INTROS if employed else NOT_EMPLOYED_INTROS), n=len(staff))
    listing: list = (
        [_people_grid(rng, staff, written, language)]
        if rng.random() < 0.6
        else _people_lines(rng, language, staff, written)
    )
    blocks = [
        *_maybe(rng, 0.5, _parts(rng, language, [ADDRESSEES])),
        intro,
        *listing,
        *_parts(rng, language, [ORGANISATION_CLOSINGS]),
        _both(language, f"{org.en} {SEALS[0]}", f"{org.zh}{SEALS[1]}"),
        write_date(date_between(rng, START, 150), "en" if language == "en" else "zh", rng),
    ]
    truth = {
        **_named(org, language),
        "states_employed": employed,
        "people": [_person_truth(p, w, language) for p, w in zip(staff, written, strict=True)],
    }
    return Draft(
        "",
        language,
        _pick(rng, language, *PERSONNEL_HEADINGS),
        blocks,
        _letterhead(org, language, rng),
        truth,
    )


SCHOOL_HEADINGS = (
    [
        "Certificate of Student Status",
        "Attendance Certificate",
        "Enrollment Verification Letter",
        "Statement of Student Status",
        "Study Certificate",
        "International Students List",
        "Roster of International Students",
        "Verification of Studies",
        "To Whom It May Concern",
    ],
    [
        "在校生证明",
        "学籍在读证明",
        "国际学生名单",
        "留学生在读证明",
        "外国留学生花名册",
        "就读证明",
        "在学证明",
    ],
)
SCHOOL_SENTENCES = (
    [
        "{who} is a full-time registered student of {school}, studying {programme} from {start} to {end}.",
        "{who} has been admitted to {school} and is currently attending {programme} ({start} - {end}).",
        "We confirm that {who} is studying {programme} at {school}; the expected period of study is "
        "{start} to {end}.",
    ],
    [
        "{who_zh}系{school_zh}全日制在籍学生，就读{programme_zh}，学制自{start_zh}至{end_zh}。",
        "{who_zh}已被{school_zh}录取，现就读于{programme_zh}专业，学习期限{start_zh}至{end_zh}。",
    ],
)
SCHOOL_GROUP_SENTENCES = (
    [
        "The following international students are currently enrolled at {school} in {programme} "
        "({start} to {end}):",
        "{school} certifies that the students listed below are registered for {programme}, {start} - {end}.",
    ],
    [
        "以下留学生现就读于{school_zh}{programme_zh}专业，学习期限{start_zh}至{end_zh}：",
        "兹证明下列外国留学生为{school_zh}在籍学生（{programme_zh}，{start_zh}至{end_zh}）：",
    ],
)
SCHOOL_REMARKS = (
    [
        "The International Student Office is responsible for these students.",
        "Students are required to attend classes regularly.",
        "This letter is issued at the student's request.",
        "Office of International Cooperation and Exchange",
    ],
    ["学校国际交流处负责学生管理。", "应学生本人要求出具此证明。", "国际合作与交流处", "学生须按时上课。"],
)
PROGRAMMES = [
    ("Chinese language studies", "汉语言"),
    ("international trade (bachelor)", "国际贸易本科"),
    ("clinical medicine (MBBS)", "临床医学"),
    ("mechanical engineering (master)", "机械工程硕士"),
]


def _school_letter(rng: random.Random, language: str) -> Draft:
    school = rng.choice(SCHOOLS)
    students = people(rng, NAMES, rng.choice([1, 1, 2, 4, 6]))
    written = [s.written(rng) for s in students]
    start = date_between(rng, dt.date(2024, 9, 1), 600)
    end = start + dt.timedelta(days=rng.choice([365, 730, 1460]))
    programme = rng.choice(PROGRAMMES)
    fill = {
        "school": school.en,
        "school_zh": school.zh,
        "programme": programme[0],
        "programme_zh": programme[1],
        "start": write_date(start, "en", rng),
        "end": write_date(end, "en", rng),
        "start_zh": write_date(start, "zh", rng),
        "end_zh": write_date(end, "zh", rng),
    }
    nationality_printed = True
    if len(students) == 1:
        s, w = students[0], written[0]
        who = f"{rng.choice(['Mr.', 'Ms.', ''])} {w}".strip()
        identity = _identity(rng, language, s, w)
        nationality_printed = any("Nationality" in line or "国籍" in line for line in identity)
        body = [
            *identity,
            _pick(rng, language, *SCHOOL_SENTENCES, who=who, who_zh=_name_with_zh(s, w, language), **fill),
        ]
    else:
        body = [
            _pick(rng, language, *SCHOOL_GROUP_SENTENCES, **fill),
            *(
                [_people_grid(rng, students, written, language)]
                if rng.random() < 0.6
                else _people_lines(rng, language, students, written)
            ),
        ]
    blocks = [
        *body,
        *_parts(rng, language, [SCHOOL_REMARKS]),
        _both(language, f"{school.en} {SEALS[0]}", f"{school.zh}{SEALS[1]}"),
        write_date(date_between(rng, START, 150), "en" if language == "en" else "zh", rng),
    ]
    truth = {
        **_named(school, language, "school"),
        "people": [
            _person_truth(s, w, language) | ({} if nationality_printed else {"nationality": None})
            for s, w in zip(students, written, strict=True)
        ],
        "study_start": start.isoformat(),
        "study_end": end.isoformat(),
    }
    return Draft(
        "",
        language,
        _pick(rng, language, *SCHOOL_HEADINGS),
        blocks,
        _letterhead(school, language, rng),
        truth,
    )


# -- one employee, authorisations, health --------------------------------------------------------

EMPLOYMENT_HEADINGS = (
    [
        "Employment Reference",
        "Reference Letter",
        "Certificate of Service",
        "Employment Status Letter",
        "Job Certificate",
        "Verification of Employment",
        "To Whom It May Concern",
        "Work Confirmation",
    ],
    ["在职证明", "工作证明", "任职证明", "在职在岗证明", "员工在职证明", "单位证明"],
)
EMPLOYMENT_SENTENCES = (
    [
        "This letter confirms that {who}, passport No. {passport}, is currently employed with {org} "
        "as {position}.",
        "{who} (passport {passport}) has worked for our company since {since} and holds the position "
        "of {position}.",
        "We are pleased to confirm that {who}, holder of passport {passport}, is our full-time {position}.",
        "Please be advised that {who} (passport No. {passport}) is a permanent member of our staff, employed "
        "as {position} since {since}.",
    ],
    [
        "兹证明{who_zh}（护照号码：{passport}）现在我单位任{position_zh}一职。",
        "{who_zh}，护照号{passport}，自{since}起在{org_zh}工作，现任{position_zh}。",
        "{who_zh}（护照：{passport}）系我公司全职员工，担任{position_zh}。",
    ],
)
EMPLOYMENT_REMARKS = (
    [
        "The labour contract is valid for three years.",
        "The employee is paid a monthly salary and is in good standing.",
        "We support the employee's application for a residence permit.",
        "The company is responsible for the employee during his or her stay in China.",
    ],
    [
        "劳动合同期限三年。",
        "该员工工作表现良好，月薪按时发放。",
        "我单位支持其办理居留许可。",
        "其在华期间由我公司负责管理。",
    ],
)


def _employment_letter(rng: random.Random, language: str) -> Draft:
    org = rng.choice(COMPANIES)
    p = person(rng, NAMES)
    name = p.written(rng)
    position = rng.choice(POSITIONS)
    fill = {
        "who": f"{rng.choice(['Mr.', 'Ms.', ''])} {name}".strip(),
        "who_zh": _name_with_zh(p, name, language),
        "passport": p.passport_number,
        "org": org.en,
        "org_zh": org.zh,
        "position": position[0],
        "position_zh": position[1],
        "since": write_date(date_between(rng, dt.date(2019, 1, 1), 2000), "en", rng),
    }
    blocks = [
        *_maybe(rng, 0.4, _parts(rng, language, [STATEMENT_OPENINGS])),
        _pick(rng, language, *EMPLOYMENT_SENTENCES, **fill),
        *_parts(rng, language, [EMPLOYMENT_REMARKS]),
        *_maybe(rng, 0.5, _parts(rng, language, [ORGANISATION_CLOSINGS])),
        _both(language, f"{org.en} {SEALS[0]}", f"{org.zh}{SEALS[1]}"),
        write_date(date_between(rng, START, 150), "en" if language == "en" else "zh", rng),
    ]
    truth = {
        **_named(org, language),
        "name": name,
        "passport_number": p.passport_number,
        "position": position[0] if language == "en" else position[1],
        "position_aliases": [position[1] if language == "en" else position[0]],
    }
    return Draft(
        "",
        language,
        _pick(rng, language, *EMPLOYMENT_HEADINGS),
        blocks,
        _letterhead(org, language, rng),
        truth,
    )


AUTHORIZATION_HEADINGS = (
    [
        "Letter of Authorisation",
        "Power of Attorney",
        "Authorisation",
        "Letter of Entrustment",
        "Proxy Authorisation",
        "Authority to Act on My Behalf",
        "Entrustment Letter",
    ],
    ["授权委托书", "委托书", "授权书", "代办委托书", "委托代理书", "办证委托书"],
)
AUTHORIZATION_SENTENCES = (
    [
        "I, {name} (passport {passport}), hereby authorise {agent}, {relation}, to {matters} on my behalf.",
        "I entrust {agent} ({relation}) with the following matters concerning my residence permit: "
        "{matters}.",
        "By this letter I grant {agent}, {relation}, full power to {matters} for me.",
    ],
    [
        "本人{name_zh}（护照号码：{passport}）现委托{agent_zh}（{relation_zh}）代为{matters_zh}。",
        "兹全权委托{agent_zh}（{relation_zh}）办理本人居留许可的以下事项：{matters_zh}。",
    ],
)
AUTHORIZATION_REMARKS = (
    [
        "I accept the legal consequences of all acts done by my agent within this authorisation.",
        "The agent has no right to transfer this authorisation to others.",
        "This authorisation is valid for ninety days.",
    ],
    ["受托人在授权范围内的行为，其法律后果由本人承担。", "受托人无转委托权。", "本委托书有效期九十日。"],
)


def _authorization(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    relation = rng.choice(sorted(RELATIONS))
    staff = rng.choice(CHINESE_STAFF)
    matters = rng.sample(sorted(MATTERS), rng.randint(1, 3))
    agent_en, agent_zh, extra = _agent(rng, relation, staff)
    fill = {
        "name": name,
        "name_zh": _name_with_zh(p, name, language),
        "passport": p.passport_number,
        "agent": agent_en,
        "agent_zh": agent_zh,
        "relation": RELATIONS[relation][0],
        "relation_zh": RELATIONS[relation][1],
        "matters": ", ".join(MATTERS[m][0] for m in matters),
        "matters_zh": "、".join(MATTERS[m][1] for m in matters),
    }
    blocks = [
        *_identity(rng, language, p, name),
        _pick(rng, language, *AUTHORIZATION_SENTENCES, **fill),
        *_parts(rng, language, [AUTHORIZATION_REMARKS]),
        *_signed(rng, language, name, date_between(rng, START, 150)),
    ]
    truth = _authorization_truth(p, name, (agent_en, agent_zh), extra, relation, matters, language)
    return Draft("", language, _pick(rng, language, *AUTHORIZATION_HEADINGS), blocks, [], truth)


HEALTH_HEADINGS = (
    [
        "Certificate of Health Examination for Foreigners",
        "Health Check Report",
        "Medical Certificate",
        "Physical Examination Record",
        "Report of Medical Examination",
        "Health Status Certificate",
    ],
    ["外国人体格检查记录", "健康体检证明", "体检结论书", "健康检查报告", "国际旅行健康检查证明书"],
)
HEALTH_FINDINGS = (
    [
        "No infectious disease was detected.",
        "The examinee is in good health.",
        "Findings within normal limits; fit for work and study.",
        "Laboratory tests: all negative.",
    ],
    ["未检出传染性疾病。", "受检者身体健康。", "检查结果均在正常范围内。", "实验室检查均为阴性。"],
)


def _health_certificate(rng: random.Random, language: str) -> Draft:
    p = person(rng, NAMES)
    name = p.written(rng)
    examined = date_between(rng, START, 150)
    clinic = rng.choice(
        [
            ("Ningbo International Travel Healthcare Center", "宁波国际旅行卫生保健中心"),
            ("Wenzhou Central Hospital Health Check Department", "温州市中心医院体检科"),
        ]
    )
    exam_en, exam_zh = write_date(examined, "en", rng), write_date(examined, "zh", rng)
    items = rng.sample(
        [
            ("Blood test", "血常规", "normal", "正常"),
            ("X-ray of the chest", "胸片", "clear", "未见异常"),
            ("HIV", "艾滋病", "negative", "阴性"),
            ("Liver function", "肝功能", "normal", "正常"),
            ("ECG", "心电图", "sinus rhythm", "窦性心律"),
        ],
        rng.randint(2, 4),
    )
    blocks: list = [
        *_identity(rng, language, p, name),
        _both(
            language,
            rng.choice(
                [f"Examined on: {exam_en}", f"Date of check-up: {exam_en}", f"Examination date: {exam_en}"]
            ),
            rng.choice([f"检查日期：{exam_zh}", f"体检日期：{exam_zh}"]),
        ),
    ]
    if rng.random() < 0.6:
        blocks.append(
            Grid(
                [_both(language, "Examination", "检查项目"), _both(language, "Finding", "检查结果")],
                [[_both(language, i[0], i[1]), _both(language, i[2], i[3])] for i in items],
            )
        )
    blocks += [
        _pick(rng, language, *HEALTH_FINDINGS),
        _both(language, f"{clinic[0]} {SEALS[0]}", f"{clinic[1]}{SEALS[1]}"),
        _both(language, "Physician: ________", "主检医师：________"),
    ]
    truth = {"name": name, "passport_number": p.passport_number, "examination_date": examined.isoformat()}
    return Draft("", language, _pick(rng, language, *HEALTH_HEADINGS), blocks, [], truth)


_WRITERS = {
    "personal_statement": _statement,
    "personnel_list_letter": _personnel_list,
    "school_letter": _school_letter,
    "employment_letter": _employment_letter,
    "authorization_letter": _authorization,
    "health_certificate": _health_certificate,
}
PHRASED_KINDS = tuple(_WRITERS)
