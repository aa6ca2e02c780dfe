"""The web app over real HTTP (uvicorn on loopback): sign-in, roles on every route, CSRF,
escaping, who may see page images, the applicant status page; and atomic claiming."""

from __future__ import annotations

import io
import re
import threading
from http.cookies import SimpleCookie

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from mailroom.runtime import Runtime
from processing.review import claim_next, decide
from storage.cases import change_status, find_or_add_applicant, get_case, open_case
from storage.enums import CaseStatus, Channel, DocumentKind, Role, SubmissionStatus
from storage.models import Case, Document, Page, Submission, User
from storage.users import add_user
from tests.helpers import run_cli
from web.app import every_route
from web.passwords import hash_password

PASSWORD = "correct horse battery"
# a type the office's policy gives to each group (validation keeps a case in its type's group)
TYPE_OF_GROUP = {"visa": "visa_extension", "residence": "residence_permit_private",
                 "citizens": "cn_taiwan_permit"}


def _user(runtime: Runtime, name: str, role: Role, group: str | None = None) -> None:
    with runtime.session_factory.begin() as session:
        add_user(session=session, name=name, role=role, password_hash=hash_password(PASSWORD, user_name=name),
                 reviewer_group=group, language="en")


def _case(runtime: Runtime, *, group: str = "visa", four_eyes: bool = False,
          filename: str = "form.pdf", surname: str = "MUSTERMANN") -> str:
    with runtime.session_factory.begin() as session:
        applicant = find_or_add_applicant(session=session, surname=surname, given_names="ERIKA",
                                          nationality="D", passport_number=f"C0{len(surname)}X00T47")
        case = open_case(session=session, actor="test", applicant=applicant,
                         application_type=TYPE_OF_GROUP[group],
                         form_fields={"surname": surname, "given_names": "ERIKA"})
        case.reviewer_group, case.four_eyes = group, four_eyes
        submission = Submission(channel=Channel.SCAN, source="scan:test", filename=filename,
                                sha256=f"{case.id:064d}", size=3,
                                status=SubmissionStatus.PROCESSED)
        session.add(submission)
        session.flush()
        document = Document(submission_id=submission.id, sequence=1, case_id=case.id,
                            kind=DocumentKind.APPLICATION_FORM, filename=filename,
                            blob_sha256=runtime.blobs.put_bytes(b"%PDF-1.4"))
        session.add(document)
        session.flush()
        session.add(Page(document_id=document.id, number=1, width=1, height=1,
                         image_sha256=runtime.blobs.put_bytes(b"\x89PNG fake")))
        for status in (CaseStatus.VALIDATING, CaseStatus.READY_FOR_REVIEW):
            change_status(session=session, case=case, to=status, actor="test")
        return case.reference


