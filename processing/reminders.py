"""The daily round: promises falling due, promises broken, permits on file and what the office
granted expiring (processing/grants.py), provisional deadlines whose year has since been
published.

Contract: ``run_reminders(session=, context=)`` runs in the caller's transaction and can run
any number of times a day: each reminder is sent once (its time is recorded), each flag raised
once (validation owns the flags).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from notices.materials import expiry_reminder, promise_reminder
from processing.grants import remind_grants
from processing.validation import ValidationContext, set_deadline, validate_case
from storage.cases import record_event
from storage.enums import CaseStatus, DocumentKind
from storage.models import Case, CaseEvent, Waiver, utcnow
from storage.outbox import add_to_outbox
from storage.records import expiring_records

ACTOR = "system:reminders"
EXPIRING_KINDS = (DocumentKind.RESIDENCE_PERMIT, DocumentKind.WORK_PERMIT)
CLOSED = (CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.REJECTED)
UNDECIDED = (CaseStatus.VALIDATING, CaseStatus.NEEDS_MATERIALS, CaseStatus.READY_FOR_REVIEW,
             CaseStatus.IN_REVIEW)


@dataclass
class ReminderReport:
    promise_reminders: int = 0
    promises_broken: int = 0
    expiry_reminders: int = 0
    deadlines_recomputed: int = 0
    newly_overdue: list[str] = field(default_factory=list)  # case references


def run_reminders(*, session: Session, context: ValidationContext) -> ReminderReport:
    report = ReminderReport()
    _remind_promises(session, context, report)
    _flag_broken_promises(session, context, report)
    _remind_expiries(session, context, report)
    report.expiry_reminders += remind_grants(session=session, context=context)
    _recompute_provisional_deadlines(session, context, report)
    _mark_overdue(session, context, report)
    return report


def _mark_overdue(session: Session, context: ValidationContext, report: ReminderReport) -> None:
    """Cases past their due date and not yet decided: recorded once each, for the operators."""
    already = select(CaseEvent.case_id).where(CaseEvent.action == "deadline_passed")
    overdue = session.scalars(select(Case).where(
        Case.due_date < context.today, Case.status.in_(UNDECIDED), Case.id.not_in(already)))
    for case in overdue:
        record_event(session=session, case=case, actor=ACTOR, action="deadline_passed",
                     detail={"due_date": case.due_date.isoformat() if case.due_date else None})
        report.newly_overdue.append(case.reference)


def _remind_promises(session: Session, context: ValidationContext, report: ReminderReport) -> None:
    soon = context.today + dt.timedelta(days=context.policy.waivers.remind_days_before)
    due = session.scalars(select(Waiver).where(
        Waiver.fulfilled_at.is_(None), Waiver.reminded_at.is_(None),
        Waiver.promised_by <= soon, Waiver.promised_by >= context.today))
    for waiver in due:
        case = session.get(Case, waiver.case_id)
        if case is None or case.status in CLOSED:
            continue
        waiver.reminded_at = utcnow()
        if context.notices is None or not case.contact_email:
            continue
        subject, body = promise_reminder(case.reference, waiver.material.value, waiver.promised_by)
        add_to_outbox(session=session, case=case, kind="promise_reminder",
                      to_address=case.contact_email, subject=subject, body=body,
                      domain=context.notices.domain)
        record_event(session=session, case=case, actor=ACTOR, action="promise_reminded",
                     detail={"material": waiver.material.value,
                             "promised_by": waiver.promised_by.isoformat()})
        report.promise_reminders += 1


def _flag_broken_promises(
    session: Session, context: ValidationContext, report: ReminderReport
) -> None:
    broken = session.scalars(select(Waiver).where(
        Waiver.fulfilled_at.is_(None), Waiver.promised_by < context.today))
    for case_id in sorted({w.case_id for w in broken}):
        case = session.get(Case, case_id)
        if case is None or case.status in CLOSED:
            continue
        before = {f.code for f in case.flags if f.resolved_at is None}
        validate_case(session=session, case=case, context=context)  # raises promise_unkept
        after = {f.code for f in case.flags if f.resolved_at is None}
        report.promises_broken += "promise_unkept" in after - before


def _remind_expiries(session: Session, context: ValidationContext, report: ReminderReport) -> None:
    window = (context.today,
              context.today + dt.timedelta(days=context.policy.checks.expiry_reminder_days_before))
    for record in expiring_records(session=session, kinds=EXPIRING_KINDS, between=window):
        record.expiry_reminded_at = utcnow()
        case = record.source_case
        address = _address_of(case)
        if context.notices is None or case is None or address is None:
            continue
        assert record.expires_on is not None  # expiring_records asks for a read expiry
        subject, body = expiry_reminder(case.reference, record.kind.value, record.expires_on)
        add_to_outbox(session=session, case=case, kind="expiry_reminder", to_address=address,
                      subject=subject, body=body, domain=context.notices.domain)
        report.expiry_reminders += 1


def _address_of(case: Case | None) -> str | None:
    if case is None:
        return None
    return case.contact_email or (case.applicant.email if case.applicant else None)


def _recompute_provisional_deadlines(
    session: Session, context: ValidationContext, report: ReminderReport
) -> None:
    for case in session.scalars(select(Case).where(Case.due_date_provisional.is_(True))):
        before = (case.due_date, case.calendar_version)
        set_deadline(case, context)
        if (case.due_date, case.calendar_version) != before:
            record_event(session=session, case=case, actor=ACTOR, action="deadline_recomputed",
                         detail={"due_date": case.due_date.isoformat() if case.due_date else None,
                                 "provisional": case.due_date_provisional,
                                 "calendar": case.calendar_version})
            report.deadlines_recomputed += 1

