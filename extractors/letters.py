"""Facts from letters and waybills, in English and Chinese, from their text (layer or OCR).

Contract: ``read_letter(kind, text, barcodes)`` returns a dict of what the document of that kind
says; a fact that is not written is absent, never guessed. The names follow
../shared/corpus/letters/README.md:
- personal_statement: ``name``, ``passport_number``, ``promised_materials`` (material codes,
  empty when the statement only explains), ``promised_by`` (ISO; "within one month" = the
  statement's date + 30 days, "15 working days" counted on the office's calendar),
  ``statement_date``, and ``promise_unread`` (the sentence) when a promise to hand something in
  names no material we know
- personnel_list_letter: ``organization`` (+ ``organization_aliases``), ``states_employed``,
  ``people`` [{name, nationality, passport_number[, name_zh]}], ``unread_rows``
- school_letter: ``school`` (+ ``school_aliases``), ``people``, ``unread_rows``, ``study_start``,
  ``study_end``
- employment_letter: ``organization`` (+ aliases), ``name``, ``passport_number``, ``position``
  (+ ``position_aliases``)
- authorization_letter: ``principal_name``, ``principal_passport_number``, ``agent_name``
  (+ ``agent_name_aliases``), ``agent_relation``, ``matters``
- health_certificate: ``name``, ``passport_number``, ``examination_date``
- residence_permit / work_permit: ``valid_until``, ``passport_number``
- waybill: ``carrier``, ``waybill`` (the barcode first, the printed number second)
Wordings (materials, promises, matters, relations) are data: ``letter_wording.yaml``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from extractors.letter_text import (
    chinese_first,
    find_dates,
    first_date,
    join_chinese,
    labelled,
    labelled_passport_number,
    latin_names,
    mentions,
    number_in_words,
    organisations,
    tidy,
    wording,
    words_of,
)
from extractors.people_lists import read_people
from storage.enums import DocumentKind
from validators.working_days import add_working_days, office_calendar

_WAYBILL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sf", re.compile(r"\bSF\d{12,13}\b")),
    ("ems", re.compile(r"\b[A-Z]{2}\d{9}CN\b")),
    ("ems", re.compile(r"\b1\d{12}\b")),
)
_CARRIER_WORDS = (("sf", re.compile(r"顺丰|SF\s*Express", re.IGNORECASE)),
                  ("ems", re.compile(r"\bEMS\b|中国邮政|邮政速递", re.IGNORECASE)))
# a sentence ends at its stop, at a numbered line, or at a blank line (a heading, a label)
# unless the line before it ends in a comma or the next goes on in small letters: OCR puts
# blank lines between a scan's lines ("the health" / "check report")
_SENTENCE = re.compile(r"(?<=[.;。；!?！？])\s*|(?<![,，])\n\s*\n(?!\s*[a-z])|\n(?=\s*\d+[.、)])")
_SPAN = re.compile(
    r"(?:within|in|during the next)\s+(?:the\s+next\s+)?(\w+(?:-\w+)?)\s+(working\s+|business\s+)?"
    r"(days?|weeks?|months?)|"
    r"(\d+|[一二两三四五六七八九十]+)\s*个?\s*(工作日|日|天|周|星期|个月|月)\s*(?:之内|内|以内)",
    re.IGNORECASE)
_BEFORE = re.compile(r"before|by|no later than|not later than|until|on or before|前|之前|以前",
                     re.IGNORECASE)
MONTH_DAYS = 30
_ROLE_WORDS = {"受托人", "委托人", "代理人", "被委托人", "被授权人", "授权人", "本人"}


def read_letter(kind: DocumentKind, text: str, barcodes: Sequence[str] = ()) -> dict[str, Any]:
    readers = {
        DocumentKind.PERSONAL_STATEMENT: _statement,
        DocumentKind.PERSONNEL_LIST_LETTER: _personnel_list,
        DocumentKind.EMPLOYMENT_LETTER: _employment_letter,
        DocumentKind.SCHOOL_LETTER: _school_letter,
        DocumentKind.AUTHORIZATION_LETTER: _authorization,
        DocumentKind.HEALTH_CERTIFICATE: _health_certificate,
        DocumentKind.RESIDENCE_PERMIT: _permit,
        DocumentKind.WORK_PERMIT: _permit,
    }
    if kind is DocumentKind.WAYBILL:
        return _waybill(text, barcodes)
    reader = readers.get(kind)
    return _without_empty(reader(tidy(text))) if reader else {}


# -- personal statements ---------------------------------------------------------------------

# OCR reads the pronoun I as a bar: "| shall deliver", "| have already booked"
_I_AS_BAR = re.compile(r"(?:(?<=^)|(?<=[\s.,;:]))\|(?= [a-z])", re.MULTILINE)


def _statement(text: str) -> dict[str, Any]:
    text = _I_AS_BAR.sub("I", text)
    statement_date = _statement_date(text)
    materials: list[str] = []
    by, unread = None, None
    named_before: list[str] = []  # the materials the last sentence naming any named
    for sentence in map(_unwrapped, _SENTENCE.split(_without_title(text))):
        named = _named_in(sentence)
        promised = _promised_in(sentence)
        if not promised and _promises_delivery(sentence):
            # "I promise to submit it within one month", "本人承诺在一个月内补交": the promise
            # is of what the statement just said is missing, in this sentence or the last
            promised = named or named_before
            unread = unread or (None if promised else " ".join(sentence.split()))
        if promised:
            materials += [m for m in promised if m not in materials]
            by = by or _promised_by(sentence, statement_date)
        named_before = named or named_before
    facts: dict[str, Any] = {
        "name": _applicant_name(text), "passport_number": labelled_passport_number(text),
        "promised_materials": materials, "promised_by": by.isoformat() if by else None,
        "statement_date": statement_date.isoformat() if statement_date else None}
    facts["promises_nothing"] = not materials
    if unread and not materials:
        facts["promise_unread"] = unread
    return facts


def _without_title(text: str) -> str:
    """The statement without its title ("Pledge", "Undertaking", "承诺书"): a title naming a
    promise promises nothing, and its line runs into the first sentence."""
    title, _, body = text.strip().partition("\n")
    title_like = len(title.split()) <= 4 and not re.search(r"[.。;；:：]", title) \
        and not re.match(r"(?i)i\b|本人|我", title.strip())  # "I promise to submit" goes on
    return body if title_like else text


def _unwrapped(sentence: str) -> str:
    """The sentence on one line: a material or a date wrapped over a line end ("the health" /
    "check report", "no" / "later than") reads as one."""
    return join_chinese(re.sub(r"\s+", " ", sentence))


def _named_in(sentence: str) -> list[str]:
    """Every material a sentence names (not the holder's passport number), in its order."""
    lowered = sentence.lower()
    found = [(at, material) for material in wording().materials
             for at, word in mentions(lowered, words_of(material))
             if not _is_a_label(lowered, at + len(word))]
    return list(dict.fromkeys(m for _, m in sorted(_longest_wording_wins(lowered, found))))


def _promises_delivery(sentence: str) -> bool:
    """A promise to hand something in ("I undertake to hand it in", "承诺补交"), not that the
    statement is true. Handing in alone (补交, 补办) is no promise: "现已补办完毕" says it is
    done; a promise needs its own word for the future or the commitment (承诺, 将于, I will)."""
    lowered = sentence.lower()
    delivery = {w.lower() for w in wording().delivery}
    return (any(w.lower() in lowered for w in wording().promise if w.lower() not in delivery)
            and any(w.lower() in lowered for w in wording().delivery)
            and not any(re.search(rf"\b{re.escape(w.lower())}\b" if w.isascii() else re.escape(w), lowered)
                        for w in wording().vouches))


def _promised_in(sentence: str) -> list[str]:
    """The materials a sentence promises: named after a promise word (or before it in the same
    clause: "my medical report will be provided", "健康证明将于…补交"), and not in a clause
    that only says they cannot be provided."""
    lowered = sentence.lower()
    starts = [m[0] for m in mentions(lowered, [w.lower() for w in wording().promise])]
    if not starts:
        return []
    promised: list[tuple[int, str]] = []
    for material in wording().materials:
        for at, word in mentions(lowered, words_of(material)):
            if _is_a_label(lowered, at + len(word)):
                continue
            if not any(s < at for s in starts) and not _promised_after(lowered, at + len(word), starts):
                continue
            clause = re.split(r"[,，、;]|\band\b|\bbut\b", lowered[:at])[-1]
            if any(neg in clause for neg in wording().not_promise) and not any(
                    p.lower() in clause for p in wording().promise):
                continue
            promised.append((at, material))
            break
    promised = _longest_wording_wins(lowered, promised)
    return [material for _, material in sorted(promised)]


def _promised_after(text: str, end: int, starts: list[int]) -> bool:
    # the promise follows the material inside its clause: nothing separates them
    return any(s >= end and not re.search(r"[,，、;；:：]", text[end:s]) for s in starts)


def _is_a_label(text: str, end: int) -> bool:
    # "passport number C01X00T47", "护照号码": the holder's passport named, not promised;
    # "the accommodation registration no later than 29 July" names no number
    return re.match(r"\s*(?:号|no\b(?!\s+(?:later|more)\b)|no\.|number|#|holder|号码)",
                    text[end:end + 16]) is not None


def _longest_wording_wins(text: str, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    # "health certificate" holds no "passport", but "passport photos" holds "passport": a
    # material named inside another's longer wording is that other material.
    spans = []
    for at, material in found:
        length = max((len(w) for w in words_of(material) if text.startswith(w, at)), default=0)
        spans.append((at, at + length, material))
    return [(a, m) for a, e, m in spans
            if not any(a2 <= a and e <= e2 and (a2, e2) != (a, e) for a2, e2, _ in spans)]


def _promised_by(sentence: str, made_on: dt.date | None) -> dt.date | None:
    for at, date in find_dates(sentence):
        before = sentence[max(0, at - 25):at] + sentence[at:at + 25]
        if _BEFORE.search(before):
            return date
    span = _SPAN.search(sentence)
    if span is None or made_on is None:
        return None
    count = number_in_words(span.group(1) or span.group(4) or "")
    unit = (span.group(3) or span.group(5) or "").lower()
    working = bool(span.group(2)) or unit == "工作日"
    if count is None:
        return None
    if working:
        return add_working_days(made_on, count, office_calendar()).due
    if unit.startswith(("month", "个月", "月")):
        return made_on + dt.timedelta(days=MONTH_DAYS * count)
    if unit.startswith(("week", "周", "星期")):
        return made_on + dt.timedelta(weeks=count)
    return made_on + dt.timedelta(days=count)


def _statement_date(text: str) -> dt.date | None:
    label = re.search(r"(?:^|\n|\s)(?:date|dated|日期|声明日期|承诺日期|签名日期)\s*[:.]?\s*([^\n]{6,40})",
                      text, re.IGNORECASE)
    if label and first_date(label.group(1)):
        return first_date(label.group(1))
    dates = find_dates(text[-400:])  # a signature block's date at the foot
    return dates[-1][1] if dates else None


def _applicant_name(text: str) -> str | None:
    # "Name:", "Surname and given names:", "I, …", "My name is …"; else the first name the
    # statement prints below its title ("Statement Regarding Missing Documents" is no one)
    label = labelled(text, r"(?<![a-z])names?|姓名|申请人|applicant|声明人|承诺人")
    if label:
        names = latin_names(label)
        if names:
            return names[0].value
    match = re.search(r"(?:I,|本人|undersigned,?|[Mm]y name is)\s*([^\n,(]{3,60})", text)
    if match:
        names = latin_names(match.group(1))
        if names:
            return names[0].value
    names = latin_names(_without_title(text))
    return names[0].value if names else None


# -- lists and organisations' letters --------------------------------------------------------

def _personnel_list(text: str) -> dict[str, Any]:
    people, unread = read_people(text)
    organization, aliases = _organisation(text)
    return {"organization": organization, "organization_aliases": aliases,
            "states_employed": _states_employed(text), "people": people, "unread_rows": unread}


def _states_employed(text: str) -> bool:
    lowered = text.lower()
    if any(w.lower() in lowered for w in wording().not_employed):
        return False
    return any(w.lower() in lowered for w in wording().employed)


def _school_letter(text: str) -> dict[str, Any]:
    people, unread = read_people(text)
    school, aliases = _organisation(text, schools=True)
    start, end = _study_period(text)
    return {"school": school, "school_aliases": aliases, "people": people, "unread_rows": unread,
            "study_start": start.isoformat() if start else None,
            "study_end": end.isoformat() if end else None}


def _study_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    for match in re.finditer(r"(?:from|自|从|period|期限|学制|duration)", text, re.IGNORECASE):
        window = text[match.start():match.start() + 120]
        dates = find_dates(window)
        if len(dates) >= 2:
            return dates[0][1], dates[1][1]
    dates = find_dates(text)
    return (dates[0][1], dates[1][1]) if len(dates) >= 2 else (None, None)


def _employment_letter(text: str) -> dict[str, Any]:
    organization, aliases = _organisation(text)
    people, _ = read_people(text)
    position, position_aliases = _position(text)
    number = labelled_passport_number(text)
    name = _holder(text, number, r"(?<![a-z])name|姓名", people) if people else _applicant_name(text)
    return {"organization": organization, "organization_aliases": aliases, "name": name,
            "passport_number": number, "position": position,
            "position_aliases": position_aliases}


_CJK_LINE_END = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]*\n[ \t]*(?=[\u4e00-\u9fff])")


def _position(text: str) -> tuple[str | None, list[str]]:
    values = []
    label = labelled(text, r"position|job title|post|title|职务|职位|岗位|担任职务")
    if label:  # "市场专员 Marketing Specialist", "销售经理 / Sales Manager": the post in each language
        values += [v.strip() for v in re.split(r"\s*/\s*|(?<=[\u4e00-\u9fff])\s*(?=[A-Za-z])", label)
                   if v.strip()]
    joined = _CJK_LINE_END.sub("", text)  # "现\n任财务总监": a Chinese sentence wrapped
    # "serves as\n\nChief Designer": OCR may part a wrapped line from the next by a blank one
    for pattern in (r"\b(?:as|position of|role of)(?:[ ]+|[ ]*\n\s*)(?:an?[ ]+|our[ ]+)?"
                    r"((?:[A-Z][a-z]+[ ]?){1,3})",
                    r"(?:担任|任职为|职务为|(?<=[现位司])任)([\u4e00-\u9fff]{2,8}?)(?:职务|一职|。|，|,|;|；|\s)"):
        for match in re.finditer(pattern, joined):
            values.append(match.group(1).strip())
    names = {n.value for n in latin_names(text)}
    values = [v.strip().rstrip(".。") for v in values]  # "present post: Production Supervisor."
    return chinese_first([v for v in values if 2 <= len(v) <= 40 and v not in names])


def _organisation(text: str, *, schools: bool = False) -> tuple[str | None, list[str]]:
    found = organisations(text[:600]) or organisations(text)
    if schools:
        found = [f for f in found if re.search(r"universit|college|school|institute|academy|大学|学院|学校",
                                               f.value, re.IGNORECASE)] or found
    else:
        found = [f for f in found if not re.search(r"hospital|医院|public security|公安", f.value,
                                                   re.IGNORECASE)] or found
    if not found:
        return None, []
    first = found[0].value
    chinese = re.search(r"[\u4e00-\u9fff]", first) is not None
    other = next((f.value for f in found if (re.search(r"[\u4e00-\u9fff]", f.value) is not None)
                  != chinese), None)
    return chinese_first([first, other] if other else [first])


# -- authorizations and certificates ---------------------------------------------------------

def _authorization(text: str) -> dict[str, Any]:
    number = labelled_passport_number(text)
    principal_cell, agent_cell = _form_columns(text)
    agent, aliases = chinese_first(_agent_names(text, agent_cell))
    return {"principal_name": _principal(text, number, principal_cell),
            "principal_passport_number": number,
            "agent_name": agent, "agent_name_aliases": aliases,
            "agent_relation": _relation(text), "matters": _matters(text)}


def _principal(text: str, number: str | None, in_form: str | None) -> str | None:
    """The principal: in an entrustment form's column, as signed, or beside the passport number."""
    for written in (in_form, _signed_by(text, _PRINCIPAL_SIGNS)):
        names = latin_names(written or "")
        if names:
            return names[0].value
    return _holder(text, number, r"principal|grantor|委托人|授权人")


_PRINCIPAL_CELL = re.compile(r"principal|委托人|授权人", re.IGNORECASE)
_AGENT_CELL = re.compile(r"agent|受托人|代理人|被授权人", re.IGNORECASE)
_NAME_CELL = re.compile(r"name|姓名", re.IGNORECASE)
_PRINCIPAL_SIGNS = r"principal'?s\s+signature|委托人\s*签[名字章]"
_AGENT_SIGNS = r"agent'?s\s+signature|受托人\s*签[名字章]"


def _form_columns(text: str) -> tuple[str | None, str | None]:
    """Principal and agent in a ruled entrustment form read row by row: a header with a
    principal's and an agent's column ("委托人 Principal | 受托人 Agent") over the row of their
    names ("姓名 Name | ROMANO, MATTEO | ZHAO Lei"). The header's first cell is often empty, and
    OCR loses an empty cell, so columns are counted from the right."""
    lines = [line.strip() for line in text.split("\n")]
    for at, (line, after) in enumerate(pairwise([*lines, ""])):
        # a text layer gives each cell its line: "委托人 Principal", "受托人 Agent", "姓名 Name",
        # then the principal's name and the agent's
        if _only(_PRINCIPAL_CELL, line) and _only(_AGENT_CELL, after):
            label = next((k for k in range(at + 2, min(at + 5, len(lines)))
                          if _only(_NAME_CELL, lines[k])), None)
            if label is not None and label + 2 < len(lines):
                return lines[label + 1], lines[label + 2]
        header = _cells(line)
        principal = next((k for k, c in enumerate(header)
                          if _PRINCIPAL_CELL.search(c) and not _AGENT_CELL.search(c)), None)
        agent = next((k for k, c in enumerate(header)
                      if _AGENT_CELL.search(c) and not _PRINCIPAL_CELL.search(c)), None)
        if principal is None or agent is None:
            continue
        for row in lines[at + 1:at + 4]:
            cells = _cells(row)
            shift = len(cells) - len(header)
            if _NAME_CELL.search(cells[0]) and shift >= 0:
                return cells[principal + shift], cells[agent + shift]
    return None, None


def _cells(row: str) -> list[str]:
    """A row's cells, without the specks OCR reads at its ends (a border's edge read "a")."""
    cells = [cell.strip() for cell in row.split("|")]
    while len(cells) > 1 and sum(char.isalnum() for char in cells[-1]) <= 1:
        cells.pop()
    while len(cells) > 1 and sum(char.isalnum() for char in cells[0]) <= 1:
        cells.pop(0)
    return cells


def _only(labels: re.Pattern[str], cell: str) -> bool:
    """A cell that holds its labels and nothing else ("委托人 Principal")."""
    return re.fullmatch(rf"(?:{labels.pattern})+", cell.replace(" ", ""), re.IGNORECASE) is not None


def _signed_by(text: str, signs: str) -> str | None:
    """The name typed on a signature line ("受托人签名 : ZHAO Lei Agent's signature: ZHAO Lei")."""
    written = labelled(text, signs)
    return re.split(r"principal|agent|委托人|受托人", written, flags=re.IGNORECASE)[0] if written else None


def _holder(text: str, number: str | None, labels: str,
            people: list[dict[str, Any]] | None = None) -> str | None:
    """The person a letter is about: the name printed beside its passport number, else the
    labelled name, else the first name it prints."""
    people = read_people(text)[0] if people is None else people
    holder = next((p for p in people if p["passport_number"] == number), None)
    if holder:
        return holder["name"]
    label = labelled(text, labels)
    names = latin_names(label or "") or latin_names(text)
    return names[0].value if names else None


_HAN_NAME = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{2,3})"
                       r"(?=\s*[(（,，/]|\s*(?:先生|女士|老师)|\s*$|\s{2})")
