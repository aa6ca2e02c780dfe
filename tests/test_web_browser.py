"""The web app in a real browser: Debian's Chromium driven by Playwright (executable_path),
against cases made by the real pipeline (scan intake, processing, validation)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from extractors.cover_sheet import make_cover_sheet
from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.cases import get_case
from storage.enums import CaseStatus, Role
from storage.users import add_user
from tests.helpers import drop, image_widths
from web.passwords import hash_password

pytestmark = pytest.mark.slow
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
PASSWORD = "correct horse battery"


def _post(runtime: Runtime, name: str, data: bytes) -> list[str]:
    drop(runtime.scan_folders().root, name, data)
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    return [r for outcome in process_pending(runtime) for r in outcome.case_references]


def _ready_case(runtime: Runtime, applicant: dict[str, str], seed: int) -> str:
    """A Taiwan travel permit application (four eyes in the policy), posted in two parts: the
    form, then the photo behind the case's cover sheet."""
    [reference] = _post(runtime, f"form-{seed}.pdf", samples.application_form(
        {**applicant, "application_type": "cn_taiwan_permit"}))
    photo = samples.passport_photo(seed=seed).convert("L")
    _post(runtime, f"photo-{seed}.tiff", samples.multipage_tiff(
        [samples.pdf_page_image(make_cover_sheet(reference)), photo]))
    with runtime.session_factory() as session:
        assert get_case(session=session, reference=reference).status is CaseStatus.READY_FOR_REVIEW
    return reference


def _sign_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/queue")
    expect(page).to_have_url(f"{base}/login?next=/queue")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")


def test_review_in_the_browser_with_four_eyes(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    approve_me = _ready_case(runtime, samples.APPLICANTS[0], seed=1)
    ask_more = _ready_case(runtime, {**samples.APPLICANTS[1], "urgency": "urgent_epidemic"}, seed=2)
    with runtime.session_factory.begin() as session:
        for name in ("li", "zhao"):
            add_user(session=session, name=name, role=Role.REVIEWER, reviewer_group="citizens",
                     password_hash=hash_password(PASSWORD, user_name=name))

    page = browser.new_page()
    _sign_in(page, web_server, "li")
    expect(page.locator("h1")).to_have_text("待审队列")  # Chinese first
    page.click("#language")
    expect(page.locator("h1")).to_have_text("Review queue")  # and remembered for the user
    expect(page.locator(f"a[href='/cases/{approve_me}']")).to_be_visible()

    page.click(f"a[href='/cases/{approve_me}']")
    page.click("#claim")
    expect(page.locator("#status")).to_have_attribute("data-status", "in_review")
    widths = image_widths(page, ".thumb img")
    assert len(widths) >= 2  # the form and the photo, served behind the login
    assert all(width > 0 for width in widths)
    page.fill("#value-given_names", "ERIKA MARIA")
    page.click("#correct-given_names")
    expect(page.locator("#fields")).to_contain_text("ERIKA MARIA")
    expect(page.locator("#audit")).to_contain_text("field corrected")
    expect(page.locator("#audit")).to_contain_text("Given names: ERIKA → ERIKA MARIA")
    page.click("#approve")  # the first of two approvals
    expect(page.locator("#flags")).to_contain_text("Awaiting a second approval")
    expect(page.locator("#four-eyes")).to_contain_text("1 / 2 (li)")
    assert page.locator("#claim").count() == 0  # the first approver cannot take it back
    expect(page.locator("#status")).to_have_attribute("data-status", "ready_for_review")

    page.goto(f"{web_server}/cases/{ask_more}")
    # the 24-hour service: due at a moment, in calendar hours, not in working days
    expect(page.locator("#due-at")).to_contain_text(":")
    expect(page.locator("#deadline")).to_contain_text("calendar hours")
    page.click("#claim")
    page.check("#request-form input[value='photo']")
    page.click("#request-materials")
    expect(page.locator("#status")).to_have_attribute("data-status", "needs_materials")
    with runtime.session_factory() as session:
        letter = get_case(session=session, reference=ask_more).messages_sent[-1]
        assert letter.kind == "request_for_materials" and "1. passport photo" in letter.body
    expect(page.locator("details.letter").last).to_contain_text("Request for materials")

    page.click("text=Sign out")
    _sign_in(page, web_server, "zhao")
    page.click(f"a[href='/cases/{approve_me}']")
    page.click("#claim")
    page.click("#approve")
    expect(page.locator("#status")).to_have_attribute("data-status", "approved")
    # what was granted, for the reminders before it expires (text 001)
    expect(page.locator("#flags")).to_contain_text("granted (number, valid from, valid until)")
    kind = page.locator("#grants input[name='kind']").first.get_attribute("value")
    page.fill(f"#grant-number-{kind}", "g7654321")
    page.fill(f"#grant-from-{kind}", "2026-12-02")
    page.fill(f"#grant-until-{kind}", "2031-12-01")
    page.click(f"#record-grant-{kind}")
    expect(page.locator(f"#grant-number-{kind}")).to_have_value("G7654321")
    expect(page.locator("#flags")).not_to_contain_text("granted (number, valid from")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / "case-approved-by-two-reviewers.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=approve_me)
        assert case.status is CaseStatus.APPROVED
        assert [e.actor for e in case_events(session, case.id, "status_changed")][-1] == "zhao"
        assert [(g.number, g.valid_until.isoformat(), g.recorded_by) for g in case.grants] == [
            ("G7654321", "2031-12-01", "zhao")]


def case_events(session, case_id: int, action: str) -> list:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storage.models import CaseEvent

    return list(session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.action == action).order_by(CaseEvent.id)))


