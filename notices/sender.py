"""Send the outbox over SMTP. A failure leaves the message pending for the next run (up to
``MAX_ATTEMPTS``), so a mail server that is down never blocks intake or processing."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy.orm import Session, sessionmaker

from mailroom.config import Settings
from mailroom.errors import ConfigurationError
from storage.blobs import BlobStore
from storage.models import SentMessage, utcnow
from storage.outbox import pending_messages

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class SendReport:
    sent: int
    retrying: int
    failed: int


def send_outbox(
    *, settings: Settings, session_factory: sessionmaker[Session], blobs: BlobStore | None = None
) -> SendReport:
    """Send what is pending; ``blobs`` holds the attachments (acceptance receipts)."""
    if not settings.smtp_host or not settings.smtp_from:
        raise ConfigurationError(
            "Outgoing mail is not configured: set MAILROOM_SMTP_HOST and MAILROOM_SMTP_FROM."
        )
    sent = retrying = failed = 0
    with session_factory.begin() as session:
        outbox = pending_messages(session=session)
        if not outbox:
            return SendReport(0, 0, 0)
        try:
            connection = _connect(settings)
        except (OSError, smtplib.SMTPException) as e:
            for message in outbox:
                failed += _record_failure(message, e)
            return SendReport(0, len(outbox) - failed, failed)
        try:
            for message in outbox:
                try:
                    connection.send_message(_compose(message, settings.smtp_from, blobs))
                except (OSError, smtplib.SMTPException, ValueError) as e:
                    # ValueError: a header the email package refuses; that message fails alone
                    is_failed = _record_failure(message, e)
                    failed += is_failed
                    retrying += not is_failed
                    continue
                message.status, message.sent_at = "sent", utcnow()
                message.attempts += 1
                sent += 1
        finally:
            # the messages are already recorded; a failed QUIT changes nothing
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.quit()
    log.info("outbox: %s sent, %s retrying, %s failed", sent, retrying, failed)
    return SendReport(sent, retrying, failed)


def _connect(settings: Settings) -> smtplib.SMTP:
    port = settings.smtp_port or {"ssl": 465, "starttls": 587}.get(settings.smtp_ssl, 25)
    if settings.smtp_ssl == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host or "", port, timeout=30,
                                                    context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(settings.smtp_host or "", port, timeout=30)
        if settings.smtp_ssl == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if settings.smtp_user:
        connection.login(settings.smtp_user, settings.smtp_password or "")
    return connection


def _compose(message: SentMessage, sender: str, blobs: BlobStore | None) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Message-ID"] = message.message_id
    mail["Date"] = formatdate(localtime=False)
    mail["Auto-Submitted"] = "auto-generated"  # applicants' auto-replies must not answer us
    if message.in_reply_to:
        mail["In-Reply-To"] = message.in_reply_to
        mail["References"] = message.in_reply_to
    mail.set_content(message.body)
    if message.attachment_sha256:
        if blobs is None:
            raise ConfigurationError("A message with an attachment needs the blob store to send.")
        mail.add_attachment(blobs.read_bytes(message.attachment_sha256), maintype="application",
                            subtype="pdf", filename=message.attachment_filename or "attachment.pdf")
    return mail


def _record_failure(message: SentMessage, error: Exception) -> int:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        return 1
    return 0
