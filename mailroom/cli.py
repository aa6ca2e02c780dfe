"""The ``mailroom`` command. JSON output is the stable contract documented in the README.

Every command runs the same package functions the Prefect flows call, in-process, so the CLI is
fast and needs no Prefect server; ``mailroom serve`` runs them as scheduled deployments. The
commands live in ``mailroom/commands/``, one module per thing they act on.
"""

from __future__ import annotations

import logging
import sys

import typer

from mailroom.commands import (
    batches,
    cases,
    custody,
    documents,
    intake,
    letters,
    running,
    shipping,
    submissions,
    users,
)
from mailroom.errors import MailroomError, StorageUnavailableError

app = typer.Typer(
    help="mailroom: e-mail and postal applications to validated cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(intake.app, name="intake")
app.add_typer(cases.app, name="cases")
app.add_typer(batches.app, name="batches")
app.add_typer(submissions.app, name="submissions")
app.add_typer(letters.outbox_app, name="outbox")
app.add_typer(letters.letters_app, name="letters")
app.add_typer(shipping.app, name="shipping")
app.add_typer(custody.app, name="custody")
app.add_typer(users.app, name="users")
app.command()(running.init)
app.command()(intake.process)
app.command()(letters.reminders)
app.command("cover-sheet")(cases.cover_sheet)
app.command()(documents.extract)
app.command()(documents.form)
app.command()(running.serve)
app.command()(running.web)
app.command()(running.doctor)
app.command()(running.demo)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files get our own message
    try:
        app()
    except MailroomError as e:
        typer.echo(f"error: {e.message}", err=True)
        sys.exit(e.exit_code)
    except Exception as e:  # the outermost boundary: one line for the user, details in the log
        from sqlalchemy.exc import OperationalError

        if isinstance(e, OperationalError):
            typer.echo("error: the database cannot be used: "
                       f"{str(e.orig).splitlines()[0] if e.orig else e}. "
                       "Run `mailroom init` first, or check MAILROOM_DATABASE_URL. Nothing "
                       "was lost: run again when it works.", err=True)
            sys.exit(StorageUnavailableError.exit_code)
        logging.getLogger("mailroom").debug("unexpected error", exc_info=True)
        typer.echo(f"error: unexpected {type(e).__name__}: {e}", err=True)
        sys.exit(70)


if __name__ == "__main__":
    main()