_AGENT_LEAD = re.compile(
    r"(?:authori[sz][ec][sd]?|appoint(?:s|ed)?|grant(?:s|ed)?|entrust(?:s|ed)?|staff member|"
    r"designat(?:e|es|ed)|指\s*定|"
    r"(?<!受)委\s*托(?!\s*[人书])|(?<!被)授\s*权(?!\s*[人书]))\s*(?:our\s+)?(?:staff member\s+)?"
    r"(?:Mr\.?\s+|Ms\.?\s+|Mrs\.?\s+)?"
    r"(?:我公司|我校|本公司|本校|我单位|我院)?(?:工作人员|员工|职员|老师|教师)?", re.IGNORECASE)


def _agent_names(text: str, in_form: str | None) -> list[str]:
    """The agent as the letter writes it: in an entrustment form's column, a labelled line
    ("受托人：王丽 / WANG Li", "Agent: SUN Lei"), as signed, or the name right after
    "authorise", "委托我公司工作人员"; an organisation (a travel agency) when that is who is
    named. Chinese first, other forms after."""
    values: list[str] = []
    label = labelled(text, r"(?<!the )agent|attorney|受托人|代理人|被授权人|被委托人")
    sources = [s for s in (in_form, label, _signed_by(text, _AGENT_SIGNS)) if s]
    sources += [text[m.end():m.end() + 60] for m in _AGENT_LEAD.finditer(text)]
    for source in sources:
        values += _names_in(source)
    return [v for v in dict.fromkeys(values) if v not in _ROLE_WORDS]


