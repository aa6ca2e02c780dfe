"""Cases and applicants: opening a case, its reference, and every status change audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mailroom.errors import NotFoundError
from storage.enums import CaseStatus
from storage.models import Applicant, Case, CaseEvent, ReferenceCounter
from storage.workflow import check_transition

REFERENCE_PATTERN = re.compile(r"\bMR-(\d{4})-(\d{6})\b")


def format_reference(year: int, number: int) -> str:
    return f"MR-{year}-{number:06d}"


def next_reference(*, session: Session, year: int) -> str:
    """Issue the next case number for ``year``; the counter row serialises concurrent callers."""
    if session.get(ReferenceCounter, year) is None:
        try:
            with session.begin_nested():
                session.add(ReferenceCounter(year=year, last_number=0))
        except IntegrityError:
            pass  # another worker opened the year's first case at this moment: its row counts
    number = session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_number=ReferenceCounter.last_number + 1)
        .returning(ReferenceCounter.last_number)
    ).scalar_one()
    return format_reference(year, number)


def open_case(
    *,
    session: Session,
    actor: str,
    applicant: Applicant | None = None,
    application_type: str | None = None,
    form_fields: dict[str, Any] | None = None,
    today: dt.date | None = None,
) -> Case:
    year = (today or dt.date.today()).year
    case = Case(
        reference=next_reference(session=session, year=year),
        status=CaseStatus.RECEIVED,
        applicant=applicant,
        application_type=application_type,
        form_fields=form_fields,
    )
    session.add(case)
    session.flush()
    session.add(
        CaseEvent(case_id=case.id, actor=actor, action="opened", to_status=CaseStatus.RECEIVED)
    )
    return case


def change_status(
    *, session: Session, case: Case, to: CaseStatus, actor: str, detail: dict[str, Any] | None = None
) -> None:
    """Move ``case`` to ``to`` if the workflow allows it, and write the audit event."""
    check_transition(case.status, to)
    session.add(
        CaseEvent(
            case_id=case.id,
            actor=actor,
            action="status_changed",
            from_status=case.status,
            to_status=to,
            detail=detail,
        )
    )
    case.status = to


def record_event(
    *, session: Session, case: Case, actor: str, action: str, detail: dict[str, Any] | None = None
) -> None:
    session.add(CaseEvent(case_id=case.id, actor=actor, action=action, detail=detail))


def get_case(*, session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFoundError(f"There is no case with reference {reference}.")
    return case


def find_case(*, session: Session, reference: str) -> Case | None:
    return session.scalar(select(Case).where(Case.reference == reference.strip().upper()))


def list_cases(*, session: Session, status: CaseStatus | None = None) -> list[Case]:
    query = select(Case).order_by(Case.id)
    if status is not None:
        query = query.where(Case.status == status)
    return list(session.scalars(query))


def find_or_add_applicant(
    *,
    session: Session,
    surname: str,
    given_names: str,
    nationality: str,
    passport_number: str,
    date_of_birth: dt.date | None = None,
    sex: str | None = None,
    email: str | None = None,
    phone: str | None = None,
) -> Applicant:
    """The applicant is identified by nationality and passport number; contact details refresh.
    A case's own corrected copy (``own_case_id``) is never found here."""
    person = select(Applicant).where(
        Applicant.nationality == nationality, Applicant.passport_number == passport_number,
        Applicant.own_case_id.is_(None),
    )
    applicant = session.scalar(person)
    if applicant is None:
        try:
            with session.begin_nested():
                applicant = Applicant(surname=surname, given_names=given_names,
                                      nationality=nationality, passport_number=passport_number)
                session.add(applicant)
        except IntegrityError:
            # another worker added this person between our look and our insert: theirs it is
            applicant = session.scalars(person).one()
    applicant.date_of_birth = date_of_birth or applicant.date_of_birth
    applicant.sex = sex or applicant.sex
    applicant.email = email or applicant.email
    applicant.phone = phone or applicant.phone
    session.flush()
    return applicant


def requested_materials(*, session: Session, case: Case) -> set[str]:
    """Every material a request for materials has asked this case's applicant for."""
    events = session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "materials_requested"))
    return {m for event in events for m in (event.detail or {}).get("missing", [])}
