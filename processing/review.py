"""A reviewer's work on a case: claiming it, deciding it (four eyes where the policy says),
requesting materials, correcting a machine-read field. The web app and the CLI
(`mailroom cases decide`) call the same functions, so both are audited alike.

Contract: every function runs in the caller's transaction and raises ``ReviewError`` (a
``TransitionError``) with a reason a reviewer can read when the rules refuse.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from mailroom.errors import TransitionError
from notices.correction import correction_notice
from notices.decision import decision_letter
from notices.delivery import recipient_of
from notices.materials import request_for_materials
from processing.grants import flag_unrecorded
from processing.port_visa import issue_notification
from processing.validation import ValidationContext, validate_case
from storage.cases import change_status, record_event
from storage.enums import REVIEWERS, SENIORS, CaseStatus, DocumentKind, Role
from storage.models import Applicant, Case, CaseEvent, Flag, Review, SentMessage, User, utcnow
from storage.outbox import add_to_outbox
from validators.working_days import add_working_days

IDENTITY = ("surname", "given_names", "nationality", "passport_number", "date_of_birth", "sex")
RETURN_ADDRESS = ("return_recipient", "return_phone", "return_address", "return_postcode",
                  "return_carrier")
CORRECTABLE = (*IDENTITY, "requested_until", "application_type", "urgency",
               "household_registration", *RETURN_ADDRESS, "email")
DECIDED = (CaseStatus.APPROVED, CaseStatus.REJECTED)
# before a decision, a case not yet claimed may be corrected by a senior reviewer only
UNDECIDED = (CaseStatus.RECEIVED, CaseStatus.VALIDATING, CaseStatus.NEEDS_MATERIALS,
             CaseStatus.READY_FOR_REVIEW)


class ReviewError(TransitionError):
    """A review action the rules do not allow."""


def may_review(user: User, case: Case) -> bool:
    """Reviewers work their own group's cases; senior reviewers and admins every group."""
    if user.role in SENIORS:
        return True
    return user.role is Role.REVIEWER and user.reviewer_group in (None, case.reviewer_group)


def claim(*, session: Session, case: Case, user: User) -> bool:
    """Take ``case`` for review. Atomic: of two reviewers claiming at once exactly one wins (a
    conditional UPDATE; the loser's matches no row)."""
    _check_reviewer(user, case)
    refusal = claim_refusal(session, case, user)
    if refusal:
        raise ReviewError(refusal)
    won = session.execute(
        update(Case).where(Case.id == case.id, Case.status == CaseStatus.READY_FOR_REVIEW,
                           Case.assigned_to_id.is_(None))
        .values(assigned_to_id=user.id, claimed_at=utcnow(), status=CaseStatus.IN_REVIEW)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    if won:
        session.refresh(case)
        session.add(CaseEvent(case_id=case.id, actor=user.name, action="claimed",
                              from_status=CaseStatus.READY_FOR_REVIEW,
                              to_status=CaseStatus.IN_REVIEW))
    return won


def claim_next(*, session: Session, user: User) -> Case | None:
    """The next case of the user's queue, locked against other claimers: ``FOR UPDATE SKIP
    LOCKED`` on PostgreSQL (a case another reviewer is taking is skipped, not waited for); on
    SQLite the writer lock (BEGIN IMMEDIATE) serialises claimers and the conditional UPDATE
    decides."""
    mine_approved = select(Review.case_id).where(Review.reviewer_id == user.id,
                                                 Review.decision == "approve",
                                                 Review.superseded_at.is_(None))
    query = (select(Case).where(Case.status == CaseStatus.READY_FOR_REVIEW,
                                Case.assigned_to_id.is_(None),
                                Case.id.not_in(mine_approved))  # four eyes: someone else's turn
             .order_by(Case.priority_rank, Case.due_date.asc().nulls_last(), Case.id))
    if user.role is Role.REVIEWER and user.reviewer_group:
        query = query.where(Case.reviewer_group == user.reviewer_group)
    # One row at a time: locking a whole page of the queue would leave the others nothing.
    case = session.scalars(query.limit(1).with_for_update(skip_locked=True)).first()
    if case is not None and claim(session=session, case=case, user=user):
        return case
    return None


def decide(
    *, session: Session, case: Case, user: User, decision: str, reason: str | None = None,
    context: ValidationContext | None = None,
) -> Case:
    """Approve or reject; the final decision is written to the applicant (``context`` gives the
    office's mail domain: without it, as in some tests, no letter is queued)."""
    _check_reviewer(user, case)
    if decision not in ("approve", "reject"):
        raise ReviewError(f"Unknown decision {decision!r}: approve or reject.")
    taken = case.status is CaseStatus.READY_FOR_REVIEW and not claim(
        session=session, case=case, user=user)
    if taken:
        raise ReviewError(f"Case {case.reference} was just taken by another reviewer.")
    if case.status is not CaseStatus.IN_REVIEW:
        raise ReviewError(f"Case {case.reference} is {case.status.value}, not in review.")
    if case.assigned_to_id not in (None, user.id):
        raise ReviewError(f"Case {case.reference} is being reviewed by someone else.")
    if decision == "reject":
        if not (reason and reason.strip()):
            raise ReviewError("A rejection needs a reason the applicant can be told.")
        session.add(Review(case_id=case.id, reviewer_id=user.id, decision="reject",
                           reason=reason.strip()))
        change_status(session=session, case=case, to=CaseStatus.REJECTED, actor=user.name,
                      detail={"reason": reason.strip()})
        _tell_decision(session, case, approved=False, reason=reason.strip(), context=context)
        return case
    first = _first_approver(session, case)
    if case.four_eyes and first == user.id:
        raise ReviewError("Four eyes: a second, different reviewer must approve this case.")
    session.add(Review(case_id=case.id, reviewer_id=user.id, decision="approve", reason=reason))
    session.flush()
    if case.four_eyes and first is None:
        # the first of two approvals: back to the queue for a different reviewer
        case.assigned_to_id = None
        change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW,
                      actor=user.name, detail={"approval": 1})
        session.add(Flag(case_id=case.id, code="awaiting_second_approval", source=user.name,
                         message=f"Approved by {user.name}; a second reviewer must approve."))
        return case
    for flag in case.flags:
        if flag.code == "awaiting_second_approval" and flag.resolved_at is None:
            flag.resolved_at = utcnow()
    change_status(session=session, case=case, to=CaseStatus.APPROVED, actor=user.name)
    if context is not None:
        flag_unrecorded(case, context)
        issue_notification(session=session, case=case, context=context)
    _tell_decision(session, case, approved=True, reason=reason, context=context)
    return case


