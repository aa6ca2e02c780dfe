"""Named crash points for the reliability tests.

``crash_point("scan.after_store")`` kills the current process with SIGKILL when the environment
variable ``MAILROOM_CRASH_AT`` names that point: the real seam the kill-mid-run tests use to
prove that nothing is lost or duplicated. In production the variable is unset and this is a no-op.
"""

from __future__ import annotations

import os
import signal

CRASH_POINTS = frozenset(
    {"scan.after_claim", "scan.after_store", "process.after_pages", "email.after_store"}
)


def crash_point(name: str) -> None:
    if name not in CRASH_POINTS:
        raise ValueError(f"unknown crash point {name!r}")
    if os.environ.get("MAILROOM_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
