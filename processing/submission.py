"""Process one received submission: pages, document groups, kinds, and the case each joins.

Contract: ``read_submission(...)`` does the slow part (render, text layer, OCR, kinds, MRZ, the
form) and touches no database, so it runs outside any transaction; ``process_submission(
session=, blobs=, submission_id=, dpi=, limits=, reading=)`` then stores the result inside the
caller's transaction (reading first itself when given no ``reading``), so a crash part-way
leaves nothing behind and the next run starts over (blobs are content-addressed, so rewriting
them is harmless). A submission that is not ``received`` any more is left alone: re-running
never duplicates. May raise ``BadInputError`` (the caller quarantines the submission with its
message).

A scan file is planned as document groups (split at cover sheets); an e-mail as its body (an
``email_body`` document) plus each attachment planned like a scan file. Then every group is
matched to a case (validators/case_matching.py) and stored. A submission whose forms name two or
more people (or that holds only an organisation's lists) is a batch: one case per applicant,
each document with the applicant it names, the rest held by the batch (processing/batches.py).
A list re-validates every open case whose applicant it names, whichever arrived first.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.filetypes import Limits, inspect_file
from extractors.mime import ParsedMessage, parse_message
from mailroom.errors import BadInputError
from mailroom.faults import crash_point
from notices.policy import NoticePolicy, queue_acknowledgement
from processing.batches import (
    add_batch,
    batch_matches,
    names_a_case,
    queue_batch_letter,
    reply_matches,
)
from processing.bounces import redirect_undelivered
from processing.planning import (
    PlannedDocument,
    expand_archives,
    plan_body,
    plan_file,
    plan_unreadable,
)
from processing.validation import (
    ValidationContext,
    cases_covered_by,
    keep_people_on_file,
    validate_case,
)
from shipping.service import record_arrivals
from storage.blobs import BlobStore
from storage.cases import find_case, find_or_add_applicant, open_case, record_event
from storage.enums import SubmissionStatus
from storage.models import Batch, Case, Document, Page, Submission
from storage.outbox import replied_to
from storage.submissions import mark_processed
from validators.case_matching import Match, MatchKind, match_group, match_message

log = logging.getLogger(__name__)
ACTOR = "system:process"


@dataclass(frozen=True)
class SubmissionReading:
    """Everything read from a submission's bytes, before any of it is stored."""

    planned: list[PlannedDocument]
    message: ParsedMessage | None  # for an e-mail: how it is matched to a case


def read_submission(
    *, blobs: BlobStore, sha256: str, media_type: str | None, filename: str, dpi: int,
    limits: Limits,
) -> SubmissionReading:
    data = blobs.read_bytes(sha256)
    if media_type == "message/rfc822":
        message = parse_message(data)
        return SubmissionReading(_plan_message(blobs, message, dpi, limits), message)
    facts = inspect_file(data, filename, limits)
    return SubmissionReading(plan_file(blobs, data, filename, facts.file_type, dpi), None)


@dataclass
class ProcessOutcome:
    submission_id: int
    skipped: bool = False
    documents: int = 0
    case_references: list[str] = field(default_factory=list)
    needs_triage: bool = False
    urgent_cases: list[str] = field(default_factory=list)  # the operators are alerted at once


def process_submission(
    *, session: Session, blobs: BlobStore, submission_id: int, dpi: int, limits: Limits,
    notices: NoticePolicy | None = None, validation: ValidationContext | None = None,
    reading: SubmissionReading | None = None,
) -> ProcessOutcome:
    submission = _claim(session, submission_id)
    if submission is None:
        return ProcessOutcome(submission_id, skipped=True)
    reading = reading or read_submission(
        blobs=blobs, sha256=submission.sha256, media_type=submission.media_type,
        filename=submission.filename, dpi=dpi, limits=limits)
    planned, message = reading.planned, reading.message
    answered = (replied_to(session=session, message_ids=message.in_reply_to)
                if message is not None else None)
    matches = (_message_matches(message, planned, answered if isinstance(answered, Case) else None)
               if message is not None else [_scan_match(p) for p in planned])
    sender = message.sender if message is not None else None
    batch = None
    if (isinstance(answered, Batch) and message is not None and not message.automated
            and not names_a_case(planned, matches)):
        batch = answered  # an answer to a batch's letter: sorted across the batch's cases
        matches = reply_matches(planned, batch, sender=sender)
    elif message is None or not message.automated:
        batched = batch_matches(planned, matches, sender=sender)
        if batched is not None:
            matches = batched
            batch = add_batch(session=session, submission=submission, planned=planned,
                              sender=sender)
    crash_point("process.after_pages")

    outcome = ProcessOutcome(submission_id)
    opened: dict[int, Case] = {}  # one new case per Match object, shared by its documents
    touched: dict[int, Case] = {}
    stored: list[Document] = []
    for sequence, (document_plan, match) in enumerate(zip(planned, matches, strict=True), 1):
        case, triage_reason = _apply_match(session, match, opened)
        if case is not None and batch is not None and match.kind is MatchKind.NEW_CASE:
            case.batch_id = batch.id
        held_by = batch.id if batch is not None and match.kind is MatchKind.BATCH else None
        document = _store_document(session, submission, sequence, document_plan, case,
                                   triage_reason, held_by)
        stored.append(document)
        if case is not None:
            record_event(session=session, case=case, actor=ACTOR, action="document_added",
                         detail={"document_id": document.id, "kind": document.kind.value,
                                 "submission_id": submission.id})
            if case.reference not in outcome.case_references:
                outcome.case_references.append(case.reference)
            touched[case.id] = case
        elif document.triage_reason is not None:
            outcome.needs_triage = True  # a batch's list or covering message waits for no one
        outcome.documents += 1
    if message is not None and notices is not None and batch is None:
        for case in opened.values():  # a new case from an e-mail is acknowledged (if allowed)
            queue_acknowledgement(session=session, case=case, message=message, policy=notices)
    if validation is not None:
        outcome.urgent_cases = _validate(session, batch, stored, touched, validation)
        if message is not None and message.undelivered:  # our letter bounced: by post now
            redirect_undelivered(session=session, message_ids=message.undelivered,
                                 context=validation)
    if batch is not None and message is not None and notices is not None:
        session.refresh(batch)
        queue_batch_letter(session=session, batch=batch, message=message, policy=notices)
    mark_processed(session=session, submission=submission, needs_triage=outcome.needs_triage)
    session.flush()
    crash_point("process.before_commit")
    return outcome