def _tell_decision(session: Session, case: Case, *, approved: bool, reason: str | None,
                   context: ValidationContext | None) -> None:
    to = recipient_of(case)
    if context is None or context.notices is None:
        return
    if to is None:
        session.add(Flag(case_id=case.id, code="applicant_unreachable", source="notices",
                         message="No e-mail and no postal address on the form: the decision "
                                 "could not be sent. Contact the applicant another way."))
        return
    subject, body = decision_letter(case.reference, case.application_type, approved, reason)
    add_to_outbox(session=session, case=case, kind="decision", to_address=to.address,
                  subject=subject, body=body, domain=context.notices.domain, channel=to.channel)


def request_materials(
    *, session: Session, case: Case, user: User, materials: list[str], context: ValidationContext,
) -> SentMessage:
    """The reviewer's one-time notice: the chosen materials in one bilingual letter."""
    _check_reviewer(user, case)
    _check_holds(user, case, "request materials for")
    chosen = [m for m in materials if m in {k.value for k in DocumentKind}]
    if not chosen:
        raise ReviewError("Pick at least one material to request.")
    to = recipient_of(case)
    if to is None:
        raise ReviewError(f"Case {case.reference} has neither an e-mail address nor a postal "
                          "address to write to.")
    reply = add_working_days(context.today, context.policy.requests.reply_within_working_days,
                             context.calendar)
    reply_by = reply.due
    subject, body = request_for_materials(case.reference, case.application_type, chosen,
                                          reply_by, provisional=reply.provisional)
    domain = context.notices.domain if context.notices else "mailroom.invalid"
    message = add_to_outbox(session=session, case=case, kind="request_for_materials",
                            to_address=to.address, subject=subject, body=body, domain=domain,
                            channel=to.channel)
    record_event(session=session, case=case, actor=user.name, action="materials_requested",
                 detail={"missing": chosen, "reply_by": reply_by.isoformat(),
                         "provisional": reply.provisional})
    if case.status is not CaseStatus.NEEDS_MATERIALS:
        change_status(session=session, case=case, to=CaseStatus.NEEDS_MATERIALS, actor=user.name,
                      detail={"missing": chosen})
    case.assigned_to_id = None
    return message


