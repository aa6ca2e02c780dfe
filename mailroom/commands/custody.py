"""Where each passport is, step by step."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import runtime as _runtime
from mailroom.commands.common import sub_app
from storage.cases import get_case

app = sub_app("Where each passport is, step by step.")


@app.command("record")
def custody_record(
    reference: str,
    step: Annotated[str, typer.Argument(help="received, stored, taken_for_review, "
                                             "returned_to_store, returned_to_office")],
    location: Annotated[str | None, typer.Option(help="e.g. the safe and shelf.")] = None,
    actor: Annotated[str, typer.Option(help="Who did it.")] = "clerk",
) -> None:
    """Record where a passport is now."""
    from shipping.service import ShippingError, record_custody

    if step in ("dispatched", "delivered"):
        raise ShippingError(f"'{step}' is recorded by `mailroom shipping` and tracking, not by hand.")
    from processing.validation import validate_case

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        record_custody(session=session, case=case, step=step, actor=actor, location=location)
        if step == "received":  # the original has arrived: the checklist says so now
            session.flush()
            validate_case(session=session, case=case, context=runtime.validation())
    typer.echo(f"{reference}: {step}")


@app.command("export")
def custody_export(
    reference: Annotated[str | None, typer.Argument(help="One case (default: all).")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """Every custody step as CSV (to stdout or a file)."""
    from shipping.service import custody_csv

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference) if reference else None
        text = custody_csv(session=session, case=case)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=False)
