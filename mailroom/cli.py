"""The ``mailroom`` command. JSON output is the stable contract documented in the README.

Every command runs the same package functions the Prefect flows call, in-process, so the CLI is
fast and needs no Prefect server; ``mailroom serve`` runs them as scheduled deployments.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, Any

import typer

from mailroom.errors import BadInputError, MailroomError, NotFoundError, StorageUnavailableError
from mailroom.runtime import Runtime
from storage.cases import get_case

app = typer.Typer(
    help="mailroom: e-mail and postal applications to validated cases.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
intake_app = typer.Typer(help="Take in submissions from their sources.", no_args_is_help=True)
cases_app = typer.Typer(help="Look at cases.", no_args_is_help=True)
submissions_app = typer.Typer(help="Look at submissions.", no_args_is_help=True)
app.add_typer(intake_app, name="intake")
app.add_typer(cases_app, name="cases")
app.add_typer(submissions_app, name="submissions")
outbox_app = typer.Typer(help="E-mails the office sends.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")

shipping_app = typer.Typer(help="Inbound and return parcels: dispatch, tracking, labels.",
                           no_args_is_help=True)
app.add_typer(shipping_app, name="shipping")
custody_app = typer.Typer(help="Where each passport is, step by step.", no_args_is_help=True)
app.add_typer(custody_app, name="custody")
users_app = typer.Typer(help="Office staff accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (the stable contract).")]
OnceOption = Annotated[bool, typer.Option("--once", help="One pass, then exit.")]


def _runtime() -> Runtime:
    return Runtime.from_environment()


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, indent=2))


@app.command()
def init() -> None:
    """Create the database or migrate it to the newest schema."""
    from storage.migrate import upgrade_to_head

    runtime = _runtime()
    upgrade_to_head(runtime.settings.resolved_database_url)
    runtime.scan_folders().ensure()
    typer.echo(f"database ready: {_safe_url(runtime.settings.resolved_database_url)}")


@intake_app.command("scans")
def intake_scans_command(
    scan_dir: Annotated[Path | None, typer.Argument(help="Scan folder (default: settings).")] = None,
    once: OnceOption = False,
    json_output: JsonOption = False,
) -> None:
    """Take complete files from the scan drop folder into storage."""
    from intake.scans import intake_scans

    runtime = _runtime()

    def one_pass() -> None:
        outcomes = intake_scans(
            folders=runtime.scan_folders(scan_dir),
            blobs=runtime.blobs,
            session_factory=runtime.session_factory,
            settle_seconds=runtime.settings.scan_settle_seconds,
            limits=runtime.limits,
        )
        _print_intake(
            [{"file": o.filename, "submission_id": o.submission_id, "new": o.new,
              "status": o.status.value, "reason": o.reason, "moved_to": str(o.moved_to)}
             for o in outcomes],
            json_output, label=lambda row: row["file"],
        )

    _repeat(runtime, once, one_pass)


@intake_app.command("email")
def intake_email_command(once: OnceOption = False, json_output: JsonOption = False) -> None:
    """Fetch new messages from the IMAP mailbox into storage (settings MAILROOM_IMAP_*)."""
    from intake.mailbox import connect, intake_mailbox

    runtime = _runtime()

    def one_pass() -> None:
        client = connect(runtime.settings, runtime.session_factory)
        try:
            outcomes = intake_mailbox(client=client, settings=runtime.settings,
                                      blobs=runtime.blobs, session_factory=runtime.session_factory)
        finally:
            client.logout()
        _print_intake(
            [{"uid": o.uid, "submission_id": o.submission_id, "new": o.new,
              "status": o.status.value, "reason": o.reason} for o in outcomes],
            json_output, label=lambda row: f"UID {row['uid']}",
        )

    _repeat(runtime, once, one_pass)


@app.command()
def process(
    once: OnceOption = False,
    limit: Annotated[int | None, typer.Option(help="At most this many submissions.")] = None,
) -> None:
    """Process received submissions into documents, pages and cases."""
    from processing.queue import pending_ids, process_each

    runtime = _runtime()

    def one_pass() -> None:
        lines = []
        ids = pending_ids(runtime, limit)
        with _progress(process_each(runtime, ids), "processing", length=len(ids)) as outcomes:
            for outcome in outcomes:
                if outcome.skipped:
                    continue
                where = ", ".join(outcome.case_references) or "no case"
                triage = " (to triage)" if outcome.needs_triage else ""
                lines.append(f"submission {outcome.submission_id}: {outcome.documents} "
                             f"document(s) -> {where}{triage}")
        for line in lines:
            typer.echo(line)

    _repeat(runtime, once, one_pass)


def _progress(items: Iterable[Any], label: str, length: int | None = None) -> Any:
    """A progress bar on a terminal for a long run (a backlog, a re-validation); silent when the
    output is a pipe or a file, so scripts and JSON consumers see only the results."""
    return typer.progressbar(items, length=length, label=label, file=sys.stderr,
                             hidden=not sys.stderr.isatty())


@outbox_app.command("send")
def outbox_send(once: OnceOption = False) -> None:
    """Send pending e-mails (acknowledgements) over SMTP; failures stay pending and retry."""
    from notices.sender import send_outbox

    runtime = _runtime()

    def one_pass() -> None:
        report = send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                       blobs=runtime.blobs)
        typer.echo(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}")

    _repeat(runtime, once, one_pass)


@app.command()
def reminders() -> None:
    """The daily round: remind promises falling due, flag broken ones, remind expiring permits,
    recompute provisional deadlines. Safe to run more than once a day."""
    from processing.reminders import run_reminders

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        report = run_reminders(session=session, context=runtime.validation())
    typer.echo(f"promise reminders {report.promise_reminders}, broken promises flagged "
               f"{report.promises_broken}, expiry reminders {report.expiry_reminders}, "
               f"deadlines recomputed {report.deadlines_recomputed}")


@shipping_app.command("dispatch")
def shipping_dispatch(
    reference: str,
    carrier: Annotated[str | None, typer.Option(help="ems or sf (default: the form's choice).")] = None,
    waybill: Annotated[str | None, typer.Option(help="The number on the courier's slip.")] = None,
    actor: Annotated[str, typer.Option(help="Who hands the parcel over.")] = "clerk",
) -> None:
    """Prepare the return parcel of a decided case's passport (recorded in its custody)."""
    from shipping.service import dispatch

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        shipment = dispatch(
            session=session, case=get_case(session=session, reference=reference), actor=actor,
            today=runtime.validation().today, waybill=waybill, carrier=carrier,
            default_carrier=runtime.settings.default_return_carrier, notices=runtime.notices)
        typer.echo(f"{reference}: dispatched with {shipment.carrier} {shipment.waybill}")


