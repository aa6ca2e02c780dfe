"""``mailroom serve``: a local Prefect server (unless PREFECT_API_URL names one) and every
deployment served from this one process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from mailroom.config import Settings
from mailroom.errors import ConfigurationError

SERVER_START_TIMEOUT = 90


def prefect_environment(settings: Settings) -> None:
    """Defaults for Prefect on an office machine: no telemetry, its home in our data folder."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(settings.data_dir / "prefect"))


def start_local_server(settings: Settings, port: int = 4200) -> subprocess.Popen[bytes]:
    log_path = settings.data_dir / "prefect-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    prefect = Path(sys.executable).with_name("prefect")
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigurationError(f"The Prefect server stopped at start; see {log_path}.")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    os.environ["PREFECT_API_URL"] = api
                    return process
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    process.terminate()
    raise ConfigurationError(f"The Prefect server did not answer within {SERVER_START_TIMEOUT} s.")


def run(settings: Settings) -> None:
    prefect_environment(settings)
    server = None if os.environ.get("PREFECT_API_URL") else start_local_server(settings)
    if server is not None:
        print(f"Prefect UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
    from flows.deployments import serve_all

    try:
        serve_all(
            interval_seconds=settings.poll_interval_seconds,
            limit=settings.serve_limit,
            with_mailbox=bool(settings.imap_host),  # no mailbox configured: nothing to poll
            with_smtp=bool(settings.smtp_host and settings.smtp_from),
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