def _names_in(source: str) -> list[str]:
    head = re.split(r"(?:relationship|relation|id card|关系|身份证|电话|tel\.?)", source,
                    flags=re.IGNORECASE)[0]
    found = [o.value for o in organisations(head)  # not "王芳(学校": a name and its role
             if o.start < 4 and o.value.count("(") == o.value.count(")")]
    latin = latin_names(head)
    han = [m for m in _HAN_NAME.finditer(head) if m.start() < 12
           and not re.search(r"[代办理事项人员的为在本我公司]|委托|书|证明", m.group(1))]
    if latin and latin[0].start < 4:
        found.append(latin[0].value)
    found += [m.group(1) for m in han[:1]]
    if han and latin and latin[0].value not in found and latin[0].start <= han[0].end() + 4:
        found.append(latin[0].value)  # "王丽（WANG Li）", "王丽 / WANG Li": the other form
    return found


def _relation(text: str) -> str | None:
    label = labelled(text, r"relationship|relation|关系|与委托人关系|与申请人关系")
    agent = labelled(text, r"(?<!the )agent|受托人|代理人|被授权人")
    for source in (label, agent, text):
        if not source:
            continue
        lowered = source.lower()
        for relation, words in wording().relations.items():
            if any(re.search(rf"(?<![a-z]){re.escape(w.lower())}", lowered) for w in words):
                return relation
    return None


