"""What must be there in person: a visa or permit is affixed into the passport, so the passport
itself must arrive. A scan e-mailed in shows it exists; the office's custody record (or the
passport posted and scanned here) shows it arrived; a record on file never stands in."""

from __future__ import annotations

import pytest
from imapclient import IMAPClient

from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from servers.smtp import RecordingHandler
from tests.helpers import drop, run_cli
from tests.test_validation_scenarios import deliver, form, mail, passport_jpeg, photo_jpeg, view

pytestmark = pytest.mark.slow


def _passport(case: dict) -> dict:
    return next(i for i in case["checklist"] if i["material"] == "passport")


def test_an_e_mailed_passport_is_awaited_until_custody_records_it(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, cli_env: dict[str, str]
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    case = view(runtime, reference)
    assert (_passport(case)["state"], _passport(case)["arrived"]) == ("provided", False)
    assert any(f["code"] == "original_not_arrived" for f in case["flags"])
    received = run_cli(["custody", "record", reference, "received", "--location", "counter 2"],
                       cli_env)
    assert received.returncode == 0, received.stderr
    case = view(runtime, reference)
    assert _passport(case)["arrived"] is True
    assert not any(f["code"] == "original_not_arrived" for f in case["flags"])


def test_a_posted_passport_scanned_here_has_arrived(runtime: Runtime) -> None:
    from extractors.cover_sheet import make_cover_sheet

    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    [reference] = [r for o in process_pending(runtime) for r in o.case_references]
    drop(runtime.scan_folders().root, "post.tiff", samples.multipage_tiff([
        samples.pdf_page_image(make_cover_sheet(reference)),
        samples.passport_page(samples.td3_lines(
            surname="MUSTERMANN", given_names="ERIKA", nationality="D", number="C01X00T47",
            birth="840812", sex="F", expiry="310228"), dpi=300)]))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    process_pending(runtime)
    case = view(runtime, reference)
    assert (_passport(case)["state"], _passport(case)["arrived"]) == ("provided", True)
