"""Small helpers shared by the tests (real files, real commands; nothing mocked)."""

from __future__ import annotations

import random
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from imapclient import IMAPClient
from PIL import Image
from playwright.sync_api import Page
from sqlalchemy import func, select

from mailroom import samples
from mailroom.runtime import Runtime
from processing.submission import ProcessOutcome
from storage.models import Case, Document, Submission
from storage.models import Page as StoredPage
from training.drafts import Draft, Grid

MAILROOM = [sys.executable, "-m", "mailroom.cli"]


def image_widths(page: Page, selector: str) -> list[int]:
    """The natural widths of the images a selector finds, once each has finished loading.

    A slow server (two test workers on two cores) can still be sending an image when the page is
    already there; a broken image also finishes, with width 0, so the caller's check stays real.
    """
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel)].every(img => img.complete)", arg=selector
    )
    return page.eval_on_selector_all(selector, "imgs => imgs.map(img => img.naturalWidth)")


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAILROOM, *args], env=env, capture_output=True, text=True, timeout=timeout,
        input=stdin if stdin is not None else "",
    )


def deliver_mail(runtime: Runtime, mailbox: IMAPClient, *messages: bytes) -> list[ProcessOutcome]:
    """Put messages in the test's Dovecot folder, then run e-mail intake and processing."""
    from intake.mailbox import connect, intake_mailbox
    from processing.queue import process_pending

    for raw in messages:
        mailbox.append(runtime.settings.imap_folder, raw)
    client = connect(runtime.settings)
    try:
        intake_mailbox(client=client, settings=runtime.settings, blobs=runtime.blobs,
                       session_factory=runtime.session_factory)
    finally:
        client.logout()
    return process_pending(runtime)


def intake_and_process_scans(runtime: Runtime) -> list[ProcessOutcome]:
    """Run scan intake on the test's scan folder, then processing."""
    from intake.scans import intake_scans
    from processing.queue import process_pending

    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0,
                 limits=runtime.limits)
    return process_pending(runtime)


def drop(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{name}.part"
    partial.write_bytes(data)
    return partial.rename(folder / name)


def counts(runtime: Runtime) -> dict[str, int]:
    with runtime.session_factory.begin() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Submission, Document, StoredPage, Case)
        }


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def application_mail(subject: str = "Visa extension application", **extra: str) -> bytes:
    """An applicant's e-mail with the filled form attached (every one shares a Message-ID)."""
    message = EmailMessage()
    message["From"] = "Erika Mustermann <erika@example.org>"
    message["To"] = "intake@office.example"
    message["Subject"] = subject
    message["Message-ID"] = "<same-id@example.org>"  # deliberately shared: must not merge mails
    for key, value in extra.items():
        message[key] = value
    message.set_content("Please find my application attached.\n申请延期，谢谢。")
    message.add_attachment(samples.application_form(samples.APPLICANTS[0]), maintype="application",
                           subtype="pdf", filename="申请表.pdf")
    return message.as_bytes()


def printed_page(letter: Draft, seed: int, table_style: str = "grid", photo: bool = False) -> Image.Image:
    """A drafted letter printed (its tables ruled in ``table_style``), then scanned or
    photographed on a desk."""
    from training.drafts import as_pdf, as_photo, as_scan

    rng = random.Random(seed)
    pdf = as_pdf(letter, rng, table_style)
    return as_photo(pdf, rng) if photo else as_scan(pdf, rng)


def scanned_text(letter: Draft, seed: int, table_style: str = "grid", photo: bool = False) -> str:
    """A drafted letter printed, scanned or photographed, and read as processing reads a page."""
    from extractors.page_reading import read_page  # loads OCR models: only the tests that scan

    return read_page(printed_page(letter, seed, table_style, photo), None, timeout=120).text or ""


# a personnel list whose long cells wrap onto two lines (tests of scanned and posted lists)
WRAPPING_LIST = Draft("personnel_list_letter", "en", "List of Foreign Employees", [
    "The persons below are employees of our company:",
    Grid(["No.", "Nationality", "Position", "Passport No.", "Full name"],
         [["1", "Federal Republic of Germany", "Quality Engineer", "A6419834", "BECKER, LUKAS"],
          ["2", "United States of America", "Software Engineer", "TB4516949", "Madison BROOKS"],
          ["3", "Philippines", "Chief Designer", "ZM6272421", "Juan Carlos de la Cruz"],
          ["4", "Czech Republic", "Accountant", "45913688", "Marek DVORAK"]]),
    "The company guarantees that the above is true."])