# the verb that authorises (not the nouns "委托人", "委托书", "授权书", "authorized person")
_AUTHORISING = re.compile(
    r"authori[sz]e(?!d\s+(?:person|representative))|appoint|entrust|\bgrant|on\s+my\s+behalf|"
    r"designate|指定|(?<!受)委托(?![人书期])|(?<!被)授权(?![人书委期])|代为", re.IGNORECASE)
# a sentence ends at its full stop or a blank line, but not before the numbered matters it
# introduces ("委托事项 :" / "1. 缴纳相关费用": OCR parts the items by blank lines)
_OPERATIVE_END = re.compile(r"。|(?<=[a-z]{3})\.(?=\s|$)|\n\s*\n(?!\s*\d+[.、)])")
_MATTERS_LABEL = re.compile(r"(?:matters(?:\s+authori[sz]ed)?|委托事项|授权事项|代办事项|委托权限)\s*:")
OPERATIVE_CHARS = 400


def _operative(text: str) -> str:
    """The sentences that say what is authorised: from each authorising verb to its sentence's
    end, and a labelled "委托事项:" line. A title ("代办委托书") or a line about the application
    ("本函随申请一并提交") names no matter the agent may handle."""
    spans = []
    for start in [m.start() for m in _AUTHORISING.finditer(text)] + \
            [m.end() for m in _MATTERS_LABEL.finditer(text)]:
        window = text[start:start + OPERATIVE_CHARS]
        end = _OPERATIVE_END.search(window, 1)
        spans.append(window[:end.start()] if end else window)
    return "\n".join(spans)


