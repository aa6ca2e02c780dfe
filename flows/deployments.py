"""Every deployment, served from one process by ``mailroom serve`` (with a concurrency limit)."""

from __future__ import annotations

from prefect import serve

from flows.email_intake import email_intake
from flows.process_submissions import process_submissions
from flows.scan_intake import scan_intake
from flows.send_outbox import send_outbox_flow


def serve_all(
    *, interval_seconds: int, limit: int, with_mailbox: bool, with_smtp: bool
) -> None:
    serve(
        scan_intake.to_deployment(name="scan-intake", interval=interval_seconds),
        *(
            [email_intake.to_deployment(name="email-intake", interval=interval_seconds)]
            if with_mailbox else []
        ),
        *(
            [send_outbox_flow.to_deployment(name="send-outbox", interval=interval_seconds)]
            if with_smtp else []
        ),
        process_submissions.to_deployment(name="process-submissions", interval=interval_seconds),
        limit=limit,  # without a cap a backlog after downtime starts one process per run
        pause_on_shutdown=False,
    )
