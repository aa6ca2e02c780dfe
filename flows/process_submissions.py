"""Processing flow: turn received submissions into documents, pages and cases."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.concurrency.sync import concurrency

from flows.limits import OCR_LIMIT, ensure_limit
from flows.task_runners import check_task_runner, processing_task_runner
from mailroom.runtime import Runtime
from notices.operators import flow_failed_hook
from processing.queue import pending_ids, process_one
from processing.submission import ProcessOutcome


@task(name="process-submission")
def process_submission_task(submission_id: int) -> ProcessOutcome:
    # One task per submission: coarse enough for Prefect's ~30 task runs/s, fine enough to retry.
    # The slot bounds OCR across every worker; two runs never take the same submission (it is
    # leased to one worker while read, then stored under FOR UPDATE SKIP LOCKED).
    with concurrency(OCR_LIMIT, occupy=1):
        return process_one(Runtime.from_environment(), submission_id)


@flow(name="process-submissions", task_runner=processing_task_runner(),
      on_failure=[flow_failed_hook], on_crashed=[flow_failed_hook])
def process_submissions(limit: int = 200) -> dict[str, int]:
    runtime = Runtime.from_environment()
    check_task_runner(runtime.settings)
    ensure_limit(OCR_LIMIT, runtime.settings.ocr_concurrency)
    ids = pending_ids(runtime, limit)
    outcomes = process_submission_task.map(ids).result()
    summary = {
        "submissions": len(outcomes),
        "documents": sum(o.documents for o in outcomes),
        "to_triage": sum(o.needs_triage for o in outcomes),
    }
    get_run_logger().info("processing: %s", summary)
    create_table_artifact(
        key="process-submissions-summary",
        table=[{"submission": o.submission_id, "documents": o.documents,
                "cases": len(o.case_references), "triage": o.needs_triage} for o in outcomes],
        description=f"Processing: {summary}",
    )
    return summary
