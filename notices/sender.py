"""Send the outbox over SMTP. A failure leaves the message pending and tries it again later and
later (``BACKOFF``), ``MAX_ATTEMPTS`` times, so a mail server that is down never blocks intake or
processing and is not hammered either.

Each message is claimed, sent and marked sent in its own transaction: a sender killed mid-run
has marked everything it sent before, and only the one message in flight (accepted by the
server, not yet marked) goes out again, with the same Message-ID, which mail clients fold.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import ssl
from collections import Counter
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate

from sqlalchemy.orm import Session, sessionmaker

from intake.mailbox import account_name
from intake.oauth import current_access_token
from mailroom.config import Settings
from mailroom.errors import ConfigurationError
from mailroom.faults import crash_point
from storage.blobs import BlobStore
from storage.models import SentMessage, utcnow
from storage.outbox import claim_pending, due_message_ids

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Wait after the n-th failure: 1, 2, 4, ... minutes, at most two hours (about 4 h in all).
BACKOFF = [dt.timedelta(minutes=min(2 ** n, 120)) for n in range(MAX_ATTEMPTS)]


@dataclass(frozen=True)
class SendReport:
    sent: int
    retrying: int
    failed: int


def send_outbox(
    *, settings: Settings, session_factory: sessionmaker[Session], blobs: BlobStore | None = None,
    now: dt.datetime | None = None,
) -> SendReport:
    """Send what is due; ``blobs`` holds the attachments (acceptance receipts)."""
    if not settings.smtp_host or not settings.smtp_from:
        raise ConfigurationError(
            "Outgoing mail is not configured: set MAILROOM_SMTP_HOST and MAILROOM_SMTP_FROM."
        )
    now = now or utcnow()
    with session_factory.begin() as session:
        due = due_message_ids(session=session, now=now)
    if not due:
        return SendReport(0, 0, 0)
    tally: Counter[str] = Counter()
    try:
        connection: smtplib.SMTP | None = _connect(settings, session_factory)
        refused: Exception | None = None
    except (OSError, smtplib.SMTPException) as e:
        connection, refused = None, e
    try:
        for message_id in due:
            with session_factory.begin() as session:
                message = claim_pending(session=session, message_id=message_id)
                if message is None:
                    continue  # another sender has it, or it went out meanwhile
                if connection is None:
                    tally[_record_failure(message, refused or OSError("no connection"), now)] += 1
                else:
                    tally[_send(connection, message, settings.smtp_from, blobs, now)] += 1
    finally:
        if connection is not None:
            # the messages are already recorded; a failed QUIT changes nothing
            with contextlib.suppress(OSError, smtplib.SMTPException):
                connection.quit()
    report = SendReport(tally["sent"], tally["retrying"], tally["failed"])
    log.info("outbox: %s sent, %s retrying, %s failed", report.sent, report.retrying, report.failed)
    return report


def _send(connection: smtplib.SMTP, message: SentMessage, sender: str,
          blobs: BlobStore | None, now: dt.datetime) -> str:
    try:
        connection.send_message(_compose(message, sender, blobs))
    except (OSError, smtplib.SMTPException, ValueError) as e:
        # ValueError: a header the email package refuses; that message fails alone
        return _record_failure(message, e, now)
    crash_point("outbox.after_send")
    message.status, message.sent_at = "sent", utcnow()
    message.attempts += 1
    return "sent"


def _connect(settings: Settings,
             session_factory: sessionmaker[Session] | None = None) -> smtplib.SMTP:
    port = settings.smtp_port or {"ssl": 465, "starttls": 587}.get(settings.smtp_ssl, 25)
    if settings.smtp_ssl == "ssl":
        connection: smtplib.SMTP = smtplib.SMTP_SSL(settings.smtp_host or "", port, timeout=30,
                                                    context=ssl.create_default_context())
    else:
        connection = smtplib.SMTP(settings.smtp_host or "", port, timeout=30)
        if settings.smtp_ssl == "starttls":
            connection.starttls(context=ssl.create_default_context())
    if settings.smtp_auth == "oauth2":
        _xoauth2(connection, settings, session_factory)
    elif settings.smtp_user:
        connection.login(settings.smtp_user, settings.smtp_password or "")
    return connection


def _xoauth2(connection: smtplib.SMTP, settings: Settings,
             session_factory: sessionmaker[Session] | None) -> None:
    """SASL XOAUTH2 with an access token from the mailbox's token store (refreshed and rotated
    there), so one consent serves both reading and sending."""
    if session_factory is None:
        raise ConfigurationError("OAuth2 sending needs the database (token store).")
    with session_factory.begin() as session:
        token = current_access_token(session=session, settings=settings,
                                     account=account_name(settings))
    user = settings.smtp_user or settings.imap_user or ""
    connection.ehlo_or_helo_if_needed()
    connection.auth("XOAUTH2", lambda challenge=None: f"user={user}\x01auth=Bearer {token}\x01\x01")


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


def _record_failure(message: SentMessage, error: Exception, now: dt.datetime) -> str:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if message.attempts >= MAX_ATTEMPTS:
        message.status = "failed"
        return "failed"
    message.next_attempt_at = now + BACKOFF[message.attempts - 1]
    return "retrying"
