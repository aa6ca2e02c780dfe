"""Processing flow: turn received submissions into documents, pages and cases."""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact

from mailroom.runtime import Runtime
from notices.operators import flow_failed_hook
from processing.queue import pending_ids, process_one
from processing.submission import ProcessOutcome


@task(name="process-submission")
def process_submission_task(submission_id: int) -> ProcessOutcome:
    # One task per submission: coarse enough for Prefect's ~30 task runs/s, fine enough to retry.
    return process_one(Runtime.from_environment(), submission_id)


@flow(name="process-submissions", on_failure=[flow_failed_hook],
      on_crashed=[flow_failed_hook])
def process_submissions(limit: int = 200) -> dict[str, int]:
    ids = pending_ids(Runtime.from_environment(), limit)
    outcomes = [process_submission_task(submission_id) for submission_id in ids]
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
