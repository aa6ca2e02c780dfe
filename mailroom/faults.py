"""Named crash points for the reliability tests.

``crash_point("scan.after_store")`` kills the current process with SIGKILL when the environment
variable ``MAILROOM_CRASH_AT`` names that point: the real seam the kill-mid-run tests use to
prove that nothing is lost or duplicated. In production the variable is unset and this is a no-op.
"""

from __future__ import annotations

import os
import signal

CRASH_POINTS = frozenset(
    {
        "scan.after_claim",  # the file renamed into processing/, nothing stored yet
        "scan.after_store",  # blob and submission committed, the file not yet moved out
        "email.after_claim",  # ledger rows committed, nothing fetched
        "email.after_store",  # a batch stored and committed, not yet moved out of the inbox
        "email.after_move",  # moved to Processed, the ledger not yet marked acknowledged
        "process.after_pages",  # pages rendered and read, inside the submission's transaction
        "process.before_commit",  # documents, cases and letters written, not yet committed
        "outbox.after_send",  # a letter accepted by the SMTP server, not yet marked sent
    }
)


def crash_point(name: str) -> None:
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if os.environ.get("MAILROOM_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
