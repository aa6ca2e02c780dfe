"""Organisations' batches: the cases each opened, the lists it holds and what names no one."""

from __future__ import annotations

import typer

from mailroom.commands.common import JsonOption, print_json, runtime, sub_app

app = sub_app("Look at organisations' batches (one submission applying for many).")


@app.command("list")
def batches_list(json_output: JsonOption = False) -> None:
    """Every batch, newest first: organisation, contact, cases and documents waiting for a clerk."""
    from sqlalchemy import select

    from storage.models import Batch
    from storage.views import batch_view

    with runtime().session_factory.begin() as session:
        rows = [batch_view(b) for b in session.scalars(select(Batch).order_by(Batch.id.desc()))]
    if json_output:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"batch {row['id']}  {row['organization'] or '-'}  {len(row['cases'])} case(s)"
                   f"  {len(row['names_no_one'])} waiting for a clerk")


@app.command("show")
def batches_show(batch_id: int, json_output: JsonOption = False) -> None:
    """One batch: each case and what it lacks, the lists it holds, what names no one."""
    from mailroom.errors import NotFoundError
    from storage.models import Batch
    from storage.views import batch_view

    with runtime().session_factory.begin() as session:
        batch = session.get(Batch, batch_id)
        if batch is None:
            raise NotFoundError(f"There is no batch {batch_id}.")
        view = batch_view(batch)
    if json_output:
        print_json(view)
        return
    typer.echo(f"batch {view['id']}  {view['organization'] or '-'}  {view['contact_email'] or ''}")
    for case in view["cases"]:
        lacking = ", ".join(case["missing"]) or "nothing missing"
        typer.echo(f"  {case['reference']}  {case['status']:<16} {case['applicant'] or '?'}: "
                   f"{lacking}")
    for listing in view["lists"]:
        typer.echo(f"  list {listing['filename']}: {listing['people']} people, "
                   f"{len(listing['unread_rows'])} row(s) unread")
    for document in view["names_no_one"]:
        typer.echo(f"  document {document['document_id']} {document['filename']}: "
                   f"{document['reason']}")