@shipping_app.command("track")
def shipping_track(once: OnceOption = False) -> None:
    """Poll the courier for every open shipment (each at most every 30 minutes)."""
    import datetime as dt

    from shipping.adapters import carrier_from_settings
    from shipping.service import track_open_shipments

    runtime = _runtime()
    settings = runtime.settings

    def one_pass() -> None:
        report = track_open_shipments(
            session_factory=runtime.session_factory, carrier=carrier_from_settings(settings),
            now=dt.datetime.now(dt.UTC),
            min_poll_interval=dt.timedelta(minutes=settings.carrier_min_poll_minutes),
            stall_after=dt.timedelta(days=settings.shipping_stall_days))
        typer.echo(f"polled {report.polled}, new events {report.new_events}, delivered "
                   f"{report.delivered}, alerts {report.alerts}, deferred {report.deferred}, "
                   f"errors {report.errors}")

    _repeat(runtime, once, one_pass)


@shipping_app.command("list")
def shipping_list(json_output: JsonOption = False) -> None:
    """Every shipment with its case, status and last event."""
    from sqlalchemy import select

    from storage.models import Case, Shipment

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        rows = []
        for shipment, reference in session.execute(
                select(Shipment, Case.reference).join(Case).order_by(Shipment.id)):
            last = shipment.events[-1] if shipment.events else None
            rows.append({
                "case_reference": reference, "direction": shipment.direction.value,
                "carrier": shipment.carrier, "waybill": shipment.waybill,
                "status": shipment.status,
                "dispatched_on": shipment.dispatched_on.isoformat() if shipment.dispatched_on else None,
                "last_event": {"at": last.at.isoformat(), "description": last.description}
                if last else None,
            })
    if json_output:
        _print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['case_reference']}  {row['direction']:<7} {row['carrier']:<4} "
                   f"{row['waybill']:<16} {row['status']}")


