"""Work through the received submissions, one transaction each.

The one place where a processing failure becomes a submission status: a ``BadInputError``
quarantines the submission with its clerk-readable message; anything unexpected marks it
``failed`` with the error's type and text (and the traceback goes to the log), so one bad file
never stops the rest of the backlog.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import InterfaceError, OperationalError

from mailroom.errors import BadInputError, StorageUnavailableError
from mailroom.runtime import Runtime
from processing.submission import ProcessOutcome, process_submission
from storage.enums import SubmissionStatus
from storage.models import Submission
from storage.submissions import mark_failed, pending_submission_ids

log = logging.getLogger(__name__)


def pending_ids(runtime: Runtime, limit: int | None = None) -> list[int]:
    with runtime.session_factory.begin() as session:
        return pending_submission_ids(session=session, limit=limit)


def process_one(runtime: Runtime, submission_id: int) -> ProcessOutcome:
    try:
        with runtime.session_factory.begin() as session:
            return process_submission(
                session=session,
                blobs=runtime.blobs,
                submission_id=submission_id,
                dpi=runtime.settings.page_image_dpi,
                limits=runtime.limits,
                notices=runtime.notices,
                validation=runtime.validation(),
            )
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


def process_pending(runtime: Runtime, limit: int | None = None) -> list[ProcessOutcome]:
    return [process_one(runtime, submission_id) for submission_id in pending_ids(runtime, limit)]
