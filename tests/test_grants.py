"""What the office granted is recorded on approval and its holder reminded before it expires
(text 001), a month and then a week before; a visa's expiry follows the 60-day rule (000 item 9)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from imapclient import IMAPClient
from sqlalchemy import select

from mailroom.runtime import Runtime
from processing.grants import GrantError, expires_on, record_grant
from processing.reminders import run_reminders
from processing.review import decide
from servers.smtp import RecordingHandler
from storage.cases import get_case
from storage.enums import Role
from storage.models import Grant, SentMessage, User
from storage.users import add_user
from tests.helpers import run_cli
from tests.test_validation_scenarios import deliver, flags, form, mail, passport_jpeg, photo_jpeg, view

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
