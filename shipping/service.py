"""Shipments and the passport's custody: dispatching the return parcel, recording inbound ones,
applying tracking, and every custody step.

Contract: each function runs in the caller's transaction, except ``track_open_shipments``,
which takes a session factory and commits shipment by shipment (one courier's failure never
undoes another's progress). Refusals are ``ShippingError`` with a clerk-readable reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from mailroom.errors import TransitionError
from notices.policy import NoticePolicy
from notices.shipping import dispatch_notice
from shipping.carriers import Carrier, CarrierError, CarrierRateLimited, ShipmentStatus, Tracking
from storage.cases import change_status, record_event
from storage.enums import CaseStatus, Channel, DocumentKind, ShipmentDirection
from storage.models import (
    Case,
    CustodyEvent,
    Flag,
    Review,
    Shipment,
    ShipmentEvent,
    as_utc,
    utcnow,
)
from storage.outbox import add_to_outbox

log = logging.getLogger(__name__)
DECIDED = (CaseStatus.APPROVED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN)
RETURN_ADDRESS = ("return_recipient", "return_phone", "return_address")
CUSTODY_STEPS = ("received", "stored", "taken_for_review", "returned_to_store", "dispatched",
                 "delivered", "returned_to_office")


class ShippingError(TransitionError):
    """A shipment or custody step the rules do not allow (exit status 4, like a status change)."""


@dataclass
class TrackingReport:
    polled: int = 0
    new_events: int = 0
    delivered: int = 0
    alerts: int = 0
    deferred: int = 0  # rate-limited or the service unavailable: tried again next run
    errors: int = 0


def dispatch(
    *, session: Session, case: Case, actor: str, today: dt.date, waybill: str | None,
    carrier: str | None, default_carrier: str, notices: NoticePolicy | None = None,
) -> Shipment:
    """Prepare the return parcel of ``case``'s passport."""
    existing = session.scalar(select(Shipment).where(
        Shipment.case_id == case.id, Shipment.direction == ShipmentDirection.RETURN))
    if existing is not None:
        raise ShippingError(f"The passport of case {case.reference} was already dispatched "
                            f"({existing.carrier} {existing.waybill}, {existing.dispatched_on}).")
    if case.status not in DECIDED:
        raise ShippingError(f"Case {case.reference} is {case.status.value}: a passport is "
                            "returned only after the final decision.")
    if case.four_eyes and case.status is CaseStatus.APPROVED and _approvals(session, case) < 2:
        raise ShippingError(f"Case {case.reference} needs a second reviewer's approval before "
                            "its passport can be returned.")
    form = case.form_fields or {}
    missing = [name for name in RETURN_ADDRESS if not form.get(name)]
    if missing:
        raise ShippingError(f"Case {case.reference} has no return address ({', '.join(missing)} "
                            "missing on the form): correct the case first.")
    if not waybill:
        raise ShippingError("Give the waybill number printed on the courier's slip (--waybill).")
    chosen = (carrier or form.get("return_carrier") or default_carrier).lower()
    shipment = Shipment(
        case_id=case.id, direction=ShipmentDirection.RETURN, carrier=chosen,
        waybill=waybill.strip().upper(), status=ShipmentStatus.CREATED.value,
        recipient=form["return_recipient"], phone=form["return_phone"],
        address=form["return_address"], postcode=form.get("return_postcode"), dispatched_on=today)
    session.add(shipment)
    session.flush()
    record_custody(session=session, case=case, step="dispatched", actor=actor,
                   location=f"{chosen} {shipment.waybill}", shipment=shipment)
    change_status(session=session, case=case, to=CaseStatus.RETURNING, actor=actor,
                  detail={"shipment_id": shipment.id})
    if notices is not None and case.contact_email:
        subject, body = dispatch_notice(case.reference, chosen, shipment.waybill)
        add_to_outbox(session=session, case=case, kind="dispatch_notice",
                      to_address=case.contact_email, subject=subject, body=body,
                      domain=notices.domain)
    return shipment


