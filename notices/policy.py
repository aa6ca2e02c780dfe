"""When the office answers an e-mail: never automated mail, and only a few per sender an hour."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from extractors.mime import ParsedMessage
from notices.acknowledgement import acknowledgement
from storage.models import Case
from storage.outbox import add_to_outbox, sent_recently


@dataclass(frozen=True)
class NoticePolicy:
    domain: str  # for the Message-IDs of what we send
    per_sender_per_hour: int = 3


def may_answer(message: ParsedMessage, sent_last_hour: int, policy: NoticePolicy) -> bool:
    return bool(
        message.sender
        and not message.automated
        and "@" in message.sender
        and sent_last_hour < policy.per_sender_per_hour
    )


def queue_acknowledgement(
    *, session: Session, case: Case, message: ParsedMessage, policy: NoticePolicy
) -> bool:
    # Only acknowledgements count: they answer whatever arrives, so they are what a flood or a
    # loop would multiply; a case's own letters (requests, receipts) go once per case.
    recent = sent_recently(session=session, to_address=message.sender,
                           within=dt.timedelta(hours=1), kind="acknowledgement")
    if not may_answer(message, recent, policy):
        return False
    subject, body = acknowledgement(case.reference, case.application_type)
    add_to_outbox(session=session, case=case, kind="acknowledgement", to_address=message.sender,
                  subject=subject, body=body, domain=policy.domain,
                  in_reply_to=message.message_id)
    return True
