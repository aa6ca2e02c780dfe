"""Hostile files and e-mails through the real intake and processing: each ends in a clear
outcome (quarantined with a reason a clerk can read, or processed harmlessly) and loses nothing."""

from __future__ import annotations

import email
import email.policy
import io
import zlib
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject, TextStringObject
from sqlalchemy import select

from intake.scans import intake_scans
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from processing.queue import process_pending
from servers.smtp import RecordingHandler
from storage.enums import SubmissionStatus
from storage.models import Document, Submission
from tests.helpers import deliver_mail, drop


def _pdf(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_of_five_metres() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=14_400, height=14_400)  # the largest page PDF allows
    return _pdf(writer)


def deflate_bomb() -> bytes:
    """A 300 KB PDF whose one content stream inflates to 200 MB of drawing operators."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    stream = StreamObject()
    stream._data = zlib.compress(b"0 0 m " * 33_000_000, 9)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    return _pdf(writer)


def broken_xref() -> bytes:
    form = samples.application_form(samples.APPLICANTS[0])
    return form[:form.rfind(b"startxref")] + b"startxref\n999999\n%%EOF\n"


def with_javascript() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(samples.application_form(samples.APPLICANTS[0]))))
    script = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.launchURL('http://x');")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(script)
    return _pdf(writer)


def pixel_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # 400 megapixels in ~50 KB
    return buffer.getvalue()


# name, bytes, how it must end, words of the reason (or of nothing for a processed file)
HOSTILE_FILES: list[tuple[str, Callable[[], bytes], SubmissionStatus, str]] = [
    ("poster.pdf", page_of_five_metres, SubmissionStatus.QUARANTINED, "far larger than any document"),
    ("bomb.pdf", deflate_bomb, SubmissionStatus.PROCESSED, ""),
    ("xref.pdf", broken_xref, SubmissionStatus.PROCESSED, ""),
    ("script.pdf", with_javascript, SubmissionStatus.PROCESSED, ""),
    ("huge.png", pixel_bomb, SubmissionStatus.QUARANTINED, "megapixels"),
    ("locked.pdf", samples.encrypted_pdf, SubmissionStatus.QUARANTINED, "protected by a password"),
    ("garbage.pdf", samples.corrupt_pdf, SubmissionStatus.QUARANTINED, "damaged"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "make", "ending", "words"), HOSTILE_FILES,
                         ids=[row[0] for row in HOSTILE_FILES])
def test_a_hostile_scan_ends_clearly_and_is_kept(
    runtime: Runtime, name: str, make: Callable[[], bytes], ending: SubmissionStatus, words: str,
) -> None:
    data = make()
    drop(runtime.scan_folders().root, name, data)
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    process_pending(runtime)
    with runtime.session_factory.begin() as session:
        [submission] = session.scalars(select(Submission)).all()
        assert submission.status == ending, submission.reason
        assert words in (submission.reason or "")
        documents = session.scalars(select(Document)).all()
    assert runtime.blobs.read_bytes(submission.sha256) == data  # the original is kept
    assert len(documents) == (1 if ending == SubmissionStatus.PROCESSED else 0)
    if name in ("xref.pdf", "script.pdf"):  # still the applicant's form: it opens a case
        assert documents[0].case_id is not None


@pytest.mark.slow
def test_header_injection_and_path_traversal_in_an_email_go_nowhere(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings,
) -> None:
    message = EmailMessage()
    message["From"] = "Erika <erika@example.org>"
    message["To"] = "intake@office.example"
    message.set_content("My application.")
    message.add_attachment(samples.application_form(samples.APPLICANTS[0]), maintype="application",
                           subtype="pdf", filename="PLACEHOLDER.pdf")
    raw = (
        # an encoded word that decodes to a line break and a Bcc header
        b"Subject: =?utf-8?q?Visa=0D=0ABcc:_victim@example.org?=\r\n"
        + message.as_bytes().replace(  # a name climbing out of any folder, with a line break
            b'filename="PLACEHOLDER.pdf"',
            b"filename*=utf-8''..%2F..%2F..%2Fetc%2Fcron.d%2Fevil%0D%0A.pdf")
    )
    assert b"%2Fetc%2Fcron.d" in raw
    [outcome] = deliver_mail(runtime, mailbox, raw)
    assert outcome.case_references
    with runtime.session_factory.begin() as session:
        names = session.scalars(select(Document.filename)).all()
    assert all("/" not in n and "\r" not in n and "\n" not in n and not n.startswith(".")
               for n in names)
    assert "evil.pdf" in names

    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    assert smtp_server.messages
    for _, recipients, content in smtp_server.messages:
        assert recipients == ["erika@example.org"]
        sent = email.message_from_bytes(content, policy=email.policy.default)
        assert sent["Bcc"] is None and "victim" not in content.decode("utf-8", "replace")