def record_inbound(*, session: Session, case: Case, carrier: str, waybill: str) -> Shipment:
    """The applicant's parcel (once per carrier and waybill)."""
    waybill = waybill.strip().upper()
    shipment = session.scalar(select(Shipment).where(Shipment.carrier == carrier,
                                                     Shipment.waybill == waybill))
    if shipment is None:
        shipment = Shipment(case_id=case.id, direction=ShipmentDirection.INBOUND, carrier=carrier,
                            waybill=waybill, status=ShipmentStatus.CREATED.value)
        session.add(shipment)
        session.flush()
    return shipment


def record_arrivals(*, session: Session, case: Case) -> None:
    """What a new document tells about parcels and the passport: the inbound waybill on the form
    or on a scanned waybill becomes an inbound shipment; a passport that came by post is in the
    office's custody from now on (once per case)."""
    numbers = []
    inbound = (case.form_fields or {}).get("inbound_waybill")
    if inbound:
        numbers.append((carrier_of(inbound), inbound))
    for document in case.documents:
        fields = document.fields or {}
        if document.kind is DocumentKind.WAYBILL and fields.get("waybill"):
            numbers.append((fields.get("carrier") or carrier_of(fields["waybill"]), fields["waybill"]))
    for carrier, number in numbers:
        record_inbound(session=session, case=case, carrier=carrier, waybill=number)
    posted = any(d.kind is DocumentKind.PASSPORT and d.submission.channel is Channel.SCAN
                 for d in case.documents)
    received = session.scalar(select(CustodyEvent.id).where(
        CustodyEvent.case_id == case.id, CustodyEvent.event == "received"))
    if posted and received is None:
        record_custody(session=session, case=case, step="received", actor="clerk (post room)",
                       location="post room")


def carrier_of(waybill: str) -> str:
    return "sf" if waybill.strip().upper().startswith("SF") else "ems"


def record_custody(
    *, session: Session, case: Case, step: str, actor: str, location: str | None = None,
    shipment: Shipment | None = None,
) -> CustodyEvent:
    if step not in CUSTODY_STEPS:
        raise ShippingError(f"Unknown custody step {step!r}: one of {', '.join(CUSTODY_STEPS)}.")
    event = CustodyEvent(case_id=case.id, event=step, actor=actor, location=location,
                         shipment_id=shipment.id if shipment else None)
    session.add(event)
    return event


def apply_tracking(
    *, session: Session, shipment: Shipment, tracking: Tracking, source: str
) -> int:
    """Record each event once, move the shipment's status; a delivered return closes its case.
    The status follows the newest event: news older than what is already known (a replayed or
    late push) is recorded and changes nothing. Returns the number of new events."""
    latest_known = as_utc(shipment.last_event_at) if shipment.last_event_at else None
    newest = max((as_utc(e.at) for e in tracking.events), default=None)
    stale = latest_known is not None and (newest is None or newest < latest_known)
    known = {(as_utc(e.at), e.description) for e in shipment.events}
    new = 0
    for event in tracking.events:
        at = as_utc(event.at)
        if (at, event.description) in known:
            continue
        shipment.events.append(ShipmentEvent(
            shipment_id=shipment.id, at=at, description=event.description,
            location=event.location, status=event.status.value, source=source))
        known.add((at, event.description))
        new += 1
        last = shipment.last_event_at
        shipment.last_event_at = at if last is None or as_utc(last) < at else last
    if shipment.closed_at is not None or stale:
        return new
    shipment.status = tracking.status.value
    case = session.get(Case, shipment.case_id)
    assert case is not None
    if tracking.status is ShipmentStatus.DELIVERED:
        shipment.closed_at = utcnow()
        if shipment.direction is ShipmentDirection.RETURN:
            record_custody(session=session, case=case, step="delivered", actor=f"carrier:{source}",
                           location=shipment.address, shipment=shipment)
            if case.status is CaseStatus.RETURNING:
                change_status(session=session, case=case, to=CaseStatus.CLOSED,
                              actor=f"carrier:{source}", detail={"shipment_id": shipment.id})
    elif tracking.status is ShipmentStatus.RETURNED:
        _alert(session, case, shipment, "returned",
               f"The parcel {shipment.carrier} {shipment.waybill} is being returned to the "
               "sender (refused or undeliverable): contact the applicant.")
    return new


