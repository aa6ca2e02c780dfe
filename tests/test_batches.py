"""An organisation applies for many at once (issue #16): one case per applicant, every document
in its applicant's case, lists kept on file for everyone they name in either order of arrival,
what names no one before a clerk with the batch, one letter to the organisation."""

from __future__ import annotations

import copy
import email
import email.policy
import io
import json
import zipfile
from email.message import EmailMessage

import pytest
from imapclient import IMAPClient
from PIL import Image
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from mailroom import sample_letters as letters
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from servers.smtp import RecordingHandler
from storage.enums import Role
from storage.models import Batch, Document
from storage.users import add_user
from tests.helpers import WRAPPING_LIST, drop, intake_and_process_scans, printed_page, run_cli
from tests.test_validation_scenarios import deliver, flags, mail, photo_jpeg, states, view
from web.passwords import hash_password

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery"

COMPANY = "Hangzhou Example Technology Co., Ltd."
STAFF = [letters.Person("DAVIES", "GEORGE", "GBR", "273693804"),
         letters.Person("TANAKA", "HANAKO", "JPN", "TZ0000001"),
         letters.Person("SILVA", "ANA", "BRA", "FZ5550123")]


def staff_form(person: letters.Person, **changes: str) -> bytes:
    return samples.application_form({
        **samples.APPLICANTS[1], "application_type": "residence_permit_work",
        "surname": person.surname, "given_names": person.given_names,
        "nationality": person.nationality, "passport_number": person.passport_number,
        "email": "", "employer_or_school": COMPANY, **changes})


def passport_of(person: letters.Person) -> bytes:
    lines = samples.td3_lines(surname=person.surname, given_names=person.given_names,
                              nationality=person.nationality, number=person.passport_number,
                              birth="900131", sex="F", expiry="320101")
    return samples.jpeg(samples.passport_page(lines, dpi=300))


def numbered_list(people: list[letters.Person]) -> bytes:
    """The ordinary numbered-line list an HR department types (no table)."""
    lines = [f"{COMPANY} applies for residence permits for the following employees:"]
    lines += [f"{i}. {p.surname}, {p.given_names} {p.nationality} passport {p.passport_number}"
              for i, p in enumerate(people, 1)]
    return letters.letter_pdf(letters.Letter("personnel_list_letter", "en", "PERSONNEL LIST",
                                             lines))


