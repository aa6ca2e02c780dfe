"""What every command shares: options, the runtime, JSON output, polling and progress bars."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections.abc import Callable, Iterable
from typing import Annotated, Any

import typer

from mailroom.errors import BadInputError, MailroomError
from mailroom.runtime import Runtime

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the stable contract).")]
OnceOption = Annotated[bool, typer.Option("--once", help="One pass, then exit.")]


def sub_app(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True)


def runtime() -> Runtime:
    return Runtime.from_environment()


def parse_date(value: str) -> dt.date:
    """A date the user typed (YYYY-MM-DD), or a clear error."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise BadInputError(f"{value!r} is not a date (YYYY-MM-DD).") from e


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


def repeat(runtime: Runtime, once: bool, one_pass: Callable[[], None]) -> None:
    """Run ``one_pass`` once, or forever every MAILROOM_POLL_INTERVAL_SECONDS."""
    while True:
        one_pass()
        if once:
            return
        time.sleep(runtime.settings.poll_interval_seconds)


def progress(items: Iterable[Any], label: str, length: int | None = None) -> Any:
    """A progress bar on a terminal for a long run (a backlog, a re-validation); silent when the
    output is a pipe or a file, so scripts and JSON consumers see only the results."""
    return typer.progressbar(items, length=length, label=label, file=sys.stderr,
                             hidden=not sys.stderr.isatty())


def enum_value(enum_cls: Any, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise MailroomError(f"Unknown status {value!r}; choose one of: {choices}.") from None


def safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
