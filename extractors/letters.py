"""Facts from letters and waybills, in English and Chinese, from their text (layer or OCR).

Contract: ``read_letter(kind, text, barcodes)`` returns a dict of what the document of that kind
says (missing facts are simply absent; nothing is guessed):
- personal_statement: ``promises`` [{material, promised_by (ISO date) or within_days}],
  ``signed_on``, ``applicant_name``, ``passport_number``
- personnel_list_letter: ``organization``, ``people`` [{name, nationality, passport_number}]
- employment_letter / school_letter: ``organization``, ``applicant_name``, ``passport_number``
- authorization_letter: ``principal_name``, ``passport_number``, ``agent_name``, ``agent_relation``
- residence_permit / work_permit: ``valid_until``, ``passport_number``
- waybill: ``carrier``, ``waybill`` (the barcode first, the printed number second)
Which words name a material is the wording in ``document_kinds.yaml``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from extractors.classify import phrases
from storage.enums import DocumentKind

PASSPORT_NUMBER = r"[A-Z0-9]{6,9}"
_PASSPORT_LABEL = re.compile(
    # OCR may split a number with a space ("C01 X00T47"): one space between characters is allowed.
    r"(?:passport\s*(?:no\.?|number|#)?|护照(?:号码|号)?)\s*[:：]?\s*((?=[A-Z ]*\d)"
    r"[A-Z0-9](?: ?[A-Z0-9]){5,8})\b",
    re.IGNORECASE,
)
_MONTHS = {month: number for number, month in enumerate(calendar.month_name) if month}
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), "ymd"),
    (re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?\s+(\d{4})"), "dmy"),
    (re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})"), "mdy"),
)
_PROMISE_WORDS = re.compile(r"promise|undertake|will (?:provide|submit|supply)|承诺|保证|补交|补充提交",
                            re.IGNORECASE)
_WITHIN = re.compile(
    r"within\s+(one|two|1|2)\s+months?|within\s+(\d{1,3})\s+days|"
    r"(一|两|二|1|2)\s*个\s*月\s*内|(\d{1,3})\s*[日天]\s*内",
    re.IGNORECASE,
)
_PERSONNEL_ROW = re.compile(
    r"(?<![A-Za-z0-9])((?:[A-Z][A-Z'-]+ ){0,3}[A-Z][A-Z'-]+) ([A-Z]{3}|D) (" + PASSPORT_NUMBER
    + r")(?![A-Za-z0-9])"
)
_SIGNED = re.compile(r"(?:^|\n)\s*(?:date|日期)\s*[:：]\s*([^\n]+)", re.IGNORECASE)
_ORGANIZATION = re.compile(
    r"([A-Z][\w&.,' -]{2,80}?(?:Co\.,?\s*Ltd\.?|Company|GmbH|Inc\.|Corporation|University|"
    r"College|School|Institute))|((?:(?![在为的是于兹])[\u4e00-\u9fff（）()]){2,40}?"
    r"(?:有限公司|公司|大学|学院|学校))"
)
_WAYBILL_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("sf", re.compile(r"\bSF\d{12,13}\b")),
    ("ems", re.compile(r"\b[A-Z]{2}\d{9}CN\b")),
    ("ems", re.compile(r"\b1\d{12}\b")),
)
_CARRIER_WORDS = (("sf", re.compile(r"顺丰|SF\s*Express", re.IGNORECASE)),
                  ("ems", re.compile(r"\bEMS\b|中国邮政|邮政速递", re.IGNORECASE)))
_RELATIONS = (("employer", re.compile(r"employer|company|单位|公司|雇主", re.IGNORECASE)),
              ("school", re.compile(r"school|university|college|学校|大学|学院", re.IGNORECASE)),
              ("relative", re.compile(r"relative|spouse|wife|husband|father|mother|son|daughter|"
                                      r"亲属|配偶|父|母|子|女", re.IGNORECASE)))


def read_letter(kind: DocumentKind, text: str, barcodes: Sequence[str] = ()) -> dict[str, Any]:
    readers = {
        DocumentKind.PERSONAL_STATEMENT: _statement,
        DocumentKind.PERSONNEL_LIST_LETTER: _personnel_list,
        DocumentKind.EMPLOYMENT_LETTER: _organization_letter,
        DocumentKind.SCHOOL_LETTER: _organization_letter,
        DocumentKind.AUTHORIZATION_LETTER: _authorization,
        DocumentKind.RESIDENCE_PERMIT: _permit,
        DocumentKind.WORK_PERMIT: _permit,
    }
    if kind is DocumentKind.WAYBILL:
        return _waybill(text, barcodes)
    reader = readers.get(kind)
    return _without_empty(reader(text)) if reader else {}


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every date written in ``text`` (ISO, Chinese, English), with its position."""
    found: list[tuple[int, dt.date]] = []
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            date = _to_date(match.groups(), order)
            if date is not None:
                found.append((match.start(), date))
    return sorted(found)


