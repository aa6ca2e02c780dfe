"""``mailroom serve``: a local Prefect server (unless PREFECT_API_URL names one) and every
deployment served from this one process."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from mailroom.config import Settings
from mailroom.errors import ConfigurationError

SERVER_START_TIMEOUT = 90
SERVER_STOP_TIMEOUT = 30


def prefect_environment(settings: Settings) -> None:
    """Defaults for Prefect on an office machine: no telemetry, its home in our data folder."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(settings.data_dir / "prefect"))


def start_local_server(settings: Settings) -> subprocess.Popen[bytes]:
    port = settings.prefect_port
    log_path = settings.data_dir / "prefect-server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    prefect = Path(sys.executable).with_name("prefect")
    # its own process group: stopped as a whole (with whatever it started) when we stop
    process = subprocess.Popen(
        [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_healthy(process, f"http://127.0.0.1:{port}/api", log_path)
    except BaseException:  # not answering, or Ctrl-C while it starts: never leave it behind
        stop_local_server(process)
        raise
    return process


def _wait_until_healthy(process: subprocess.Popen[bytes], api: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ConfigurationError(f"The Prefect server stopped at start; see {log_path}.")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    os.environ["PREFECT_API_URL"] = api
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(1)
    raise ConfigurationError(f"The Prefect server did not answer within {SERVER_START_TIMEOUT} s.")


def stop_local_server(process: subprocess.Popen[bytes]) -> None:
    """The server and every process it started: asked to stop, then made to."""
    for sig, wait in ((signal.SIGTERM, SERVER_STOP_TIMEOUT), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _stop_on_interrupts() -> None:
    # A service manager stops us with SIGTERM: unwind as for Ctrl-C, so `finally` stops the server.
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    # Ctrl-C (SIGINT) too, even where we were started with it ignored: a shell script's
    # background job (`mailroom serve &`) and a test runner's worker hand SIGINT down ignored,
    # and Python then never turns it into KeyboardInterrupt
    signal.signal(signal.SIGINT, signal.default_int_handler)


def run(settings: Settings) -> None:
    prefect_environment(settings)
    _stop_on_interrupts()
    server = None
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = start_local_server(settings)
            print(f"Prefect UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
        from flows.deployments import serve_all

        serve_all(
            interval_seconds=settings.poll_interval_seconds,
            limit=settings.serve_limit,
            with_mailbox=bool(settings.imap_host),  # no mailbox configured: nothing to poll
            with_smtp=bool(settings.smtp_host and settings.smtp_from),
        )
    except KeyboardInterrupt:
        print("stopping: the deployments, then the Prefect server", flush=True)
    finally:
        if server is not None:
            started = time.monotonic()
            stop_local_server(server)
            # an operator (and a test's log) sees where a slow stop spent its time
            print(f"Prefect server stopped in {time.monotonic() - started:.0f} s", flush=True)
