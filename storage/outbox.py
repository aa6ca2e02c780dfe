"""The outbox: e-mails to send, recorded on their case; and finding a case from a reply."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mailroom.config import OFFICE_TIME_ZONE
from storage.models import Batch, Case, SentMessage, utcnow

BATCH_LETTER = "batch_acknowledgement"  # the one letter for an organisation's whole batch


def add_to_outbox(
    *, session: Session, case: Case, kind: str, to_address: str, subject: str, body: str,
    domain: str, in_reply_to: str | None = None, channel: str = "email",
) -> SentMessage:
    """A letter for ``case``: by e-mail (the sender takes it) or by post (``to_address`` is the
    postal address; it waits for the day's print batch)."""
    message = SentMessage(
        case_id=case.id, kind=kind, to_address=to_address, subject=subject, body=body,
        channel=channel, status="to_print" if channel == "post" else "pending",
        message_id=f"<{case.reference}.{uuid.uuid4().hex[:16]}@{domain}>",
        # a header value never carries a line break: an applicant's odd Message-ID must not
        # smuggle a header into our reply
        in_reply_to=" ".join(in_reply_to.split())[:998] if in_reply_to else None,
    )
    session.add(message)
    return message


def sent_recently(
    *, session: Session, to_address: str, within: dt.timedelta, kind: str | None = None
) -> int:
    query = select(func.count()).select_from(SentMessage).where(
        SentMessage.to_address == to_address, SentMessage.created_at >= utcnow() - within)
    if kind is not None:
        query = query.where(SentMessage.kind == kind)
    return session.scalar(query) or 0


def due_message_ids(*, session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    """Pending messages whose next attempt is due (a failed one waits out its backoff)."""
    return list(session.scalars(
        select(SentMessage.id)
        .where(SentMessage.status == "pending",
               or_(SentMessage.next_attempt_at.is_(None), SentMessage.next_attempt_at <= now))
        .order_by(SentMessage.id).limit(limit)
    ))


def claim_pending(*, session: Session, message_id: int) -> SentMessage | None:
    """The message, locked for this transaction, if it is still pending and no other sender
    holds it (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite serialises writers)."""
    return session.scalar(
        select(SentMessage).where(SentMessage.id == message_id, SentMessage.status == "pending")
        .with_for_update(skip_locked=True)
    )


def replied_to(*, session: Session, message_ids: Sequence[str]) -> Case | Batch | None:
    """What a message answers (In-Reply-To / References): the case of the newest letter of ours
    it names — or, for a batch's one letter, which speaks for many cases, that batch."""
    if not message_ids:
        return None
    sent = session.scalars(
        select(SentMessage).where(SentMessage.message_id.in_(list(message_ids)))
        .order_by(SentMessage.id.desc())
    ).first()
    case = session.get(Case, sent.case_id) if sent else None
    if sent is not None and case is not None and sent.kind == BATCH_LETTER and case.batch_id:
        return session.get(Batch, case.batch_id)
    return case


def letters_to_print(*, session: Session, day: dt.date) -> list[SentMessage]:
    """Every letter by post due on ``day``: those waiting since that day or before, and those
    already printed in that day's batch (printing the batch again prints the same letters)."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(),
                              tzinfo=OFFICE_TIME_ZONE).astimezone(dt.UTC)
    return list(session.scalars(select(SentMessage).where(
        SentMessage.channel == "post",
        ((SentMessage.status == "to_print") & (SentMessage.created_at < end))
        | (SentMessage.printed_on == day)).order_by(SentMessage.id)))


def mark_printed(*, messages: list[SentMessage], day: dt.date) -> None:
    for message in messages:
        if message.status == "to_print":
            message.status, message.printed_on, message.sent_at = "sent", day, utcnow()