def _validate(session: Session, batch: Batch | None, stored: list[Document],
              touched: dict[int, Case], validation: ValidationContext) -> list[str]:
    """New materials re-run the checklist of every case they joined, and a list re-runs it for
    every open case whose applicant it names, whichever came first. Returns the cases that
    have just been given a priority the operators must hear of."""
    urgent = []
    session.flush()
    held = [d for d in stored if d.batch_id is not None and d.case_id is None]
    for document in held:  # what a batch holds for many is on file before its cases look
        keep_people_on_file(session=session, document=document, context=validation)
    if batch is not None:  # the organisation hears once for the whole batch
        validation = replace(validation, requests_by_batch=True)
    for case in touched.values():
        session.refresh(case)
        if validate_case(session=session, case=case, context=validation).alert_operators:
            urgent.append(case.reference)
        record_arrivals(session=session, case=case)
    session.flush()
    for case in cases_covered_by(session=session, documents=stored):
        if case.id not in touched:
            validate_case(session=session, case=case, context=replace(
                validation, requests_by_batch=False))
    return urgent


def _claim(session: Session, submission_id: int) -> Submission | None:
    # FOR UPDATE SKIP LOCKED on PostgreSQL: a second worker skips what the first is processing.
    # SQLite ignores it; there BEGIN IMMEDIATE (storage/db.py) already serialises writers.
    return session.scalar(
        select(Submission)
        .where(Submission.id == submission_id, Submission.status == SubmissionStatus.RECEIVED)
        .with_for_update(skip_locked=True)
    )


def _scan_match(plan: PlannedDocument) -> Match:
    if plan.is_cover_sheet and plan.reference is None:
        return Match(MatchKind.TRIAGE)
    return match_group(plan.reference, plan.form)


def _plan_message(
    blobs: BlobStore, message: ParsedMessage, dpi: int, limits: Limits
) -> list[PlannedDocument]:
    planned = [plan_body(blobs, message)]
    for attachment in expand_archives(message.attachments, planned, blobs):
        try:
            facts = inspect_file(attachment.data, attachment.filename, limits)
            planned.extend(plan_file(blobs, attachment.data, attachment.filename,
                                     facts.file_type, dpi))
        except BadInputError as e:
            # One bad attachment does not sink the message: it is kept, with the reason.
            planned.append(plan_unreadable(blobs, attachment, e.message))
    return planned


def _message_matches(
    message: ParsedMessage, planned: list[PlannedDocument], replied: Case | None
) -> list[Match]:
    # The whole message goes to one case, except groups behind a cover sheet of another case.
    message_match = match_message(message, [p.form for p in planned if p.form],
                                  replied_reference=replied.reference if replied else None)
    return [match_group(p.reference, p.form) if p.reference else message_match for p in planned]


def _apply_match(
    session: Session, match: Match, opened: dict[int, Case]
) -> tuple[Case | None, str | None]:
    if match.kind is MatchKind.EXISTING_CASE:
        assert match.reference is not None
        case = find_case(session=session, reference=match.reference)
        if case is None:
            return None, f"The cover sheet or message names case {match.reference}, which does not exist."
        return case, None
    if match.kind is MatchKind.NEW_CASE:
        if id(match) not in opened:
            opened[id(match)] = _open_case_for(session, match)
        return opened[id(match)], None
    return None, match.triage_reason


def _open_case_for(session: Session, match: Match) -> Case:
    applicant = None
    if match.applicant is not None:
        identity = match.applicant
        applicant = find_or_add_applicant(
            session=session, surname=identity.surname, given_names=identity.given_names,
            nationality=identity.nationality, passport_number=identity.passport_number,
            date_of_birth=identity.date_of_birth, sex=identity.sex, email=identity.email,
            phone=identity.phone,
        )
    case = open_case(session=session, actor=ACTOR, applicant=applicant,
                     application_type=match.application_type, form_fields=match.form)
    case.contact_email = match.contact_email
    return case


def _store_document(
    session: Session, submission: Submission, sequence: int, plan: PlannedDocument,
    case: Case | None, triage_reason: str | None, batch_id: int | None = None,
) -> Document:
    document = Document(
        submission_id=submission.id, sequence=sequence, case_id=case.id if case else None,
        batch_id=batch_id,
        kind=plan.kind, confidence=plan.confidence, filename=plan.filename,
        blob_sha256=plan.blob_sha256, fields=plan.fields or plan.form,
        triage_reason=triage_reason if case is None else None,
    )
    if plan.problem:
        if case is None:
            document.triage_reason = "; ".join(r for r in (triage_reason, plan.problem) if r)
        document.fields = {**(plan.fields or plan.form or {}), "problem": plan.problem}
    session.add(document)
    session.flush()
    for page in plan.pages:
        session.add(Page(document_id=document.id, number=page.number,
                         image_sha256=page.image_sha256, width=page.width, height=page.height,
                         text=page.text, text_source=page.text_source))
    return document
