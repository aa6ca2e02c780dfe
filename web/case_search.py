"""Finding cases: the filters a reviewer or an operator sets (group, type, status, priority,
deadline, flag), a search by reference, name or passport number (forgiving the glyphs people and
OCR confuse: O/0, I/1, B/8, S/5, Z/2), and pages of 50 in queue order.

The query is one indexed SELECT of 51 rows (the 51st says whether there is a next page) and one
load of their applicants: no COUNT over 100,000 cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from storage.enums import CaseStatus, Role
from storage.models import Applicant, Case, Flag, User
from validators.identity import CONFUSABLE_GLYPHS, NUMBER_FILLERS, passport_key

PER_PAGE = 50
DEADLINES = ("overdue", "today", "week")
REFERENCE = re.compile(r"^MR-?\d{4}-?\d{1,6}$", re.IGNORECASE)
# still to be decided: what a deadline counts for
UNDECIDED = (CaseStatus.RECEIVED, CaseStatus.VALIDATING, CaseStatus.NEEDS_MATERIALS,
             CaseStatus.READY_FOR_REVIEW, CaseStatus.IN_REVIEW)
# passport_key() in SQL: the same confusable glyphs folded, the same fillers dropped
_FOLDS = (*CONFUSABLE_GLYPHS.items(), *((filler, "") for filler in NUMBER_FILLERS))


@dataclass(frozen=True)
class CaseFilter:
    group: str = ""
    type: str = ""
    status: str = ""
    priority: str = ""
    deadline: str = ""
    flag: str = ""
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> CaseFilter:
        def value(name: str) -> str:
            return str(query.get(name, "")).strip()[:64]

        try:
            page = max(1, min(int(value("page") or 1), 100_000))
        except ValueError:
            page = 1
        deadline = value("deadline")
        return cls(group=value("group"), type=value("type"), status=value("status"),
                   priority=value("priority"),
                   deadline=deadline if deadline in DEADLINES else "", flag=value("flag"),
                   q=value("q"), page=page)

    def link(self, **changes: object) -> str:
        """This filter's URL with some values changed (a page, a status from the dashboard)."""
        chosen = replace(self, **changes)  # type: ignore[arg-type]
        pairs = {k: v for k, v in vars(chosen).items() if v and not (k == "page" and v == 1)}
        return "/cases" + (f"?{urlencode(pairs)}" if pairs else "")

    @property
    def is_empty(self) -> bool:
        return self == CaseFilter(page=self.page)


@dataclass(frozen=True)
class CasePage:
    cases: list[Case]
    filter: CaseFilter
    has_next: bool


def find_cases(session: Session, wanted: CaseFilter, user: User, today: dt.date) -> CasePage:
    query = _filtered(select(Case), wanted, user, today)
    query = (query.order_by(Case.priority_rank, Case.due_date.asc().nulls_last(), Case.id)
             .offset((wanted.page - 1) * PER_PAGE).limit(PER_PAGE + 1)
             .options(selectinload(Case.applicant)))
    found = list(session.scalars(query))
    return CasePage(cases=found[:PER_PAGE], filter=wanted, has_next=len(found) > PER_PAGE)


def _filtered(query: Select[tuple[Case]], wanted: CaseFilter, user: User,
              today: dt.date) -> Select[tuple[Case]]:
    if user.role is Role.REVIEWER and user.reviewer_group:
        query = query.where(Case.reviewer_group == user.reviewer_group)
    if wanted.group:
        query = query.where(Case.reviewer_group == wanted.group)
    if wanted.type:
        query = query.where(Case.application_type == wanted.type)
    if wanted.status in {s.value for s in CaseStatus}:
        query = query.where(Case.status == CaseStatus(wanted.status))
    if wanted.priority:
        query = query.where(Case.priority == wanted.priority)
    if wanted.deadline:
        query = query.where(Case.status.in_(UNDECIDED), _deadline(wanted.deadline, today))
    if wanted.flag:
        query = query.where(exists().where(Flag.case_id == Case.id, Flag.code == wanted.flag,
                                           Flag.resolved_at.is_(None)))
    if wanted.q:
        query = query.where(_matches(wanted.q))
    return query


def _deadline(which: str, today: dt.date) -> ColumnElement[bool]:
    if which == "overdue":
        return Case.due_date < today
    if which == "today":
        return Case.due_date == today
    return Case.due_date.between(today, today + dt.timedelta(days=7))


def _matches(text: str) -> ColumnElement[bool]:
    if REFERENCE.match(text.replace(" ", "")):
        digits = re.sub(r"\D", "", text)
        return Case.reference == f"MR-{digits[:4]}-{int(digits[4:]):06d}"
    words = [w for w in re.split(r"[\s,]+", text.upper()) if w]
    named = and_(*(or_(func.upper(Applicant.surname).contains(w),
                       func.upper(Applicant.given_names).contains(w)) for w in words))
    folded = func.upper(Applicant.passport_number)
    for glyph, into in _FOLDS:
        folded = func.replace(folded, glyph, into)
    person = select(Applicant.id).where(or_(folded == passport_key(text), named))
    return Case.applicant_id.in_(person)
