"""Clerks: intake problems, triage, organisations' batches, uploads into the scan folder,
parcels and the return of passports."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from notices.print_batch import print_day
from processing.queue import process_one
from processing.validation import validate_case
from shipping.service import carrier_of, dispatch, record_inbound
from storage.cases import get_case, open_case, record_event
from storage.enums import SubmissionStatus
from storage.models import Batch, Document, Submission
from storage.outbox import letters_to_print
from storage.views import batch_view
from web import security
from web.deps import AppRuntime, Clerk, RowId
from web.pages import local_time, render
from web.security import CSRF
from web.uploads import receive_upload

router = APIRouter()


@router.get("/problems", response_class=HTMLResponse)
def problems(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    with runtime.session_factory() as session:
        rows = session.scalars(select(Submission).where(Submission.status.in_(
            [SubmissionStatus.QUARANTINED, SubmissionStatus.FAILED])).order_by(
            Submission.id.desc()).limit(500)).all()
        items = [{"id": s.id, "status": s.status.value, "reason": s.reason,
                  "source": s.source, "received": local_time(s.received_at)} for s in rows]
    return render(request, "problems.html", {"items": items})


@router.get("/submissions/{submission_id}/original")
def original(runtime: AppRuntime, submission_id: RowId, user: Clerk) -> Response:
    with runtime.session_factory() as session:
        found = session.get(Submission, submission_id)
        if found is None:
            raise HTTPException(status_code=404)
        name = "".join(c for c in found.filename if c.isalnum() or c in "._-") or "original"
        data = runtime.blobs.read_bytes(found.sha256)
        media = found.media_type or "application/octet-stream"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/submissions/{submission_id}/reprocess", dependencies=[CSRF])
def reprocess(runtime: AppRuntime, submission_id: RowId, user: Clerk) -> Response:
    with runtime.session_factory.begin() as session:
        found = session.get(Submission, submission_id)
        if found is None:
            raise HTTPException(status_code=404)
        if found.status in (SubmissionStatus.QUARANTINED, SubmissionStatus.FAILED) \
                and not found.documents:
            found.status, found.reason, found.reason_code = SubmissionStatus.RECEIVED, None, None
    process_one(runtime, submission_id)
    return RedirectResponse("/problems", status_code=303)


@router.get("/triage", response_class=HTMLResponse)
def triage(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    with runtime.session_factory() as session:
        documents = session.scalars(select(Document).where(
            Document.case_id.is_(None), Document.triage_reason.is_not(None),
            Document.triage_reason.not_like("rejected by %")).order_by(
            Document.id.desc()).limit(500)).all()
        items = [_triage_item(d) for d in documents]
    return render(request, "triage.html", {"items": items})


def _triage_item(document: Document) -> dict[str, object]:
    return {"id": document.id, "kind": document.kind.value, "filename": document.filename,
            "reason": document.triage_reason, "submission_id": document.submission_id,
            "batch_id": document.batch_id, "pages": [p.id for p in document.pages]}


@router.get("/batches", response_class=HTMLResponse)
def batches(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    with runtime.session_factory() as session:
        rows = session.scalars(select(Batch).order_by(Batch.id.desc()).limit(200)).all()
        items = [{"id": b.id, "organization": b.organization, "contact": b.contact_email,
                  "received": local_time(b.created_at), "cases": len(b.cases),
                  "waiting": sum(1 for d in b.documents if d.triage_reason)} for b in rows]
    return render(request, "batches.html", {"items": items})


@router.get("/batches/{batch_id}", response_class=HTMLResponse)
def batch(request: Request, runtime: AppRuntime, batch_id: RowId, user: Clerk) -> Response:
    """An organisation's batch: each applicant's case and what it lacks, the lists it holds
    (with rows that could not be read), and what names no one, to attach by hand."""
    with runtime.session_factory() as session:
        found = session.get(Batch, batch_id)
        if found is None:
            raise HTTPException(status_code=404)
        view = batch_view(found)
        waiting = {d["document_id"] for d in view["names_no_one"]}
        items = [_triage_item(d) for d in found.documents if d.id in waiting]
    return render(request, "batch.html", {"batch": view, "items": items})


@router.post("/triage/{document_id}", dependencies=[CSRF])
def triage_document(runtime: AppRuntime, document_id: RowId, user: Clerk,
                    action: Annotated[str, Form()], reference: Annotated[str, Form()] = "",
                    reason: Annotated[str, Form()] = "") -> Response:
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
        validate_case(session=session, case=case, context=runtime.validation())
    return RedirectResponse(f"/cases/{case.reference}", status_code=303)


@router.get("/upload", response_class=HTMLResponse)
def upload_form(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    return render(request, "upload.html", {"max_mb": runtime.settings.upload_max_mb})


@router.post("/upload")
async def upload(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    folder = runtime.scan_folders().root
    received = await receive_upload(request, folder, runtime.settings.upload_max_mb * 1_000_000)
    _, web = security.current(request)
    sent = received.fields.get("csrf", "")
    if not sent or not secrets.compare_digest(sent, web.csrf_token):
        # checked here, not by the CSRF dependency: that one would read the whole body first
        received.discard()
        raise HTTPException(status_code=403, detail="The form has expired or did not come from "
                                                    "this site (CSRF check). Reload the page.")
    saved = received.publish(folder)
    status = 200 if saved or not received.refused else 413
    return render(request, "upload.html", {"saved": saved, "refused": received.refused,
                                           "max_mb": runtime.settings.upload_max_mb},
                  status=status)


@router.get("/letters", response_class=HTMLResponse)
def letters(request: Request, runtime: AppRuntime, user: Clerk) -> Response:
    today = runtime.validation().today
    with runtime.session_factory() as session:
        due = letters_to_print(session=session, day=today)
        items = [{"id": m.id, "kind": m.kind, "subject": m.subject,
                  "address": m.to_address.replace("\n", " · "), "status": m.status} for m in due]
    return render(request, "letters.html", {"items": items, "today": today.isoformat()})


@router.post("/letters/print", dependencies=[CSRF])
def print_letters(runtime: AppRuntime, user: Clerk, day: Annotated[str, Form()]) -> Response:
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as e:
        raise HTTPException(status_code=400, detail="Give the day as YYYY-MM-DD.") from e
    _, pdf = print_day(runtime, date)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="letters-{date.isoformat()}.pdf"'})


@router.post("/cases/{reference}/dispatch", dependencies=[CSRF])
def dispatch_return(runtime: AppRuntime, reference: str, user: Clerk,
                    waybill: Annotated[str, Form()], carrier: Annotated[str, Form()] = "") -> Response:
    with runtime.session_factory.begin() as session:
        dispatch(session=session, case=get_case(session=session, reference=reference),
                 actor=user.name, today=runtime.validation().today, waybill=waybill,
                 carrier=carrier or None, default_carrier=runtime.settings.default_return_carrier,
                 notices=runtime.notices)
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@router.post("/parcels", dependencies=[CSRF])
def inbound_parcel(runtime: AppRuntime, user: Clerk, reference: Annotated[str, Form()],
                   waybill: Annotated[str, Form()]) -> Response:
    with runtime.session_factory.begin() as session:
        case = get_case(session=session, reference=reference)
        record_inbound(session=session, case=case, carrier=carrier_of(waybill), waybill=waybill)
    return RedirectResponse(f"/cases/{reference}", status_code=303)
