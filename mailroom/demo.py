"""``mailroom demo``: a fresh user's first run on SQLite and local folders.

Round 1: two applicants' filled application forms arrive as PDFs (each opens a case), with an
unidentified scan (goes to triage) and three bad files (quarantined with reasons).
Round 2: a postal batch arrives: a clerk's cover sheet for each case on top of what the
applicant posted (the first: passport page and photo, which complete the case; the second: a
personal statement promising the health certificate, which waives it).
Validation then shows each case's checklist, flags and due date; the letters it queued (request
for materials, acceptance receipt) wait in the outbox.
Running the demo again in the same folder adds nothing twice.
"""

from __future__ import annotations

import secrets
import shlex
import shutil
import sys
from pathlib import Path

import typer
from sqlalchemy import select

from extractors.cover_sheet import make_cover_sheet
from intake.scans import intake_scans
from mailroom import sample_letters, samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.cases import list_cases
from storage.enums import Role
from storage.migrate import upgrade_to_head
from storage.models import User
from storage.submissions import list_submissions
from storage.users import add_user, set_password
from storage.views import case_view, submission_view
from web.passwords import hash_password

MUSTERMANN_MRZ = samples.td3_lines(surname="MUSTERMANN", given_names="ERIKA", nationality="D",
                                   number="C01X00T47", birth="840812", sex="F", expiry="310228")


def run_demo(directory: Path) -> Runtime:
    directory = directory.resolve()
    runtime = Runtime(Settings(data_dir=directory, scan_settle_seconds=0))
    upgrade_to_head(runtime.settings.resolved_database_url)
    folders = runtime.scan_folders()
    folders.ensure()

    typer.echo(f"Round 1: e-mailed forms, an unlabelled scan and three bad files -> {folders.root}")
    _drop(folders.root, {
        "application-mustermann.pdf": samples.application_form(samples.APPLICANTS[0]),
        "application-tanaka.pdf": samples.application_form(samples.APPLICANTS[1]),
        "unlabelled-letter.jpg": samples.jpeg(
            samples.text_page("Letter without a cover sheet", ["Who sent this? A clerk decides."])
        ),
        "truncated-copy.pdf": samples.corrupt_pdf(),
        "password-protected.pdf": samples.encrypted_pdf(),
        "notes.docx": b"PK\x03\x04 a word-processor file, not a scan",
    })
    _intake_and_process(runtime)

    with runtime.session_factory.begin() as session:
        first, second = (case.reference for case in list_cases(session=session)[:2])
    typer.echo(f"Round 2: a postal batch with cover sheets for {first} and {second}")
    tanaka = sample_letters.Person("TANAKA", "HANAKO", "JPN", "TZ0000001")
    statement = sample_letters.personal_statement(tanaka, "health_certificate", "zh",
                                                  promised_by=None)
    _drop(folders.root, {
        "postal-batch.tiff": samples.multipage_tiff([
            samples.pdf_page_image(make_cover_sheet(first)),
            samples.passport_page(MUSTERMANN_MRZ, dpi=300),
            samples.passport_photo(seed=3).convert("L"),
            samples.pdf_page_image(make_cover_sheet(second)),
            sample_letters.scan_of(sample_letters.letter_pdf(statement)),
        ]),
    })
    _intake_and_process(runtime)

    with runtime.session_factory.begin() as session:
        typer.echo("\nCases:")
        for case in list_cases(session=session):
            view = case_view(case)
            kinds = ", ".join(d["kind"] for d in view["documents"])
            due = view["due_date"] or "-"
            typer.echo(f"  {view['reference']}  {view['status']:<16} "
                       f"{view['application_type']:<22} {view['applicant']['surname']}  "
                       f"due {due}  priority {view['priority']}")
            typer.echo(f"      documents: {kinds}")
            for state in ("provided", "on_file", "waived", "missing"):
                materials = [i["material"] for i in view["checklist"] if i["state"] == state]
                if materials:
                    typer.echo(f"      {state}: {', '.join(materials)}")
            if view["flags"]:
                typer.echo(f"      flags: {', '.join(f['code'] for f in view['flags'])}")
            if view["messages_sent"]:
                typer.echo(f"      letters: {', '.join(m['kind'] for m in view['messages_sent'])}")
        typer.echo("\nSubmissions:")
        for submission in list_submissions(session=session):
            row = submission_view(submission)
            target = row["case_reference"] or ("triage" if row["needs_triage"] else "")
            typer.echo(f"  {row['id']:>3} {row['status']:<12} {target:<15} {row['source']}")
            if row["reason"]:
                typer.echo(f"      reason: {row['reason']}")
    command = _command_as_typed()
    data = f"MAILROOM_DATA_DIR={shlex.quote(str(directory))}"
    typer.echo(
        f"\nData: database {runtime.settings.resolved_database_url}\n"
        f"      blobs {runtime.settings.blob_dir}\n"
        f"      scans {folders.root} (processed/, quarantine/ with .reason.txt files)\n"
        f"\nLook further (these work from here, as typed):\n"
        f"  {data} {command} cases list\n"
        f"  {data} {command} cases show {first} --json\n"
        f"  {data} {command} submissions list\n"
        f"  {command} demo --web    # demo staff accounts, then the web app on this data"
    )
    return runtime


