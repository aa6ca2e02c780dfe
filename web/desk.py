"""The reviewer's desk: what the case page shows, worked out before the template draws it.

- ``pages``: every page image of the case, in order, with its document's kind (the viewer);
- ``fields``: each extracted field with its label in words, its value, whether a machine read
  it and how sure it was, and where on which page it was read (the form's box, the MRZ band);
- ``situation``: the block the page opens with — why the case is here, what is missing or
  waived, the deadline in words, the four-eyes state, and the actions that make sense now for
  this user (an action that does not apply is absent, not failing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors import form_layout
from notices.delivery import recipient_of
from processing.port_visa import notification_sha256
from processing.review import (
    CORRECTABLE,
    claim_refusal,
    correction_refusal,
    held_elsewhere,
    may_review,
)
from processing.validation import ValidationContext
from storage.enums import REVIEWERS, SENIORS, CaseStatus, ChecklistState, DocumentKind, ShipmentDirection
from storage.models import Case, Document, Review, User
from validators.working_days import working_days_between
from web import security
from web.pages import local_time
from web.vocabulary import say

A4_MM = form_layout.PAGE_MM
# fields whose values are codes, and the vocabulary that says them in words
CHOICE_CATEGORIES = {"application_type": "type", "urgency": "urgency", "sex": "sex",
                     "household_registration": "registration", "talent_category": "talent",
                     "return_carrier": "carrier"}
# where a TD3 data page's two MRZ lines lie on a scan of the page alone (fractions)
MRZ_BAND = (0.02, 0.72, 0.96, 0.26)


@dataclass(frozen=True)
class PageView:
    id: int
    number: int
    kind: str
    document_id: int
    filename: str


@dataclass(frozen=True)
class FieldView:
    name: str
    value: str
    machine: bool
    confidence: float | None
    confirmed: bool
    page_id: int | None
    region: str  # "x,y,w,h" as fractions of the page, or "" when not known


@dataclass
class Situation:
    reasons: list[tuple[str, str]] = field(default_factory=list)  # open flags: code, message
    missing: list[str] = field(default_factory=list)
    waived: list[tuple[str, dt.date | None]] = field(default_factory=list)
    due: dt.date | None = None
    days_left: int | None = None
    provisional: bool = False
    four_eyes: bool = False
    approvals: list[str] = field(default_factory=list)  # who approved so far (this round)
    held_by: str | None = None
    actions: list[str] = field(default_factory=list)
    # what an approved case grants (policy), recorded or still to record
    grantable: list[str] = field(default_factory=list)
    due_at: str | None = None  # "YYYY-MM-DD HH:MM", office time, for a service counted in hours
    port_visa_notification: bool = False  # issued: the case page links it


def pages_of(case: Case) -> list[PageView]:
    """The applicant's pages in the order they came (the office's own cover sheets left out)."""
    return [PageView(p.id, p.number, d.kind.value, d.id, d.filename)
            for d in sorted(case.documents, key=lambda d: (d.submission_id, d.sequence))
            if d.kind is not DocumentKind.COVER_SHEET
            for p in sorted(d.pages, key=lambda p: p.number)]


def fields_of(case: Case) -> list[FieldView]:
    form = case.form_fields or {}
    confirmed = set(form.get("confirmed_fields", "").split(",")) - {""}
    form_document = _first(case, DocumentKind.APPLICATION_FORM)
    from_scan = bool(form_document and (form_document.fields or {}).get("form_read_from") == "scan")
    form_page = form_document.pages[0].id if form_document and form_document.pages else None
    views = []
    for name in CORRECTABLE:
        if name not in form and name not in confirmed:
            continue
        views.append(FieldView(
            name=name, value=str(form.get(name, "")), machine=from_scan and name not in confirmed,
            confidence=form_document.confidence if form_document else None,
            confirmed=name in confirmed, page_id=form_page,
            region=_form_box(name) if form_page else ""))
    passport = _first(case, DocumentKind.PASSPORT)
    if passport and passport.pages:  # the reading, or one no two readers vouched for
        for name in ("mrz", "mrz_unverified"):
            if mrz := (passport.fields or {}).get(name):
                views.append(FieldView(name=name, value=" / ".join(mrz.get("lines", [])), machine=True,
                                       confidence=passport.confidence, confirmed=False,
                                       page_id=passport.pages[0].id,
                                       region=",".join(f"{v:.3f}" for v in MRZ_BAND)))
    return views


def situation_of(session: Session, case: Case, user: User,
                 context: ValidationContext) -> Situation:
    found = Situation()
    found.reasons = [(f.code, f.message) for f in case.flags if f.resolved_at is None]
    found.missing = [i.material.value for i in case.checklist if i.state is ChecklistState.MISSING]
    promised = {w.material: w.promised_by for w in case.waivers}
    found.waived = [(i.material.value, promised.get(i.material)) for i in case.checklist
                    if i.state is ChecklistState.WAIVED]
    found.due, found.provisional = case.due_date, bool(case.due_date_provisional)
    found.due_at = local_time(case.due_at) if case.due_at else None  # a service in hours
    application = context.policy.application_type(case.application_type)
    found.grantable = list(application.grants) if application else []
    found.port_visa_notification = bool(  # asked only of the cases that can have one
        application and application.port_visa_notification_days
        and notification_sha256(session, case) is not None)
    if case.due_date:
        found.days_left = working_days_between(context.today, case.due_date, context.calendar)
    found.four_eyes = bool(case.four_eyes)
    found.approvals = [name for name, in session.execute(
        select(User.name).join(Review, Review.reviewer_id == User.id).where(
            Review.case_id == case.id, Review.decision == "approve",
            Review.superseded_at.is_(None)).order_by(Review.id))]
    if case.assigned_to_id:
        holder = session.get(User, case.assigned_to_id)
        found.held_by = holder.name if holder else None
    found.actions = _actions(session, case, user, grants=bool(found.grantable))
    return found


def next_step(case: Case, situation: Situation, user: User) -> str:
    """The one sentence (a word key) that says what the reviewer or clerk does next."""
    actions = situation.actions
    if "claim" in actions:
        return "next_claim"
    if "approve" in actions:
        return "next_decide"
    if case.status is CaseStatus.IN_REVIEW:
        return "next_other_reviewer"
    if case.status is CaseStatus.READY_FOR_REVIEW and user.name in situation.approvals:
        return "next_second_approval"
    if case.status is CaseStatus.NEEDS_MATERIALS:
        return "next_wait_materials"
    if "dispatch" in actions:
        return "next_dispatch"
    if case.status is CaseStatus.RETURNING:
        return "next_returning"
    return "next_nothing"


def describe(detail: dict[str, Any] | None, language: str) -> str:
    """An audit event's details in words ("missing: passport, photo; reply by 2026-12-14"),
    not JSON."""
    if not detail:
        return ""
    parts = []
    for key, value in detail.items():
        if key == "field" and "before" in detail:
            continue
        if key == "before" and "field" in detail:
            name = say("field", str(detail["field"]), language)
            parts.append(f"{name}: {_plain(value)} → {_plain(detail.get('after'))}")
            continue
        if key == "after" and "field" in detail:
            continue
        label = DETAIL_WORDS.get(key, (key.replace("_", " "),) * 2)[0 if language == "zh" else 1]
        if key in ("missing", "materials") and isinstance(value, list):
            value = ", ".join(say("material", str(m), language) for m in value)
        elif key == "flags" and isinstance(value, list):
            value = ", ".join(say("flag", str(f), language) for f in value)
        elif key == "kind":
            value = say("kind", str(value), language)
        elif isinstance(value, bool):
            value = ("是" if value else "否") if language == "zh" else ("yes" if value else "no")
        elif key in ("reopened_after", "to", "from_status"):
            value = say("status", str(value), language)
        elif key == "field":
            value = say("field", str(value), language)
        parts.append(f"{label}: {_plain(value)}")
    return "; ".join(parts)


DETAIL_WORDS = {
    "missing": ("缺少", "missing"), "reply_by": ("答复期限", "reply by"),
    "reason": ("理由", "reason"), "approval": ("第几次批准", "approval"),
    "document_id": ("材料编号", "document"), "from": ("来自", "from"),
    "reopened_after": ("重新审批，原为", "re-opened after"), "field": ("字段", "field"),
    "shipment_id": ("快件编号", "shipment"), "applicant_id": ("申请人档案", "applicant record"),
    "from_applicant_id": ("原档案", "from record"), "to_applicant_id": ("新档案", "to record"),
    "kind": ("材料类别", "kind"), "submission_id": ("来件编号", "submission"),
    "flags": ("提示", "flags"), "due_date": ("办结期限", "due"), "provisional": ("暂定", "provisional"),
}


def _plain(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def _actions(session: Session, case: Case, user: User, *, grants: bool) -> list[str]:
    actions = []
    reviewer = user.role in REVIEWERS and may_review(user, case)
    if reviewer:
        if case.status is CaseStatus.READY_FOR_REVIEW and claim_refusal(session, case, user) is None:
            actions.append("claim")
        if case.status is CaseStatus.IN_REVIEW and case.assigned_to_id == user.id:
            actions += ["approve", "reject"]
        may_ask = case.status in (CaseStatus.READY_FOR_REVIEW, CaseStatus.IN_REVIEW,
                                  CaseStatus.NEEDS_MATERIALS) and recipient_of(case) is not None
        if may_ask and held_elsewhere(case, user, "request materials for") is None:
            actions.append("request_materials")
        if correction_refusal(case, user, None) is None:
            actions.append("correct")
        if user.role in SENIORS and case.applicant is not None \
                and case.applicant.own_case_id == case.id:
            actions.append("merge_applicant")
        if user.role in SENIORS and any(f.code == "urgency_awaits_recognition"
                                        and f.resolved_at is None for f in case.flags):
            actions.append("recognise_urgency")
        if case.status is CaseStatus.APPROVED and grants:  # what it granted, for the reminders
            actions.append("record_grant")
    returned = any(s.direction is ShipmentDirection.RETURN for s in case.shipments)
    if security.allowed(user, "clerk") and not returned and case.status in (
            CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN):
        actions.append("dispatch")
    return actions


def _first(case: Case, kind: DocumentKind) -> Document | None:
    return next((d for d in sorted(case.documents, key=lambda d: d.id) if d.kind is kind), None)


def _form_box(name: str) -> str:
    if name not in form_layout.LABELS:
        return ""
    box = form_layout.field_box(name)
    # the label sits left of the box: outline both, as a reviewer reads them together
    left = form_layout.LABEL_LEFT_MM
    width, height = A4_MM
    return ",".join(f"{v:.4f}" for v in (left / width, box.top / height,
                                          (box.right - left) / width,
                                          (box.bottom - box.top) / height))
