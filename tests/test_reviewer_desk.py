"""The reviewer's desk in Debian's Chromium, used as a reviewer uses it: pages beside the fields,
the keyboard, words instead of codes, what to do next; the queue's filters, search and paging;
the operators' dashboard; an accessible name on every control; screenshots at 1280×800 in both
languages (build/screenshots/)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from extractors.cover_sheet import make_cover_sheet
from intake.scans import intake_scans
from mailroom import samples
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.cases import change_status, find_or_add_applicant, open_case
from storage.enums import CaseStatus, Role
from storage.users import add_user
from tests.helpers import drop, image_widths
from tests.test_web_browser import SCREENSHOTS
from web.passwords import hash_password

pytestmark = pytest.mark.slow
PASSWORD = "correct horse battery"
ERIKA = samples.APPLICANTS[0]
MRZ = samples.td3_lines(surname="MUSTERMANN", given_names="ERIKA", nationality="D",
                        number="C01X00T47", birth="840812", sex="F", expiry="310228")
LABELLED = """els => els.filter(e => e.type !== 'hidden').filter(e => {
  const labelled = (e.labels && Array.from(e.labels).some(l => l.textContent.trim()))
    || (e.getAttribute('aria-label') || '').trim() || e.getAttribute('aria-labelledby')
    || (e.tagName === 'BUTTON' && e.textContent.trim());
  return !labelled;
}).map(e => e.outerHTML.slice(0, 120))"""


def _staff(runtime: Runtime, name: str, role: Role, group: str | None = None) -> None:
    with runtime.session_factory.begin() as session:
        add_user(session=session, name=name, role=role, reviewer_group=group, language="en",
                 password_hash=hash_password(PASSWORD, user_name=name))


def _posted_application(runtime: Runtime) -> str:
    """A printed, filled and scanned form, then the passport page and the photo behind the
    case's cover sheet: the form's fields are machine-read suggestions, the MRZ is verified."""
    [reference] = _post(runtime, "form.tiff", samples.multipage_tiff([
        samples.pdf_page_image(samples.application_form(ERIKA), dpi=200)]))
    _post(runtime, "passport-and-photo.tiff", samples.multipage_tiff([
        samples.pdf_page_image(make_cover_sheet(reference)), samples.passport_page(MRZ, dpi=300),
        samples.passport_photo(seed=4).convert("L")]))
    return reference


def _post(runtime: Runtime, name: str, data: bytes) -> list[str]:
    drop(runtime.scan_folders().root, name, data)
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    return [r for o in process_pending(runtime) for r in o.case_references]


def _sign_in(page: Page, base: str, name: str, target: str) -> None:
    page.goto(f"{base}{target}")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    expect(page).to_have_url(re.compile(re.escape(target.split("?")[0])))


def _desk_ready(page: Page) -> None:
    """The page's script has run: its keys answer (a key pressed before would be lost)."""
    expect(page.locator("html")).to_have_attribute("data-desk", "ready")


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000


def _unlabelled(page: Page) -> list[str]:
    return page.locator("input, select, textarea, button").evaluate_all(LABELLED)


