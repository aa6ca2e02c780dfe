"""E-mail intake flow: poll the office mailbox and store every new message."""

from __future__ import annotations

from imapclient.exceptions import IMAPClientError
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact

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
    outcomes = fetch_mailbox()
    summary = {
        "messages": len(outcomes),
        "new": sum(o.new for o in outcomes),
        "quarantined": sum(o.status.value == "quarantined" for o in outcomes),
    }
    get_run_logger().info("e-mail intake: %s", summary)
    alert_quarantined(Runtime.from_environment().settings, "email", outcomes)  # ids only
    create_table_artifact(key="email-intake-summary", table=[summary],
                          description="Counts only: no names, addresses or subjects.")
    return summary
