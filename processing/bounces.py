"""A letter's e-mail bounced: it goes again by post, and so does every later letter (#17 item 2).

Contract: ``redirect_undelivered(session=, message_ids=, context=)`` finds our letters a
delivery status notification returned (by their Message-IDs), marks each ``bounced``, marks its
case's e-mail address undeliverable and queues the same letter (and its attachment) for the
day's print batch to the postal address on the form; without one the case is flagged
``applicant_unreachable``. Reading the same report again changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from notices.delivery import recipient_of
from processing.validation import ValidationContext
from storage.cases import record_event
from storage.models import Case, Flag, SentMessage, utcnow
from storage.outbox import add_to_outbox

ACTOR = "system:bounces"


def redirect_undelivered(*, session: Session, message_ids: list[str],
                         context: ValidationContext) -> list[str]:
    """Returns the references of the cases whose letters now go by post."""
    redirected = []
    letters = session.scalars(select(SentMessage).where(
        SentMessage.message_id.in_(message_ids), SentMessage.channel == "email",
        SentMessage.status != "bounced"))
    for letter in letters:
        letter.status = "bounced"
        case = session.get(Case, letter.case_id)
        assert case is not None  # a letter always belongs to a case
        case.email_undeliverable_since = case.email_undeliverable_since or utcnow()
        record_event(session=session, case=case, actor=ACTOR, action="email_bounced",
                     detail={"letter": letter.kind})
        to = recipient_of(case)
        if to is None or context.notices is None:
            case.flags.append(Flag(case_id=case.id, code="applicant_unreachable", source="notices",
                                   message=f"The {letter.kind.replace('_', ' ')} e-mailed to the "
                                           "applicant bounced and the form gives no postal "
                                           "address: contact the applicant another way."))
            continue
        again = add_to_outbox(session=session, case=case, kind=letter.kind, to_address=to.address,
                              subject=letter.subject, body=letter.body,
                              domain=context.notices.domain, channel=to.channel)
        again.attachment_sha256, again.attachment_filename = (letter.attachment_sha256,
                                                              letter.attachment_filename)
        case.messages_sent.append(again)
        redirected.append(case.reference)
    return redirected
