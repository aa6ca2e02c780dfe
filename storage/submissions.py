"""Submissions: recording what arrived, once per distinct content (unique sha256)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.enums import Channel, SubmissionStatus
from storage.models import Submission, utcnow


@dataclass(frozen=True)
class RecordedSubmission:
    submission: Submission
    created: bool  # False when the same bytes had arrived before


def record_submission(
    *,
    session: Session,
    channel: Channel,
    source: str,
    filename: str,
    sha256: str,
    size: int,
    media_type: str | None,
    quarantine: tuple[str, str] | None = None,
) -> RecordedSubmission:
    """Insert a submission row for stored bytes, or return the one that already has them.

    ``quarantine`` is ``(reason_code, reason)`` for a file refused at intake. The unique sha256
    constraint decides races between workers: the loser's insert fails and it reads the winner's.
    """
    existing = find_by_sha256(session=session, sha256=sha256)
    if existing is not None:
        return RecordedSubmission(existing, created=False)
    submission = Submission(
        channel=channel,
        source=source,
        filename=filename,
        sha256=sha256,
        size=size,
        media_type=media_type,
        status=SubmissionStatus.QUARANTINED if quarantine else SubmissionStatus.RECEIVED,
        reason_code=quarantine[0] if quarantine else None,
        reason=quarantine[1] if quarantine else None,
    )
    try:
        with session.begin_nested():
            session.add(submission)
    except IntegrityError:
        existing = find_by_sha256(session=session, sha256=sha256)
        if existing is None:
            raise
        return RecordedSubmission(existing, created=False)
    return RecordedSubmission(submission, created=True)


def find_by_sha256(*, session: Session, sha256: str) -> Submission | None:
    return session.scalar(select(Submission).where(Submission.sha256 == sha256))


def pending_submission_ids(*, session: Session, limit: int | None = None) -> list[int]:
    query = (
        select(Submission.id)
        .where(Submission.status == SubmissionStatus.RECEIVED)
        .order_by(Submission.id)
    )
    if limit:
        query = query.limit(limit)
    return list(session.scalars(query))


def mark_processed(*, session: Session, submission: Submission, needs_triage: bool) -> None:
    submission.status = SubmissionStatus.PROCESSED
    submission.needs_triage = needs_triage
    submission.processed_at = utcnow()


def mark_failed(
    *,
    session: Session,
    submission: Submission,
    status: SubmissionStatus,
    reason_code: str,
    reason: str,
) -> None:
    submission.status = status
    submission.reason_code = reason_code
    submission.reason = reason
    submission.processed_at = utcnow()


def list_submissions(*, session: Session, status: SubmissionStatus | None = None) -> list[Submission]:
    query = select(Submission).order_by(Submission.id)
    if status is not None:
        query = query.where(Submission.status == status)
    return list(session.scalars(query))
