"""The security review's findings, each reproduced over real HTTP against the web app as
`mailroom web` serves it (web/server.py), on SQLite and PostgreSQL where the database matters."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from typing import Literal
from urllib.parse import urlparse

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from mailroom.runtime import Runtime
from storage.cases import change_status, get_case
from storage.enums import CaseStatus, DocumentKind, Role
from storage.models import (
    Case,
    CaseEvent,
    Document,
    LoginAttempt,
    RecordOnFile,
    Review,
    SentMessage,
    Submission,
    User,
)
from storage.views import case_view
from tests.conftest import serving
from tests.helpers import run_cli
from tests.test_web_security import PASSWORD, Browser, _case, _user
from validators.identity import passport_key
from web import passwords, throttle

RETURN = {"return_recipient": "E. M.", "return_phone": "138", "return_address": "1 Road, Hangzhou"}


def _decided(runtime: Runtime, reference: str, status: CaseStatus = CaseStatus.APPROVED) -> None:
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        case.form_fields = {**(case.form_fields or {}), **RETURN}
        case.contact_email = "erika@example.org"
        change_status(session=session, case=case, to=CaseStatus.IN_REVIEW, actor="t")
        change_status(session=session, case=case, to=status, actor="t")


def _complete(runtime: Runtime, reference: str) -> None:
    """The passport and the photo the case's type asks for, so validation leaves it in review."""
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        form = session.scalars(select(Document).where(Document.case_id == case.id)).one()
        for sequence, kind in ((2, DocumentKind.PASSPORT), (3, DocumentKind.PHOTO)):
            session.add(Document(submission_id=form.submission_id, sequence=sequence,
                                 case_id=case.id, kind=kind, filename=f"{kind.value}.jpg",
                                 blob_sha256=form.blob_sha256))


def _form(runtime: Runtime, reference: str) -> dict:
    with runtime.session_factory() as session:
        return dict(get_case(session=session, reference=reference).form_fields or {})


# --- 1. a decided case cannot be changed --------------------------------------------------------

