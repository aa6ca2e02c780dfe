"""Outbox flow: send the e-mails processing queued (acknowledgements), retrying failures."""

from __future__ import annotations

from prefect import flow, get_run_logger, task

from mailroom.runtime import Runtime
from notices.operators import flow_failed_hook
from notices.sender import SendReport, send_outbox


@task(name="send-outbox")
def send_pending() -> SendReport:
    runtime = Runtime.from_environment()
    return send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                       blobs=runtime.blobs)


@flow(name="send-outbox", on_failure=[flow_failed_hook],
      on_crashed=[flow_failed_hook])
def send_outbox_flow() -> dict[str, int]:
    report = send_pending()
    summary = {"sent": report.sent, "retrying": report.retrying, "failed": report.failed}
    get_run_logger().info("outbox: %s", summary)  # counts only: no addresses
    return summary
