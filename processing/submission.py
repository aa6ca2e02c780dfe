"""Process one received submission: pages, document groups, kinds, and the case each joins.

Contract: ``process_submission(session=, blobs=, submission_id=, dpi=, limits=)`` runs inside
the caller's transaction, so a crash part-way leaves nothing behind and the next run starts over
(blobs are content-addressed, so rewriting them is harmless). A submission that is not
``received`` any more is left alone: re-running never duplicates. May raise ``BadInputError``
(the caller quarantines the submission with its message).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import PurePath

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.application_form import read_form_fields
from extractors.cover_sheet import read_cover_reference
from extractors.filetypes import Limits, inspect_file
from extractors.pages import extract_part, iter_pages
from extractors.splitting import PageGroup, split_at_cover_sheets
from mailroom.faults import crash_point
from storage.blobs import BlobStore
from storage.cases import find_case, find_or_add_applicant, open_case, record_event
from storage.enums import DocumentKind, SubmissionStatus
from storage.models import Case, Document, Page, Submission
from storage.submissions import mark_processed
from validators.case_matching import Match, MatchKind, match_group

log = logging.getLogger(__name__)
ACTOR = "system:process"


@dataclass(frozen=True)
class StoredPage:
    number: int
    image_sha256: str
    width: int
    height: int
    text: str | None
    cover_reference: str | None


@dataclass
class ProcessOutcome:
    submission_id: int
    skipped: bool = False
    documents: int = 0
    case_references: list[str] = field(default_factory=list)
    needs_triage: bool = False


def process_submission(
    *, session: Session, blobs: BlobStore, submission_id: int, dpi: int, limits: Limits
) -> ProcessOutcome:
    submission = _claim(session, submission_id)
    if submission is None:
        return ProcessOutcome(submission_id, skipped=True)
    data = blobs.read_bytes(submission.sha256)
    facts = inspect_file(data, submission.filename, limits)
    pages = _store_pages(blobs, data, facts.file_type, dpi)
    crash_point("process.after_pages")

    groups = split_at_cover_sheets([p.cover_reference for p in pages])
    whole_file = len(groups) == 1
    outcome = ProcessOutcome(submission_id)
    for sequence, group in enumerate(groups, start=1):
        part = data if whole_file else extract_part(data, facts.file_type, group.page_numbers)
        form = read_form_fields(part) if facts.file_type == "pdf" else None
        kind, confidence = _kind(group, form)
        match = (
            Match(MatchKind.TRIAGE) if group.is_cover_sheet and group.reference is None
            else match_group(group.reference, form)
        )
        case, triage_reason = _apply_match(session, match, form)
        document = Document(
            submission_id=submission.id,
            sequence=sequence,
            case_id=case.id if case else None,
            kind=kind,
            confidence=confidence,
            filename=_part_name(submission.filename, sequence, whole_file, facts.file_type),
            blob_sha256=blobs.put_bytes(part),
            fields=form,
            triage_reason=triage_reason,
        )
        session.add(document)
        session.flush()
        for number in group.page_numbers:
            page = pages[number - 1]
            session.add(
                Page(
                    document_id=document.id,
                    number=number,
                    image_sha256=page.image_sha256,
                    width=page.width,
                    height=page.height,
                    text=page.text,
                    text_source="pdf" if page.text else "none",
                )
            )
        if case is not None:
            record_event(
                session=session, case=case, actor=ACTOR, action="document_added",
                detail={"document_id": document.id, "kind": kind.value,
                        "submission_id": submission.id},
            )
            if case.reference not in outcome.case_references:
                outcome.case_references.append(case.reference)
        else:
            outcome.needs_triage = True
        outcome.documents += 1
    mark_processed(session=session, submission=submission, needs_triage=outcome.needs_triage)
    return outcome


def _claim(session: Session, submission_id: int) -> Submission | None:
    # FOR UPDATE SKIP LOCKED on PostgreSQL: a second worker skips what the first is processing.
    # SQLite ignores it; there BEGIN IMMEDIATE (storage/db.py) already serialises writers.
    return session.scalar(
        select(Submission)
        .where(Submission.id == submission_id, Submission.status == SubmissionStatus.RECEIVED)
        .with_for_update(skip_locked=True)
    )


def _store_pages(blobs: BlobStore, data: bytes, file_type: str, dpi: int) -> list[StoredPage]:
    stored = []
    for page in iter_pages(data, file_type, dpi):
        stored.append(
            StoredPage(
                number=page.number,
                image_sha256=blobs.put_bytes(page.png),
                width=page.width,
                height=page.height,
                text=page.text,
                cover_reference=read_cover_reference(page.image),
            )
        )
    return stored


def _kind(group: PageGroup, form: dict[str, str] | None) -> tuple[DocumentKind, float]:
    # Full classification (passports, letters, waybills) is the extraction stage's job; here we
    # only name what is certain and leave the rest as `other` for a clerk.
    if group.is_cover_sheet:
        return DocumentKind.COVER_SHEET, 1.0
    if form is not None:
        return DocumentKind.APPLICATION_FORM, 1.0
    return DocumentKind.OTHER, 0.0


def _apply_match(
    session: Session, match: Match, form: dict[str, str] | None
) -> tuple[Case | None, str | None]:
    if match.kind is MatchKind.EXISTING_CASE:
        assert match.reference is not None
        case = find_case(session=session, reference=match.reference)
        if case is None:
            return None, f"The cover sheet names case {match.reference}, which does not exist."
        return case, None
    if match.kind is MatchKind.NEW_CASE:
        assert match.applicant is not None
        identity = match.applicant
        applicant = find_or_add_applicant(
            session=session,
            surname=identity.surname,
            given_names=identity.given_names,
            nationality=identity.nationality,
            passport_number=identity.passport_number,
            date_of_birth=identity.date_of_birth,
            sex=identity.sex,
            email=identity.email,
            phone=identity.phone,
        )
        case = open_case(
            session=session,
            actor=ACTOR,
            applicant=applicant,
            application_type=match.application_type,
            form_fields=form,
        )
        return case, None
    return None, match.triage_reason


def _part_name(filename: str, sequence: int, whole_file: bool, file_type: str) -> str:
    if whole_file:
        return filename
    extension = ".pdf" if file_type == "pdf" else ".tiff"
    return f"{PurePath(filename).stem}-part{sequence}{extension}"