class Browser:
    """httpx with the session cookie sent by hand: Python's cookie jar withholds Secure cookies
    from http://, which browsers (Chromium included) send to 127.0.0.1."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=base, follow_redirects=False, timeout=10)
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, path: str) -> httpx.Response:
        response = self._keep(self.http.get(path, headers=self._headers()))
        found = re.search(r'name="csrf" value="([^"]+)"', response.text)
        self.csrf = found.group(1) if found else self.csrf
        return response

    def post(self, path: str, data: dict | None = None, csrf: bool = True) -> httpx.Response:
        form = {**({"csrf": self.csrf} if csrf else {}), **(data or {})}
        return self._keep(self.http.post(path, data=form, headers=self._headers()))

    def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        page = self.get("/login")
        token = re.search(r'name="login_csrf" value="([^"]+)"', page.text)
        assert token is not None
        response = self.post("/login", {"name": name, "password": password,
                                        "login_csrf": token.group(1), "next": "/"}, csrf=False)
        self.get("/cases/none")  # any page: picks up the session's CSRF token
        return response

    def _headers(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}


def test_every_route_needs_a_session(runtime: Runtime, web_server: str) -> None:
    public = {"/login", "/status", "/carrier/kuaidi100/push", "/forms/application_form.pdf"}
    anonymous = Browser(web_server)
    checked = 0
    for route in every_route():
        path = getattr(route, "path", "")
        if path in public or not path.startswith("/"):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in getattr(route, "methods", set()) - {"HEAD"}:
            response = (anonymous.get(concrete) if method == "GET"
                        else anonymous.post(concrete, {"decision": "approve"}))
            if method == "GET":
                assert response.status_code == 303 and "/login" in response.headers["location"]
            else:
                assert response.status_code == 401, concrete
            checked += 1
    assert checked >= 20


def test_sign_in_sets_a_guarded_cookie_and_throttles_guessing(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    browser = Browser(web_server)
    ok = browser.login("li")
    assert ok.status_code == 303
    cookie = next(h for h in ok.headers.get_list("set-cookie") if h.startswith("mailroom_session"))
    assert all(flag in cookie.lower() for flag in ("httponly", "secure", "samesite=strict"))

    guesser = Browser(web_server)
    for _ in range(5):
        assert guesser.login("li", "wrong password").status_code == 401
    assert guesser.login("li").status_code == 429  # even the right password, for a while


def test_roles_and_groups_are_checked_on_every_action(runtime: Runtime, web_server: str) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    _user(runtime, "wang", Role.CLERK)
    visa, residence = _case(runtime), _case(runtime, group="residence", surname="TANAKA")
    reviewer = Browser(web_server)
    reviewer.login("li")
    assert reviewer.get(f"/cases/{visa}").status_code == 200
    for path in ("/dashboard", "/problems", "/triage", "/upload"):
        assert reviewer.get(path).status_code == 403, path
    # another group's case answers exactly as a case that does not exist: nothing to probe
    other, missing = reviewer.get(f"/cases/{residence}"), reviewer.get("/cases/MR-2026-999999")
    assert other.status_code == missing.status_code == 404
    assert other.text.replace(residence, "REF") == missing.text.replace("MR-2026-999999", "REF")
    with runtime.session_factory() as session:
        other_page = session.scalars(select(Page).join(Document).join(Case).where(
            Case.reference == residence)).one()
    assert reviewer.get(f"/cases/{residence}/pages/{other_page.id}").status_code == 404
    assert reviewer.get(f"/cases/{visa}/pages/{other_page.id}").status_code == 404
    assert reviewer.post(f"/cases/{residence}/decide", {"decision": "approve"}).status_code == 404
    with runtime.session_factory() as session:
        assert get_case(session=session, reference=residence).status is \
            CaseStatus.READY_FOR_REVIEW

    clerk = Browser(web_server)
    clerk.login("wang")
    assert clerk.get("/queue").status_code == 403
    assert clerk.post(f"/cases/{visa}/decide", {"decision": "approve"}).status_code == 403
    with runtime.session_factory() as session:
        assert get_case(session=session, reference=visa).status is CaseStatus.READY_FOR_REVIEW


def test_a_request_without_the_csrf_token_is_refused(runtime: Runtime, web_server: str) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    reference = _case(runtime)
    browser = Browser(web_server)
    browser.login("li")
    assert browser.post(f"/cases/{reference}/decide", {"decision": "approve"},
                        csrf=False).status_code == 403
    assert browser.post(f"/cases/{reference}/decide",
                        {"decision": "approve", "csrf": "forged"}).status_code == 403
    with runtime.session_factory() as session:
        assert get_case(session=session, reference=reference).status is CaseStatus.READY_FOR_REVIEW
    browser.get(f"/cases/{reference}")
    assert browser.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303


def test_scripts_in_extracted_text_and_file_names_are_escaped(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    reference = _case(runtime, filename="<script>alert('f')</script>.pdf",
                      surname="<img src=x onerror=alert(1)>")
    browser = Browser(web_server)
    browser.login("li")
    html = browser.get(f"/cases/{reference}").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_status_page_needs_both_keys_and_is_rate_limited(
    runtime: Runtime, web_server: str
) -> None:
    reference = _case(runtime)
    with runtime.session_factory() as session:
        number = get_case(session=session, reference=reference).applicant.passport_number  # type: ignore[union-attr]
    visitor = Browser(web_server)
    wrong = visitor.post("/status", {"reference": reference, "passport_number": "X1234567"},
                         csrf=False)
    assert wrong.status_code == 404 and "data-status" not in wrong.text
    right = visitor.post("/status", {"reference": reference, "passport_number": number.lower()},
                         csrf=False)
    assert right.status_code == 200 and 'data-status="ready_for_review"' in right.text
    assert "MUSTERMANN" not in right.text  # the status and the tracking number, nothing else
    for _ in range(10):
        last = visitor.post("/status", {"reference": reference, "passport_number": number},
                            csrf=False)
    assert last.status_code == 429


def test_two_reviewers_never_get_the_same_case(runtime: Runtime) -> None:
    references = [_case(runtime, surname=f"PERSON{'X' * n}") for n in range(5)]
    for n in range(8):
        _user(runtime, f"reviewer{n}", Role.REVIEWER, "visa")
    claimed: list[str] = []
    barrier = threading.Barrier(8)

    def work(name: str) -> None:
        barrier.wait()
        with runtime.session_factory.begin() as session:
            user = session.scalar(select(User).where(User.name == name))
            case = claim_next(session=session, user=user)  # type: ignore[arg-type]
            if case is not None:
                claimed.append(case.reference)

    threads = [threading.Thread(target=work, args=(f"reviewer{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(references)  # every case once, none twice
    with runtime.session_factory() as session:
        owners = session.scalars(select(Case.assigned_to_id).where(
            Case.reference.in_(references))).all()
        assert len(set(owners)) == 5 and None not in owners


def test_four_eyes_and_decisions_from_the_command_line(
    runtime: Runtime, cli_env: dict[str, str]
) -> None:
    for name in ("li", "zhao"):
        result = run_cli(["users", "add", name, "--role", "reviewer", "--group", "visa"],
                         cli_env, stdin=PASSWORD + "\n")
        assert result.returncode == 0, result.stderr
    reference = _case(runtime, four_eyes=True)
    rejected = run_cli(["cases", "decide", reference, "reject", "--reviewer", "li"], cli_env)
    assert rejected.returncode == 4 and "reason" in rejected.stderr
    first = run_cli(["cases", "decide", reference, "approve", "--reviewer", "li"], cli_env)
    assert first.returncode == 0 and "ready_for_review" in first.stdout
    again = run_cli(["cases", "decide", reference, "approve", "--reviewer", "li"], cli_env)
    assert again.returncode == 4 and "different reviewer" in again.stderr
    second = run_cli(["cases", "decide", reference, "approve", "--reviewer", "zhao"], cli_env)
    assert second.returncode == 0 and "approved" in second.stdout
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        with pytest.raises(Exception, match="approved"):
            decide(session=session, case=case,
                   user=session.scalar(select(User).where(User.name == "zhao")),  # type: ignore[arg-type]
                   decision="approve")


def test_the_couriers_push_is_accepted_only_when_signed(runtime: Runtime, web_server: str) -> None:
    import datetime as dt
    import json

    from shipping.kuaidi100 import sign
    from shipping.service import dispatch
    from tests.kuaidi100_server import answer

    reference = _case(runtime)
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        case.form_fields = {**(case.form_fields or {}), "return_recipient": "E. M.",
                            "return_phone": "138", "return_address": "1 Road, Hangzhou"}
        change_status(session=session, case=case, to=CaseStatus.IN_REVIEW, actor="t")
        change_status(session=session, case=case, to=CaseStatus.APPROVED, actor="t")
        dispatch(session=session, case=case, actor="clerk", today=dt.date(2026, 11, 23),
                 waybill="EA000000077CN", carrier="ems", default_carrier="ems")
    runtime.settings.carrier_push_salt = "salt"
    param = json.dumps({"status": "polling", "lastResult": answer(
        "EA000000077CN", "3", [("2026-11-24 10:30:00", "已签收")])}, ensure_ascii=False)
    courier = httpx.Client(base_url=web_server)
    forged = courier.post("/carrier/kuaidi100/push", data={"param": param, "sign": "0" * 32})
    assert forged.status_code == 403
    accepted = courier.post("/carrier/kuaidi100/push",
                            data={"param": param, "sign": sign(param + "salt")})
    assert accepted.status_code == 200 and accepted.json()["result"] is True
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.CLOSED and case.shipments[0].status == "delivered"


def test_a_clerk_files_triage_documents_and_nothing_is_deleted(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "wang", Role.CLERK)
    reference = _case(runtime)
    with runtime.session_factory.begin() as session:
        submission = session.scalars(select(Submission)).first()
        assert submission is not None
        for sequence, name in ((2, "letter-a.jpg"), (3, "letter-b.jpg")):
            session.add(Document(submission_id=submission.id, sequence=sequence, case_id=None,
                                 kind=DocumentKind.OTHER, filename=name, blob_sha256="0" * 64,
                                 triage_reason="No cover sheet and no application form."))
    clerk = Browser(web_server)
    clerk.login("wang")
    listing = clerk.get("/triage").text
    ids = [int(i) for i in re.findall(r'action="/triage/(\d+)"', listing)]
    assert len(ids) == 2
    attached = clerk.post(f"/triage/{ids[1]}", {"action": "attach", "reference": reference})
    assert attached.status_code == 303 and attached.headers["location"] == f"/cases/{reference}"
    assert clerk.post(f"/triage/{ids[0]}", {"action": "reject", "reason": ""}).status_code == 400
    assert clerk.post(f"/triage/{ids[0]}", {"action": "reject",
                                            "reason": "an advertisement"}).status_code == 303
    assert 'action="/triage/' not in clerk.get("/triage").text
    with runtime.session_factory() as session:
        kept = session.get(Document, ids[0])
        assert kept is not None and "an advertisement" in (kept.triage_reason or "")
        assert session.get(Document, ids[1]).case.reference == reference  # type: ignore[union-attr]


def test_a_clerk_dispatches_a_decided_case_from_its_page(runtime: Runtime, web_server: str) -> None:
    _user(runtime, "wang", Role.CLERK)
    reference = _case(runtime)
    clerk = Browser(web_server)
    clerk.login("wang")
    assert 'id="dispatch-form"' not in clerk.get(f"/cases/{reference}").text  # not decided yet
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        case.form_fields = {**(case.form_fields or {}), "return_recipient": "E. M.",
                            "return_phone": "138", "return_address": "1 Road, Hangzhou"}
        change_status(session=session, case=case, to=CaseStatus.IN_REVIEW, actor="t")
        change_status(session=session, case=case, to=CaseStatus.APPROVED, actor="t")
    assert 'id="dispatch-form"' in clerk.get(f"/cases/{reference}").text
    sent = clerk.post(f"/cases/{reference}/dispatch", {"waybill": "EA000000088CN", "carrier": "ems"})
    assert sent.status_code == 303
    again = clerk.post(f"/cases/{reference}/dispatch", {"waybill": "EA000000089CN"})
    assert again.status_code == 409 and "already dispatched" in again.text
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.RETURNING and case.shipments[0].waybill == "EA000000088CN"


def test_plain_http_from_another_machine_explains_why_sign_in_cannot_work(
    runtime: Runtime, web_server: str
) -> None:
    # A browser on another machine reached us by name over plain HTTP: it would drop the Secure
    # session cookie, so the page says so in words instead of failing with a bare 403.
    office_pc = {"Host": "mailroom.office.example:8000"}
    with httpx.Client(base_url=web_server, timeout=10) as http:
        form = http.get("/login", headers=office_pc)
        assert form.status_code == 200
        assert "plain HTTP" in form.text and "MAILROOM_WEB_TLS_CERT" in form.text
        assert 'name="password"' not in form.text
        posted = http.post("/login", headers=office_pc, data={
            "name": "x", "password": "y", "login_csrf": "z"})
        assert posted.status_code == 400 and "plain HTTP" in posted.text
        # on this machine (loopback) the form is there as usual
        assert 'name="password"' in http.get("/login").text


def test_the_blank_form_is_public_and_linked_from_the_status_page(
    runtime: Runtime, web_server: str
) -> None:
    from pathlib import Path

    from mailroom.forms import blank_application_form

    committed = Path(__file__).resolve().parent.parent / "forms" / "application_form.pdf"
    # the committed file is what the code draws today
    assert committed.read_bytes() == blank_application_form()
    with httpx.Client(base_url=web_server, timeout=10) as http:
        assert 'href="/forms/application_form.pdf"' in http.get("/status").text
        served = http.get("/forms/application_form.pdf")
    assert served.status_code == 200 and served.headers["content-type"] == "application/pdf"
    assert served.content == committed.read_bytes()
    fields = PdfReader(io.BytesIO(served.content)).get_fields() or {}
    for name, codes in (("application_type", 13), ("urgency", 8), ("sex", 3),
                        ("return_carrier", 2), ("household_registration", 2),
                        ("talent_category", 3)):
        assert fields[name]["/FT"] == "/Ch"  # a choice: no code can be typed that does not exist
        assert len(fields[name]["/Opt"]) == codes + 1  # and "not chosen yet"
    assert ["residence_permit_work", "residence_permit_work (Residence permit, work)"] in \
        fields["application_type"]["/Opt"]