def correct_field(
    *, session: Session, case: Case, user: User, name: str, value: str,
    context: ValidationContext,
) -> None:
    """A reviewer confirms or corrects a machine-read value; audited, then validation re-runs.

    Before the decision only the reviewer holding the case (or a senior reviewer) may; after
    it, only a senior reviewer, only an identity field or the return address, and the case is
    re-opened for review (four eyes again where its type needs them) and the applicant told.
    Once the passport is on its way back nothing changes."""
    _check_reviewer(user, case)
    if name not in CORRECTABLE:
        raise ReviewError(f"The field {name!r} cannot be corrected here.")
    refusal = correction_refusal(case, user, name)
    if refusal:
        raise ReviewError(refusal)
    reopening = case.status in DECIDED
    form = dict(case.form_fields or {})
    before = form.get(name)
    corrected = value.strip()
    form[name] = corrected
    confirmed = set(form.get("confirmed_fields", "").split(",")) - {""} | {name}
    form["confirmed_fields"] = ",".join(sorted(confirmed))
    case.form_fields = form
    identity = ("surname", "given_names", "passport_number", "nationality")
    if case.applicant is not None and name in identity \
            and corrected.upper() != (getattr(case.applicant, name) or "").upper():
        setattr(_own_applicant(session, case, user), name, corrected.upper())
    record_event(session=session, case=case, actor=user.name, action="field_corrected",
                 detail={"field": name, "before": before, "after": corrected})
    if reopening and before != corrected:
        _reopen(session=session, case=case, user=user, field=name, before=before,
                after=corrected, context=context)
    validate_case(session=session, case=case, context=context)


def recognise_urgency(
    *, session: Session, case: Case, user: User, reason: str, context: ValidationContext,
) -> None:
    """A senior reviewer recognises the urgent matter the form claims as an emergency (text 002:
    "other urgent matters recognised by the office"): audited with the reason, then validation
    re-runs, so the case is served as an emergency and its limit shortened where the type has an
    expedited one."""
    if user.role not in SENIORS:
        raise ReviewError("Only a senior reviewer may recognise an urgent matter.")
    urgency = (case.form_fields or {}).get("urgency")
    if not context.policy.priority(urgency).office_recognises:
        raise ReviewError(f"Case {case.reference} claims no urgent matter the office must "
                          "recognise.")
    if case.status not in UNDECIDED and case.status is not CaseStatus.IN_REVIEW:
        raise ReviewError(f"Case {case.reference} is {case.status.value}: too late to change "
                          "its priority.")
    if not reason.strip():
        raise ReviewError("Say why the matter is urgent: the decision is kept with its reason.")
    if case.urgency_recognised_by is not None:
        raise ReviewError(f"{case.urgency_recognised_by} already recognised it.")
    case.urgency_recognised_by, case.urgency_recognised_at = user.name, utcnow()
    record_event(session=session, case=case, actor=user.name, action="urgency_recognised",
                 detail={"urgency": urgency, "reason": reason.strip()})
    validate_case(session=session, case=case, context=context)


def claim_refusal(session: Session, case: Case, user: User) -> str | None:
    """Why ``user`` may not claim ``case`` now (None: they may)."""
    if case.four_eyes and _first_approver(session, case) == user.id:
        return ("Four eyes: you gave this case its first approval; a second, different reviewer "
                "must take it.")
    return None


def correction_refusal(case: Case, user: User, name: str | None) -> str | None:
    """Why ``user`` may not correct field ``name`` of ``case`` now (None: they may; ``name``
    None asks about correcting at all)."""
    if case.status in DECIDED:
        if user.role not in SENIORS:
            return (f"Case {case.reference} is {case.status.value}: only a senior reviewer may "
                    "correct it, and that re-opens its review.")
        if name is not None and name not in (*IDENTITY, *RETURN_ADDRESS):
            return (f"Case {case.reference} is {case.status.value}: after a decision only the "
                    "applicant's identity or return address can be corrected.")
        return None
    if case.status in UNDECIDED:
        return None if user.role in SENIORS else f"Claim case {case.reference} before correcting it."
    if case.status is CaseStatus.IN_REVIEW:
        return held_elsewhere(case, user, "correct")
    return f"Case {case.reference} is {case.status.value}: nothing on it can be changed any more."


