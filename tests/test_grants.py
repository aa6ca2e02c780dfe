"""What the office granted is recorded on approval and its holder reminded before it expires
(text 001), a month and then a week before; a visa's expiry follows the 60-day rule (000 item 9)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from imapclient import IMAPClient
from pypdf import PdfReader
from sqlalchemy import select

from mailroom import sample_letters as letters
from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from processing.grants import GrantError, expires_on, record_grant
from processing.port_visa import notification_sha256
from processing.reminders import run_reminders
from processing.review import decide
from servers.smtp import RecordingHandler
from storage.cases import get_case
from storage.enums import Role
from storage.models import Grant, SentMessage, User
from storage.users import add_user
from tests.helpers import run_cli
from tests.test_validation_scenarios import (
    PERSON,
    deliver,
    flags,
    form,
    mail,
    passport_jpeg,
    photo_jpeg,
    sent,
    view,
)

pytestmark = pytest.mark.slow
VALID_UNTIL = dt.date(2027, 6, 30)


def test_an_approved_visa_is_recorded_and_its_holder_reminded_a_month_and_a_week_before(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, cli_env: dict[str, str]
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    context = runtime.validation()
    with runtime.session_factory.begin() as session:
        reviewer = add_user(session=session, name="li", role=Role.REVIEWER,
                            reviewer_group="visa", password_hash="x")
        decide(session=session, case=get_case(session=session, reference=reference),
               user=reviewer, decision="approve", context=context)
    case = view(runtime, reference)
    assert case["status"] == "approved" and "grant_unrecorded" in flags(case)
    assert "visa" in next(f["message"] for f in case["flags"] if f["code"] == "grant_unrecorded")

    # a visa extension grants a visa, nothing else
    with runtime.session_factory.begin() as session, \
            pytest.raises(GrantError, match="grants visa, not residence_permit"):
        record_grant(session=session, case=get_case(session=session, reference=reference),
                     user=session.scalars(select(User)).one(), kind="residence_permit",
                     number="X1", valid_from=dt.date(2026, 12, 1), valid_until=VALID_UNTIL,
                     context=context)
    recorded = run_cli(["cases", "grant", reference, "--kind", "visa", "--number", "v1234567",
                        "--valid-from", "2026-12-02", "--valid-until", VALID_UNTIL.isoformat(),
                        "--by", "li"], cli_env)
    assert recorded.returncode == 0, recorded.stderr
    case = view(runtime, reference)
    assert "grant_unrecorded" not in flags(case)
    assert case["grants"] == [{"kind": "visa", "number": "V1234567", "valid_from": "2026-12-02",
                               "valid_until": "2027-06-30", "recorded_by": "li",
                               "reminded_days_before": []}]

    sent = {}
    for days_before in (45, 30, 30, 12, 7, 7, 2):
        day = dataclasses.replace(context, today=VALID_UNTIL - dt.timedelta(days=days_before))
        with runtime.session_factory.begin() as session:
            run_reminders(session=session, context=day)
        with runtime.session_factory.begin() as session:
            reminders = session.scalars(select(SentMessage).where(
                SentMessage.kind == "expiry_reminder")).all()
            sent[days_before] = len(reminders)
            bodies = [m.body for m in reminders]
    # one reminder at a month, one at a week, never twice, none before or between
    assert sent == {45: 0, 30: 1, 12: 1, 7: 2, 2: 2}
    assert all("V1234567" in body and "2027-06-30" in body for body in bodies)


def test_a_visa_ending_in_the_epidemic_period_expires_sixty_days_later_for_its_reminders(
    runtime: Runtime
) -> None:
    context = runtime.validation()
    rule = context.policy.visa_extension_rule
    ended = rule.reference_date + dt.timedelta(days=10)  # inside the period, after the reference
    visa = Grant(kind="visa", number="V1", valid_from=dt.date(2019, 6, 1), valid_until=ended)
    assert expires_on(visa, context) == ended + dt.timedelta(days=1 + rule.extension_days)
    permit = Grant(kind="residence_permit", number="R1", valid_from=dt.date(2019, 6, 1),
                   valid_until=ended)
    assert expires_on(permit, context) == ended  # the rule is for visas only


def test_an_approved_port_visa_sends_the_inviting_organisation_its_notification(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    letter = letters.letter_pdf(letters.certificate("supporting_document", PERSON, "en"))
    [reference] = deliver(runtime, mailbox, mail("visits@yiwu-trade.example", "Port visa", {
        "form.pdf": form(application_type="port_visa", employer_or_school="Yiwu Trade Co., Ltd.",
                         port_of_entry="Shanghai Pudong Airport"),
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg(), "invitation.pdf": letter}))
    context = runtime.validation()
    assert not {"inviting_organisation_missing", "port_of_entry_missing"} & flags(
        view(runtime, reference))
    with runtime.session_factory.begin() as session:
        reviewer = add_user(session=session, name="li", role=Role.REVIEWER,
                            reviewer_group="visa", password_hash="x")
        decide(session=session, case=get_case(session=session, reference=reference),
               user=reviewer, decision="approve", context=context)

    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    notice = next(m for m in sent(smtp_server) if "Port Visa Notification" in m["Subject"])
    assert notice["To"] == "visits@yiwu-trade.example"
    assert "Yiwu Trade Co., Ltd." in notice.get_body(preferencelist=("plain",)).get_content()
    [attachment] = list(notice.iter_attachments())
    text = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    valid_until = (context.today + dt.timedelta(days=30)).isoformat()
    assert "Shanghai Pudong Airport" in text and "C01X00T47" in text and valid_until in text
    with runtime.session_factory() as session:  # and staff can download it again
        case = get_case(session=session, reference=reference)
        assert runtime.blobs.read_bytes(notification_sha256(session, case)) == \
            attachment.get_content()


def test_the_single_window_checks_eligibility_and_grants_both_permits(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    employer = letters.letter_pdf(letters.organization_letter(
        "employment_letter", "Example GmbH", PERSON, "en"))
    health = letters.letter_pdf(letters.certificate("health_certificate", PERSON, "en"))
    references = {}
    for category, location in (("C", "Pudong New Area"), ("B", "Lingang New Area")):
        [references[category]] = deliver(runtime, mailbox, mail("erika@example.org", "Single window", {
            "form.pdf": form(application_type="work_and_residence_permit", talent_category=category,
                             work_location=location),
            "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg(), "employer.pdf": employer,
            "health.pdf": health}))
    # text 004: categories A and B only: C is flagged for the reviewer, never refused
    assert "single_window_ineligible" in flags(view(runtime, references["C"]))
    eligible = view(runtime, references["B"])
    assert "single_window_ineligible" not in flags(eligible)
    assert eligible["status"] == "ready_for_review" and eligible["reviewer_group"] == "residence"

    context = runtime.validation()
    with runtime.session_factory.begin() as session:
        reviewer = add_user(session=session, name="li", role=Role.REVIEWER,
                            reviewer_group="residence", password_hash="x")
        case = get_case(session=session, reference=references["B"])
        decide(session=session, case=case, user=reviewer, decision="approve", context=context)
        [flag] = [f for f in case.flags if f.code == "grant_unrecorded"]
        assert "work permit, residence permit" in flag.message  # issued together
        for kind, number in (("work_permit", "WP1"), ("residence_permit", "RP1")):
            record_grant(session=session, case=case, user=reviewer, kind=kind, number=number,
                         valid_from=dt.date(2026, 12, 2), valid_until=VALID_UNTIL, context=context)
            assert (flag.resolved_at is None) == (kind == "work_permit")  # both, then resolved
