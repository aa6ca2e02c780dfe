"""Records on file: documents the office already holds that stand in for a material later."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.enums import DocumentKind
from storage.models import RecordOnFile


def keep_on_file(
    *, session: Session, kind: DocumentKind, passport_key: str, document_id: int,
    valid_until: dt.date, person_name: str | None = None, organization: str | None = None,
    source_case_id: int | None = None, expires_on: dt.date | None = None,
) -> RecordOnFile:
    """Record (once: the same document, kind and person are recorded a single time)."""
    record = session.scalar(select(RecordOnFile).where(
        RecordOnFile.document_id == document_id, RecordOnFile.kind == kind,
        RecordOnFile.passport_key == passport_key))
    if record is None:
        record = RecordOnFile(kind=kind, passport_key=passport_key, document_id=document_id,
                              valid_until=valid_until, person_name=person_name,
                              organization=organization, source_case_id=source_case_id,
                              expires_on=expires_on)
        session.add(record)
        session.flush()
    return record


def records_for(
    *, session: Session, passport_key: str, valid_on: dt.date, exclude_case_id: int | None = None
) -> list[RecordOnFile]:
    """Valid records of one person (by passport key), newest first, except those from the case
    itself (its own documents are provided, not on file)."""
    query = select(RecordOnFile).where(RecordOnFile.passport_key == passport_key,
                                       RecordOnFile.valid_until >= valid_on)
    if exclude_case_id is not None:
        query = query.where((RecordOnFile.source_case_id != exclude_case_id)
                            | RecordOnFile.source_case_id.is_(None))
    return list(session.scalars(query.order_by(RecordOnFile.id.desc())))


def expiring_records(
    *, session: Session, kinds: tuple[DocumentKind, ...], between: tuple[dt.date, dt.date]
) -> list[RecordOnFile]:
    # only an expiry that was read: a reminder never carries a date made up for it
    return list(session.scalars(select(RecordOnFile).where(
        RecordOnFile.kind.in_(kinds), RecordOnFile.expires_on >= between[0],
        RecordOnFile.expires_on <= between[1], RecordOnFile.expiry_reminded_at.is_(None),
    ).order_by(RecordOnFile.id)))