def test_a_senior_reviewer_recognises_an_urgent_matter_a_reviewer_cannot(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    reference = _ready_case(runtime, {**samples.APPLICANTS[0], "urgency": "emergency_other",
                                      "urgency_reason": "a contract signing abroad moved forward"},
                            seed=3)
    with runtime.session_factory.begin() as session:
        for name, role in (("li", Role.REVIEWER), ("qian", Role.SENIOR_REVIEWER)):
            add_user(session=session, name=name, role=role, reviewer_group="citizens",
                     language="en", password_hash=hash_password(PASSWORD, user_name=name))
    page = browser.new_page()
    _sign_in(page, web_server, "li")
    page.goto(f"{web_server}/cases/{reference}")
    expect(page.locator("#flags")).to_contain_text("a senior reviewer decides")
    assert page.locator("#recognise-urgency").count() == 0  # not a reviewer's decision

    page.click("text=Sign out")
    _sign_in(page, web_server, "qian")
    page.goto(f"{web_server}/cases/{reference}")
    page.fill("#urgency-reason", "the invitation for the signing was shown at the window")
    page.click("#recognise-urgency")
    expect(page.locator("#flags")).not_to_contain_text("a senior reviewer decides")
    expect(page.locator("#audit")).to_contain_text("urgent matter recognised")
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.priority == "emergency" and case.urgency_recognised_by == "qian"


def test_a_clerk_uploads_several_scans_and_an_oversized_one_is_refused(
    runtime: Runtime, web_server: str, browser: Browser, tmp_path: Path
) -> None:
    runtime.settings.upload_max_mb = 1
    with runtime.session_factory.begin() as session:
        add_user(session=session, name="wu", role=Role.CLERK, language="en",
                 password_hash=hash_password(PASSWORD, user_name="wu"))
    files = tmp_path / "from-the-scanner"
    files.mkdir()
    (files / "form.pdf").write_bytes(samples.application_form(samples.APPLICANTS[0]))
    (files / "letter.jpg").write_bytes(samples.jpeg(samples.text_page("Letter", ["to file"])))
    (files / "huge.tif").write_bytes(b"II*\x00" + bytes(1_500_000))  # over the 1 MB limit

    page = browser.new_page()
    page.goto(f"{web_server}/upload")
    page.fill("#name", "wu")
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    expect(page).to_have_url(f"{web_server}/upload")
    page.set_input_files("#files", [str(files / "form.pdf"), str(files / "letter.jpg"),
                                    str(files / "huge.tif")])
    page.click("#send")
    expect(page.locator("#saved")).to_have_text("form.pdf, letter.jpg")
    expect(page.locator("#refused")).to_contain_text("huge.tif is larger than the upload limit of 1 MB")

    scans = runtime.scan_folders().root
    # in the scan folder under their own names, nothing of the refused one, no half file
    assert sorted(p.name for p in scans.iterdir() if p.is_file()) == ["form.pdf", "letter.jpg"]
    assert (scans / "form.pdf").read_bytes() == (files / "form.pdf").read_bytes()
    # and the scanner's path takes them from there, like any scan
    outcomes = intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                            session_factory=runtime.session_factory, settle_seconds=0,
                            limits=runtime.limits)
    assert sorted(o.filename for o in outcomes) == ["form.pdf", "letter.jpg"]
    assert all(o.new and o.submission_id for o in outcomes)
    [reference] = [r for outcome in process_pending(runtime) for r in outcome.case_references]
    assert reference.startswith("MR-")

    # the same file again is kept under a free name, as a scanner's second copy would be
    page.set_input_files("#files", [str(files / "letter.jpg")])
    page.click("#send")
    expect(page.locator("#saved")).to_have_text("letter.jpg")
    page.set_input_files("#files", [str(files / "letter.jpg")])
    page.click("#send")
    expect(page.locator("#saved")).to_have_text("letter (2).jpg")
