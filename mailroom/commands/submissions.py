"""Submissions: every file and message taken in, and what became of it."""

from __future__ import annotations

from typing import Annotated

import typer

from mailroom.commands.common import JsonOption, enum_value, print_json, runtime, sub_app

app = sub_app("Look at submissions.")


@app.command("list")
def submissions_list(
    status: Annotated[str | None, typer.Option(help="received|processed|quarantined|failed")] = None,
    json_output: JsonOption = False,
) -> None:
    """Every submission and what became of it."""
    from storage.enums import SubmissionStatus
    from storage.submissions import list_submissions
    from storage.views import submission_view

    wanted = enum_value(SubmissionStatus, status)
    with runtime().session_factory.begin() as session:
        rows = [submission_view(s) for s in list_submissions(session=session, status=wanted)]
    if json_output:
        print_json(rows)
        return
    for row in rows:
        target = row["case_reference"] or ("triage" if row["needs_triage"] else "-")
        reason = f"  {row['reason']}" if row["reason"] else ""
        typer.echo(f"{row['id']:>5}  {row['channel']:<6} {row['status']:<12} {target:<15} "
                   f"{row['source']}{reason}")