def test_a_batch_opens_one_case_per_applicant_and_files_each_document_with_its_person(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, settings: Settings,
    cli_env: dict[str, str],
) -> None:
    davies, tanaka, silva = STAFF
    references = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Residence permits", {
        "form-davies.pdf": staff_form(davies), "form-tanaka.pdf": staff_form(tanaka),
        "form-silva.pdf": staff_form(silva),
        "scan1.jpg": passport_of(tanaka), "scan2.jpg": passport_of(davies),
        "scan3.jpg": passport_of(silva),
        "photo_tanaka.jpg": photo_jpeg(),  # named only by its file name
        "list.pdf": numbered_list(STAFF),
        "notes.pdf": letters.letter_pdf(letters.Letter(
            "other", "en", "NOTE", ["Our office hours are 9 to 5."])),  # names no one
    }))
    assert len(references) == 3
    cases = {view(runtime, r)["applicant"]["surname"]: view(runtime, r) for r in references}
    assert set(cases) == {"DAVIES", "TANAKA", "SILVA"}
    scanned = {"TANAKA": "scan1.jpg", "DAVIES": "scan2.jpg", "SILVA": "scan3.jpg"}
    for person in STAFF:
        case = cases[person.surname]
        # the passport is this person's, found by its MRZ, not the first one in the message
        assert [d["filename"] for d in case["documents"] if d["kind"] == "passport"] == [
            scanned[person.surname]]
        assert states(case)["passport"] == "provided"
        # the list, held by the batch, stands for each named person's employment letter
        assert states(case)["employment_letter"] == "on_file"
        assert {d["kind"] for d in case["documents"]} <= {"application_form", "passport", "photo"}
    assert states(cases["TANAKA"])["photo"] == "provided"
    assert states(cases["DAVIES"])["photo"] == "missing"

    with runtime.session_factory.begin() as session:
        [batch] = session.scalars(select(Batch)).all()
        assert batch.organization == COMPANY and batch.contact_email == "hr@example-tech.cn"
        assert sorted(c.reference for c in batch.cases) == sorted(references)
        held = {d.filename: d.triage_reason for d in batch.documents}
        assert held["list.pdf"] is None and held["message.txt"] is None
        assert "names none of the batch's applicants" in (held["notes.pdf"] or "")
        assert session.scalars(select(Document).where(Document.case_id.is_(None),
                                                      Document.batch_id.is_(None))).all() == []

    # an operator sees the same from the command line
    shown = run_cli(["batches", "show", str(batch.id), "--json"], cli_env)
    assert shown.returncode == 0, shown.stderr
    view_json = json.loads(shown.stdout)
    assert {c["reference"] for c in view_json["cases"]} == set(references)
    assert [d["filename"] for d in view_json["names_no_one"]] == ["notes.pdf"]
    assert view_json["lists"][0]["people"] == 3

    # the organisation hears once, about every case and what each lacks
    send_outbox(settings=settings, session_factory=runtime.session_factory, blobs=runtime.blobs)
    letters_sent = [email.message_from_bytes(c, policy=email.policy.default)
                    for _, _, c in smtp_server.messages]
    assert len(letters_sent) == 1
    [letter] = letters_sent
    assert letter["To"] == "hr@example-tech.cn"
    body = letter.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    for reference in references:
        assert reference in body
    davies_line = next(line for line in body.splitlines() if "DAVIES" in line and ":" in line
                       and "still needs" in line)
    assert "passport photo" in davies_line and "work permit" in davies_line

    # HR answers that letter with materials for two people and a note: each to its case
    answer = mail("hr@example-tech.cn", "Re: " + str(letter["Subject"]), {
        "photo_davies.jpg": photo_jpeg(),
        "health.pdf": letters.letter_pdf(letters.certificate("health_certificate", silva, "en")),
        "notes.pdf": letters.letter_pdf(letters.Letter(
            "other", "en", "NOTE", ["More to follow next week."]))},
        In_Reply_To=str(letter["Message-ID"]))
    assert sorted(deliver(runtime, mailbox, answer)) == sorted(
        [cases["DAVIES"]["reference"], cases["SILVA"]["reference"]])
    assert states(view(runtime, cases["DAVIES"]["reference"]))["photo"] == "provided"
    assert states(view(runtime, cases["SILVA"]["reference"]))["health_certificate"] == "provided"
    with runtime.session_factory() as session:
        held = [d.filename for d in session.scalars(select(Document).where(
            Document.batch_id == batch.id, Document.triage_reason.is_not(None)))]
        assert sorted(held) == ["notes.pdf", "notes.pdf"]  # the first note and this one
        assert len(session.scalars(select(Batch)).all()) == 1  # the answer joined its batch


def test_a_list_arriving_after_the_forms_completes_their_cases_at_once(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    davies, tanaka, _ = STAFF
    [first] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Davies", {
        "form.pdf": staff_form(davies, application_type="work_and_residence_permit")}))
    [second] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Tanaka", {
        "form.pdf": staff_form(tanaka, application_type="work_and_residence_permit")}))
    assert states(view(runtime, first))["employment_letter"] == "missing"

    # a posted list, scanned at the office, in the ordinary numbered-line form
    scan = samples.png(letters.scan_of(numbered_list([tanaka, davies]), dpi=200, seed=3))
    drop(runtime.scan_folders().root, "hr-list.png", scan)
    [outcome] = intake_and_process_scans(runtime)
    assert outcome.case_references == [] and not outcome.needs_triage
    for reference in (first, second):
        case = view(runtime, reference)
        assert states(case)["employment_letter"] == "on_file", case["checklist"]
        assert "list_from_other_organization" not in flags(case)


def test_a_list_reaches_a_case_by_its_verified_passport_where_the_form_was_misread(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    # a scanned form's OCR (postal batches, bench/batches.py seed 2027) gave one applicant's
    # number as 791034885 for T91034885 and another's surname as "CHO!": the verified MRZ of
    # each one's own passport says who they are, and a list arriving after names them so
    davies, tanaka, _ = STAFF
    [first] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Davies", {
        "form.pdf": staff_form(davies, application_type="work_and_residence_permit",
                               passport_number="278693804"),
        "passport.jpg": passport_of(davies)}))
    [second] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Tanaka", {
        "form.pdf": staff_form(tanaka, application_type="work_and_residence_permit",
                               surname="TANAK!"),
        "passport.jpg": passport_of(tanaka)}))
    assert states(view(runtime, first))["employment_letter"] == "missing"

    deliver(runtime, mailbox, mail("hr@example-tech.cn", "Our list",
                                   {"list.pdf": numbered_list([tanaka, davies])}))

    for reference in (first, second):
        case = view(runtime, reference)
        assert states(case)["employment_letter"] == "on_file", case["checklist"]
        assert "listed_name_differs" not in flags(case)


