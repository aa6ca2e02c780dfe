"""What the office sends: the outbox of e-mails, and the daily round of reminders."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import OnceOption, parse_date, repeat, runtime, sub_app

outbox_app = sub_app("E-mails the office sends.")
letters_app = sub_app("Letters the office sends by post.")


@outbox_app.command("send")
def outbox_send(once: OnceOption = False) -> None:
    """Send pending e-mails (acknowledgements) over SMTP; failures stay pending and retry."""
    from notices.sender import send_outbox

    current = runtime()

    def one_pass() -> None:
        report = send_outbox(settings=current.settings, session_factory=current.session_factory,
                             blobs=current.blobs)
        typer.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")

    repeat(current, once, one_pass)


def reminders() -> None:
    """The daily round: remind promises falling due, flag broken ones, remind expiring permits,
    recompute provisional deadlines. Safe to run more than once a day."""
    from processing.reminders import run_reminders

    current = runtime()
    with current.session_factory.begin() as session:
        report = run_reminders(session=session, context=current.validation())
    typer.echo(f"promise reminders {report.promise_reminders}, broken promises flagged "
               f"{report.promises_broken}, expiry reminders {report.expiry_reminders}, "
               f"deadlines recomputed {report.deadlines_recomputed}")


@letters_app.command("print")
def letters_print(
    day: Annotated[str, typer.Argument(help="The day, YYYY-MM-DD.")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Every letter due by post that day (requests for materials, receipts, decisions) in one
    PDF with window-envelope address blocks; each is recorded as sent by post on its case."""
    from notices.print_batch import print_day

    date = parse_date(day)
    current = runtime()
    count, pdf = print_day(current, date)
    target = output or Path(f"letters-{date.isoformat()}.pdf")
    target.write_bytes(pdf)
    typer.echo(f"{count} letter(s) by post: {target}")