def merge_applicant(*, session: Session, case: Case, user: User, context: ValidationContext) -> None:
    """Fold a case's own corrected copy of its applicant into the office's record of that
    passport (creating it if there is none): a senior reviewer's explicit, audited act."""
    if user.role not in SENIORS:
        raise ReviewError("Only a senior reviewer may merge applicant records.")
    copy = case.applicant
    if copy is None or copy.own_case_id != case.id:
        raise ReviewError(f"Case {case.reference} has no corrected applicant record to merge.")
    record = session.scalar(select(Applicant).where(
        Applicant.nationality == copy.nationality, Applicant.passport_number == copy.passport_number,
        Applicant.own_case_id.is_(None)))
    fields = ("surname", "given_names", "date_of_birth", "sex", "email", "phone")
    if record is None:
        copy.own_case_id = None  # the copy becomes the office's record of this passport
        merged_into, before = copy.id, None
    else:
        before = {f: _plain(getattr(record, f)) for f in fields}
        for field in fields:
            setattr(record, field, getattr(copy, field) or getattr(record, field))
        case.applicant_id, merged_into = record.id, record.id
    record_event(session=session, case=case, actor=user.name, action="applicant_merged",
                 detail={"applicant_id": merged_into, "before": before,
                         "after": {f: _plain(getattr(copy, f)) for f in fields}})
    session.flush()
    session.refresh(case)
    validate_case(session=session, case=case, context=context)


def _own_applicant(session: Session, case: Case, user: User) -> Applicant:
    """The case's own copy of its applicant, made on its first correction: the office's record
    and every other case that shares it stay as they were."""
    current = case.applicant
    assert current is not None
    if current.own_case_id == case.id:
        return current
    copy = Applicant(surname=current.surname, given_names=current.given_names,
                     nationality=current.nationality, passport_number=current.passport_number,
                     date_of_birth=current.date_of_birth, sex=current.sex, email=current.email,
                     phone=current.phone, organization_id=current.organization_id,
                     own_case_id=case.id)
    session.add(copy)
    session.flush()
    case.applicant_id = copy.id
    case.applicant = copy
    record_event(session=session, case=case, actor=user.name, action="applicant_copied",
                 detail={"from_applicant_id": current.id, "to_applicant_id": copy.id})
    return copy


def _reopen(*, session: Session, case: Case, user: User, field: str, before: str | None,
            after: str, context: ValidationContext) -> None:
    """A decided case whose identity or return address changed goes back to the queue: earlier
    approvals no longer count, and the applicant is told at the address on file."""
    decided = case.status
    now = utcnow()
    for review in session.scalars(select(Review).where(Review.case_id == case.id,
                                                      Review.superseded_at.is_(None))):
        review.superseded_at = now
    for flag in case.flags:
        if flag.code == "awaiting_second_approval" and flag.resolved_at is None:
            flag.resolved_at = now
    case.assigned_to_id = None
    change_status(session=session, case=case, to=CaseStatus.READY_FOR_REVIEW, actor=user.name,
                  detail={"reopened_after": decided.value, "field": field})
    session.add(Flag(case_id=case.id, code="reopened_after_correction", source=user.name,
                     message=f"{user.name} corrected {field} after the case was {decided.value}: "
                             "review it again" + (" (two approvals)." if case.four_eyes else ".")))
    if case.contact_email:
        subject, body = correction_notice(case.reference, field, before, after)
        domain = context.notices.domain if context.notices else "mailroom.invalid"
        add_to_outbox(session=session, case=case, kind="correction_notice",
                      to_address=case.contact_email, subject=subject, body=body, domain=domain)


def held_elsewhere(case: Case, user: User, action: str) -> str | None:
    """Why ``user`` may not ``action`` a case another reviewer holds (None: they may). A case in
    review belongs to the reviewer holding it; a senior reviewer may step in."""
    held_by_other = case.assigned_to_id is not None and case.assigned_to_id != user.id
    if case.status is CaseStatus.IN_REVIEW and held_by_other and user.role not in SENIORS:
        return (f"Case {case.reference} is being reviewed by someone else: only they (or a "
                f"senior reviewer) may {action} it.")
    return None


def _check_holds(user: User, case: Case, action: str) -> None:
    refusal = held_elsewhere(case, user, action)
    if refusal:
        raise ReviewError(refusal)


def _plain(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _check_reviewer(user: User, case: Case) -> None:
    if user.role not in REVIEWERS:
        raise ReviewError(f"{user.name} is a {user.role.value}: only reviewers decide cases.")
    if not may_review(user, case):
        raise ReviewError(f"Case {case.reference} belongs to the {case.reviewer_group} group, "
                          f"not {user.name}'s.")


def _first_approver(session: Session, case: Case) -> int | None:
    return session.scalar(select(func.min(Review.reviewer_id)).where(
        Review.case_id == case.id, Review.decision == "approve", Review.superseded_at.is_(None)))
