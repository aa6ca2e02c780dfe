"""Validation end to end: real e-mails through a real Dovecot, real OCR, real SMTP; then the
checklist states, flags, due dates and letters are what the office's policy says."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import io
from email.message import EmailMessage
from pathlib import Path

import pytest
from imapclient import IMAPClient
from pypdf import PdfReader
from sqlalchemy import select

from mailroom import sample_letters as letters
from mailroom import samples
from mailroom.config import OFFICE_TIME_ZONE, Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from processing.reminders import run_reminders
from processing.review import ReviewError, claim, claim_next, decide, recognise_urgency
from processing.validation import ValidationContext, validate_case
from servers.smtp import RecordingHandler
from storage.cases import get_case
from storage.enums import Role
from storage.models import CaseEvent, SentMessage, User, as_utc
from storage.users import add_user
from storage.views import case_view
from tests.helpers import deliver_mail, run_cli
from validators.working_days import add_working_days, load_calendar

pytestmark = pytest.mark.slow

ERIKA = samples.APPLICANTS[0]  # visa_extension, German passport C01X00T47
PERSON = letters.Person("MUSTERMANN", "ERIKA", "D", "C01X00T47")
PASSPORT = samples.td3_lines(surname="MUSTERMANN", given_names="ERIKA", nationality="D",
                             number="C01X00T47", birth="840812", sex="F", expiry="310228")


def passport_jpeg(lines: list[str] = PASSPORT) -> bytes:
    return samples.jpeg(samples.passport_page(lines, dpi=300))


def photo_jpeg() -> bytes:
    return samples.jpeg(samples.passport_photo(seed=1))


def form(**changes: str) -> bytes:
    return samples.application_form({**ERIKA, **changes})


def mail(sender: str, subject: str, parts: dict[str, bytes], **headers: str) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, "intake@office.example", subject
    for key, value in headers.items():
        message[key.replace("_", "-")] = value
    message.set_content("Please find my application attached.")
    for name, data in parts.items():
        maintype, subtype = ("application", "pdf") if name.endswith(".pdf") else ("image", "jpeg")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def deliver(runtime: Runtime, mailbox: IMAPClient, *raw: bytes) -> list[str]:
    return [ref for outcome in deliver_mail(runtime, mailbox, *raw)
            for ref in outcome.case_references]


def view(runtime: Runtime, reference: str) -> dict:
    with runtime.session_factory.begin() as session:
        return case_view(get_case(session=session, reference=reference))


def states(case: dict) -> dict[str, str]:
    return {item["material"]: item["state"] for item in case["checklist"]}


def flags(case: dict) -> set[str]:
    return {flag["code"] for flag in case["flags"]}


def sent(smtp: RecordingHandler) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[misc]
            for _, _, content in smtp.messages]


def test_a_complete_application_is_accepted_with_a_receipt_and_kept_on_file(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    case = view(runtime, reference)
    assert case["status"] == "ready_for_review"
    assert states(case) == {"application_form": "provided", "passport": "provided",
                            "photo": "provided"}
    # an e-mailed scan shows the passport exists; the passport itself must still come
    assert flags(case) == {"original_not_arrived"}
    assert {i["material"]: i["arrived"] for i in case["checklist"]} == {
        "application_form": None, "passport": False, "photo": None}
    today = runtime.validation().today
    assert case["due_date"] == add_working_days(today, 3, runtime.validation().calendar).due.isoformat()
    assert case["priority"] == "normal" and case["reviewer_group"] == "visa"

    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    receipt_mail = next(m for m in sent(smtp_server) if "Acceptance receipt" in m["Subject"])
    [attachment] = list(receipt_mail.iter_attachments())
    assert attachment.get_filename() == f"receipt-{reference}.pdf"
    receipt = PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert reference in receipt and case["due_date"] in receipt and "Passport" in receipt

    # A later application of the same applicant: the photo is on file; the passport is not —
    # the renewed visa is affixed into it, so it must come again
    [later] = deliver(runtime, mailbox, mail("erika@example.org", "Visa renewal", {
        "form.pdf": form(application_type="visa_renewal")}))
    assert later != reference
    renewal = view(runtime, later)
    assert states(renewal) == {"application_form": "provided", "passport": "missing",
                               "photo": "on_file"}
    assert reference in next(i["on_file"] for i in renewal["checklist"]
                             if i["material"] == "photo")
    assert renewal["status"] == "needs_materials"
    # a Chinese citizen's travel permit is not affixed into anything: its photo on file serves
    [permit] = deliver(runtime, mailbox, mail("erika@example.org", "Permit", {
        "form.pdf": form(application_type="cn_hk_macao_permit")}))
    assert states(view(runtime, permit)) == {"application_form": "provided", "photo": "on_file"}


def test_missing_materials_are_requested_at_once_and_a_reply_completes_the_case(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension",
                                                 {"form.pdf": form()}))
    case = view(runtime, reference)
    assert case["status"] == "needs_materials"
    assert states(case)["passport"] == states(case)["photo"] == "missing"
    assert "photo_missing" in flags(case) and case["due_date"] is None
    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    [request] = [m for m in sent(smtp_server) if "Request for materials" in m["Subject"]]
    body = request.get_content()
    assert f"[{reference}]" in request["Subject"]
    assert "1. passport" in body and "2. passport photo" in body and "护照" in body
    reply_by = add_working_days(runtime.validation().today, 10, runtime.validation().calendar).due
    assert reply_by.isoformat() in body

    # The applicant answers the request with both; no reference in the subject.
    [again] = deliver(runtime, mailbox, mail("erika@example.org", "here they are", {
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()},
        In_Reply_To=request["Message-ID"]))
    assert again == reference
    case = view(runtime, reference)
    assert case["status"] == "ready_for_review" and "photo_missing" not in flags(case)
    kinds = [m["kind"] for m in case["messages_sent"]]
    assert kinds.count("request_for_materials") == 1 and kinds.count("acceptance_receipt") == 1


def test_a_personal_statement_waives_a_certificate_and_the_promise_is_followed_up(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    statement = letters.letter_pdf(letters.personal_statement(
        PERSON, "kinship_notarization", "en", promised_by=None, signed_on="2026-11-20"))
    health = letters.letter_pdf(letters.certificate("health_certificate", PERSON, "en"))
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Family permit", {
        "form.pdf": form(application_type="residence_permit_family"),
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg(),
        "statement.pdf": statement, "health.pdf": health}))
    case = view(runtime, reference)
    assert states(case)["kinship_notarization"] == "waived"
    [item] = [i for i in case["checklist"] if i["material"] == "kinship_notarization"]
    assert item["waiver"]["promised_by"] == "2026-12-20"  # "within one month" of the statement
    assert case["status"] == "ready_for_review"

    context = runtime.validation()
    week_before = dataclasses.replace(context, today=dt.date(2026, 12, 13))
    for _ in range(2):  # the daily round twice: one reminder
        with runtime.session_factory.begin() as session:
            run_reminders(session=session, context=week_before)
    with runtime.session_factory.begin() as session:
        reminders = session.scalars(select(SentMessage).where(
            SentMessage.kind == "promise_reminder")).all()
        assert len(reminders) == 1 and "2026-12-20" in reminders[0].body

    after = dataclasses.replace(context, today=dt.date(2026, 12, 21))
    with runtime.session_factory.begin() as session:
        report = run_reminders(session=session, context=after)
    assert report.promises_broken == 1
    assert "promise_unkept" in flags(view(runtime, reference))

    # The notarization arrives after all: the promise is kept and the flag goes.
    notarization = letters.letter_pdf(letters.certificate("kinship_notarization", PERSON, "en"))
    deliver(runtime, mailbox, mail("erika@example.org", f"[{reference}] notarization",
                                   {"notarization.pdf": notarization}))
    case = view(runtime, reference)
    assert states(case)["kinship_notarization"] == "provided"
    assert case["waivers"][0]["kept"] is True and "promise_unkept" not in flags(case)


def test_a_statement_cannot_waive_the_passport(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    statement = letters.letter_pdf(letters.personal_statement(
        PERSON, "passport", "en", promised_by="2026-12-01"))
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "photo.jpg": photo_jpeg(), "statement.pdf": statement}))
    case = view(runtime, reference)
    assert states(case)["passport"] == "missing" and case["status"] == "needs_materials"
    assert "not_waivable" in flags(case)


def residence_permit_without_employment_letter() -> bytes:
    return mail("erika@example.org", "Residence permit", {
        "form.pdf": form(application_type="residence_permit_work"),
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg(),
        "permit.pdf": letters.letter_pdf(letters.certificate("work_permit", PERSON, "en")),
        "health.pdf": letters.letter_pdf(letters.certificate("health_certificate", PERSON, "en"))})


def test_one_personnel_list_covers_every_employee_it_names(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    hanako = letters.Person("TANAKA", "HANAKO", "JPN", "TZ0000001")
    listing = letters.letter_pdf(letters.personnel_list(
        "Hangzhou Example Technology Co., Ltd.", [PERSON, hanako], "en"))
    deliver(runtime, mailbox, mail("hr@example-tech.cn", "Personnel list", {"list.pdf": listing}))

    [reference] = deliver(runtime, mailbox, residence_permit_without_employment_letter())
    case = view(runtime, reference)
    assert states(case)["employment_letter"] == "on_file"
    note = next(i["on_file"] for i in case["checklist"] if i["material"] == "employment_letter")
    assert "Hangzhou Example Technology" in note
    assert case["status"] == "ready_for_review" and case["reviewer_group"] == "residence"


def test_an_agent_needs_an_authorization_letter_and_is_recorded(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    agent = {"agent_name": "Hangzhou Example Technology Co., Ltd.", "agent_relation": "employer"}
    [reference] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "On behalf of Erika", {
        "form.pdf": form(**agent), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    case = view(runtime, reference)
    assert states(case)["authorization_letter"] == "missing"
    assert case["agent"] == {"name": agent["agent_name"], "relation": "employer"}
    authorization = letters.letter_pdf(letters.authorization_letter(
        PERSON, agent["agent_name"], "employer", "en"))
    deliver(runtime, mailbox, mail("hr@example-tech.cn", f"[{reference}] authorization",
                                   {"authorization.pdf": authorization}))
    assert view(runtime, reference)["status"] == "ready_for_review"


def test_the_form_is_checked_against_the_passport_and_priorities_apply(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    [mismatch] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(date_of_birth="1984-08-21", requested_until="2031-02-01", signature=""),
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    assert {"date_of_birth_differs", "passport_expires_early", "form_unsigned"} <= flags(
        view(runtime, mismatch))

    [emergency] = deliver(runtime, mailbox, mail("erika@example.org", "Urgent", {
        "form.pdf": form(urgency="emergency_critical_illness"),
        "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    case = view(runtime, emergency)
    assert case["priority"] == "normal" and "emergency_without_support" in flags(case)
    notice = letters.letter_pdf(letters.certificate("supporting_document", PERSON, "en"))
    deliver(runtime, mailbox, mail("erika@example.org", f"[{emergency}] hospital notice",
                                   {"notice.pdf": notice}))
    case = view(runtime, emergency)
    assert case["priority"] == "emergency" and "emergency_without_support" not in flags(case)

    [urgent] = deliver(runtime, mailbox, mail("erika@example.org", "Epidemic response", {
        "form.pdf": form(urgency="urgent_epidemic"), "passport.jpg": passport_jpeg(),
        "photo.jpg": photo_jpeg()}))
    case = view(runtime, urgent)
    assert case["priority"] == "urgent"
    # the 24-hour service counts calendar hours from receipt, weekends and holidays too
    with runtime.session_factory() as session:
        stored = get_case(session=session, reference=urgent)
        assert as_utc(stored.due_at) == as_utc(stored.created_at) + dt.timedelta(hours=24)
        due_in_office = as_utc(stored.due_at).astimezone(OFFICE_TIME_ZONE)
    assert case["due_date"] == due_in_office.date().isoformat()
    assert case["due_at"] == due_in_office.isoformat(timespec="minutes")


def test_an_emergency_with_its_proof_is_expedited_to_the_shorter_limit(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    """Text 002: a citizen's passport in 7 working days, 5 when expedited — and an emergency
    (a funeral abroad) with its written proof meets the conditions for expedited processing."""
    notice = letters.letter_pdf(letters.certificate("supporting_document", PERSON, "en"))
    [proven] = deliver(runtime, mailbox, mail("erika@example.org", "Funeral abroad", {
        "form.pdf": form(application_type="cn_passport", urgency="emergency_wedding_funeral"),
        "photo.jpg": photo_jpeg(), "notice.pdf": notice}))
    [unproven] = deliver(runtime, mailbox, mail("erika@example.org", "Funeral abroad", {
        "form.pdf": form(application_type="cn_passport", urgency="emergency_wedding_funeral"),
        "photo.jpg": photo_jpeg()}))
    context = runtime.validation()
    due_in = {days: add_working_days(context.today, days, context.calendar).due.isoformat()
              for days in (5, 7)}
    case = view(runtime, proven)
    assert case["priority"] == "emergency" and case["due_date"] == due_in[5]
    case = view(runtime, unproven)
    assert case["priority"] == "normal" and case["due_date"] == due_in[7]
    assert "emergency_without_support" in flags(case)


def test_a_deadline_into_an_unpublished_year_is_provisional_then_recomputed(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, tmp_path: Path
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Passport", {
        "form.pdf": form(application_type="cn_passport"), "photo.jpg": photo_jpeg()}))
    # The same case, as if it had become complete on 29 December: 7 working days reach 2027,
    # whose schedule the calendar package does not know.
    year_end = dataclasses.replace(runtime.validation(), today=dt.date(2026, 12, 29))
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        case.completed_on = year_end.today
        validate_case(session=session, case=case, context=year_end)
    case = view(runtime, reference)
    assert case["status"] == "ready_for_review"
    # weekdays but the statutory New Year's Day: 30, 31 Dec, 4, 5, 6, 7, 8 Jan
    assert case["due_date"] == "2027-01-08"
    assert case["due_date_provisional"] is True and "deadline_provisional" in flags(case)

    schedule = tmp_path / "holidays.yaml"
    schedule.write_text("years:\n  2027:\n    holidays: [2027-01-01, 2027-01-04, 2027-01-05]\n")
    published = dataclasses.replace(year_end, calendar=load_calendar(schedule))
    with runtime.session_factory.begin() as session:
        assert run_reminders(session=session, context=published).deadlines_recomputed == 1
    case = view(runtime, reference)
    assert case["due_date"] == "2027-01-12"  # 30, 31 Dec, 6, 7, 8, 11, 12 Jan
    assert case["due_date_provisional"] is False and "deadline_provisional" not in flags(case)
    assert "office 2027" in case["calendar_version"]


def test_permits_on_file_are_reminded_before_they_expire(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    permit = letters.letter_pdf(letters.certificate("residence_permit", PERSON, "en",
                                                    valid_until="2026-12-15"))
    deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg(),
        "permit.pdf": permit}))
    context: ValidationContext = dataclasses.replace(runtime.validation(),
                                                     today=dt.date(2026, 11, 20))
    for _ in range(2):
        with runtime.session_factory.begin() as session:
            run_reminders(session=session, context=context)
    with runtime.session_factory.begin() as session:
        [reminder] = session.scalars(select(SentMessage).where(
            SentMessage.kind == "expiry_reminder")).all()
        assert "2026-12-15" in reminder.body and "到期" in reminder.body


def test_an_office_edits_its_policy_and_open_cases_follow(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler,
    cli_env: dict[str, str], tmp_path: Path,
) -> None:
    from tests.helpers import run_cli
    from validators.policy import POLICY_FILE

    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg()}))
    assert view(runtime, reference)["status"] == "needs_materials"  # no photo
    edited = tmp_path / "policy.yaml"
    edited.write_text(POLICY_FILE.read_text(encoding="utf-8").replace(
        "  visa_extension:\n    required: [application_form, passport, photo]",
        "  visa_extension:\n    required: [application_form, passport]"), encoding="utf-8")
    result = run_cli(["cases", "revalidate"], {**cli_env, "MAILROOM_POLICY_FILE": str(edited)})
    assert result.returncode == 0, result.stderr
    assert f"{reference}: needs_materials -> ready_for_review" in result.stdout
    assert "re-validating" not in result.stdout + result.stderr  # no bar when not a terminal
    assert states(view(runtime, reference)) == {"application_form": "provided",
                                                "passport": "provided"}


def test_a_list_naming_someone_else_for_the_passport_number_is_flagged(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    other = letters.Person("MUSTERFRAU", "ERNA", "D", "C01X00T47")  # the number, another name
    listing = letters.letter_pdf(letters.personnel_list(
        "Hangzhou Example Technology Co., Ltd.", [other], "en"))
    deliver(runtime, mailbox, mail("hr@example-tech.cn", "Personnel list", {"list.pdf": listing}))
    [reference] = deliver(runtime, mailbox, residence_permit_without_employment_letter())
    case = view(runtime, reference)
    # the number alone does not make the list this applicant's: not counted, and said why
    assert states(case)["employment_letter"] == "missing"
    [flag] = [f for f in case["flags"] if f["code"] == "listed_name_differs"]
    assert "MUSTERFRAU ERNA" in flag["message"] and "MUSTERMANN ERIKA" in flag["message"]
    assert "does not count" in flag["message"]


def test_a_passport_whose_mrz_cannot_be_vouched_for_is_kept_and_the_reviewer_told_why(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    # the document number's check digit as printed does not match: a misprint, or a forgery
    line2 = PASSPORT[1]
    wrong = str((int(line2[9]) + 3) % 10)
    lines = [PASSPORT[0], line2[:9] + wrong + line2[10:]]
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(lines), "photo.jpg": photo_jpeg()}))

    case = view(runtime, reference)
    # the applicant sent the passport page: it is on the case, never asked for again
    assert states(case)["passport"] == "provided" and case["status"] != "needs_materials"
    [unverified] = [f for f in case["flags"] if f["code"] == "mrz_unverified"]
    assert "the document number does not match its check digit" in unverified["message"]
    with runtime.session_factory.begin() as session:
        passport = next(d for d in get_case(session=session, reference=reference).documents
                        if d.kind.value == "passport")
        assert passport.fields["mrz_unverified"]["lines"][1][9] == wrong
        assert "mrz" not in passport.fields  # never counted as read


def test_a_citizen_registered_in_another_province_is_given_twenty_working_days(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    context = runtime.validation()
    due = {}
    for registration in ("in_province", "out_of_province"):
        [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Passport", {
            "form.pdf": form(application_type="cn_passport", household_registration=registration),
            "photo.jpg": photo_jpeg()}))
        case = view(runtime, reference)
        assert case["status"] == "ready_for_review"
        due[registration] = case["due_date"]
    # text 002: 7 working days for residents of the province, 20 for those registered outside it
    assert due == {
        "in_province": add_working_days(context.today, 7, context.calendar).due.isoformat(),
        "out_of_province": add_working_days(context.today, 20, context.calendar).due.isoformat()}


def test_the_green_channel_counts_once_the_employer_says_the_applicant_resumes_work(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    [ordinary] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    [resuming] = deliver(runtime, mailbox, mail("erika@example.org", "Back to work", {
        "form.pdf": form(urgency="green_channel"), "passport.jpg": passport_jpeg(),
        "photo.jpg": photo_jpeg()}))
    case = view(runtime, resuming)
    # text 003 gives priority to those resuming work: claimed without proof, it is not granted
    assert case["priority"] == "normal" and "green_channel_without_support" in flags(case)

    letter = letters.letter_pdf(letters.organization_letter(
        "employment_letter", "Hangzhou Example Technology Co., Ltd.", PERSON, "en"))
    deliver(runtime, mailbox, mail("hr@example-tech.cn", f"[{resuming}] resumption of work",
                                   {"employment.pdf": letter}))
    case = view(runtime, resuming)
    assert case["priority"] == "green_channel" and "green_channel_without_support" not in flags(case)
    with runtime.session_factory.begin() as session:  # and it is served before the older case
        reviewer = add_user(session=session, name="wu", role=Role.REVIEWER, reviewer_group="visa",
                            password_hash="x")
        first = claim_next(session=session, user=reviewer)
        assert first is not None and first.reference == resuming != ordinary


def test_an_urgent_matter_only_a_senior_reviewer_recognises_and_the_decision_is_kept(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, cli_env: dict[str, str]
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Passport, urgent", {
        "form.pdf": form(application_type="cn_passport", urgency="emergency_other",
                         urgency_reason="contract signing abroad moved forward"),
        "photo.jpg": photo_jpeg()}))
    context = runtime.validation()
    case = view(runtime, reference)
    # text 002: "other urgent matters recognised by the office": normal until the office says so
    assert case["priority"] == "normal" and "urgency_awaits_recognition" in flags(case)
    assert case["due_date"] == add_working_days(context.today, 7, context.calendar).due.isoformat()

    with runtime.session_factory.begin() as session:
        for name, role in (("li", Role.REVIEWER), ("qian", Role.SENIOR_REVIEWER)):
            add_user(session=session, name=name, role=role, reviewer_group="citizens",
                     password_hash="x")
    with runtime.session_factory.begin() as session:
        reviewer = session.scalars(select(User).where(User.name == "li")).one()
        with pytest.raises(ReviewError, match="senior reviewer"):
            recognise_urgency(session=session, case=get_case(session=session, reference=reference),
                              user=reviewer, reason="looks urgent", context=context)
    with runtime.session_factory.begin() as session:  # already in a reviewer's hands
        senior = session.scalars(select(User).where(User.name == "qian")).one()
        assert claim(session=session, case=get_case(session=session, reference=reference),
                     user=senior)
    failed = run_cli(["cases", "recognise-urgency", reference, "--by", "qian", "--reason", " "],
                     cli_env)
    assert failed.returncode != 0 and "Say why" in failed.stderr + failed.stdout

    done = run_cli(["cases", "recognise-urgency", reference, "--by", "qian", "--reason",
                    "the signing is in five days; the invitation was shown at the window"], cli_env)
    assert done.returncode == 0, done.stderr
    case = view(runtime, reference)
    assert case["priority"] == "emergency" and "urgency_awaits_recognition" not in flags(case)
    assert case["status"] == "in_review"  # still with its reviewer
    # expedited: 5 working days for a citizen's passport, counted from the same day
    assert case["due_date"] == add_working_days(context.today, 5, context.calendar).due.isoformat()
    with runtime.session_factory.begin() as session:
        [event] = session.scalars(select(CaseEvent).where(
            CaseEvent.action == "urgency_recognised")).all()
        assert event.actor == "qian" and "five days" in event.detail["reason"]


def delivery_failure(returned: SentMessage) -> bytes:
    """A mail server's delivery status notification (RFC 3464) returning one of our letters."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: intake@office.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your message "
        "could not be delivered.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n"
        f"\r\nFinal-Recipient: rfc822; {returned.to_address}\r\nAction: failed\r\n"
        "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\r\n"
        "--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: intake@office.example\r\nTo: {returned.to_address}\r\n"
        f"Subject: {returned.subject}\r\nMessage-ID: {returned.message_id}\r\n"
        "--b--\r\n").encode()


