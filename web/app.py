"""The web app: ``create_app(runtime)``. Routes are thin: they check the role, call the same
package functions as the CLI and the flows, and render a template.

Every route but ``/login``, ``/status`` and the courier's push requires a session; every POST
carries a CSRF token; every case route checks that the user may see that case.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from extractors.cover_sheet import make_cover_sheet
from extractors.mime import safe_filename
from intake.folders import move_without_overwrite
from mailroom.errors import MailroomError, NotFoundError
from mailroom.runtime import Runtime
from processing.review import CORRECTABLE, claim, claim_next, correct_field, decide, may_review
from processing.review import request_materials as request_materials_for
from processing.validation import ValidationContext
from shipping.carriers import CarrierError
from shipping.kuaidi100 import PUSH_ACCEPTED, push_waybill, verify_push
from shipping.service import apply_tracking, carrier_of, dispatch, record_inbound
from storage.cases import find_case, get_case
from storage.enums import CaseStatus, Role, ShipmentDirection, SubmissionStatus
from storage.models import (
    Case,
    CaseEvent,
    CustodyEvent,
    Document,
    Page,
    RecordOnFile,
    Shipment,
    Submission,
    User,
    as_utc,
)
from validators.identity import passport_key, same_passport_number
from validators.working_days import working_days_between
from web import security
from web.i18n import translate
from web.security import CSRF, require

OFFICE_TZ = ZoneInfo("Asia/Shanghai")
TEMPLATES = Path(__file__).with_name("templates")
STATUS_LIMIT, STATUS_WINDOW = 10, 600.0  # status look-ups per address per 10 minutes
Reviewer = Annotated[User, Depends(require("review"))]
Viewer = Annotated[User, Depends(require("view_cases"))]
Clerk = Annotated[User, Depends(require("clerk"))]
Operator = Annotated[User, Depends(require("operate"))]


def create_app(runtime: Runtime) -> FastAPI:
    app = FastAPI(title="mailroom", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=str(TEMPLATES))  # autoescapes HTML by default
    lookups: dict[str, deque[float]] = defaultdict(deque)

    def db() -> Session:
        return runtime.session_factory()

    @app.middleware("http")
    async def authenticate(request: Request, call_next: Any) -> Response:
        with runtime.session_factory() as session:
            web = security.web_session(session, request.cookies.get(security.COOKIE))
            if web is not None:
                session.expunge(web.user)
                session.expunge(web)
                request.state.auth = (web.user, web)
        response = await call_next(request)
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'"
        return response

    @app.exception_handler(security.LoginRequired)
    async def login_required(request: Request, _: Exception) -> Response:
        if request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return JSONResponse({"detail": "Sign in first."}, status_code=401)

    @app.exception_handler(MailroomError)
    async def refused(request: Request, error: MailroomError) -> Response:
        status = 404 if isinstance(error, NotFoundError) else 409
        return page(request, "message.html", {"message": error.message}, status=status)

    def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        auth = getattr(request.state, "auth", None)
        language = auth[0].language if auth else request.cookies.get("lang", "zh")
        context = {**security.template_globals(request), **context, "lang": language,
                   "t": lambda key: translate(key, language), "local": _local}
        return templates.TemplateResponse(request, name, context, status_code=status)

    # --- signing in -------------------------------------------------------------------------
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> Response:
        token = secrets.token_urlsafe(32)
        response = page(request, "login.html", {"login_csrf": token, "next": _safe_next(next)})
        response.set_cookie(security.LOGIN_COOKIE, token, httponly=True, secure=True,
                            samesite="strict")
        return response

    @app.post("/login")
    def login(request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()],
              login_csrf: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
        cookie = request.cookies.get(security.LOGIN_COOKIE, "")
        if not cookie or not secrets.compare_digest(cookie, login_csrf):
            raise HTTPException(status_code=403, detail="The sign-in form has expired: reload it.")
        address = request.client.host if request.client else "?"
        with runtime.session_factory.begin() as session:
            if security.throttled(session, name, address):
                return page(request, "login.html", {"error": "throttled", "login_csrf": login_csrf,
                                                    "next": next}, status=429)
            user = session.scalar(select(User).where(User.name == name))
            if not security.password_matches(user, password):
                security.record_failure(session, name, address)
                return page(request, "login.html", {"error": "bad_login", "login_csrf": login_csrf,
                                                    "next": next}, status=401)
            assert user is not None
            token = security.open_session(session, user)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(security.COOKIE, token, httponly=True, secure=True, samesite="strict",
                            max_age=security.SESSION_HOURS * 3600)
        response.delete_cookie(security.LOGIN_COOKIE)
        return response

    @app.post("/logout", dependencies=[CSRF])
    def logout(request: Request) -> Response:
        with runtime.session_factory.begin() as session:
            security.close_session(session, request.cookies.get(security.COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(security.COOKIE)
        return response

    @app.post("/language", dependencies=[CSRF])
    def switch_language(request: Request) -> Response:
        user, _ = security.current(request)
        with runtime.session_factory.begin() as session:
            stored = session.get(User, user.id)
            assert stored is not None
            stored.language = "en" if stored.language == "zh" else "zh"
        return RedirectResponse(request.headers.get("referer") or "/", status_code=303)

    @app.get("/")
    def home(request: Request) -> Response:
        user, _ = security.current(request)
        target = ("/queue" if security.allowed(user, "review") else "/problems"
                  if security.allowed(user, "clerk") else "/dashboard")
        return RedirectResponse(target, status_code=303)

    # --- reviewers --------------------------------------------------------------------------
    @app.get("/queue", response_class=HTMLResponse)
    def queue(request: Request, user: Reviewer) -> Response:
        with db() as session:
            mine = session.scalars(select(Case).where(Case.assigned_to_id == user.id,
                                                      Case.status == CaseStatus.IN_REVIEW)
                                   .order_by(Case.priority_rank, Case.due_date)).all()
            waiting = select(Case).where(Case.status == CaseStatus.READY_FOR_REVIEW,
                                         Case.assigned_to_id.is_(None))
            if user.role is Role.REVIEWER and user.reviewer_group:
                waiting = waiting.where(Case.reviewer_group == user.reviewer_group)
            group = session.scalars(waiting.order_by(
                Case.priority_rank, Case.due_date.asc().nulls_last(), Case.id).limit(200)).all()
            context = runtime.validation()
            rows = {"mine": [_row(c, context) for c in mine],
                    "group": [_row(c, context) for c in group]}
        return page(request, "queue.html", rows)

    @app.post("/queue/claim-next", dependencies=[CSRF])
    def queue_claim_next(user: Reviewer) -> Response:
        with runtime.session_factory.begin() as session:
            case = claim_next(session=session, user=session.get(User, user.id))  # type: ignore[arg-type]
            target = f"/cases/{case.reference}" if case else "/queue"
        return RedirectResponse(target, status_code=303)

    @app.get("/cases/{reference}", response_class=HTMLResponse)
    def case_page(request: Request, reference: str, user: Viewer) -> Response:
        with db() as session:
            case = _visible_case(session, reference, user)
            # rendered while the session is open: the template walks the case's relations
            return page(request, "case.html", _case_context(session, case, user, runtime))

    @app.get("/cases/{reference}/pages/{page_id}")
    def page_image(reference: str, page_id: int, user: Viewer) -> Response:
        with db() as session:
            case = _visible_case(session, reference, user)
            found = session.get(Page, page_id)
            if found is None or found.document.case_id != case.id:
                raise HTTPException(status_code=404)
            data = runtime.blobs.read_bytes(found.image_sha256)
        return Response(data, media_type="image/png",
                        headers={"Cache-Control": "private, no-store"})

    @app.post("/cases/{reference}/claim", dependencies=[CSRF])
    def claim_case(reference: str, user: Reviewer) -> Response:
        with runtime.session_factory.begin() as session:
            case = _visible_case(session, reference, user)
            claim(session=session, case=case, user=session.get(User, user.id))  # type: ignore[arg-type]
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    @app.post("/cases/{reference}/decide", dependencies=[CSRF])
    def decide_case(reference: str, user: Reviewer, decision: Annotated[str, Form()],
                    reason: Annotated[str, Form()] = "") -> Response:
        with runtime.session_factory.begin() as session:
            case = _visible_case(session, reference, user)
            decide(session=session, case=case, user=session.get(User, user.id),  # type: ignore[arg-type]
                   decision=decision, reason=reason or None)
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    @app.post("/cases/{reference}/request-materials", dependencies=[CSRF])
    async def request_materials(reference: str, request: Request, user: Reviewer) -> Response:
        materials = [str(m) for m in (await request.form()).getlist("material")]
        with runtime.session_factory.begin() as session:
            case = _visible_case(session, reference, user)
            request_materials_for(session=session, case=case, user=session.get(User, user.id),  # type: ignore[arg-type]
                                  materials=materials, context=runtime.validation())
        return RedirectResponse(f"/cases/{reference}#emails", status_code=303)

    @app.post("/cases/{reference}/correct", dependencies=[CSRF])
    def correct(reference: str, user: Reviewer, field: Annotated[str, Form()],
                value: Annotated[str, Form()]) -> Response:
        with runtime.session_factory.begin() as session:
            case = _visible_case(session, reference, user)
            correct_field(session=session, case=case, user=session.get(User, user.id),  # type: ignore[arg-type]
                          name=field, value=value, context=runtime.validation())
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    @app.get("/cases/{reference}/cover-sheet.pdf")
    def cover_sheet(reference: str, user: Viewer) -> Response:
        with db() as session:
            case = _visible_case(session, reference, user)
            return Response(make_cover_sheet(case.reference), media_type="application/pdf")

    # --- clerks -----------------------------------------------------------------------------
    @app.get("/problems", response_class=HTMLResponse)
    def problems(request: Request, user: Clerk) -> Response:
        with db() as session:
            rows = session.scalars(select(Submission).where(Submission.status.in_(
                [SubmissionStatus.QUARANTINED, SubmissionStatus.FAILED])).order_by(
                Submission.id.desc()).limit(500)).all()
            items = [{"id": s.id, "status": s.status.value, "reason": s.reason,
                      "source": s.source, "received": _local(s.received_at)} for s in rows]
        return page(request, "problems.html", {"items": items})

    @app.get("/submissions/{submission_id}/original")
    def original(submission_id: int, user: Clerk) -> Response:
        with db() as session:
            found = session.get(Submission, submission_id)
            if found is None:
                raise HTTPException(status_code=404)
            name = "".join(c for c in found.filename if c.isalnum() or c in "._-") or "original"
            data = runtime.blobs.read_bytes(found.sha256)
            media = found.media_type or "application/octet-stream"
        return Response(data, media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.post("/submissions/{submission_id}/reprocess", dependencies=[CSRF])
    def reprocess(submission_id: int, user: Clerk) -> Response:
        from processing.queue import process_one

        with runtime.session_factory.begin() as session:
            found = session.get(Submission, submission_id)
            if found is None:
                raise HTTPException(status_code=404)
            if found.status in (SubmissionStatus.QUARANTINED, SubmissionStatus.FAILED) \
                    and not found.documents:
                found.status, found.reason, found.reason_code = SubmissionStatus.RECEIVED, None, None
        process_one(runtime, submission_id)
        return RedirectResponse("/problems", status_code=303)

    @app.get("/triage", response_class=HTMLResponse)
    def triage(request: Request, user: Clerk) -> Response:
        with db() as session:
            documents = session.scalars(select(Document).where(
                Document.case_id.is_(None), Document.triage_reason.is_not(None),
                Document.triage_reason.not_like("rejected by %")).order_by(
                Document.id.desc()).limit(500)).all()
            items = [{"id": d.id, "kind": d.kind.value, "filename": d.filename,
                      "reason": d.triage_reason, "submission_id": d.submission_id,
                      "pages": [p.id for p in d.pages]} for d in documents]
        return page(request, "triage.html", {"items": items})

    @app.post("/triage/{document_id}", dependencies=[CSRF])
    def triage_document(document_id: int, user: Clerk, action: Annotated[str, Form()],
                        reference: Annotated[str, Form()] = "",
                        reason: Annotated[str, Form()] = "") -> Response:
        from storage.cases import open_case, record_event

        with runtime.session_factory.begin() as session:
            document = session.get(Document, document_id)
            if document is None or document.case_id is not None:
                raise HTTPException(status_code=404)
            if action == "attach":
                case = get_case(session=session, reference=reference)
            elif action == "new":
                case = open_case(session=session, actor=user.name)
            elif action == "reject" and reason.strip():
                # kept, never deleted: the reason says who turned it away and why
                document.triage_reason = f"rejected by {user.name}: {reason.strip()}"
                return RedirectResponse("/triage", status_code=303)
            else:
                raise HTTPException(status_code=400, detail="Choose attach, new or reject "
                                                            "(with a reason).")
            document.case_id, document.triage_reason = case.id, None
            record_event(session=session, case=case, actor=user.name, action="document_added",
                         detail={"document_id": document.id, "from": "triage"})
            session.flush()
            session.refresh(case)
            from processing.validation import validate_case

            validate_case(session=session, case=case, context=runtime.validation())
        return RedirectResponse(f"/cases/{case.reference}", status_code=303)

    @app.get("/upload", response_class=HTMLResponse)
    def upload_form(request: Request, user: Clerk) -> Response:
        return page(request, "upload.html", {})

    @app.post("/upload", dependencies=[CSRF])
    async def upload(request: Request, user: Clerk) -> Response:
        form = await request.form()
        saved = []
        folder = runtime.scan_folders().root
        folder.mkdir(parents=True, exist_ok=True)
        for item in form.getlist("files"):
            if not isinstance(item, UploadFile) or not item.filename:
                continue
            # written under a hidden .part name, then moved in under a free name (name (2).pdf):
            # the same path and the same rules as a scanner's file
            partial = folder / f".upload-{time.time_ns()}.part"
            partial.write_bytes(await item.read())
            target = move_without_overwrite(partial, folder, safe_filename(item.filename) or "upload")
            saved.append(target.name)
        return page(request, "upload.html", {"saved": saved})

    @app.post("/cases/{reference}/dispatch", dependencies=[CSRF])
    def dispatch_return(reference: str, user: Clerk, waybill: Annotated[str, Form()],
                        carrier: Annotated[str, Form()] = "") -> Response:
        with runtime.session_factory.begin() as session:
            dispatch(session=session, case=get_case(session=session, reference=reference),
                     actor=user.name, today=runtime.validation().today, waybill=waybill,
                     carrier=carrier or None,
                     default_carrier=runtime.settings.default_return_carrier,
                     notices=runtime.notices)
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    @app.post("/parcels", dependencies=[CSRF])
    def inbound_parcel(user: Clerk, reference: Annotated[str, Form()],
                       waybill: Annotated[str, Form()]) -> Response:
        with runtime.session_factory.begin() as session:
            case = get_case(session=session, reference=reference)
            record_inbound(session=session, case=case, carrier=carrier_of(waybill), waybill=waybill)
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    # --- operators --------------------------------------------------------------------------
    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request, user: Operator) -> Response:
        with db() as session:
            backlog = dict(session.execute(select(Case.status, func.count()).group_by(Case.status))
                           .all())
            context = runtime.validation()
            today = context.today
            near = [_row(c, context) for c in session.scalars(
                select(Case).where(Case.due_date.is_not(None), Case.due_date <= today
                                   + dt.timedelta(days=3),
                                   Case.status.in_([CaseStatus.READY_FOR_REVIEW,
                                                    CaseStatus.IN_REVIEW])).order_by(Case.due_date))]
            since = dt.datetime.now(dt.UTC) - dt.timedelta(days=14)
            per_day: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for channel, received in session.execute(select(Submission.channel,
                                                            Submission.received_at)
                                                     .where(Submission.received_at >= since)):
                per_day[_local(received)[:10]][channel.value] += 1
            quarantined = session.scalar(select(func.count()).select_from(Submission).where(
                Submission.status == SubmissionStatus.QUARANTINED)) or 0
        days = sorted(per_day)
        peak = max((sum(v.values()) for v in per_day.values()), default=1)
        return page(request, "dashboard.html", {
            "backlog": {s.value: n for s, n in backlog.items()}, "near": near,
            "days": [(d, dict(per_day[d]), sum(per_day[d].values())) for d in days],
            "peak": peak, "quarantined": quarantined,
            "prefect_ui": "http://127.0.0.1:4200"})

    # --- applicants and the courier ---------------------------------------------------------
    @app.get("/status", response_class=HTMLResponse)
    def status_form(request: Request) -> Response:
        return page(request, "status.html", {})

    @app.post("/status", response_class=HTMLResponse)
    def status_lookup(request: Request, reference: Annotated[str, Form()],
                      passport_number: Annotated[str, Form()]) -> Response:
        address = request.client.host if request.client else "?"
        recent = lookups[address]
        now = time.monotonic()
        while recent and now - recent[0] > STATUS_WINDOW:
            recent.popleft()
        if len(recent) >= STATUS_LIMIT:
            return page(request, "status.html", {"error": "too_many"}, status=429)
        recent.append(now)
        with db() as session:
            case = find_case(session=session, reference=reference)
            if case is None or case.applicant is None or not same_passport_number(
                    case.applicant.passport_number, passport_number):
                return page(request, "status.html", {"error": "not_found"}, status=404)
            tracking = next((s.waybill for s in case.shipments
                             if s.direction is ShipmentDirection.RETURN), None)
            found = {"reference": case.reference, "status": case.status.value,
                     "tracking": tracking}
        return page(request, "status.html", {"found": found})

    @app.post("/carrier/kuaidi100/push")
    async def kuaidi100_push(request: Request) -> Response:
        form = await request.form()
        param, signature = str(form.get("param", "")), str(form.get("sign", ""))
        salt = runtime.settings.carrier_push_salt
        if not salt:
            return JSONResponse({"result": False, "returnCode": "500",
                                 "message": "push not configured"}, status_code=503)
        try:
            tracking = verify_push(param, signature, salt)
        except CarrierError as e:
            return JSONResponse({"result": False, "returnCode": "500", "message": e.message},
                                status_code=403)
        named = push_waybill(param)
        with runtime.session_factory.begin() as session:
            shipment = session.scalar(select(Shipment).where(
                Shipment.waybill == (named[1] if named else "")))
            if shipment is not None:
                apply_tracking(session=session, shipment=shipment, tracking=tracking,
                               source="push")
        return JSONResponse(PUSH_ACCEPTED)

    return app


def _visible_case(session: Session, reference: str, user: User) -> Case:
    case = get_case(session=session, reference=reference)
    if user.role is Role.REVIEWER and not may_review(user, case):
        raise HTTPException(status_code=403, detail="This case belongs to another group.")
    return case


def _row(case: Case, context: ValidationContext) -> dict[str, Any]:
    left = (working_days_between(context.today, case.due_date, context.calendar)
            if case.due_date else None)
    return {"reference": case.reference, "type": case.application_type,
            "status": case.status.value, "priority": case.priority,
            "due": case.due_date.isoformat() if case.due_date else "",
            "left": left, "late": left is not None and left <= 1,
            "applicant": f"{case.applicant.surname} {case.applicant.given_names}"
            if case.applicant else ""}


def _case_context(session: Session, case: Case, user: User, runtime: Runtime) -> dict[str, Any]:
    form = case.form_fields or {}
    confirmed = set(form.get("confirmed_fields", "").split(","))
    from_scan = any((d.fields or {}).get("form_read_from") == "scan" for d in case.documents)
    fields = [{"name": name, "value": form.get(name, ""),
               "machine": from_scan and name not in confirmed,
               "confidence": next((d.confidence for d in case.documents
                                   if d.kind.value == "application_form"), None)}
              for name in CORRECTABLE if name in form or name in confirmed]
    mrz = next(((d.fields or {}).get("mrz") for d in case.documents if (d.fields or {}).get("mrz")),
               None)
    earlier = []
    records = []
    if case.applicant is not None:
        earlier = [c for c in session.scalars(select(Case).where(
            Case.applicant_id == case.applicant_id, Case.id != case.id).order_by(Case.id))]
        records = session.scalars(select(RecordOnFile).where(
            RecordOnFile.passport_key == passport_key(case.applicant.passport_number))).all()
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                             .order_by(CaseEvent.id)).all()
    custody = session.scalars(select(CustodyEvent).where(CustodyEvent.case_id == case.id)
                              .order_by(CustodyEvent.id)).all()
    return {
        "case": case, "fields": fields, "mrz": mrz, "earlier": earlier, "records": records,
        "events": [{"at": _local(e.at), "actor": e.actor, "action": e.action,
                    "to": e.to_status.value if e.to_status else "",
                    "detail": json.dumps(e.detail, ensure_ascii=False) if e.detail else ""}
                   for e in events],
        "custody": custody, "may_dispatch": security.allowed(user, "clerk") and case.status in (
            CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN),
        "may_decide": user.role in (Role.REVIEWER, Role.SENIOR_REVIEWER,
                                                         Role.ADMIN) and may_review(user, case),
        "materials": [i.material.value for i in case.checklist],
        "correctable": CORRECTABLE,
    }


def _local(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(OFFICE_TZ).strftime("%Y-%m-%d %H:%M")


def _safe_next(target: str) -> str:
    # only a path on this site: never an open redirect
    return target if target.startswith("/") and not target.startswith("//") else "/"