def track_open_shipments(
    *, session_factory: sessionmaker[Session], carrier: Carrier, now: dt.datetime,
    min_poll_interval: dt.timedelta, stall_after: dt.timedelta,
) -> TrackingReport:
    report = TrackingReport()
    with session_factory.begin() as session:
        due = list(session.scalars(select(Shipment.id).where(
            Shipment.closed_at.is_(None),
            Shipment.last_polled_at.is_(None) | (Shipment.last_polled_at <= now - min_poll_interval),
        ).order_by(Shipment.id)))
    for shipment_id in due:
        with session_factory.begin() as session:
            shipment = session.get(Shipment, shipment_id)
            if shipment is None or shipment.closed_at is not None:
                continue
            case = session.get(Case, shipment.case_id)
            phone = shipment.phone or ((case.form_fields or {}).get("phone") if case else None)
            shipment.last_polled_at = now  # counts even when refused: never poll faster
            report.polled += 1
            try:
                tracking = carrier.query(shipment.waybill, shipment.carrier, phone)
            except CarrierRateLimited:
                report.deferred += 1
                continue
            except CarrierError as e:
                report.errors += 1
                log.warning("tracking shipment %s: %s", shipment.id, e.message)
                continue
            report.new_events += apply_tracking(session=session, shipment=shipment,
                                                tracking=tracking, source=carrier.name)
            report.delivered += shipment.closed_at is not None
            report.alerts += _stalled(session, shipment, now, stall_after)
    return report


def _stalled(session: Session, shipment: Shipment, now: dt.datetime,
             stall_after: dt.timedelta) -> bool:
    if shipment.closed_at is not None or shipment.direction is not ShipmentDirection.RETURN:
        return False
    last = as_utc(shipment.last_event_at or shipment.created_at)
    if now - last < stall_after:
        return False
    case = session.get(Case, shipment.case_id)
    assert case is not None
    return _alert(session, case, shipment, "stalled",
                  f"The parcel {shipment.carrier} {shipment.waybill} has not moved since "
                  f"{last.date().isoformat()}: ask the courier.")


def _alert(session: Session, case: Case, shipment: Shipment, kind: str, message: str) -> bool:
    if shipment.alerted == kind:
        return False
    shipment.alerted = kind
    session.add(Flag(case_id=case.id, code=f"parcel_{kind}", message=message, source="shipping"))
    record_event(session=session, case=case, actor="system:tracking", action=f"parcel_{kind}",
                 detail={"shipment_id": shipment.id})
    return True


def _approvals(session: Session, case: Case) -> int:
    return session.scalar(select(func.count(func.distinct(Review.reviewer_id))).where(
        Review.case_id == case.id, Review.decision == "approve")) or 0


def custody_csv(*, session: Session, case: Case | None = None) -> str:
    """Every custody step (of one case, or all), oldest first, as CSV."""
    query = select(CustodyEvent, Case.reference).join(Case, Case.id == CustodyEvent.case_id)
    if case is not None:
        query = query.where(CustodyEvent.case_id == case.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["case", "step", "at", "actor", "location", "shipment_id"])
    for event, reference in session.execute(query.order_by(CustodyEvent.at, CustodyEvent.id)):
        writer.writerow([reference, event.event, event.at.isoformat(), event.actor,
                         event.location or "", event.shipment_id or ""])
    return buffer.getvalue()
