"""Acknowledgements: queued by processing, sent over real SMTP (aiosmtpd), threaded replies."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import BACKOFF, MAX_ATTEMPTS, SendReport, send_outbox
from servers.smtp import RecordingHandler
from storage.cases import get_case
from storage.models import SentMessage, utcnow
from storage.views import case_view
from tests.helpers import counts, deliver_mail


def _subject(raw: bytes) -> str:
    return str(email.message_from_bytes(raw, policy=email.policy.default)["Subject"])


def _mail(sender: str, subject: str, body: str = "Application attached.", **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "intake@office.example"
    message["Subject"] = subject
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content(body)
    message.add_attachment(samples.application_form(samples.APPLICANTS[1]), maintype="application",
                           subtype="pdf", filename="form.pdf")
    return message.as_bytes()


@pytest.mark.slow
def test_new_case_gets_a_bilingual_acknowledgement(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    [outcome] = deliver_mail(runtime, mailbox, _mail("hanako@example.org", "Residence permit",
                                                 Message_ID="<first@example.org>"))
    [reference] = outcome.case_references
    report = send_outbox(settings=settings, session_factory=runtime.session_factory)
    # the acknowledgement, and the request for what the form alone does not bring
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    (mail_from, rcpt_tos, content), (_, _, request) = smtp_server.messages
    assert mail_from == "intake@office.example" and rcpt_tos == ["hanako@example.org"]
    assert "Request for materials" in _subject(request)
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert f"[{reference}]" in sent["Subject"]
    assert sent["In-Reply-To"] == "<first@example.org>"
    assert sent["Auto-Submitted"] == "auto-generated"
    text = sent.get_content()
    assert "已收到" in text and "We have received" in text and reference in text
    # Sending again sends nothing twice.
    assert send_outbox(settings=settings, session_factory=runtime.session_factory).sent == 0
    with runtime.session_factory.begin() as session:
        recorded, _ = case_view(get_case(session=session, reference=reference))["messages_sent"]
    assert recorded["kind"] == "acknowledgement"
    assert recorded["status"] == "sent" and recorded["message_id"] == sent["Message-ID"]

    # The applicant answers our e-mail without the reference in the subject: threaded by header.
    [reply] = deliver_mail(runtime, mailbox, _mail("hanako@example.org", "my photo",
                                               In_Reply_To=sent["Message-ID"]))
    assert reply.case_references == [reference]
    assert counts(runtime)["cases"] == 1


@pytest.mark.slow
def test_no_answer_to_robots_and_at_most_a_few_per_sender(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    settings.acknowledgements_per_sender_per_hour = 2
    robots = [
        _mail("applicant@example.org", "Out of office", Auto_Submitted="auto-replied"),
        _mail("list@example.org", "Digest", Precedence="bulk"),
        _mail("mailer-daemon@mx.example.org", "Delivery failure"),
    ]
    flood = [_mail("busy@example.org", f"application {n}") for n in range(4)]
    deliver_mail(runtime, mailbox, *robots, *flood)
    send_outbox(settings=settings, session_factory=runtime.session_factory)
    acknowledged = sorted(r for _, tos, content in smtp_server.messages for r in tos
                          if "Application received" in _subject(content))
    assert acknowledged == ["busy@example.org", "busy@example.org"]
    # nothing at all to the robots; each flood case still gets its one request for materials
    assert {r for _, tos, _ in smtp_server.messages for r in tos} == {"busy@example.org"}


@pytest.mark.slow
def test_mail_server_down_never_blocks_and_retries_later(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    from servers.postgres import free_port

    settings.smtp_host, settings.smtp_port, settings.smtp_ssl = "127.0.0.1", free_port(), "none"
    settings.smtp_from = "intake@office.example"
    [outcome] = deliver_mail(runtime, mailbox, _mail("erika@example.org", "Visa extension"))
    assert outcome.case_references  # processing finished although no mail server listens
    now = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = send_outbox(settings=settings, session_factory=runtime.session_factory, now=now)
        assert report.sent == 0
        assert (report.retrying, report.failed) == ((2, 0) if attempt < MAX_ATTEMPTS else (0, 2))
        # backing off: a run before the wait is over does not try again
        waiting = BACKOFF[attempt - 1] if attempt < MAX_ATTEMPTS else dt.timedelta(days=1)
        too_soon = now + waiting - dt.timedelta(seconds=1)
        assert send_outbox(settings=settings, session_factory=runtime.session_factory,
                           now=too_soon) == SendReport(0, 0, 0)
        now += waiting
    with runtime.session_factory.begin() as session:
        rows = session.scalars(select(SentMessage).order_by(SentMessage.id)).all()
        assert [row.kind for row in rows] == ["acknowledgement", "request_for_materials"]
        assert all(r.status == "failed" and "Connection refused" in (r.last_error or "")
                   for r in rows)


def test_a_line_break_in_a_message_id_cannot_add_a_header_to_our_reply(
    runtime: Runtime, smtp_server: RecordingHandler, settings: Settings
) -> None:
    from storage.cases import open_case
    from storage.outbox import add_to_outbox

    with runtime.session_factory.begin() as session:
        case = open_case(session=session, actor="test")
        add_to_outbox(session=session, case=case, kind="acknowledgement",
                      to_address="applicant@example.org", subject=f"[{case.reference}] ok",
                      body="Hello", domain="office.example",
                      in_reply_to="<a@example.org>\r\nBcc: victim@example.org")
    report = send_outbox(settings=settings, session_factory=runtime.session_factory)
    assert report.sent == 1
    [(_, recipients, content)] = smtp_server.messages
    assert recipients == ["applicant@example.org"]
    sent = email.message_from_bytes(content, policy=email.policy.default)
    assert sent["Bcc"] is None and "\n" not in str(sent["In-Reply-To"])