def test_a_bounced_letter_goes_again_by_post_and_so_do_the_later_ones(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings
) -> None:
    [reference] = deliver(runtime, mailbox, mail("erika@example.org", "Visa extension", {
        "form.pdf": form(), "passport.jpg": passport_jpeg(), "photo.jpg": photo_jpeg()}))
    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    with runtime.session_factory() as session:
        receipt = next(m for m in get_case(session=session, reference=reference).messages_sent
                       if m.kind == "acceptance_receipt")
        assert receipt.status == "sent"
        session.expunge(receipt)

    deliver(runtime, mailbox, delivery_failure(receipt))
    deliver(runtime, mailbox, delivery_failure(receipt))  # the same report again: nothing more
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        receipts = [m for m in case.messages_sent if m.kind == "acceptance_receipt"]
        assert [(m.channel, m.status) for m in receipts] == [("email", "bounced"),
                                                              ("post", "to_print")]
        posted = receipts[1]
        assert "1 Sample Road, Hangzhou" in posted.to_address and "MUSTERMANN" in posted.to_address
        assert posted.attachment_sha256 == receipt.attachment_sha256  # the receipt PDF too
        assert case.email_undeliverable_since is not None
        reviewer = add_user(session=session, name="li", role=Role.REVIEWER,
                            reviewer_group="visa", password_hash="x")
        decide(session=session, case=case, user=reviewer, decision="approve",
               context=runtime.validation())
        session.commit()
        decision = next(m for m in case.messages_sent if m.kind == "decision")
        assert decision.channel == "post"  # the decision never tries the dead address again