@shipping_app.command("labels")
def shipping_labels(
    day: Annotated[str, typer.Argument(help="The dispatch date, YYYY-MM-DD.")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """One PDF with the day's return labels and its dispatch list for the courier."""
    import datetime as dt

    from sqlalchemy import select

    from shipping.labels import Office, Parcel, render_dispatch_pdf
    from storage.enums import ShipmentDirection
    from storage.models import Case, Shipment

    runtime = _runtime()
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as e:
        raise BadInputError(f"{day!r} is not a date (YYYY-MM-DD).") from e
    with runtime.session_factory.begin() as session:
        parcels = [
            Parcel(reference, s.carrier, s.waybill, s.recipient or "", s.phone or "",
                   s.address or "", s.postcode)
            for s, reference in session.execute(
                select(Shipment, Case.reference).join(Case)
                .where(Shipment.dispatched_on == date,
                       Shipment.direction == ShipmentDirection.RETURN).order_by(Shipment.id))
        ]
    settings = runtime.settings
    pdf = render_dispatch_pdf(date, parcels, Office(settings.office_name, settings.office_address,
                                                    settings.office_phone))
    target = output or Path(f"dispatches-{date.isoformat()}.pdf")
    target.write_bytes(pdf)
    typer.echo(f"{len(parcels)} label(s) and the dispatch list: {target}")


@shipping_app.command("scan")
def shipping_scan(
    waybill: str,
    status: Annotated[str, typer.Argument(help="collected, in_transit, out_for_delivery, "
                                               "delivered, problem or returned.")],
    note: Annotated[str, typer.Option(help="What happened.")] = "recorded by a clerk",
    location: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a tracking event by hand (the manual carrier): scan the waybill, say what happened."""
    import datetime as dt

    from sqlalchemy import select

    from shipping.adapters import manual_event
    from shipping.carriers import ShipmentStatus
    from shipping.service import apply_tracking
    from storage.models import Shipment

    try:
        state = ShipmentStatus(status)
    except ValueError as e:
        raise BadInputError(f"Unknown status {status!r}.") from e
    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.waybill == waybill.upper()))
        if shipment is None:
            raise NotFoundError(f"No shipment has the waybill {waybill}.")
        apply_tracking(session=session, shipment=shipment,
                       tracking=manual_event(state, note, location, dt.datetime.now(dt.UTC)),
                       source="manual")
        typer.echo(f"{shipment.waybill}: {shipment.status}")


@custody_app.command("record")
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
    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        record_custody(session=session, case=get_case(session=session, reference=reference),
                       step=step, actor=actor, location=location)
    typer.echo(f"{reference}: {step}")


@custody_app.command("export")
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


def _repeat(runtime: Runtime, once: bool, one_pass: Callable[[], None]) -> None:
    """Run ``one_pass`` once, or forever every MAILROOM_POLL_INTERVAL_SECONDS."""
    while True:
        one_pass()
        if once:
            return
        time.sleep(runtime.settings.poll_interval_seconds)


def _print_intake(
    rows: list[dict[str, Any]], json_output: bool, label: Callable[[dict[str, Any]], str]
) -> None:
    if json_output:
        _print_json(rows)
        return
    for row in rows:
        note = "" if row["new"] else " (seen before)"
        reason = f": {row['reason']}" if row["reason"] else ""
        typer.echo(f"{label(row)} -> submission {row['submission_id']} {row['status']}{note}{reason}")


@submissions_app.command("list")
def submissions_list(
    status: Annotated[str | None, typer.Option(help="received|processed|quarantined|failed")] = None,
    json_output: JsonOption = False,
) -> None:
    """Every submission and what became of it."""
    from storage.enums import SubmissionStatus
    from storage.submissions import list_submissions
    from storage.views import submission_view

    wanted = _enum(SubmissionStatus, status)
    with _runtime().session_factory.begin() as session:
        rows = [submission_view(s) for s in list_submissions(session=session, status=wanted)]
    if json_output:
        _print_json(rows)
        return
    for row in rows:
        target = row["case_reference"] or ("triage" if row["needs_triage"] else "-")
        reason = f"  {row['reason']}" if row["reason"] else ""
        typer.echo(f"{row['id']:>5}  {row['channel']:<6} {row['status']:<12} {target:<15} "
                   f"{row['source']}{reason}")


@cases_app.command("list")
def cases_list(
    status: Annotated[str | None, typer.Option(help="Only cases in this status.")] = None,
    json_output: JsonOption = False,
) -> None:
    """All cases with applicant, type, status, priority and due date."""
    from storage.cases import list_cases
    from storage.enums import CaseStatus
    from storage.views import case_view

    wanted = _enum(CaseStatus, status)
    with _runtime().session_factory.begin() as session:
        rows = [case_view(c, with_documents=False) for c in list_cases(session=session, status=wanted)]
    if json_output:
        _print_json(rows)
        return
    for row in rows:
        applicant = row["applicant"]
        name = f"{applicant['surname'] or '?'}, {applicant['given_names'] or '?'}"
        typer.echo(f"{row['reference']}  {row['status']:<16} {row['application_type'] or '-':<24} "
                   f"{name}")


@cases_app.command("show")
def cases_show(reference: str, json_output: JsonOption = False) -> None:
    """One case: applicant, checklist, flags, documents, shipments."""
    from storage.cases import get_case
    from storage.views import case_view

    with _runtime().session_factory.begin() as session:
        view = case_view(get_case(session=session, reference=reference))
    if json_output:
        _print_json(view)
        return
    applicant = view["applicant"]
    typer.echo(f"{view['reference']}  {view['status']}  {view['application_type'] or '-'}")
    typer.echo(f"applicant: {applicant['surname']}, {applicant['given_names']} "
               f"({applicant['nationality']}) passport {applicant['passport_number']}")
    for document in view["documents"]:
        typer.echo(f"  document {document['id']}: {document['kind']} {document['filename']} "
                   f"({document['pages']} page(s))")


@app.command("cover-sheet")
def cover_sheet(
    reference: str,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="PDF file to write.")] = None,
) -> None:
    """Write a cover sheet PDF (QR code with the case reference) to put on top of a scan."""
    from extractors.cover_sheet import make_cover_sheet
    from storage.cases import get_case

    with _runtime().session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        reference = case.reference
    target = output or Path(f"cover-{reference}.pdf")
    target.write_bytes(make_cover_sheet(reference))
    typer.echo(f"cover sheet for {reference}: {target}")


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Files to classify and read.")],
    json_output: JsonOption = False,
) -> None:
    """Classify and extract files without storing anything (a passport prints its MRZ)."""
    from extractors.extract import extract_file

    for path in files:
        result = extract_file(path)
        if json_output:
            typer.echo(json.dumps(result, ensure_ascii=False))
            continue
        if result["error"]:
            typer.echo(f"{path}: {result['error']}")
            continue
        typer.echo(f"{path}: {result['kind']} ({result['confidence']:.2f})")
        if result["mrz"]:
            mrz = result["mrz"]
            typer.echo(f"  MRZ {'valid' if mrz['valid'] else 'NOT valid'}: {mrz['line1']}")
            for key in ("line2", "line3"):
                if key in mrz:
                    typer.echo(f"      {mrz[key]}")


@app.command()
def serve() -> None:
    """Start a local Prefect server (unless PREFECT_API_URL is set), serve every deployment, and
    the web app on MAILROOM_WEB_HOST:MAILROOM_WEB_PORT."""
    import threading

    from mailroom.serve import run

    runtime = _runtime()
    threading.Thread(target=_run_web, args=(runtime,), daemon=True, name="web").start()
    run(runtime.settings)


@app.command()
def doctor() -> None:
    """Check tesseract, the database, folders, policy, mailbox, SMTP and courier: exit 0 when
    everything that is configured works (what is not configured is said, not failed)."""
    from mailroom.doctor import run_checks

    checks = run_checks(_runtime())
    for check in checks:
        mark = {"ok": "ok  ", "fail": "FAIL", "not configured": "--  "}[check.state]
        typer.echo(f"{mark} {check.part:<17} {check.detail}")
    if any(check.state == "fail" for check in checks):
        raise typer.Exit(1)


@app.command()
def web() -> None:
    """The reviewer and clerk web app alone (MAILROOM_WEB_HOST, MAILROOM_WEB_PORT)."""
    _run_web(_runtime())


def _run_web(runtime: Runtime) -> None:
    import uvicorn

    from web.app import create_app

    settings = runtime.settings
    typer.echo(f"web app: http://{settings.web_host}:{settings.web_port}/")
    uvicorn.run(create_app(runtime), host=settings.web_host, port=settings.web_port,
                log_level="warning", proxy_headers=True)


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="clerk, reviewer, senior_reviewer, operator or admin.")],
    group: Annotated[str | None, typer.Option(help="A reviewer's group (visa, residence, ...); "
                                                   "none: every group.")] = None,
    language: Annotated[str, typer.Option(help="zh or en.")] = "zh",
) -> None:
    """Add a user; the password is asked for (or read from standard input when piped)."""
    from storage.enums import Role
    from storage.users import add_user
    from web.security import hash_password

    try:
        chosen = Role(role)
    except ValueError as e:
        raise BadInputError(f"Unknown role {role!r}.") from e
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        add_user(session=session, name=name, role=chosen, password_hash=hash_password(password),
                 reviewer_group=group, language="en" if language == "en" else "zh")
    typer.echo(f"user {name} ({chosen.value}) added")


@cases_app.command("revalidate")
def cases_revalidate(
    reference: Annotated[str | None, typer.Argument(help="One case (default: every open one).")]
    = None,
) -> None:
    """Run validation again, e.g. after the office changed its policy or holiday schedules."""
    from sqlalchemy import select

    from processing.validation import OPEN_STATUSES, validate_case
    from storage.models import Case

    runtime = _runtime()
    context = runtime.validation()
    with runtime.session_factory.begin() as session:
        if reference:
            ids = [get_case(session=session, reference=reference).id]
        else:
            ids = list(session.scalars(select(Case.id).where(Case.status.in_(OPEN_STATUSES))
                                       .order_by(Case.id)))
    changed = []
    with _progress(ids, "re-validating") as cases:
        for case_id in cases:
            with runtime.session_factory.begin() as session:
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


@cases_app.command("decide")
def cases_decide(
    reference: str,
    decision: Annotated[str, typer.Argument(help="approve or reject")],
    reviewer: Annotated[str, typer.Option(help="The reviewer's user name.")],
    reason: Annotated[str | None, typer.Option(help="Required to reject.")] = None,
) -> None:
    """Decide a case as a reviewer would in the web app (same rules, same audit trail)."""
    from processing.review import decide
    from storage.users import get_user

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        case = decide(session=session, case=get_case(session=session, reference=reference),
                      user=get_user(session=session, name=reviewer), decision=decision,
                      reason=reason)
        typer.echo(f"{case.reference}: {case.status.value}")


@app.command()
def demo(
    directory: Annotated[Path, typer.Option(help="Where the demo keeps its data.")] = Path(
        "mailroom-demo"
    ),
) -> None:
    """A first run: synthetic sample scans through intake and processing, then the cases."""
    from mailroom.demo import run_demo

    run_demo(directory)


def _enum(enum_cls: Any, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(m.value for m in enum_cls)
        raise MailroomError(f"Unknown status {value!r}; choose one of: {choices}.") from None


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


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
