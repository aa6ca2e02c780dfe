"""Every deployment, served from one process by ``mailroom serve`` (with a concurrency limit)."""

from __future__ import annotations

from prefect import serve
from prefect.schedules import Cron

from flows.email_intake import email_intake
from flows.process_submissions import process_submissions
from flows.reminders import reminders
from flows.scan_intake import scan_intake
from flows.send_outbox import send_outbox_flow
from flows.shipping_tracking import shipping_tracking


def serve_all(
    *, interval_seconds: int, limit: int, with_mailbox: bool, with_smtp: bool
) -> None:
    # One run of each at a time: a poll that overlaps the previous one is not started at all
    # (one poller per mailbox, as in prefect.yaml).
    every = {"interval": interval_seconds, "concurrency_limit": 1}
    serve(
        scan_intake.to_deployment(name="scan-intake", **every),
        *(
            [email_intake.to_deployment(name="email-intake", **every)]
            if with_mailbox else []
        ),
        *(
            [send_outbox_flow.to_deployment(name="send-outbox", **every)]
            if with_smtp else []
        ),
        process_submissions.to_deployment(name="process-submissions", **every),
        shipping_tracking.to_deployment(name="shipping-tracking", interval=3600,
                                        concurrency_limit=1),
        reminders.to_deployment(name="reminders", concurrency_limit=1,
                                schedules=[Cron("0 8 * * *", timezone="Asia/Shanghai")]),
        limit=limit,  # without a cap a backlog after downtime starts one process per run
        pause_on_shutdown=False,
    )
