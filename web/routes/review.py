"""Reviewers: the queue, the case page with its page images, claiming, deciding, requesting
materials and correcting fields."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.cover_sheet import make_cover_sheet
from extractors.form_choices import CHOICES
from mailroom.runtime import Runtime
from processing.grants import record_grant
from processing.port_visa import filename as port_visa_filename
from processing.port_visa import notification_sha256
from processing.review import (
    claim,
    claim_next,
    correct_field,
    decide,
    merge_applicant,
    recognise_urgency,
)
from processing.review import request_materials as request_materials_for
from processing.validation import ValidationContext
from storage.enums import CaseStatus
from storage.models import Applicant, Case, CaseEvent, CustodyEvent, Page, RecordOnFile, User
from validators.identity import passport_key
from validators.policy import APPLICATION_TYPES
from validators.working_days import working_days_between
from web.case_search import DEADLINES, CaseFilter, find_cases
from web.deps import AppRuntime, Reviewer, RowId, Viewer, may_see, visible_case
from web.desk import CHOICE_CATEGORIES, describe, fields_of, next_step, pages_of, situation_of
from web.pages import language_of, local_time, render
from web.security import CSRF
from web.vocabulary import FLAGS, PRIORITIES

router = APIRouter()


@router.get("/queue", response_class=HTMLResponse)
def queue(request: Request, runtime: AppRuntime, user: Reviewer) -> Response:
    with runtime.session_factory() as session:
        mine = session.scalars(select(Case).where(Case.assigned_to_id == user.id,
                                                  Case.status == CaseStatus.IN_REVIEW)
                               .order_by(Case.priority_rank, Case.due_date)).all()
        context = runtime.validation()
        waiting = find_cases(session, CaseFilter(status=CaseStatus.READY_FOR_REVIEW.value), user,
                             context.today)
        rows = {"mine": [case_row(c, context) for c in mine],
                "group": [case_row(c, context) for c in waiting.cases if c.assigned_to_id is None],
                "more": waiting.has_next}
    return render(request, "queue.html", rows)


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, runtime: AppRuntime, user: Viewer) -> Response:
    wanted = CaseFilter.from_query(request.query_params)
    with runtime.session_factory() as session:
        context = runtime.validation()
        found = find_cases(session, wanted, user, context.today)
        rows = [case_row(c, context) for c in found.cases]
        groups = sorted({t.reviewer_group for t in context.policy.application_types.values()})
    return render(request, "cases.html", {
        "rows": rows, "wanted": wanted, "has_next": found.has_next, "groups": groups,
        "types": list(APPLICATION_TYPES), "statuses": [s.value for s in CaseStatus],
        "priorities": list(PRIORITIES), "deadlines": DEADLINES, "flags": list(FLAGS)})


@router.post("/queue/claim-next", dependencies=[CSRF])
def queue_claim_next(runtime: AppRuntime, user: Reviewer) -> Response:
    with runtime.session_factory.begin() as session:
        case = claim_next(session=session, user=_stored(session, user))
        target = f"/cases/{case.reference}" if case else "/queue"
    return RedirectResponse(target, status_code=303)


@router.get("/cases/{reference}", response_class=HTMLResponse)
def case_page(request: Request, runtime: AppRuntime, reference: str, user: Viewer) -> Response:
    with runtime.session_factory() as session:
        case = visible_case(session, reference, user)
        # rendered while the session is open: the template walks the case's relations
        return render(request, "case.html",
                      _case_context(session, case, user, runtime, language_of(request)))


@router.get("/cases/{reference}/pages/{page_id}")
def page_image(runtime: AppRuntime, reference: str, page_id: RowId, user: Viewer) -> Response:
    with runtime.session_factory() as session:
        case = visible_case(session, reference, user)
        found = session.get(Page, page_id)
        if found is None or found.document.case_id != case.id:
            raise HTTPException(status_code=404)
        data = runtime.blobs.read_bytes(found.image_sha256)
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, no-store"})


@router.post("/cases/{reference}/claim", dependencies=[CSRF])
def claim_case(runtime: AppRuntime, reference: str, user: Reviewer) -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        claim(session=session, case=case, user=_stored(session, user))
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@router.post("/cases/{reference}/decide", dependencies=[CSRF])
def decide_case(runtime: AppRuntime, reference: str, user: Reviewer,
                decision: Annotated[str, Form()], reason: Annotated[str, Form()] = "") -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        decide(session=session, case=case, user=_stored(session, user), decision=decision,
               reason=reason or None, context=runtime.validation())
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@router.post("/cases/{reference}/request-materials", dependencies=[CSRF])
async def request_materials(request: Request, runtime: AppRuntime, reference: str,
                            user: Reviewer) -> Response:
    materials = [str(m) for m in (await request.form()).getlist("material")]
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        request_materials_for(session=session, case=case, user=_stored(session, user),
                              materials=materials, context=runtime.validation())
    return RedirectResponse(f"/cases/{reference}#emails", status_code=303)


@router.post("/cases/{reference}/correct", dependencies=[CSRF])
def correct(runtime: AppRuntime, reference: str, user: Reviewer, field: Annotated[str, Form()],
            value: Annotated[str, Form()]) -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        correct_field(session=session, case=case, user=_stored(session, user), name=field,
                      value=value, context=runtime.validation())
    # back on the same field: the reviewer goes on from there (j for the next one)
    return RedirectResponse(f"/cases/{reference}#field-{field}", status_code=303)


@router.post("/cases/{reference}/merge-applicant", dependencies=[CSRF])
def merge_applicant_record(runtime: AppRuntime, reference: str, user: Reviewer) -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        merge_applicant(session=session, case=case, user=_stored(session, user),
                        context=runtime.validation())
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@router.post("/cases/{reference}/grant", dependencies=[CSRF])
def record_granted(runtime: AppRuntime, reference: str, user: Reviewer,
                   kind: Annotated[str, Form()], number: Annotated[str, Form()],
                   valid_from: Annotated[dt.date, Form()],
                   valid_until: Annotated[dt.date, Form()]) -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        record_grant(session=session, case=case, user=_stored(session, user), kind=kind,
                     number=number, valid_from=valid_from, valid_until=valid_until,
                     context=runtime.validation())
    return RedirectResponse(f"/cases/{reference}#grants", status_code=303)


@router.post("/cases/{reference}/recognise-urgency", dependencies=[CSRF])
def recognise_urgent_matter(runtime: AppRuntime, reference: str, user: Reviewer,
                            reason: Annotated[str, Form()] = "") -> Response:
    with runtime.session_factory.begin() as session:
        case = visible_case(session, reference, user)
        recognise_urgency(session=session, case=case, user=_stored(session, user), reason=reason,
                          context=runtime.validation())
    return RedirectResponse(f"/cases/{reference}", status_code=303)


@router.get("/cases/{reference}/port-visa-notification.pdf")
def port_visa_notification_pdf(runtime: AppRuntime, reference: str, user: Viewer) -> Response:
    with runtime.session_factory() as session:
        case = visible_case(session, reference, user)
        sha256 = notification_sha256(session, case)
        if sha256 is None:
            raise HTTPException(404, "No port visa notification was issued on this case.")
        return Response(runtime.blobs.read_bytes(sha256), media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{port_visa_filename(case)}"'})


@router.get("/cases/{reference}/cover-sheet.pdf")
def cover_sheet(runtime: AppRuntime, reference: str, user: Viewer) -> Response:
    with runtime.session_factory() as session:
        case = visible_case(session, reference, user)
        return Response(make_cover_sheet(case.reference), media_type="application/pdf")


def case_row(case: Case, context: ValidationContext) -> dict[str, Any]:
    """One line of a queue or a list of cases."""
    left = (working_days_between(context.today, case.due_date, context.calendar)
            if case.due_date else None)
    return {"reference": case.reference, "type": case.application_type,
            "status": case.status.value, "priority": case.priority,
            "due": case.due_date.isoformat() if case.due_date else "",
            "left": left, "late": left is not None and left <= 1,
            "applicant": f"{case.applicant.surname} {case.applicant.given_names}"
            if case.applicant else ""}


def _stored(session: Session, user: User) -> User:
    # the signed-in user was read by the middleware's own session; act with this one's row
    stored = session.get(User, user.id)
    if stored is None:
        raise HTTPException(status_code=403, detail="This account no longer exists.")
    return stored


def _case_context(session: Session, case: Case, user: User, runtime: Runtime,
                  language: str) -> dict[str, Any]:
    context = runtime.validation()
    situation = situation_of(session, case, user, context)
    earlier = []
    records = []
    if case.applicant is not None:
        # the same passport's other cases, those this user may see (a reviewer: their group)
        person = case.applicant
        earlier = [c for c in session.scalars(select(Case).join(Applicant).where(
            Applicant.nationality == person.nationality,
            Applicant.passport_number == person.passport_number,
            Case.id != case.id).order_by(Case.id)) if may_see(user, c)]
        records = session.scalars(select(RecordOnFile).where(
            RecordOnFile.passport_key == passport_key(case.applicant.passport_number))).all()
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                             .order_by(CaseEvent.id)).all()
    custody = session.scalars(select(CustodyEvent).where(CustodyEvent.case_id == case.id)
                              .order_by(CustodyEvent.id)).all()
    return {
        "case": case, "pages": pages_of(case), "fields": fields_of(case),
        "situation": situation, "next_step": next_step(case, situation, user),
        "earlier": earlier, "records": records,
        "events": [{"at": local_time(e.at), "actor": e.actor, "action": e.action,
                    "to": e.to_status.value if e.to_status else "",
                    "detail": describe(e.detail, language)} for e in events],
        "custody": custody, "materials": [i.material.value for i in case.checklist],
        "choices": CHOICE_CATEGORIES,
        "choice_codes": {name: [c.code for c in CHOICES[name]] for name in CHOICE_CATEGORIES},
    }
