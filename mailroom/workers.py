"""Who is doing a piece of work: "host:pid", and whether that worker is known to be gone.

Claims and leases record their worker, so a process that died (SIGKILL, a power cut of a
container) is noticed at once by the next run on the same host instead of after a timeout.
"""

from __future__ import annotations

import os
import socket


def current_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"  # at call time: a forked child is itself


def is_gone(worker: str) -> bool:
    """A worker on this host whose process no longer exists (another host's: not known)."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, under another user
    return False