def _statement(text: str) -> dict[str, Any]:
    promised = [kind for kind in (DocumentKind.HEALTH_CERTIFICATE, DocumentKind.KINSHIP_NOTARIZATION,
                                  DocumentKind.PASSPORT, DocumentKind.PHOTO,
                                  DocumentKind.EMPLOYMENT_LETTER, DocumentKind.WORK_PERMIT,
                                  DocumentKind.SCHOOL_LETTER)
                if _mentions(text, kind) and _in_promise(text, kind)]
    signed = _SIGNED.search(text)
    signed_on = find_dates(signed.group(1)) if signed else []
    by = _promised_date(text)
    within = _within_days(text)
    promises = [{"material": kind.value,
                 **({"promised_by": by.isoformat()} if by else {}),
                 **({"within_days": within} if within and not by else {})}
                for kind in promised]
    return {"promises": promises, "signed_on": signed_on[0][1].isoformat() if signed_on else None,
            "passport_number": _passport_number(text)}


def _mentions(text: str, kind: DocumentKind) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in phrases().get(kind, ()))


def _in_promise(text: str, kind: DocumentKind) -> bool:
    # The material must be named in a sentence that promises something, not merely mentioned.
    for sentence in re.split(r"[.。;；\n]", text):
        lowered = sentence.lower()
        if _PROMISE_WORDS.search(sentence) and any(w in lowered for w in phrases().get(kind, ())):
            return True
    return False


def _promised_date(text: str) -> dt.date | None:
    promising = [date for sentence in re.split(r"[.。;；\n]", text) if _PROMISE_WORDS.search(sentence)
                 for _, date in find_dates(sentence)]
    return max(promising) if promising else None


def _within_days(text: str) -> int | None:
    match = _WITHIN.search(text)
    if match is None:
        return None
    months = match.group(1) or match.group(3)
    if months:
        return 30 * (2 if months in ("two", "2", "两", "二") else 1)
    return int(match.group(2) or match.group(4))


def _personnel_list(text: str) -> dict[str, Any]:
    # A text layer gives each table cell its own line, OCR gives a row one line: one stream of
    # words serves both. Names are as in the passport (capitals), nationality the ICAO code.
    stream = " ".join(text.split())
    people = [{"name": match.group(1), "nationality": match.group(2),
               "passport_number": match.group(3)}
              for match in _PERSONNEL_ROW.finditer(stream) if re.search(r"\d", match.group(3))]
    return {"organization": _organization(text), "people": people}


def _organization_letter(text: str) -> dict[str, Any]:
    return {"organization": _organization(text), "passport_number": _passport_number(text),
            "applicant_name": _labelled(text, r"name|姓名")}


def _authorization(text: str) -> dict[str, Any]:
    agent_line = (re.search(r"authori[sz]e\s+(.+?)\s+to\s+(?:apply|act|handle)", text, re.IGNORECASE)
                  or re.search(r"(?:受托人|代理人)\s*[:：]\s*([^\n,，(（]+)", text))
    relation_text = _labelled(text, r"relation(?:ship)?|关系") or (
        agent_line.group(0) if agent_line else "")
    relation = next((code for code, pattern in _RELATIONS if pattern.search(relation_text)), None)
    return {"principal_name": _labelled(text, r"principal|委托人|I, ?name|name|姓名"),
            "passport_number": _passport_number(text),
            "agent_name": agent_line.group(1).strip() if agent_line else None,
            "agent_relation": relation}


def _permit(text: str) -> dict[str, Any]:
    label = re.search(r"(?:valid\s+until|expiry\s+date|expires|有效期至|有效期限至)\s*[:：]?\s*([^\n]+)",
                      text, re.IGNORECASE)
    dates = find_dates(label.group(1)) if label else []
    return {"valid_until": dates[0][1].isoformat() if dates else None,
            "passport_number": _passport_number(text)}


def _waybill(text: str, barcodes: Sequence[str]) -> dict[str, Any]:
    for source in (*barcodes, text):
        for carrier, pattern in _WAYBILL_PATTERNS:
            match = pattern.search(source.upper())
            if match:
                named = next((c for c, words in _CARRIER_WORDS if words.search(text)), None)
                return {"carrier": named or carrier, "waybill": match.group(0),
                        "from_barcode": source in barcodes}
    return {}


def _organization(text: str) -> str | None:
    match = _ORGANIZATION.search(text)
    return (match.group(1) or match.group(2)).strip(" ,.") if match else None


def _passport_number(text: str) -> str | None:
    match = _PASSPORT_LABEL.search(text)
    return match.group(1).replace(" ", "").upper() if match else None


def _labelled(text: str, label: str) -> str | None:
    match = re.search(rf"(?:{label})\s*[:：]\s*([^\n,，(（]+)", text, re.IGNORECASE)
    return match.group(1).strip() if match else None


def _to_date(groups: tuple[str, ...], order: str) -> dt.date | None:
    try:
        if order == "ymd":
            year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
        elif order == "dmy":
            day, month, year = int(groups[0]), _MONTHS.get(groups[1].capitalize(), 0), int(groups[2])
        else:
            month, day, year = _MONTHS.get(groups[0].capitalize(), 0), int(groups[1]), int(groups[2])
        return dt.date(year, month, day)
    except ValueError:
        return None


def _without_empty(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in facts.items() if v not in (None, [], "")}
