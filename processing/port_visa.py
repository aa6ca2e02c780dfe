"""A port visa approved (text 004): the Port Visa Notification goes to the inviting organisation.

Contract: ``issue_notification(session=, case=, context=)`` renders the notification, attaches
it to a letter to the organisation (by e-mail, or by post without one) and keeps it with the
case's audit trail, where staff download it again (``notification_sha256``). Nothing for other
types.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from notices.delivery import recipient_of
from notices.port_visa import PortVisaNotice, notification_mail, port_visa_notification
from processing.validation import ValidationContext
from storage.cases import record_event
from storage.models import Case, CaseEvent, Flag
from storage.outbox import add_to_outbox

KIND = "port_visa_notification"


def issue_notification(*, session: Session, case: Case, context: ValidationContext) -> None:
    application = context.policy.application_type(case.application_type)
    if application is None or not application.port_visa_notification_days or context.notices is None:
        return
    form, applicant = case.form_fields or {}, case.applicant
    organisation = form.get("employer_or_school") or "—"
    notice = PortVisaNotice(
        reference=case.reference, inviting_organisation=organisation,
        person_name=f"{applicant.surname} {applicant.given_names}".strip() if applicant else "—",
        nationality=applicant.nationality if applicant else "—",
        passport_number=applicant.passport_number if applicant else "—",
        port_of_entry=form.get("port_of_entry") or "—", approved_on=context.today,
        valid_until=context.today + dt.timedelta(days=application.port_visa_notification_days))
    pdf = context.blobs.put_bytes(port_visa_notification(notice))
    record_event(session=session, case=case, actor="system:review", action="port_visa_notified",
                 detail={"valid_until": notice.valid_until.isoformat(), "pdf_sha256": pdf})
    to = recipient_of(case)
    if to is None:
        case.flags.append(Flag(case_id=case.id, code="applicant_unreachable", source="notices",
                               message="The port visa notification could not be sent: no e-mail "
                                       "and no postal address. Download it from the case page."))
        return
    subject, body = notification_mail(case.reference, organisation)
    message = add_to_outbox(session=session, case=case, kind=KIND, to_address=to.address,
                            subject=subject, body=body, domain=context.notices.domain,
                            channel=to.channel)
    message.attachment_sha256, message.attachment_filename = pdf, filename(case)
    case.messages_sent.append(message)


def filename(case: Case) -> str:
    return f"port-visa-notification-{case.reference}.pdf"


def notification_sha256(session: Session, case: Case) -> str | None:
    """The latest notification issued on the case (its blob), if any."""
    event = session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "port_visa_notified")
        .order_by(CaseEvent.id.desc())).first()
    return (event.detail or {}).get("pdf_sha256") if event else None
