"""Running the office's system: the database, the web app, every deployment, checks, the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import runtime, safe_url
from mailroom.runtime import Runtime


def init() -> None:
    """Create the database or migrate it to the newest schema."""
    from storage.migrate import upgrade_to_head

    current = runtime()
    upgrade_to_head(current.settings.resolved_database_url)
    current.scan_folders().ensure()
    typer.echo(f"database ready: {safe_url(current.settings.resolved_database_url)}")


def serve() -> None:
    """Start a local Prefect server (unless PREFECT_API_URL is set), serve every deployment, and
    the web app on MAILROOM_WEB_HOST:MAILROOM_WEB_PORT."""
    import threading

    from mailroom.serve import run

    current = runtime()
    threading.Thread(target=run_web, args=(current,), daemon=True, name="web").start()
    run(current.settings)


def web() -> None:
    """The reviewer and clerk web app alone (MAILROOM_WEB_HOST, MAILROOM_WEB_PORT; HTTPS with
    MAILROOM_WEB_TLS_CERT and MAILROOM_WEB_TLS_KEY)."""
    run_web(runtime())


def run_web(current: Runtime) -> None:
    import uvicorn

    from web.app import create_app
    from web.server import uvicorn_config

    settings = current.settings
    scheme = "https" if settings.web_tls_cert else "http"
    typer.echo(f"web app: {scheme}://{settings.web_host}:{settings.web_port}/")
    uvicorn.Server(uvicorn_config(create_app(current), settings)).run()


def doctor() -> None:
    """Check tesseract, the database, folders, policy, mailbox, SMTP and courier: exit 0 when
    everything that is configured works (what is not configured is said, not failed)."""
    from mailroom.doctor import run_checks

    checks = run_checks(runtime())
    for check in checks:
        mark = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL", "not configured": "--  "}[check.state]
        typer.echo(f"{mark} {check.part:<17} {check.detail}")
    if any(check.state == "fail" for check in checks):
        raise typer.Exit(1)


def demo(
    directory: Annotated[Path, typer.Option(help="Where the demo keeps its data.")] = Path(
        "mailroom-demo"),
    with_web: Annotated[bool, typer.Option("--web", help="Then add demo staff accounts (their "
                                                          "passwords printed) and start the web "
                                                          "app on the demo data.")] = False,
) -> None:
    """A first run: synthetic sample scans through intake and processing, then the cases."""
    from mailroom.demo import demo_staff, run_demo

    current = run_demo(directory)
    if with_web:
        demo_staff(current)
        run_web(current)