def test_another_persons_passport_in_a_case_never_lets_their_list_entry_count(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    # Davies e-mails his form with a colleague's passport by mistake: the list names only the
    # colleague, and that entry is not Davies's employment letter by way of the wrong passport
    davies, tanaka, _ = STAFF
    [reference] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Davies", {
        "form.pdf": staff_form(davies, application_type="work_and_residence_permit"),
        "passport.jpg": passport_of(tanaka)}))

    deliver(runtime, mailbox, mail("hr@example-tech.cn", "Our list",
                                   {"list.pdf": numbered_list([tanaka])}))

    assert states(view(runtime, reference))["employment_letter"] == "missing"


def test_a_list_from_another_organisation_counts_only_with_a_flag(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    davies = STAFF[0]
    listing = letters.letter_pdf(letters.personnel_list("Ningbo Other Trading Ltd.",
                                                        [davies, STAFF[1]], "en"))
    deliver(runtime, mailbox, mail("hr@other.cn", "Our staff", {"list.pdf": listing}))
    [reference] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Davies", {
        "form.pdf": staff_form(davies, application_type="work_and_residence_permit")}))
    case = view(runtime, reference)
    assert states(case)["employment_letter"] == "on_file"
    [flag] = [f for f in case["flags"] if f["code"] == "list_from_other_organization"]
    assert "Ningbo Other Trading" in flag["message"] and COMPANY in flag["message"]