def test_a_reviewer_works_a_case_from_the_keyboard_beside_its_pages(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    reference = _posted_application(runtime)
    _staff(runtime, "li", Role.REVIEWER, "visa")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _sign_in(page, web_server, "li", f"/cases/{reference}")

    # why it is here, and what to do: claim it
    expect(page.locator("#next-step")).to_contain_text("Claim the case")
    expect(page.locator("#deadline")).to_contain_text("working days left")
    assert page.locator("#approve").count() == 0  # not an action before claiming
    page.click("#claim")
    expect(page.locator("#status")).to_have_attribute("data-status", "in_review")
    expect(page.locator("#next-step")).to_contain_text("Check each field")
    _desk_ready(page)

    # side by side at 1280×800: the page on the left, the fields on the right, both on screen
    viewer, panel = page.locator(".viewer").bounding_box(), page.locator(".panel").bounding_box()
    assert viewer and panel and viewer["x"] + viewer["width"] <= panel["x"] + 1
    assert viewer["y"] < 800 and panel["y"] < 800
    assert image_widths(page, "#page-view")[0] > 0
    assert page.locator(".thumb").count() == 3

    # words, with the code on hover
    surname = page.locator("#field-surname th")
    expect(surname).to_have_text("Surname")
    expect(surname).to_have_attribute("title", "surname")
    expect(page.locator("#field-application_type td").first).to_have_text("Visa extension")

    # j walks the fields: each shows its page with the place it was read outlined
    form_page = page.locator(".thumb").nth(0).get_attribute("data-src")
    passport_page = page.locator(".thumb").nth(1).get_attribute("data-src")
    first = page.locator("tr[data-field]").first.get_attribute("data-field")
    page.keyboard.press("j")
    expect(page.locator("tr.current")).to_have_attribute("data-field", first or "")
    expect(page.locator("#highlight")).to_be_visible()
    assert page.locator("#page-view").get_attribute("src") == form_page
    rows = page.locator("tr[data-field]").count()
    for _ in range(rows - 1):
        page.keyboard.press("j")
    expect(page.locator("tr.current")).to_have_attribute("data-field", "mrz")
    assert page.locator("#page-view").get_attribute("src") == passport_page
    expect(page.locator("#highlight")).to_be_visible()

    # c confirms the field in hand; the page comes back on the same field
    for _ in range(rows - 1):
        page.keyboard.press("k")
    expect(page.locator("tr.current")).to_have_attribute("data-field", "surname")
    page.keyboard.press("c")
    expect(page.locator("#field-surname")).to_contain_text("confirmed")
    _desk_ready(page)
    expect(page.locator("tr.current")).to_have_attribute("data-field", "surname")
    # e edits it; pages, zoom and rotation from the keyboard
    page.keyboard.press("e")
    expect(page.locator("#value-surname")).to_be_focused()
    page.locator("#field-surname").focus()  # back out of the text box, as Tab or a click would
    page.keyboard.press("n")
    expect(page.locator("#page-label")).to_contain_text("2 / 3")
    page.keyboard.press("+")
    assert float(page.locator("#paper").get_attribute("data-zoom") or 1) > 1
    page.keyboard.press("r")
    expect(page.locator("#paper")).to_have_attribute("data-turn", "90")
    page.keyboard.press("0")
    _shot(page, "desk-en-1280x800")
    assert _unlabelled(page) == []

    page.click("#language")
    expect(page.locator("#field-surname th")).to_have_text("姓")
    expect(page.locator("#field-application_type td").first).to_have_text("签证延期")
    visible = page.locator(".panel").inner_text()
    for code in ("visa_extension", "given_names", "passport_number", "return_carrier",
                 "in_review", "field_corrected"):
        assert code not in visible, code
    _shot(page, "desk-zh-1280x800")


def _many_cases(runtime: Runtime, count: int) -> list[str]:
    today = dt.date.today()
    references = []
    with runtime.session_factory.begin() as session:
        for n in range(count):
            applicant = find_or_add_applicant(
                session=session, surname="OVERDUE" if n == 7 else f"PERSON{n:03d}",
                given_names="SAM", nationality="D", passport_number=f"C0{n:03d}X0T4")
            group, kind = (("visa", "visa_extension") if n % 2 else
                           ("residence", "residence_permit_work"))
            case = open_case(session=session, actor="test", applicant=applicant,
                             application_type=kind)
            case.reviewer_group = group
            case.due_date = today - dt.timedelta(days=3) if n == 7 else today + \
                dt.timedelta(days=30 + n)
            case.priority, case.priority_rank = ("urgent", 0) if n == 9 else ("normal", 4)
            for status in (CaseStatus.VALIDATING, CaseStatus.READY_FOR_REVIEW):
                change_status(session=session, case=case, to=status, actor="test")
            references.append(case.reference)
    return references


def test_the_queue_filters_searches_and_pages(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    references = _many_cases(runtime, 130)
    _staff(runtime, "chen", Role.SENIOR_REVIEWER)
    _staff(runtime, "li", Role.REVIEWER, "visa")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _sign_in(page, web_server, "chen", "/cases")
    assert page.locator("table.cases a[href^='/cases/MR-']").count() == 50
    assert page.locator("table.cases a").first.inner_text() == references[9]  # urgent first
    with page.expect_navigation():
        page.click("#next-page-link")
    expect(page).to_have_url(re.compile(r"page=2"))
    second = page.locator("table.cases a[href^='/cases/MR-']").all_inner_texts()
    assert len(second) == 50 and references[9] not in second
    with page.expect_navigation():
        page.click("#next-page-link")
    assert page.locator("table.cases a[href^='/cases/MR-']").count() == 30
    assert page.locator("#next-page-link").count() == 0

    # a passport number typed with the usual confusions (O for 0, I for 1)
    page.goto(f"{web_server}/cases")
    page.fill("#q", "CO1OOXOT4")  # stored as C0100X0T4
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table.cases a").all_inner_texts() == [references[100]]
    page.fill("#q", "overdue sam")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table.cases a").all_inner_texts() == [references[7]]
    page.goto(f"{web_server}/cases")
    page.select_option("#filter-deadline", "overdue")
    with page.expect_navigation():
        page.click("#apply-filter")
    assert page.locator("table.cases a").all_inner_texts() == [references[7]]
    page.goto(f"{web_server}/cases")
    page.select_option("#filter-type", "residence_permit_work")
    page.select_option("#filter-priority", "urgent")
    with page.expect_navigation():
        page.click("#apply-filter")
    assert page.locator("table.cases a").all_inner_texts() == []
    expect(page.locator("#filter-type option:checked")).to_have_text("Residence permit (work)")
    _shot(page, "cases-en-1280x800")
    assert _unlabelled(page) == []

    # a reviewer of one group finds only that group's cases, however they search
    reviewer = browser.new_page(viewport={"width": 1280, "height": 800})
    _sign_in(reviewer, web_server, "li", "/cases?q=CO1OOXOT4")
    assert reviewer.locator("table.cases a").all_inner_texts() == []  # a residence case
    reviewer.goto(f"{web_server}/queue")
    assert _unlabelled(reviewer) == []
    _shot(reviewer, "queue-en-1280x800")


def test_the_dashboard_links_every_figure_to_its_list(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    _many_cases(runtime, 12)
    _posted_application(runtime)
    drop(runtime.scan_folders().root, "broken.pdf", samples.corrupt_pdf())
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    _staff(runtime, "ops", Role.OPERATOR)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    _sign_in(page, web_server, "ops", "/dashboard")
    expect(page.locator("#quarantined")).to_have_text("1")
    ready = page.locator("#backlog a[href='/cases?status=ready_for_review']").last
    expect(ready).to_have_text("13")
    expect(page.locator("#deadlines a[href='/cases?deadline=overdue']")).to_contain_text("1")
    assert page.locator("#chart rect").count() >= 1
    _shot(page, "dashboard-en-1280x800")
    assert _unlabelled(page) == []
    with page.expect_navigation():
        page.click("#deadlines a[href='/cases?deadline=overdue']")
    assert page.locator("table.cases a[href^='/cases/MR-']").count() == 1
    page.click("#language")
    expect(page.locator("h1")).to_have_text("查找案件")  # the page came back in Chinese
    _shot(page, "cases-zh-1280x800")


def test_every_page_gives_each_control_an_accessible_name(
    runtime: Runtime, web_server: str, browser: Browser
) -> None:
    reference = _posted_application(runtime)
    _staff(runtime, "root", Role.ADMIN)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for path in ("/login", "/status"):
        page.goto(f"{web_server}{path}")
        assert _unlabelled(page) == [], path
    _sign_in(page, web_server, "root", "/queue")
    for path in ("/queue", "/cases", f"/cases/{reference}", "/dashboard", "/upload", "/triage",
                 "/problems"):
        page.goto(f"{web_server}{path}")
        assert _unlabelled(page) == [], path
