"""What an approved case granted, and the reminders before it expires (text 001).

Contract: ``record_grant`` keeps a visa, permit or passport the office granted (kind, number,
validity, as a reviewer enters or confirms it), audited; each kind the application type grants
(policy: ``grants``) is one record, entered again to correct it. ``unrecorded_grants`` says what
an approved case still lacks (its ``grant_unrecorded`` flag names them). ``remind_grants`` sends
each holder one reminder per threshold (policy: ``grant_reminders_days_before``, a month then a
week), by e-mail or, without one, by post; a visa's expiry follows the 60-day rule where the
policy's epidemic period covers it (text 000 item 9).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mailroom.errors import TransitionError
from notices.delivery import recipient_of
from notices.grants import grant_expiry_reminder, grant_name
from processing.validation import ValidationContext
from storage.cases import record_event
from storage.enums import REVIEWERS, CaseStatus
from storage.models import Case, Flag, Grant, User, utcnow
from storage.outbox import add_to_outbox
from validators.consistency import effective_visa_expiry

UNRECORDED = "grant_unrecorded"


class GrantError(TransitionError):
    """A grant the rules do not let be recorded."""


def record_grant(
    *, session: Session, case: Case, user: User, kind: str, number: str, valid_from: dt.date,
    valid_until: dt.date, context: ValidationContext,
) -> Grant:
    if user.role not in REVIEWERS:
        raise GrantError("Only a reviewer may record what the office granted.")
    if case.status is not CaseStatus.APPROVED:
        raise GrantError(f"Case {case.reference} is {case.status.value}: a grant is recorded "
                         "on an approved case.")
    grants = _grants_of(case, context)
    if kind not in grants:
        allowed = ", ".join(grants) or "nothing"
        raise GrantError(f"A {case.application_type} case grants {allowed}, not {kind}.")
    if not number.strip():
        raise GrantError("Enter the number printed on what was granted.")
    if valid_until <= valid_from:
        raise GrantError(f"Valid until ({valid_until}) must come after valid from ({valid_from}).")
    grant = next((g for g in case.grants if g.kind == kind), None)
    if grant is None:
        grant = Grant(case_id=case.id, kind=kind)
        case.grants.append(grant)
    grant.number, grant.valid_from, grant.valid_until = number.strip().upper(), valid_from, valid_until
    grant.recorded_by, grant.recorded_at, grant.reminded_days_before = user.name, utcnow(), []
    record_event(session=session, case=case, actor=user.name, action="grant_recorded",
                 detail={"kind": kind, "valid_from": valid_from.isoformat(),
                         "valid_until": valid_until.isoformat()})
    if not unrecorded_grants(case, context):
        for flag in case.flags:
            if flag.code == UNRECORDED and flag.resolved_at is None:
                flag.resolved_at = utcnow()
    return grant


def unrecorded_grants(case: Case, context: ValidationContext) -> list[str]:
    recorded = {g.kind for g in case.grants}
    return [kind for kind in _grants_of(case, context) if kind not in recorded]


def flag_unrecorded(case: Case, context: ValidationContext) -> None:
    """On approval: name what the reviewer is to record, so the holder is reminded in time."""
    missing = unrecorded_grants(case, context)
    already = any(f.code == UNRECORDED and f.resolved_at is None for f in case.flags)
    if missing and not already:  # approved again after a re-opening: still one flag
        names = ", ".join(grant_name(kind)[1] for kind in missing)
        case.flags.append(Flag(case_id=case.id, code=UNRECORDED, source="review", message=(
            f"Record the {names} granted (number, valid from, valid until): the holder is "
            "reminded before it expires (text 001).")))


def expires_on(grant: Grant, context: ValidationContext) -> dt.date:
    if grant.kind == "visa":
        return effective_visa_expiry(grant.valid_until, context.policy.visa_extension_rule)
    return grant.valid_until


def remind_grants(*, session: Session, context: ValidationContext) -> int:
    """One reminder per threshold per grant: the nearest threshold reached is sent, and every
    farther one counts as sent with it (a grant recorded a week before expiry gets one)."""
    thresholds = sorted(context.policy.checks.grant_reminders_days_before, reverse=True)
    horizon = context.today + dt.timedelta(days=max(thresholds, default=0))
    sent = 0
    # the 60-day rule only lengthens a visa, and only one that ends within the epidemic period
    period = context.policy.visa_extension_rule.epidemic_period
    candidates = session.scalars(select(Grant).where(
        or_(Grant.valid_until >= context.today, Grant.valid_until.between(period.start, period.end)),
        Grant.valid_until <= horizon).order_by(Grant.id))
    for grant in candidates:
        expiry = expires_on(grant, context)
        days_left = (expiry - context.today).days
        due = [t for t in thresholds if 0 <= days_left <= t]
        already = set(grant.reminded_days_before or [])
        if not due or set(due) <= already:
            continue
        grant.reminded_days_before = sorted(already | set(due))
        to = recipient_of(grant.case)
        if to is None or context.notices is None:
            continue
        subject, body = grant_expiry_reminder(grant.case.reference, grant.kind, grant.number, expiry)
        add_to_outbox(session=session, case=grant.case, kind="expiry_reminder", to_address=to.address,
                      subject=subject, body=body, domain=context.notices.domain, channel=to.channel)
        sent += 1
    return sent


def _grants_of(case: Case, context: ValidationContext) -> tuple[str, ...]:
    application = context.policy.application_type(case.application_type)
    return application.grants if application else ()