def test_an_agent_the_policy_does_not_allow_or_an_authorization_for_someone_else_is_flagged(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    davies, tanaka, _ = STAFF
    # permanent residence: text 000 item 6 lets no agent apply for it
    [permanent] = deliver(runtime, mailbox, mail("friend@example.org", "For George", {
        "form.pdf": staff_form(davies, application_type="permanent_residence",
                               agent_name="Li Lei", agent_relation="relative")}))
    assert "agent_not_allowed" in flags(view(runtime, permanent))

    # a visa extension by the employer, whose authorization is Tanaka's, not Davies's
    [extension] = deliver(runtime, mailbox, mail("hr@example-tech.cn", "For George", {
        "form.pdf": staff_form(davies, application_type="visa_extension", agent_name=COMPANY,
                               agent_relation="employer"),
        "authorization.pdf": letters.letter_pdf(letters.authorization_letter(
            tanaka, COMPANY, "employer", "en"))}))
    case = view(runtime, extension)
    assert "agent_not_allowed" not in flags(case)
    [flag] = [f for f in case["flags"] if f["code"] == "authorization_not_applicants"]
    assert "TZ0000001" in flag["message"]

    # the right letter clears it
    deliver(runtime, mailbox, mail("hr@example-tech.cn", f"[{extension}] authorization", {
        "authorization.pdf": letters.letter_pdf(letters.authorization_letter(
            davies, COMPANY, "employer", "zh"))}))
    assert not {"authorization_not_applicants", "authorization_other_agent",
                "authorization_does_not_cover"} & flags(view(runtime, extension))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the browser, not the SQL
def test_a_clerk_opens_the_batch_and_attaches_what_names_no_one(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler, web_server: str,
    browser: Browser
) -> None:
    davies, tanaka, _ = STAFF
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as forms:  # the forms zipped, as HR systems export them
        forms.writestr("applications/a.pdf", staff_form(davies))
        forms.writestr("applications/b.pdf", staff_form(tanaka))
    message = EmailMessage()
    message["From"], message["To"] = "hr@example-tech.cn", "intake@office.example"
    message["Subject"] = "Two applications"
    message.set_content("Our two applications.")
    message.add_attachment(archive.getvalue(), maintype="application", subtype="zip",
                           filename="applications.zip")
    message.add_attachment(photo_jpeg(), maintype="image", subtype="jpeg",
                           filename="certificate.jpg")  # a photo whose file name names no one
    references = deliver(runtime, mailbox, message.as_bytes())
    assert len(references) == 2
    with runtime.session_factory.begin() as session:
        add_user(session=session, name="wang", role=Role.CLERK,
                 password_hash=hash_password(PASSWORD, user_name="wang"))

    page = browser.new_page()
    page.goto(f"{web_server}/batches")
    page.fill("#name", "wang")
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.click("#language")  # English
    page.locator("#batches a").first.click()
    rows = page.locator("#batch-cases tr")
    expect(rows).to_have_count(3)  # the header and one row per applicant
    expect(page.locator("#batch-cases")).to_contain_text("DAVIES GEORGE")
    expect(page.locator("#batch-cases")).to_contain_text("Passport")  # what each lacks
    davies_case = next(r for r in references if view(runtime, r)["applicant"]["surname"]
                       == "DAVIES")
    expect(page.locator("form[action^='/triage/']")).to_have_count(1)  # only the photo waits
    page.fill("input[name=reference]", davies_case)
    page.click("button[value=attach]")
    expect(page.locator("#reference")).to_contain_text(davies_case)
    expect(page.locator("#batch")).to_be_visible()  # the case leads back to its batch
    assert states(view(runtime, davies_case))["photo"] == "provided"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the scans, not the SQL
def test_a_posted_lists_row_with_no_passport_number_is_shown_to_the_clerk_on_its_batch(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    # HR left one employee's passport number blank: the row names someone all the same, so
    # it is put before the clerk as read, not dropped
    listing = copy.deepcopy(WRAPPING_LIST)
    listing.blocks[1].rows[2][3] = ""  # Juan Carlos de la Cruz's number
    drop(runtime.scan_folders().root, "staff-list.png", samples.png(printed_page(listing, 3)))
    intake_and_process_scans(runtime)
    with runtime.session_factory.begin() as session:
        add_user(session=session, name="wang", role=Role.CLERK,
                 password_hash=hash_password(PASSWORD, user_name="wang"))

    page = browser.new_page()
    page.goto(f"{web_server}/batches")
    page.fill("#name", "wang")
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.click("#language")  # English
    page.locator("#batches a").first.click()
    held = page.locator(".list-held")
    expect(held).to_contain_text("Rows that could not be read")
    expect(held.locator("li")).to_have_count(1)
    expect(held.locator("li")).to_contain_text("Juan Carlos de la Cruz")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the scans, not the SQL
def test_a_postal_batch_is_split_per_person_even_with_two_forms_in_a_row(
    runtime: Runtime,
) -> None:
    davies, tanaka, _ = STAFF

    def scanned(pdf: bytes, seed: int) -> Image.Image:
        return letters.scan_of(pdf, dpi=200, seed=seed, angle=0.7)

    pages = [scanned(staff_form(davies), 1), scanned(staff_form(tanaka), 2),
             Image.open(io.BytesIO(passport_of(tanaka))).convert("L"),
             Image.open(io.BytesIO(passport_of(davies))).convert("L")]
    drop(runtime.scan_folders().root, "hr-batch.tiff", samples.multipage_tiff(pages))
    [outcome] = intake_and_process_scans(runtime)
    assert len(outcome.case_references) == 2
    for reference in outcome.case_references:
        case = view(runtime, reference)
        assert [d["kind"] for d in case["documents"]] == ["application_form", "passport"]
        assert states(case)["passport"] == "provided"  # its own: the MRZ matched the form
        assert "passport_number_differs" not in flags(case)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_list_of_people_who_are_not_employees_stands_for_no_employment_letter(
    runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler
) -> None:
    davies, tanaka, _ = STAFF
    not_staff = letters.letter_pdf(letters.Letter("personnel_list_letter", "en", "PERSONNEL LIST", [
        f"The persons listed below are not employees of {COMPANY}; they are experts of a "
        "partner firm visiting us:",
        *(f"{i}. {p.surname}, {p.given_names} {p.nationality} passport {p.passport_number}"
          for i, p in enumerate((davies, tanaka), 1))]))
    references = deliver(runtime, mailbox, mail("hr@example-tech.cn", "Visitors", {
        "a.pdf": staff_form(davies), "b.pdf": staff_form(tanaka), "list.pdf": not_staff}))
    assert len(references) == 2
    for reference in references:
        assert states(view(runtime, reference))["employment_letter"] == "missing"
    with runtime.session_factory() as session:
        [held] = [d for d in session.scalars(select(Document)) if d.filename == "list.pdf"]
        assert held.case_id is None and "not the organisation's employees" in (
            held.triage_reason or "")