def test_a_decided_case_is_not_changed_by_a_reviewer_who_never_handled_it(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    _user(runtime, "wang", Role.CLERK)
    reference = _case(runtime)
    _decided(runtime, reference)
    li = Browser(web_server)
    li.login("li")
    li.get(f"/cases/{reference}")
    refused = li.post(f"/cases/{reference}/correct", {"field": "return_address",
                                                      "value": "99 Thief Lane"})
    assert refused.status_code == 409 and "senior reviewer" in refused.text
    assert _form(runtime, reference)["return_address"] == "1 Road, Hangzhou"
    clerk = Browser(web_server)
    clerk.login("wang")
    clerk.get(f"/cases/{reference}")
    assert clerk.post(f"/cases/{reference}/dispatch", {"waybill": "EA000000088CN"}).status_code == 303
    with runtime.session_factory() as session:
        shipment = get_case(session=session, reference=reference).shipments[0]
        assert shipment.address == "1 Road, Hangzhou"  # the parcel goes where the applicant said
    senior = Browser(web_server)
    _user(runtime, "chen", Role.SENIOR_REVIEWER)
    senior.login("chen")
    senior.get(f"/cases/{reference}")
    late = senior.post(f"/cases/{reference}/correct", {"field": "return_address", "value": "x"})
    assert late.status_code == 409 and "nothing on it can be changed" in late.text  # returning


def test_a_senior_correction_after_four_eyes_reopens_review_and_tells_the_applicant(
    runtime: Runtime, web_server: str
) -> None:
    for name in ("li", "zhao"):
        _user(runtime, name, Role.REVIEWER, "citizens")
    _user(runtime, "chen", Role.SENIOR_REVIEWER)
    reference = _case(runtime, group="citizens", four_eyes=True)  # four eyes by the policy
    _complete(runtime, reference)
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        case.form_fields = {**(case.form_fields or {}), **RETURN}
        case.contact_email = "erika@example.org"
    li, zhao, chen = Browser(web_server), Browser(web_server), Browser(web_server)
    for browser, name in ((li, "li"), (zhao, "zhao"), (chen, "chen")):
        browser.login(name)
        browser.get(f"/cases/{reference}")
    assert li.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    assert zhao.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    assert zhao.post(f"/cases/{reference}/correct",
                     {"field": "return_address", "value": "2 Road"}).status_code == 409

    corrected = chen.post(f"/cases/{reference}/correct",
                          {"field": "return_address", "value": "2 Other Road, Ningbo"})
    assert corrected.status_code == 303
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.READY_FOR_REVIEW and case.assigned_to_id is None
        assert {f.code for f in case.flags if f.resolved_at is None} >= {"reopened_after_correction"}
        assert all(r.superseded_at for r in session.scalars(select(Review).where(
            Review.case_id == case.id)))
        [notice] = [m for m in case.messages_sent if m.kind == "correction_notice"]
        assert notice.to_address == "erika@example.org"
        assert "1 Road, Hangzhou" in notice.body and "2 Other Road, Ningbo" in notice.body
        [event] = _events(session, case, "field_corrected")
        assert event.detail == {"field": "return_address", "before": "1 Road, Hangzhou",
                                "after": "2 Other Road, Ningbo"}
    # four eyes again: two new approvals, and the earlier ones count for nothing
    assert li.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    assert _status(runtime, reference) is CaseStatus.READY_FOR_REVIEW
    assert zhao.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    assert _status(runtime, reference) is CaseStatus.APPROVED


def test_a_case_held_by_one_reviewer_cannot_be_corrected_or_taken_by_another(
    runtime: Runtime, web_server: str
) -> None:
    for name in ("li", "zhao"):
        _user(runtime, name, Role.REVIEWER, "visa")
    reference = _case(runtime)
    with runtime.session_factory.begin() as session:
        get_case(session=session, reference=reference).contact_email = "erika@example.org"
    li, zhao = Browser(web_server), Browser(web_server)
    li.login("li")
    zhao.login("zhao")
    li.get(f"/cases/{reference}")
    assert li.post(f"/cases/{reference}/claim").status_code == 303
    zhao.get(f"/cases/{reference}")
    assert zhao.post(f"/cases/{reference}/correct",
                     {"field": "surname", "value": "OTHER"}).status_code == 409
    assert zhao.post(f"/cases/{reference}/request-materials",
                     {"material": "photo"}).status_code == 409
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.IN_REVIEW
        assert case.assigned_to_id == session.scalar(select(User.id).where(User.name == "li"))
        assert case.applicant.surname == "MUSTERMANN"


def _events(session, case: Case, action: str) -> list[CaseEvent]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                        CaseEvent.action == action)))


def _status(runtime: Runtime, reference: str) -> CaseStatus:
    with runtime.session_factory() as session:
        return get_case(session=session, reference=reference).status


# --- 2. groups stay apart -----------------------------------------------------------------------