def _matters(text: str) -> list[str]:
    """The matters a letter authorises, read where it authorises them (the whole letter when no
    sentence does). Where wordings overlap the longest wins: "补充提交材料" is supplementing
    materials, not the "提交材料" of submitting the application."""
    # a signature line ("签名", "signature") signs the letter; it authorises no signing
    body = re.sub(r"signature|签名|签字|签章", " ", (_operative(text) or text).lower())
    hits = sorted(((m.start(), m.end(), matter) for matter, words in wording().matters.items()
                   for w in words for m in re.finditer(re.escape(w.lower()), body)),
                  key=lambda hit: hit[0] - hit[1])  # longest first
    taken: list[tuple[int, int]] = []
    found: set[str] = set()
    for start, end, matter in hits:
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            found.add(matter)
    return [matter for matter in wording().matters if matter in found]


def _health_certificate(text: str) -> dict[str, Any]:
    examined = None
    label = re.search(r"(?:date\s+of\s+(?:the\s+)?(?:medical\s+)?examination|examination\s+date|"
                      r"examined\s+on|体检日期|检查日期|体检时间)\s*[:.]?\s*([^\n]{0,20}\n?[^\n]{0,40})",
                      text, re.IGNORECASE)
    if label:
        examined = first_date(label.group(1))
    if examined is None:  # the first date that is not a birth date
        dates = [d for at, d in find_dates(text)
                 if not re.search(r"birth|出生|dob", text[max(0, at - 30):at], re.IGNORECASE)]
        examined = dates[0] if dates else None
    number = labelled_passport_number(text)
    return {"name": _holder(text, number, r"(?<![a-z])name|姓名|受检者|examinee"),
            "passport_number": number,
            "examination_date": examined.isoformat() if examined else None}


def _permit(text: str) -> dict[str, Any]:
    label = re.search(r"(?:valid\s+until|expiry\s+date|expires|有效期至|有效期限至)\s*[:]?\s*([^\n]+)",
                      text, re.IGNORECASE)
    date = first_date(label.group(1)) if label else None
    return {"valid_until": date.isoformat() if date else None,
            "passport_number": labelled_passport_number(text)}


def _waybill(text: str, barcodes: Sequence[str]) -> dict[str, Any]:
    for source in (*barcodes, text):
        for carrier, pattern in _WAYBILL_PATTERNS:
            match = pattern.search(source.upper())
            if match:
                named = next((c for c, words in _CARRIER_WORDS if words.search(text)), None)
                return {"carrier": named or carrier, "waybill": match.group(0),
                        "from_barcode": source in barcodes}
    return {}


def _without_empty(facts: dict[str, Any]) -> dict[str, Any]:
    keep_empty = {"promised_materials", "people", "states_employed", "promises_nothing"}
    return {k: v for k, v in facts.items() if k in keep_empty or v not in (None, [], "")}


__all__ = ["find_dates", "read_letter"]
