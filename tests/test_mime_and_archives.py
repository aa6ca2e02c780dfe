"""MIME parsing and ZIP limits on crafted messages (the shared corpus runs in test_email_intake)."""

from __future__ import annotations

import io
import zipfile
from base64 import b64encode
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from extractors.archives import ArchiveLimits, extract_zip
from extractors.mime import parse_message, safe_filename
from intake.mailbox import connect, intake_mailbox
from mailroom import errors, samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.enums import SubmissionStatus
from storage.models import Document


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_chinese_headers_and_bodies_in_legacy_charsets_are_read() -> None:
    subject = f"=?gb2312?B?{b64encode('签证延期申请'.encode('gb2312')).decode()}?="
    sender = f"=?big5?B?{b64encode('王小明'.encode('big5')).decode()}?="
    raw = (
        f"From: {sender} <wang@example.cn>\r\n"
        f"Subject: {subject}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode() + "我申请签证延期。䶮".encode("gb18030") + b"\r\n"  # GBK-only char under a GB2312 label
    message = parse_message(raw)
    assert message.subject == "签证延期申请"
    assert message.sender == "wang@example.cn"
    assert "我申请签证延期。䶮" in message.body_text


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../etc/passwd", "passwd"), ("C:\\Users\\x\\form.pdf", "form.pdf"),
     ("evil\r\nX-Header: 1.pdf", "evilX-Header: 1.pdf"), (".hidden.pdf", "hidden.pdf")],
)
def test_attachment_names_are_made_safe(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_zip_limits() -> None:
    assert extract_zip(_zip({"a/../b.pdf": b"x" * 10})) == [("b.pdf", b"x" * 10)]
    with pytest.raises(errors.ArchiveBombError, match="expands"):
        extract_zip(_zip({"zeros.bin": bytes(5_000_000)}))
    with pytest.raises(errors.ArchiveBombError, match="holds 3 files"):
        extract_zip(_zip({f"{n}.txt": b"hi" for n in range(3)}), ArchiveLimits(max_members=2))
    with pytest.raises(errors.CorruptArchiveError):
        extract_zip(b"PK\x03\x04 broken")


def _deliver(runtime: Runtime, mailbox: IMAPClient, raw: bytes) -> list:
    mailbox.append(runtime.settings.imap_folder, raw)
    client = connect(runtime.settings)
    try:
        outcomes = intake_mailbox(client=client, settings=runtime.settings, blobs=runtime.blobs,
                                  session_factory=runtime.session_factory)
    finally:
        client.logout()
    process_pending(runtime)
    return outcomes


def _with_attachment(data: bytes, filename: str) -> bytes:
    message = EmailMessage()
    message["From"] = "agent@example.org"
    message["Subject"] = "applications"
    message.set_content("see the archive")
    message.add_attachment(data, maintype="application", subtype="zip", filename=filename)
    return message.as_bytes()


@pytest.mark.slow
def test_zip_attachment_is_unpacked_into_documents(runtime: Runtime, mailbox: IMAPClient) -> None:
    archive = _zip({"forms/form.pdf": samples.application_form(samples.APPLICANTS[0]),
                    "notes.docx": b"PK\x03\x04 office"})
    [outcome] = _deliver(runtime, mailbox, _with_attachment(archive, "papers.zip"))
    assert outcome.status is SubmissionStatus.RECEIVED
    with runtime.session_factory.begin() as session:
        kinds = [(d.kind.value, d.filename) for d in session.scalars(select(Document).order_by(Document.id))]
    assert kinds == [("email_body", "message.txt"), ("other", "papers.zip"),
                     ("application_form", "form.pdf"), ("other", "notes.docx")]


@pytest.mark.slow
def test_zip_bomb_is_quarantined(runtime: Runtime, mailbox: IMAPClient) -> None:
    bomb = _zip({"zeros.bin": bytes(20_000_000)})
    [outcome] = _deliver(runtime, mailbox, _with_attachment(bomb, "invoice.zip"))
    assert outcome.status is SubmissionStatus.QUARANTINED
    assert "invoice.zip" in (outcome.reason or "") and "zip bomb" in (outcome.reason or "")
    assert mailbox.folder_status(runtime.settings.imap_quarantine_folder, [b"MESSAGES"])[
        b"MESSAGES"] == 1


def _tnef(files: dict[str, bytes]) -> bytes:
    """A winmail.dat as Outlook writes it: signature, key, then attachment attributes."""
    import struct

    def attribute(name: int, data: bytes) -> bytes:
        return struct.pack("<BII", 2, name, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)

    body = b""
    for filename, data in files.items():
        body += attribute(0x00069002, bytes(14))  # attAttachRendData starts an attachment
        body += attribute(0x00018010, filename.encode() + b"\x00")  # attAttachTitle
        body += attribute(0x0006800F, data)  # attAttachData
    return struct.pack("<IH", 0x223E9F78, 1) + body


@pytest.mark.slow
def test_winmail_dat_is_unpacked(runtime: Runtime, mailbox: IMAPClient) -> None:
    message = EmailMessage()
    message["From"] = "outlook-user@example.org"
    message["Subject"] = "application"
    message.set_content("form attached")
    message.add_attachment(_tnef({"form.pdf": samples.application_form(samples.APPLICANTS[1])}),
                           maintype="application", subtype="ms-tnef", filename="winmail.dat")
    [outcome] = _deliver(runtime, mailbox, message.as_bytes())
    assert outcome.status is SubmissionStatus.RECEIVED
    with runtime.session_factory.begin() as session:
        kinds = [(d.kind.value, d.filename)
                 for d in session.scalars(select(Document).order_by(Document.id))]
    assert kinds == [("email_body", "message.txt"), ("other", "winmail.dat"),
                     ("application_form", "form.pdf")]