def test_a_correction_changes_only_the_cases_own_copy_of_the_applicant(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    _user(runtime, "wu", Role.REVIEWER, "residence")
    _user(runtime, "chen", Role.SENIOR_REVIEWER)
    visa = _case(runtime)
    residence = _case(runtime, group="residence")  # the same person: one office record
    wu = Browser(web_server)
    wu.login("wu")
    wu.get(f"/cases/{residence}")
    assert wu.post(f"/cases/{residence}/claim").status_code == 303
    assert wu.post(f"/cases/{residence}/correct",
                   {"field": "surname", "value": "MUSTERMANN-SCHMIDT"}).status_code == 303
    with runtime.session_factory() as session:
        assert case_view(get_case(session=session, reference=visa))["applicant"]["surname"] == \
            "MUSTERMANN"
        assert case_view(get_case(session=session, reference=residence))["applicant"][
            "surname"] == "MUSTERMANN-SCHMIDT"
    # the visa reviewer's page does not list the residence case; a senior reviewer's does
    li = Browser(web_server)
    li.login("li")
    assert residence not in li.get(f"/cases/{visa}").text
    chen = Browser(web_server)
    chen.login("chen")
    assert residence in chen.get(f"/cases/{visa}").text
    # merging the copy back is a senior reviewer's explicit, audited act
    assert wu.post(f"/cases/{residence}/merge-applicant").status_code == 409
    chen.get(f"/cases/{residence}")
    assert chen.post(f"/cases/{residence}/merge-applicant").status_code == 303
    with runtime.session_factory() as session:
        merged = get_case(session=session, reference=residence)
        assert case_view(get_case(session=session, reference=visa))["applicant"]["surname"] == \
            "MUSTERMANN-SCHMIDT"
        assert [e.actor for e in _events(session, merged, "applicant_merged")] == ["chen"]


def test_another_persons_passport_number_does_not_borrow_their_records(
    runtime: Runtime, web_server: str
) -> None:
    _user(runtime, "wu", Role.REVIEWER, "residence")
    visa = _case(runtime, surname="TANAKA")  # someone else, with a passport and photo on file
    mine = _case(runtime, group="residence")
    with runtime.session_factory.begin() as session:
        theirs = get_case(session=session, reference=visa)
        document = session.scalars(select(Document).where(Document.case_id == theirs.id)).one()
        for kind in (DocumentKind.PASSPORT, DocumentKind.PHOTO):
            session.add(RecordOnFile(kind=kind, document_id=document.id, source_case_id=theirs.id,
                                     passport_key=passport_key(theirs.applicant.passport_number),
                                     person_name="TANAKA ERIKA",
                                     valid_until=dt.date.today() + dt.timedelta(days=300)))
        their_number = theirs.applicant.passport_number
    wu = Browser(web_server)
    wu.login("wu")
    wu.get(f"/cases/{mine}")
    assert wu.post(f"/cases/{mine}/claim").status_code == 303
    assert wu.post(f"/cases/{mine}/correct",
                   {"field": "passport_number", "value": their_number}).status_code == 303
    with runtime.session_factory() as session:
        view = case_view(get_case(session=session, reference=mine))
    states = {i["material"]: i["state"] for i in view["checklist"]}
    assert states.get("passport") != "on_file" and states.get("photo") != "on_file"
    assert any(f["code"] == "listed_name_differs" for f in view["flags"])


# --- 3. throttles hold --------------------------------------------------------------------------

def test_forged_forwarded_headers_are_not_believed(runtime: Runtime, web_server: str) -> None:
    _user(runtime, "li", Role.REVIEWER, "visa")
    for attempt in range(throttle.ADDRESS_LIMIT):
        assert Browser(web_server).login(f"nobody{attempt}", "wrong password").status_code == 401
    forger = Browser(web_server)
    forger.http.headers["X-Forwarded-For"] = "10.9.9.9"
    assert forger.login("li").status_code == 429  # still this address, whatever it claims
    looker = Browser(web_server)
    for n in range(11):
        looker.http.headers["X-Forwarded-For"] = f"10.0.0.{n}"
        answer = looker.http.post("/status", data={"reference": "MR-2026-000001",
                                                   "passport_number": "X"})
    assert answer.status_code == 429


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_behind_a_trusted_proxy_a_guesser_slows_an_account_but_never_locks_its_owner_out(
    runtime: Runtime,
) -> None:
    runtime.settings.trusted_proxies = "127.0.0.1"
    _user(runtime, "li", Role.REVIEWER, "visa")
    with serving(runtime) as base:
        guesser = Browser(base)
        guesser.http.headers["X-Forwarded-For"] = "203.0.113.5"
        for _ in range(throttle.ACCOUNT_FREE_FAILURES + 1):
            assert guesser.login("li", "wrong password").status_code == 401
        owner = Browser(base)
        owner.http.headers["X-Forwarded-For"] = "198.51.100.7"
        slowed = owner.login("li")
        assert slowed.status_code == 429 and 'id="error"' in slowed.text
        time.sleep(int(slowed.headers["Retry-After"]) + 0.2)
        assert owner.login("li").status_code == 303
    with runtime.session_factory() as session:
        addresses = set(session.scalars(select(LoginAttempt.address)))
    assert addresses == {"203.0.113.5"}  # the proxy's word, believed because it is trusted


def test_the_account_delay_doubles_and_old_failures_are_purged(runtime: Runtime) -> None:
    now = dt.datetime.now(dt.UTC)
    with runtime.session_factory.begin() as session:
        session.add(LoginAttempt(name="li", address="a", at=now - dt.timedelta(hours=2)))
        waits = []
        for _ in range(throttle.ACCOUNT_FREE_FAILURES + 9):
            throttle.record_failure(session, "li", "b")
            session.flush()
            waits.append(throttle.gate(session, "li", "c", now=dt.datetime.now(dt.UTC))
                         .wait_seconds)
        assert session.scalar(select(LoginAttempt).where(LoginAttempt.address == "a")) is None
    assert waits[:throttle.ACCOUNT_FREE_FAILURES] == [0] * throttle.ACCOUNT_FREE_FAILURES
    assert waits[throttle.ACCOUNT_FREE_FAILURES:] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


# --- 4. weak passwords --------------------------------------------------------------------------

def test_weak_passwords_are_refused_with_a_reason(runtime: Runtime, cli_env: dict[str, str]) -> None:
    for weak in ("password", "12345678", " " * 8, "password1234", "ritarita2026", " " * 14):
        added = run_cli(["users", "add", "rita", "--role", "reviewer"], cli_env, stdin=weak + "\n")
        assert added.returncode == 5, weak
        assert "12 characters" in added.stderr or "too easy to guess" in added.stderr, weak
    assert run_cli(["users", "add", "rita", "--role", "reviewer"], cli_env,
                   stdin=PASSWORD + "\n").returncode == 0
    assert run_cli(["users", "passwd", "rita"], cli_env, stdin="rita12345678\n").returncode == 5
    changed = run_cli(["users", "passwd", "rita"], cli_env, stdin="quiet heron marsh 4471\n")
    assert changed.returncode == 0, changed.stderr


# --- 5. failed sign-ins do not stall SQLite -----------------------------------------------------

class LockProbingHasher(PasswordHasher):
    """Argon2 as the app uses it, first asking SQLite, without waiting, for the writer's lock.

    The app's engine opens every transaction with BEGIN IMMEDIATE, so a session left open
    around hashing holds that lock for argon2's tenth of a second."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.probe = create_engine(database_url, connect_args={"timeout": 0},
                                   isolation_level="AUTOCOMMIT")
        self.held: list[str] = []
        self.calls = 0

    def _ask_for_the_lock(self, during: str) -> None:
        self.calls += 1
        with self.probe.connect() as connection:
            try:
                connection.execute(text("BEGIN IMMEDIATE"))
                connection.execute(text("ROLLBACK"))
            except OperationalError:
                self.held.append(during)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self._ask_for_the_lock("hash")
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        self._ask_for_the_lock("verify")
        return super().verify(hash, password)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sign_ins_never_hold_the_database_while_hashing(
    runtime: Runtime, web_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Asked at the moment argon2 starts, one sign-in at a time, so that nothing else could hold
    # the lock: failed sign-ins that held it while hashing would stall every page on SQLite.
    _user(runtime, "rita", Role.REVIEWER)
    probing = LockProbingHasher(runtime.settings.resolved_database_url)
    monkeypatch.setattr(passwords, "hasher", probing)
    browser = Browser(web_server)
    try:
        for name, password in [("ghost", "wrong password"), ("rita", "wrong password"),
                               ("rita", "wrong password"), ("rita", PASSWORD)]:
            browser.login(name, password)
        assert browser.get("/queue").status_code == 200  # the last one did sign in
    finally:
        probing.probe.dispose()
    assert probing.calls == 4
    assert probing.held == []


# --- 6. request size limits ---------------------------------------------------------------------

@pytest.mark.parametrize(("path", "size"), [
    ("/status", 300_000_000), ("/carrier/kuaidi100/push", 300_000_000), ("/login", 300_000_000),
    ("/upload", 5_000_000_000)])
def test_a_huge_body_is_refused_before_it_is_read(runtime: Runtime, web_server: str,
                                                  path: str, size: int) -> None:
    address = urlparse(web_server)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n"
                            f"Content-Length: {size}\r\n\r\n").encode() + b"a=1")
        answer = b""
        while b"accepts" not in answer:  # answered with 3 bytes of the body sent
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    text = answer.decode("utf-8", "replace")
    assert text.startswith("HTTP/1.1 413"), text[:200]
    assert "larger than this page accepts" in text


def test_a_chunked_body_is_cut_off_when_it_passes_the_limit(runtime: Runtime,
                                                           web_server: str) -> None:
    import httpx

    def body():  # no Content-Length: the limit must hold while it streams
        for _ in range(64):
            yield b"x" * 4096

    answer = httpx.post(f"{web_server}/status", content=body(), timeout=20,
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 413


# --- 7. courier pushes never roll a shipment back -----------------------------------------------

def test_a_replayed_or_late_push_is_recorded_and_changes_nothing(
    runtime: Runtime, web_server: str
) -> None:
    import httpx

    from shipping.kuaidi100 import sign
    from shipping.service import dispatch
    from tests.kuaidi100_server import answer

    reference = _case(runtime)
    _decided(runtime, reference)
    with runtime.session_factory.begin() as session:
        dispatch(session=session, case=get_case(session=session, reference=reference),
                 actor="clerk", today=dt.date(2026, 11, 23), waybill="EA000000077CN",
                 carrier="ems", default_carrier="ems")
    runtime.settings.carrier_push_salt = "salt"

    def push(state: str, events: list[tuple[str, str]]) -> None:
        param = json.dumps({"status": "polling", "lastResult": answer(
            "EA000000077CN", state, events)}, ensure_ascii=False)
        reply = httpx.post(f"{web_server}/carrier/kuaidi100/push",
                           data={"param": param, "sign": sign(param + "salt")})
        assert reply.status_code == 200

    in_transit = [("2026-11-24 08:00:00", "已揽收"), ("2026-11-24 12:00:00", "运输中")]
    push("0", in_transit)
    push("6", [*in_transit, ("2026-11-25 09:00:00", "退回寄件人")])
    push("0", in_transit)  # the first push again, replayed
    push("0", [("2026-11-24 10:00:00", "到达杭州中转站")])  # late news of the 24th
    with runtime.session_factory() as session:
        shipment = get_case(session=session, reference=reference).shipments[0]
        assert shipment.status == "returned"
        assert len(shipment.events) == 4  # the late event is kept, in its place
        assert "到达杭州中转站" in {e.description for e in shipment.events}


# --- 8. the first approver cannot claim the case back -------------------------------------------

def test_the_first_approver_of_a_four_eyes_case_cannot_claim_it_back(
    runtime: Runtime, web_server: str
) -> None:
    for name in ("li", "zhao"):
        _user(runtime, name, Role.REVIEWER, "visa")
    reference = _case(runtime, four_eyes=True)
    li = Browser(web_server)
    li.login("li")
    li.get(f"/cases/{reference}")
    assert li.post(f"/cases/{reference}/decide", {"decision": "approve"}).status_code == 303
    refused = li.post(f"/cases/{reference}/claim")
    assert refused.status_code == 409 and "second, different reviewer" in refused.text
    with runtime.session_factory() as session:
        case = get_case(session=session, reference=reference)
        assert case.status is CaseStatus.READY_FOR_REVIEW and case.assigned_to_id is None
    zhao = Browser(web_server)
    zhao.login("zhao")
    zhao.get(f"/cases/{reference}")
    assert zhao.post(f"/cases/{reference}/claim").status_code == 303


# --- 9. headers and odd paths -------------------------------------------------------------------

def test_headers_keep_pages_out_of_caches_and_frames(runtime: Runtime, web_server: str) -> None:
    _user(runtime, "wang", Role.CLERK)
    reference = _case(runtime)
    clerk = Browser(web_server)
    clerk.login("wang")
    with runtime.session_factory.begin() as session:
        submission = session.scalars(select(Submission).join(Document).join(Case).where(
            Case.reference == reference)).first()
        assert submission is not None
        submission.sha256 = runtime.blobs.put_bytes(b"%PDF-1.4 the original scan")
        submission_id = submission.id
    for path in (f"/cases/{reference}", f"/cases/{reference}/cover-sheet.pdf",
                 f"/submissions/{submission_id}/original", "/login"):
        response = clerk.get(path)
        assert response.status_code == 200, path
        assert response.headers["cache-control"] in ("no-store", "private, no-store"), path
        assert response.headers["referrer-policy"] == "no-referrer"
        policy = response.headers["content-security-policy"]
        for directive in ("frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"):
            assert directive in policy
    assert "public" in clerk.get("/forms/application_form.pdf").headers["cache-control"]
    huge = "9" * 24
    assert clerk.get(f"/cases/{reference}/pages/{huge}").status_code == 422
    assert clerk.get(f"/submissions/{huge}/original").status_code == 422
    with runtime.session_factory() as session:
        assert session.scalar(select(SentMessage)) is None  # nothing of the above wrote mail
