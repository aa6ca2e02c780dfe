"""Every file an office scanner or a phone makes is read, never ``failed``: the same page in
each format goes through scan intake and processing, and its words come out of OCR upright."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.enums import SubmissionStatus
from storage.models import Document, Page, Submission
from tests.helpers import drop
from tests.scanner_files import MAKERS, sideways

WORDS = ("KINGFISHER", "MARSHLAND", "HERON")


def _page() -> object:
    return samples.text_page("KINGFISHER MARSHLAND", ["The heron waits by the reeds",
                                                     "HERON 4471"])


def _take_in(runtime: Runtime, name: str, data: bytes) -> Submission:
    drop(runtime.scan_folders().root, name, data)
    [outcome] = intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                             session_factory=runtime.session_factory, settle_seconds=0,
                             limits=runtime.limits)
    process_pending(runtime)
    with runtime.session_factory() as session:
        submission = session.get(Submission, outcome.submission_id)
        assert submission is not None
        session.expunge(submission)
        return submission


def _texts(runtime: Runtime, submission_id: int) -> list[str]:
    with runtime.session_factory() as session:
        return [page.text or "" for page in session.scalars(
            select(Page).join(Document).where(Document.submission_id == submission_id)
            .order_by(Page.number))]


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("fmt", sorted(MAKERS))
def test_each_format_is_read_to_text(runtime: Runtime, fmt: str) -> None:
    name, data = MAKERS[fmt](_page())
    submission = _take_in(runtime, name, data)
    assert submission.status is SubmissionStatus.PROCESSED, submission.reason
    texts = _texts(runtime, submission.id)
    assert texts, "no page was made"
    expected_pages = 3 if fmt == "tiff-mixed-modes" else 2 if fmt.endswith("2-pages") else 1
    assert len(texts) == expected_pages
    for text in texts:
        upper = text.upper()
        found = [w for w in WORDS if w in upper]
        assert len(found) >= 2, (fmt, text[:300])


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_passport_photographed_sideways_and_sent_as_heic_is_read_by_its_mrz(
    runtime: Runtime,
) -> None:
    lines = samples.td3_lines(surname="ERIKSSON", given_names="ANNA MARIA", nationality="SWE",
                              number="L898902C3", birth="740812", sex="F", expiry="320415")
    page = samples.passport_page(lines, dpi=300)
    for name, data in (sideways(page, name="passport.jpg"), MAKERS["heic-phone-photo"](page)):
        submission = _take_in(runtime, name, data)
        assert submission.status is SubmissionStatus.PROCESSED, submission.reason
        with runtime.session_factory() as session:
            [document] = session.scalars(select(Document).where(
                Document.submission_id == submission.id)).all()
            mrz = (document.fields or {}).get("mrz")
            assert document.kind.value == "passport", name
            # stored only when every check digit holds
            assert mrz and mrz["lines"] == lines, (name, mrz)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_what_is_no_image_or_pdf_is_quarantined_for_its_name(runtime: Runtime) -> None:
    submission = _take_in(runtime, "scan.jpg", b"PK\x03\x04 a zip archive, not a photo")
    assert submission.status is SubmissionStatus.QUARANTINED
    assert "named as a JPEG image but its contents are a ZIP archive" in (submission.reason or "")
