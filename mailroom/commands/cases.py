"""Cases: list, show, validate again, decide, recognise an urgent matter, record what was
granted; and the cover sheet that files a posted batch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import (
    JsonOption,
    enum_value,
    parse_date,
    print_json,
    progress,
    runtime,
    sub_app,
)
from storage.cases import get_case

app = sub_app("Look at cases.")


@app.command("list")
def cases_list(
    status: Annotated[str | None, typer.Option(help="Only cases in this status.")] = None,
    json_output: JsonOption = False,
) -> None:
    """All cases with applicant, type, status, priority and due date."""
    from storage.cases import list_cases
    from storage.enums import CaseStatus
    from storage.views import case_view

    wanted = enum_value(CaseStatus, status)
    with runtime().session_factory.begin() as session:
        rows = [case_view(c, with_documents=False) for c in list_cases(session=session, status=wanted)]
    if json_output:
        print_json(rows)
        return
    for row in rows:
        applicant = row["applicant"]
        name = f"{applicant['surname'] or '?'}, {applicant['given_names'] or '?'}"
        typer.echo(f"{row['reference']}  {row['status']:<16} {row['application_type'] or '-':<24} "
                   f"{name}")


@app.command("show")
def cases_show(reference: str, json_output: JsonOption = False) -> None:
    """One case: applicant, checklist, flags, documents, shipments."""
    from storage.cases import get_case
    from storage.views import case_view

    with runtime().session_factory.begin() as session:
        view = case_view(get_case(session=session, reference=reference))
    if json_output:
        print_json(view)
        return
    applicant = view["applicant"]
    typer.echo(f"{view['reference']}  {view['status']}  {view['application_type'] or '-'}")
    typer.echo(f"applicant: {applicant['surname']}, {applicant['given_names']} "
               f"({applicant['nationality']}) passport {applicant['passport_number']}")
    for document in view["documents"]:
        typer.echo(f"  document {document['id']}: {document['kind']} {document['filename']} "
                   f"({document['pages']} page(s))")


@app.command("revalidate")
def cases_revalidate(
    reference: Annotated[str | None, typer.Argument(help="One case (default: every open one).")]
    = None,
) -> None:
    """Run validation again, e.g. after the office changed its policy or holiday schedules."""
    from sqlalchemy import select

    from processing.validation import OPEN_STATUSES, validate_case
    from storage.models import Case

    current = runtime()
    context = current.validation()
    with current.session_factory.begin() as session:
        if reference:
            ids = [get_case(session=session, reference=reference).id]
        else:
            ids = list(session.scalars(select(Case.id).where(Case.status.in_(OPEN_STATUSES))
                                       .order_by(Case.id)))
    changed = []
    with progress(ids, "re-validating") as cases:
        for case_id in cases:
            with current.session_factory.begin() as session:
                case = session.get(Case, case_id)
                if case is None:
                    continue
                before = case.status
                outcome = validate_case(session=session, case=case, context=context)
                if outcome.status is not before:
                    changed.append(f"{outcome.reference}: {before.value} -> {outcome.status.value}")
    typer.echo(f"{len(ids)} case(s) validated again, {len(changed)} changed status")
    for line in changed:
        typer.echo(f"  {line}")


@app.command("decide")
def cases_decide(
    reference: str,
    decision: Annotated[str, typer.Argument(help="approve or reject")],
    reviewer: Annotated[str, typer.Option(help="The reviewer's user name.")],
    reason: Annotated[str | None, typer.Option(help="Required to reject.")] = None,
) -> None:
    """Decide a case as a reviewer would in the web app (same rules, same audit trail)."""
    from processing.review import decide
    from storage.users import get_user

    current = runtime()
    with current.session_factory.begin() as session:
        case = decide(session=session, case=get_case(session=session, reference=reference),
                      user=get_user(session=session, name=reviewer), decision=decision,
                      reason=reason, context=current.validation())
        typer.echo(f"{case.reference}: {case.status.value}")


@app.command("grant")
def cases_grant(
    reference: str,
    kind: Annotated[str, typer.Option(help="What was granted: visa, residence_permit, ...")],
    number: Annotated[str, typer.Option(help="Its number.")],
    valid_from: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    valid_until: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    by: Annotated[str, typer.Option("--by", help="The reviewer's user name.")],
) -> None:
    """Record what an approved case granted; its holder is reminded before it expires."""
    from processing.grants import record_grant
    from storage.users import get_user

    current = runtime()
    with current.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        grant = record_grant(session=session, case=case, user=get_user(session=session, name=by),
                             kind=kind, number=number, valid_from=parse_date(valid_from),
                             valid_until=parse_date(valid_until), context=current.validation())
        typer.echo(f"{case.reference}: {grant.kind} valid until {grant.valid_until.isoformat()}")


@app.command("recognise-urgency")
def cases_recognise_urgency(
    reference: str,
    by: Annotated[str, typer.Option("--by", help="The senior reviewer's user name.")],
    reason: Annotated[str, typer.Option(help="Why the matter is urgent (kept with the decision).")],
) -> None:
    """Recognise the urgent matter a form claims as an emergency (text 002: "other urgent matters
    recognised by the office"); a senior reviewer's decision, audited."""
    from processing.review import recognise_urgency
    from storage.users import get_user

    current = runtime()
    with current.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        recognise_urgency(session=session, case=case, user=get_user(session=session, name=by),
                          reason=reason, context=current.validation())
        typer.echo(f"{case.reference}: {case.priority}, due {case.due_date or 'when complete'}")


def cover_sheet(
    reference: str,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="PDF file to write.")] = None,
) -> None:
    """Write a cover sheet PDF (QR code with the case reference) to put on top of a scan."""
    from extractors.cover_sheet import make_cover_sheet
    from storage.cases import get_case

    with runtime().session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        reference = case.reference
    target = output or Path(f"cover-{reference}.pdf")
    target.write_bytes(make_cover_sheet(reference))
    typer.echo(f"cover sheet for {reference}: {target}")
