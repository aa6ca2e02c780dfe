"""E-mail intake against a real Dovecot: the whole shared corpus, crashes, drops, dedupe."""

from __future__ import annotations

import signal
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from intake.mailbox import MailboxError, connect, intake_mailbox
from mailroom.config import Settings
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.enums import SubmissionStatus
from storage.models import Case, Document, MailboxClaim, Submission
from storage.views import case_view
from tests.helpers import application_mail, counts, run_cli

CORPUS = Path(__file__).resolve().parent / "corpus" / "emails"  # kept in the repository


def _poll(runtime: Runtime) -> list:
    client = connect(runtime.settings)
    try:
        return intake_mailbox(client=client, settings=runtime.settings, blobs=runtime.blobs,
                              session_factory=runtime.session_factory)
    finally:
        client.logout()


def _count(mailbox: IMAPClient, folder: str) -> int:
    return int(mailbox.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])


@pytest.mark.slow
def test_every_corpus_message_is_stored_once_and_ends_somewhere(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    files = sorted(CORPUS.glob("*.eml"))
    assert len(files) > 200
    for path in files:
        mailbox.append(settings.imap_folder, path.read_bytes())
    appended = _count(mailbox, settings.imap_folder)
    assert appended == len(files)

    outcomes = _poll(runtime)
    process_pending(runtime)

    assert len(outcomes) == appended  # every UID accounted for
    assert _count(mailbox, settings.imap_folder) == 0
    moved = _count(mailbox, settings.imap_processed_folder) + _count(
        mailbox, settings.imap_quarantine_folder)
    assert moved == appended  # nothing lost on the server either
    with runtime.session_factory.begin() as session:
        submissions = session.scalars(select(Submission)).all()
        # Same bytes are one submission; Dovecot may normalise line endings of a few corpus
        # files into identical bytes, so the count is of distinct contents.
        assert len(submissions) == len({o.submission_id for o in outcomes})
        for submission in submissions:
            assert runtime.blobs.exists(submission.sha256)
            assert submission.status in (SubmissionStatus.PROCESSED, SubmissionStatus.QUARANTINED)
            if submission.status is SubmissionStatus.QUARANTINED:
                assert submission.reason
        bodies = session.scalars(select(Document).where(Document.kind == "email_body")).all()
        assert len(bodies) == sum(s.status is SubmissionStatus.PROCESSED for s in submissions)
    # A second poll finds nothing and creates nothing.
    before = counts(runtime)
    assert _poll(runtime) == []
    assert counts(runtime) == before


@pytest.mark.slow
def test_application_by_mail_opens_a_case_and_a_reply_joins_it(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    mailbox.append(settings.imap_folder, application_mail())
    _poll(runtime)
    [outcome] = process_pending(runtime)
    [reference] = outcome.case_references
    with runtime.session_factory.begin() as session:
        case = session.scalars(select(Case)).one()
        view = case_view(case)
        assert case.contact_email == "erika@example.org"
    assert view["applicant"]["passport_number"] == "C01X00T47"
    assert [d["kind"] for d in view["documents"]] == ["email_body", "application_form"]
    assert view["documents"][1]["filename"] == "申请表.pdf"

    # A reply carrying the reference, with the same Message-ID as the first: kept, and joined.
    reply = application_mail(subject=f"Re: [{reference}] my passport copy")
    mailbox.append(settings.imap_folder, reply)
    _poll(runtime)
    [second] = process_pending(runtime)
    assert second.case_references == [reference]
    assert counts(runtime)["cases"] == 1 and counts(runtime)["submissions"] == 2


@pytest.mark.slow
def test_bounces_go_to_triage_and_garbage_to_quarantine(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    bounce = EmailMessage()
    bounce["From"] = "MAILER-DAEMON@mx.example"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Auto-Submitted"] = "auto-replied"
    bounce.set_content("delivery failed")
    mailbox.append(settings.imap_folder, bounce.as_bytes())
    mailbox.append(settings.imap_folder, b"\x00\x01 not a mail at all \x02\r\n")
    outcomes = sorted(_poll(runtime), key=lambda o: o.uid)
    process_pending(runtime)
    assert [o.status for o in outcomes] == [SubmissionStatus.RECEIVED, SubmissionStatus.QUARANTINED]
    assert "not an e-mail" in (outcomes[1].reason or "")
    assert _count(mailbox, settings.imap_quarantine_folder) == 1
    with runtime.session_factory.begin() as session:
        bounce_row = session.get(Submission, outcomes[0].submission_id)
        assert bounce_row is not None and bounce_row.needs_triage
    assert counts(runtime)["cases"] == 0


@pytest.mark.slow
def test_oversized_message_is_quarantined_whole_without_fetching(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    settings.imap_max_message_bytes = 20_000
    mailbox.append(settings.imap_folder, application_mail())  # about 40 kB with its PDF
    [outcome] = _poll(runtime)
    assert outcome.status is SubmissionStatus.QUARANTINED
    assert "the limit is 20 kB" in (outcome.reason or "")
    mailbox.select_folder(settings.imap_quarantine_folder)
    [uid] = mailbox.search(["ALL"])
    whole = mailbox.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    assert len(whole) > 20_000  # the message itself is intact on the server


@pytest.mark.slow
def test_killed_after_storing_before_moving(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings, cli_env: dict[str, str]
) -> None:
    for n in range(5):
        mailbox.append(settings.imap_folder, application_mail(subject=f"application {n}"))
    crashed = run_cli(["intake", "email", "--once"],
                      {**cli_env, "MAILROOM_CRASH_AT": "email.after_store"})
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr
    assert counts(runtime)["submissions"] == 5
    assert _count(mailbox, settings.imap_folder) == 5  # stored, but not yet acknowledged

    rerun = run_cli(["intake", "email", "--once", "--json"], cli_env)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(runtime)["submissions"] == 5  # nothing twice
    assert _count(mailbox, settings.imap_folder) == 0
    assert _count(mailbox, settings.imap_processed_folder) == 5  # nothing lost


@pytest.mark.slow
def test_new_uidvalidity_does_not_duplicate(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    data = application_mail()
    mailbox.append(settings.imap_folder, data)
    _poll(runtime)
    # The same message shows up again under another folder identity (a rebuilt mailbox).
    other = f"{settings.imap_folder}-rebuilt"
    mailbox.create_folder(other)
    mailbox.append(other, data)
    settings.imap_folder = other
    [again] = _poll(runtime)
    assert not again.new
    assert counts(runtime)["submissions"] == 1
    with runtime.session_factory.begin() as session:
        assert len(session.scalars(select(MailboxClaim)).all()) == 2


@pytest.mark.slow
def test_connection_dropped_mid_fetch_loses_nothing(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    for n in range(6):
        mailbox.append(settings.imap_folder, application_mail(subject=f"application {n}"))
    settings.imap_batch_bytes = 100_000  # several batches
    client = connect(settings)
    real_fetch = client.fetch
    calls = {"bodies": 0}

    def fetch_then_drop(uids, items, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any(b"BODY" in (i if isinstance(i, bytes) else i.encode()) for i in items):
            calls["bodies"] += 1
            if calls["bodies"] == 2:
                client.socket().shutdown(2)  # the server connection really goes away
        return real_fetch(uids, items, *args, **kwargs)

    client.fetch = fetch_then_drop  # type: ignore[method-assign]
    with pytest.raises(MailboxError, match="connection failed"):
        intake_mailbox(client=client, settings=settings, blobs=runtime.blobs,
                       session_factory=runtime.session_factory)
    stored_before = counts(runtime)["submissions"]
    assert 0 < stored_before < 6
    # The interrupted poll let go of what it had not stored: the next one takes it at once.
    with runtime.session_factory.begin() as session:
        assert {c.state for c in session.scalars(select(MailboxClaim))} <= {"stored", "acknowledged"}
    _poll(runtime)
    assert counts(runtime)["submissions"] == 6
    assert _count(mailbox, settings.imap_folder) == 0
    assert _count(mailbox, settings.imap_processed_folder) == 6


@pytest.mark.slow
def test_large_message_is_streamed_in_pieces_byte_for_byte(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings
) -> None:
    import os as _os

    settings.imap_stream_threshold_bytes = 100_000
    message = EmailMessage()
    message["From"] = "erika@example.org"
    message["Subject"] = "large scan"
    message.set_content("attached")
    message.add_attachment(_os.urandom(2_500_000), maintype="application",
                           subtype="octet-stream", filename="scan.bin")
    mailbox.append(settings.imap_folder, message.as_bytes())
    mailbox.select_folder(settings.imap_folder)
    [uid] = mailbox.search(["ALL"])
    on_server = mailbox.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    [outcome] = _poll(runtime)
    with runtime.session_factory.begin() as session:
        submission = session.get(Submission, outcome.submission_id)
        assert submission is not None and submission.size == len(on_server)
        assert runtime.blobs.read_bytes(submission.sha256) == on_server


@pytest.mark.slow
def test_two_overlapping_polls_take_each_message_once(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings, cli_env: dict[str, str]
) -> None:
    import subprocess

    from tests.helpers import MAILROOM

    for n in range(20):
        mailbox.append(settings.imap_folder, application_mail(subject=f"application {n}"))
    pollers = [subprocess.Popen([*MAILROOM, "intake", "email", "--once"], env=cli_env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    for poller in pollers:
        _, err = poller.communicate(timeout=120)
        assert poller.returncode == 0, err
    assert counts(runtime)["submissions"] == 20
    assert _count(mailbox, settings.imap_folder) == 0
    assert _count(mailbox, settings.imap_processed_folder) == 20
    with runtime.session_factory.begin() as session:
        claims = session.scalars(select(MailboxClaim)).all()
        assert len(claims) == 20 and {c.state for c in claims} == {"acknowledged"}
