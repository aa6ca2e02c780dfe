"""Never invent a fact: every date a letter tells an applicant is one that was read or entered,
and a permit whose expiry could not be read is never "reminded" with a date made up for it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from mailroom.runtime import Runtime
from notices.acknowledgement import acknowledgement
from notices.correction import correction_notice
from notices.materials import (
    acceptance_notice,
    expiry_reminder,
    promise_reminder,
    request_for_materials,
)
from notices.shipping import dispatch_notice
from processing.reminders import run_reminders
from storage.cases import find_or_add_applicant, open_case
from storage.enums import Channel, DocumentKind, SubmissionStatus
from storage.models import Document, Flag, RecordOnFile, SentMessage, Submission
from validators.identity import passport_key

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
GIVEN = (dt.date(2031, 3, 7), dt.date(2032, 4, 8), dt.date(2033, 5, 9))


@pytest.mark.parametrize("letter", [
    lambda: acknowledgement("MR-2026-000001", "visa_extension"),
    lambda: request_for_materials("MR-2026-000001", "visa_extension", ["photo"], GIVEN[0]),
    lambda: promise_reminder("MR-2026-000001", "health_certificate", GIVEN[1]),
    lambda: expiry_reminder("MR-2026-000001", "residence_permit", GIVEN[2]),
    lambda: acceptance_notice("MR-2026-000001", GIVEN[0], provisional=True),
    lambda: correction_notice("MR-2026-000001", "date_of_birth", GIVEN[1].isoformat(),
                              GIVEN[2].isoformat()),
    lambda: dispatch_notice("MR-2026-000001", "ems", "EA000000077CN"),
])
def test_every_date_in_every_letter_is_one_it_was_given(letter) -> None:  # type: ignore[no-untyped-def]
    subject, body = letter()
    written = set(DATE.findall(subject + body))
    assert written <= {d.isoformat() for d in GIVEN}, written


def _permit(runtime: Runtime, fields: dict) -> int:
    with runtime.session_factory.begin() as session:
        applicant = find_or_add_applicant(session=session, surname="MUSTERMANN",
                                          given_names="ERIKA", nationality="D",
                                          passport_number="C01X00T47")
        case = open_case(session=session, actor="test", applicant=applicant,
                         application_type="residence_permit_private",
                         form_fields={"surname": "MUSTERMANN", "given_names": "ERIKA"})
        case.contact_email = "erika@example.org"
        submission = Submission(channel=Channel.EMAIL, source="email:test", filename="m.eml",
                                sha256=f"{case.id:064d}", size=1,
                                status=SubmissionStatus.PROCESSED)
        session.add(submission)
        session.flush()
        session.add(Document(submission_id=submission.id, sequence=1, case_id=case.id,
                             kind=DocumentKind.RESIDENCE_PERMIT, filename="permit.jpg",
                             blob_sha256="0" * 64, fields=fields))
        session.flush()
        from processing.validation import validate_case

        validate_case(session=session, case=case, context=runtime.validation())
        return case.id


def test_a_permit_whose_expiry_was_not_read_is_kept_but_never_reminded(runtime: Runtime) -> None:
    case_id = _permit(runtime, {})
    with runtime.session_factory.begin() as session:
        [record] = session.scalars(select(RecordOnFile).where(
            RecordOnFile.source_case_id == case_id)).all()
        assert record.expires_on is None  # nothing was read: nothing is claimed
        assert record.valid_until > dt.date.today()  # still usable on file, for the office
        flags = session.scalars(select(Flag).where(Flag.case_id == case_id)).all()
        assert any(f.code == "permit_expiry_unread" for f in flags)
    for day in range(0, 400, 7):  # a whole year of daily rounds: never a reminder
        with runtime.session_factory.begin() as session:
            run_reminders(session=session,
                          context=runtime.validation(dt.date.today() + dt.timedelta(days=day)))
    with runtime.session_factory() as session:
        assert session.scalars(select(SentMessage).where(
            SentMessage.kind == "expiry_reminder")).all() == []


def test_a_permit_is_reminded_with_the_date_read_from_it(runtime: Runtime) -> None:
    expires = dt.date.today() + dt.timedelta(days=20)
    case_id = _permit(runtime, {"valid_until": expires.isoformat()})
    with runtime.session_factory.begin() as session:
        [record] = session.scalars(select(RecordOnFile).where(
            RecordOnFile.source_case_id == case_id)).all()
        assert record.expires_on == expires
        assert record.passport_key == passport_key("C01X00T47")
        run_reminders(session=session, context=runtime.validation())
    with runtime.session_factory() as session:
        [letter] = session.scalars(select(SentMessage).where(
            SentMessage.kind == "expiry_reminder")).all()
        assert expires.isoformat() in letter.body