DEMO_STAFF = (("demo-reviewer", Role.SENIOR_REVIEWER), ("demo-clerk", Role.CLERK),
              ("demo-operator", Role.OPERATOR))


def demo_staff(runtime: Runtime) -> None:
    """Demo accounts, each with a fresh random password printed once (run again: new ones)."""
    typer.echo("\nDemo staff (sign in with these; the passwords are new each run):")
    # hashed before the transaction: argon2 is slow on purpose, the database is not held meanwhile
    accounts = [(name, role, "-".join(secrets.token_urlsafe(6) for _ in range(3)))
                for name, role in DEMO_STAFF]
    hashes = {name: hash_password(password, user_name=name) for name, _, password in accounts}
    with runtime.session_factory.begin() as session:
        for name, role, password in accounts:
            if session.scalar(select(User).where(User.name == name)) is None:
                add_user(session=session, name=name, role=role, language="en",
                         password_hash=hashes[name])
            else:
                set_password(session=session, name=name, password_hash=hashes[name])
            typer.echo(f"  {name:<14} {role.value:<16} password: {password}")
    settings = runtime.settings
    typer.echo(f"Open http://{settings.web_host}:{settings.web_port}/login in a browser on this "
               "machine: the reviewer sees the queue and the cases with their page images, the "
               "clerk the intake problems and triage, the operator the dashboard. Ctrl-C stops it.")


def _command_as_typed() -> str:
    """How to call this same mailroom again: its bare name when it is on PATH, else the path to
    it from here (``.venv/bin/mailroom`` in the checkout)."""
    program = Path(sys.argv[0])
    found = shutil.which(program.name)
    if program.name != "mailroom" or (found and Path(found).resolve() == program.resolve()):
        return "mailroom"
    try:
        return str(program.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(program.resolve())


def _drop(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        partial = folder / f"{name}.part"  # written under .part, renamed when complete
        partial.write_bytes(data)
        partial.rename(folder / name)


def _intake_and_process(runtime: Runtime) -> None:
    for outcome in intake_scans(
        folders=runtime.scan_folders(),
        blobs=runtime.blobs,
        session_factory=runtime.session_factory,
        settle_seconds=0,
        limits=runtime.limits,
    ):
        seen = "" if outcome.new else " (seen before: nothing recorded twice)"
        typer.echo(f"  intake  {outcome.filename}: {outcome.status.value}{seen}")
    for outcome in process_pending(runtime):
        if not outcome.skipped:
            where = ", ".join(outcome.case_references) or "triage"
            typer.echo(f"  process submission {outcome.submission_id}: "
                       f"{outcome.documents} document(s) -> {where}")
