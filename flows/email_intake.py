"""E-mail intake flow: poll the office mailbox and store every new message."""

from __future__ import annotations

from imapclient.exceptions import IMAPClientError
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.concurrency.sync import concurrency

from flows.limits import ensure_limit, mailbox_limit
from intake.mailbox import MailboxError, MailOutcome, connect, intake_mailbox
from mailroom.runtime import Runtime
from notices.operators import alert_quarantined, flow_failed_hook


def _transient(_task: object, _run: object, state: object) -> bool:
    # Retry only mailbox I/O; a bad message never raises here (it is quarantined instead).
    try:
        state.result()  # type: ignore[attr-defined]
    except (MailboxError, IMAPClientError, OSError):
        return True
    except Exception:
        return False
    return False


@task(name="fetch-mailbox", retries=3, retry_delay_seconds=[10, 30, 90],
      retry_condition_fn=_transient)
def fetch_mailbox() -> list[MailOutcome]:
    # One task per poll (a batch of messages), never one per message: see notes/prefect.md.
    runtime = Runtime.from_environment()
    client = connect(runtime.settings, runtime.session_factory)
    try:
        return intake_mailbox(client=client, settings=runtime.settings, blobs=runtime.blobs,
                              session_factory=runtime.session_factory)
    finally:
        client.logout()


@flow(name="email-intake", on_failure=[flow_failed_hook],
      on_crashed=[flow_failed_hook])
def email_intake() -> dict[str, int]:
    settings = Runtime.from_environment().settings
    ensure_limit(mailbox_limit(settings), 1)
    try:
        # One poller per mailbox across every worker and host: a poll that finds another one
        # running ends at once (the ledger would keep them apart anyway, at the cost of a login).
        with concurrency(mailbox_limit(settings), occupy=1, timeout_seconds=5):
            outcomes = fetch_mailbox()
    except TimeoutError:
        get_run_logger().info("e-mail intake: another poll of this mailbox is running")
        return {"messages": 0, "new": 0, "quarantined": 0, "skipped": 1}
    summary = {
        "messages": len(outcomes),
        "new": sum(o.new for o in outcomes),
        "quarantined": sum(o.status.value == "quarantined" for o in outcomes),
    }
    get_run_logger().info("e-mail intake: %s", summary)
    alert_quarantined(settings, "email", outcomes)  # ids only
    create_table_artifact(key="email-intake-summary", table=[summary],
                          description="Counts only: no names, addresses or subjects.")
    return summary
