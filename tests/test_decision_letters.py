"""Every applicant is told: the decision by e-mail, and — for an applicant who gave no e-mail
address — every letter (request for materials, receipt, decision) by post, printed in the
day's batch with a window-envelope address block and recorded as sent by post."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from processing.queue import process_pending
from servers.smtp import RecordingHandler
from storage.cases import change_status, get_case
from storage.enums import CaseStatus, Role
from storage.models import SentMessage
from storage.users import add_user
from tests.helpers import drop, run_cli
from tests.test_web_security import Browser
from web.passwords import hash_password

PASSWORD = "correct horse battery"
POSTED = {k: v for k, v in samples.APPLICANTS[0].items() if k != "email"} | {
    "return_recipient": "Erika Mustermann", "return_address": "8 West Lake Road, Hangzhou",
    "return_postcode": "310000"}


def _posted_case(runtime: Runtime) -> str:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(POSTED))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    [reference] = [r for o in process_pending(runtime) for r in o.case_references]
    return reference


def _letters(runtime: Runtime, reference: str) -> list[SentMessage]:
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        found = list(session.scalars(select(SentMessage).where(SentMessage.case_id == case.id)
                                     .order_by(SentMessage.id)))
        for message in found:
            session.expunge(message)
        return found


def test_an_applicant_without_e_mail_gets_every_letter_by_post(
    runtime: Runtime, cli_env: dict[str, str], smtp_server: RecordingHandler, tmp_path
) -> None:
    reference = _posted_case(runtime)
    [request] = _letters(runtime, reference)
    assert (request.kind, request.channel, request.status) == ("request_for_materials", "post",
                                                               "to_print")
    assert request.to_address.splitlines() == ["Erika Mustermann", "8 West Lake Road, Hangzhou",
                                               "310000"]
    assert run_cli(["users", "add", "li", "--role", "reviewer"], cli_env,
                   stdin=PASSWORD + "\n").returncode == 0
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW, actor="test")
    rejected = run_cli(["cases", "decide", reference, "reject", "--reviewer", "li", "--reason",
                        "The passport expires before the requested stay ends."], cli_env)
    assert rejected.returncode == 0, rejected.stderr
    decision = _letters(runtime, reference)[-1]
    assert (decision.kind, decision.channel) == ("decision", "post")
    assert "The passport expires before the requested stay ends." in decision.body
    assert "administrative reconsideration" in decision.body and "行政复议" in decision.body

    # the e-mail sender never takes a letter meant for the post
    send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                blobs=runtime.blobs)
    assert smtp_server.messages == []

    today = runtime.validation().today.isoformat()
    pdf = tmp_path / "batch.pdf"
    printed = run_cli(["letters", "print", today, "-o", str(pdf)], cli_env)
    assert printed.returncode == 0, printed.stderr
    assert "2 letter(s) by post" in printed.stdout
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "8 West Lake Road, Hangzhou" in text and reference in text
    assert "The passport expires before the requested stay ends." in text
    after = _letters(runtime, reference)
    assert all((m.status, m.printed_on) == ("sent", dt.date.fromisoformat(today)) for m in after)
    again = run_cli(["letters", "print", today, "-o", str(tmp_path / "again.pdf")], cli_env)
    assert "2 letter(s) by post" in again.stdout  # the same day's batch, printed again
    shown = run_cli(["cases", "show", reference, "--json"], cli_env).stdout
    assert re.search(r'"channel": "post"', shown)


def test_the_decision_is_e_mailed_and_a_clerk_prints_the_post_from_the_web(
    runtime: Runtime, cli_env: dict[str, str], smtp_server: RecordingHandler, web_server: str
) -> None:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    [reference] = [r for o in process_pending(runtime) for r in o.case_references]
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW, actor="test")
        for name, role in (("li", Role.REVIEWER), ("wang", Role.CLERK)):
            add_user(session=session, name=name, role=role, language="en",
                     password_hash=hash_password(PASSWORD, user_name=name))
    li = Browser(web_server)
    li.login("li", PASSWORD)
    li.get(f"/cases/{reference}")
    assert li.post(f"/cases/{reference}/claim").status_code == 303
    assert li.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    decision = _letters(runtime, reference)[-1]
    assert (decision.kind, decision.channel, decision.to_address) == (
        "decision", "email", "erika@example.org")
    send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                blobs=runtime.blobs)
    assert any(b"approved" in content for _, to, content in smtp_server.messages
               if to == ["erika@example.org"])

    posted = _posted_case(runtime)
    clerk = Browser(web_server)
    clerk.login("wang", PASSWORD)
    page = clerk.get("/letters")
    assert "8 West Lake Road" in page.text
    batch = clerk.post("/letters/print", {"day": runtime.validation().today.isoformat()})
    assert batch.status_code == 200 and batch.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(batch.content)).pages)
    assert posted in text


def test_a_reviewer_asks_a_posted_applicant_for_materials_by_post(
    runtime: Runtime, web_server: str
) -> None:
    reference = _posted_case(runtime)
    with runtime.session_factory.begin() as session:
        add_user(session=session, name="li", role=Role.REVIEWER, language="en",
                 password_hash=hash_password(PASSWORD, user_name="li"))
        case = get_case(session=session, reference=reference)
        change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW, actor="test")
    li = Browser(web_server)
    li.login("li", PASSWORD)
    li.get(f"/cases/{reference}")
    assert li.post(f"/cases/{reference}/claim").status_code == 303
    asked = li.post(f"/cases/{reference}/request-materials", {"material": "photo"})
    assert asked.status_code == 303
    letter = _letters(runtime, reference)[-1]
    assert (letter.kind, letter.channel, letter.status) == ("request_for_materials", "post",
                                                           "to_print")
    assert "8 West Lake Road, Hangzhou" in letter.to_address
