"""Work through the received submissions: read several at once, store them one by one.

A submission is leased to this worker ("host:pid", for ``processing_lease_minutes``) and read
outside any transaction, the slow part (render, OCR), on a pool of ``processing_workers``
threads; tesseract itself is bounded to one process per core (extractors/tesseract.py). Each
reading is then stored in its own transaction, in the order of arrival and one at a time, so
matching a reply to the case an earlier submission opened never races. Another worker (another
process or host) skips what is leased; a lease whose worker died is taken over at once on the
same host, or when it runs out elsewhere.

The one place where a processing failure becomes a submission status: a ``BadInputError``
quarantines the submission with its clerk-readable message; anything unexpected marks it
``failed`` with the error's type and text (and the traceback goes to the log), so one bad file
never stops the rest of the backlog. A database or blob store that cannot be used stops the
run instead (``StorageUnavailableError``): that is not the submission's fault.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy.exc import InterfaceError, OperationalError

from mailroom.errors import BadInputError, StorageUnavailableError
from mailroom.runtime import Runtime
from mailroom.workers import current_worker, is_gone
from notices.operators import alert
from processing.submission import (
    ProcessOutcome,
    SubmissionReading,
    process_submission,
    read_submission,
)
from storage.enums import SubmissionStatus
from storage.models import Submission, utcnow
from storage.submissions import lease_submission, mark_failed, pending_submission_ids

log = logging.getLogger(__name__)
_storing = threading.Lock()  # one store at a time in this process, in the order of arrival


@dataclass(frozen=True)
class _Read:
    submission_id: int
    reading: SubmissionReading | None = None  # None: leased elsewhere or no longer received
    refusal: BadInputError | None = None


def pending_ids(runtime: Runtime, limit: int | None = None) -> list[int]:
    with runtime.session_factory.begin() as session:
        return pending_submission_ids(session=session, limit=limit)


def process_one(runtime: Runtime, submission_id: int) -> ProcessOutcome:
    return _guarded(runtime, submission_id, lambda: _store(runtime, _lease_and_read(
        runtime, submission_id)))


def process_each(runtime: Runtime, submission_ids: list[int]) -> Iterator[ProcessOutcome]:
    """Outcomes in the order of ``submission_ids``; the next ones are read meanwhile."""
    workers = runtime.settings.processing_workers
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="read") as pool:
        readings = pool.map(
            lambda submission_id: _guarded_read(runtime, submission_id), submission_ids)
        for submission_id, read in zip(submission_ids, readings, strict=True):
            yield _guarded(runtime, submission_id, lambda read=read: _store(runtime, read))


def process_pending(runtime: Runtime, limit: int | None = None) -> list[ProcessOutcome]:
    return list(process_each(runtime, pending_ids(runtime, limit)))


def _guarded_read(runtime: Runtime, submission_id: int) -> _Read | BaseException:
    try:
        return _lease_and_read(runtime, submission_id)
    except Exception as e:  # handed to the storing side, which decides what it means
        return e


def _lease_and_read(runtime: Runtime, submission_id: int) -> _Read:
    until = utcnow() + dt.timedelta(minutes=runtime.settings.processing_lease_minutes)
    with runtime.session_factory.begin() as session:
        submission = lease_submission(session=session, submission_id=submission_id,
                                      worker=current_worker(), until=until, holder_is_gone=is_gone)
        if submission is None:
            return _Read(submission_id)
        sha256, media_type, filename = submission.sha256, submission.media_type, submission.filename
    try:
        return _Read(submission_id, read_submission(
            blobs=runtime.blobs, sha256=sha256, media_type=media_type, filename=filename,
            dpi=runtime.settings.page_image_dpi, limits=runtime.limits))
    except BadInputError as e:
        return _Read(submission_id, refusal=e)


def _store(runtime: Runtime, read: _Read | BaseException) -> ProcessOutcome:
    if isinstance(read, BaseException):
        raise read
    if read.refusal is not None:
        raise read.refusal
    if read.reading is None:
        return ProcessOutcome(read.submission_id, skipped=True)
    with _storing, runtime.session_factory.begin() as session:
        outcome = process_submission(
            session=session, blobs=runtime.blobs, submission_id=read.submission_id,
            dpi=runtime.settings.page_image_dpi, limits=runtime.limits,
            notices=runtime.notices, validation=runtime.validation(), reading=read.reading,
        )
    if outcome.urgent_cases:  # committed: the 24-hour clock runs, the operators hear now
        alert(runtime.settings, "urgent_case", cases=outcome.urgent_cases)
    return outcome


def _guarded(runtime: Runtime, submission_id: int, work: object) -> ProcessOutcome:
    try:
        return work()  # type: ignore[operator, no-any-return]
    except BadInputError as e:
        _record_failure(runtime, submission_id, SubmissionStatus.QUARANTINED, e.reason, e.message)
    except StorageUnavailableError:
        raise  # not this submission's fault: the run stops and the submission stays received
    except (OperationalError, InterfaceError) as e:
        raise StorageUnavailableError(
            f"The database cannot be reached ({str(e.orig or e).splitlines()[0]}). Nothing was "
            "lost: the submission being processed was rolled back and the next run takes it "
            "again.") from e
    except Exception as e:  # the outermost boundary for one submission: record, log, go on
        log.exception("processing submission %s failed", submission_id)
        _record_failure(
            runtime, submission_id, SubmissionStatus.FAILED, "internal_error",
            f"Processing failed unexpectedly ({type(e).__name__}: {e}). An operator can "
            "retry it after the cause is fixed.",
        )
    return ProcessOutcome(submission_id, skipped=True)


def _record_failure(
    runtime: Runtime, submission_id: int, status: SubmissionStatus, code: str, reason: str
) -> None:
    with runtime.session_factory.begin() as session:
        submission = session.get(Submission, submission_id)
        if submission is not None and submission.status == SubmissionStatus.RECEIVED:
            mark_failed(
                session=session, submission=submission, status=status,
                reason_code=str(code), reason=reason,
            )
