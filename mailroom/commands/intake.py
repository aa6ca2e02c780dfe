"""Taking submissions in (scan folder, mailbox) and processing them into cases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from mailroom.commands.common import (
    JsonOption,
    OnceOption,
    print_json,
    progress,
    repeat,
    runtime,
    sub_app,
)

app = sub_app("Take in submissions from their sources.")


@app.command("scans")
def intake_scans_command(
    scan_dir: Annotated[Path | None, typer.Argument(help="Scan folder (default: settings).")] = None,
    once: OnceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Take complete files from the scan drop folder into storage."""
    from intake.scans import intake_scans

    current = runtime()

    def one_pass() -> None:
        outcomes = intake_scans(
            folders=current.scan_folders(scan_dir),
            blobs=current.blobs,
            session_factory=current.session_factory,
            settle_seconds=current.settings.scan_settle_seconds,
            limits=current.limits,
        )
        _print_intake(
            [{"file": o.filename, "submission_id": o.submission_id, "new": o.new,
              "status": o.status.value, "reason": o.reason, "moved_to": str(o.moved_to)}
             for o in outcomes],
            json_output, label=lambda row: row["file"],
        )

    repeat(current, once, one_pass)


@app.command("email")
def intake_email_command(once: OnceOption = False, json_output: JsonOption = False) -> None:
    """Fetch new messages from the IMAP mailbox into storage (settings MAILROOM_IMAP_*)."""
    from intake.mailbox import connect, intake_mailbox

    current = runtime()

    def one_pass() -> None:
        client = connect(current.settings, current.session_factory)
        try:
            outcomes = intake_mailbox(client=client, settings=current.settings,
                                      blobs=current.blobs, session_factory=current.session_factory)
        finally:
            client.logout()
        _print_intake(
            [{"uid": o.uid, "submission_id": o.submission_id, "new": o.new,
              "status": o.status.value, "reason": o.reason} for o in outcomes],
            json_output, label=lambda row: f"UID {row['uid']}",
        )

    repeat(current, once, one_pass)


def process(
    once: OnceOption = False,
    limit: Annotated[int | None, typer.Option(help="At most this many submissions.")] = None,
) -> None:
    """Process received submissions into documents, pages and cases."""
    from processing.queue import pending_ids, process_each

    current = runtime()

    def one_pass() -> None:
        lines = []
        ids = pending_ids(current, limit)
        with progress(process_each(current, ids), "processing", length=len(ids)) as outcomes:
            for outcome in outcomes:
                if outcome.skipped:
                    continue
                where = ", ".join(outcome.case_references) or "no case"
                triage = " (to triage)" if outcome.needs_triage else ""
                lines.append(f"submission {outcome.submission_id}: {outcome.documents} "
                             f"document(s) -> {where}{triage}")
        for line in lines:
            typer.echo(line)

    repeat(current, once, one_pass)


def _print_intake(
    rows: list[dict[str, Any]], json_output: bool, label: Callable[[dict[str, Any]], str]
) -> None:
    if json_output:
        print_json(rows)
        return
    for row in rows:
        note = "" if row["new"] else " (seen before)"
        reason = f": {row['reason']}" if row["reason"] else ""
        typer.echo(f"{label(row)} -> submission {row['submission_id']} {row['status']}{note}{reason}")
