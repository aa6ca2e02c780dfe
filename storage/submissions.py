"""Submissions: recording what arrived, once per distinct content (unique sha256)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.enums import Channel, SubmissionStatus
from storage.models import Submission, as_utc, utcnow


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


def lease_submission(
    *, session: Session, submission_id: int, worker: str, until: dt.datetime,
    holder_is_gone: Callable[[str], bool],
) -> Submission | None:
    """Lease a received submission to ``worker`` for reading; None if another live worker has
    it. A lease past its time, or held by a worker known to be gone, is taken over."""
    submission = session.get(Submission, submission_id)
    if submission is None or submission.status != SubmissionStatus.RECEIVED:
        return None
    held_by, held_until = submission.leased_by, submission.leased_until
    if held_by and held_by != worker and held_until and as_utc(held_until) > utcnow() \
            and not holder_is_gone(held_by):
        return None
    # compare-and-set: of two workers taking over the same lease, one wins
    taken = session.execute(
        update(Submission)
        .where(Submission.id == submission_id, Submission.status == SubmissionStatus.RECEIVED,
               Submission.leased_by.is_(None) if held_by is None
               else Submission.leased_by == held_by)
        .values(leased_by=worker, leased_until=until)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    return submission if taken == 1 else None


def mark_processed(*, session: Session, submission: Submission, needs_triage: bool) -> None:
    submission.status = SubmissionStatus.PROCESSED
    submission.needs_triage = needs_triage
    submission.processed_at = utcnow()
    submission.leased_by = submission.leased_until = None


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
    submission.leased_by = submission.leased_until = None


def list_submissions(*, session: Session, status: SubmissionStatus | None = None) -> list[Submission]:
    query = select(Submission).order_by(Submission.id)
    if status is not None:
        query = query.where(Submission.status == status)
    return list(session.scalars(query))
