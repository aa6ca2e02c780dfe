"""Parcels: the return of passports, tracking, labels and hand-recorded events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mailroom.commands.common import JsonOption, OnceOption, parse_date, print_json, repeat, sub_app
from mailroom.commands.common import runtime as _runtime
from mailroom.errors import BadInputError, NotFoundError
from storage.cases import get_case

app = sub_app("Inbound and return parcels: dispatch, tracking, labels.")


@app.command("dispatch")
def shipping_dispatch(
    reference: str,
    carrier: Annotated[str | None, typer.Option(help="ems or sf (default: the form's choice).")] = None,
    waybill: Annotated[str | None, typer.Option(help="The number on the courier's slip.")] = None,
    actor: Annotated[str, typer.Option(help="Who hands the parcel over.")] = "clerk",
) -> None:
    """Prepare the return parcel of a decided case's passport (recorded in its custody)."""
    from shipping.service import dispatch

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        shipment = dispatch(
            session=session, case=get_case(session=session, reference=reference), actor=actor,
            today=runtime.validation().today, waybill=waybill, carrier=carrier,
            default_carrier=runtime.settings.default_return_carrier, notices=runtime.notices)
        typer.echo(f"{reference}: dispatched with {shipment.carrier} {shipment.waybill}")


@app.command("track")
def shipping_track(once: OnceOption = False) -> None:
    """Poll the courier for every open shipment (each at most every 30 minutes)."""
    import datetime as dt

    from shipping.adapters import carrier_from_settings
    from shipping.service import track_open_shipments

    runtime = _runtime()
    settings = runtime.settings

    def one_pass() -> None:
        report = track_open_shipments(
            session_factory=runtime.session_factory, carrier=carrier_from_settings(settings),
            now=dt.datetime.now(dt.UTC),
            min_poll_interval=dt.timedelta(minutes=settings.carrier_min_poll_minutes),
            stall_after=dt.timedelta(days=settings.shipping_stall_days))
        typer.echo(f"polled {report.polled}, new events {report.new_events}, delivered "
                   f"{report.delivered}, alerts {report.alerts}, deferred {report.deferred}, "
                   f"errors {report.errors}")

    repeat(runtime, once, one_pass)


@app.command("list")
def shipping_list(json_output: JsonOption = False) -> None:
    """Every shipment with its case, status and last event."""
    from sqlalchemy import select

    from storage.models import Case, Shipment

    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        rows = []
        for shipment, reference in session.execute(
                select(Shipment, Case.reference).join(Case).order_by(Shipment.id)):
            last = shipment.events[-1] if shipment.events else None
            rows.append({
                "case_reference": reference, "direction": shipment.direction.value,
                "carrier": shipment.carrier, "waybill": shipment.waybill,
                "status": shipment.status,
                "dispatched_on": shipment.dispatched_on.isoformat() if shipment.dispatched_on else None,
                "last_event": {"at": last.at.isoformat(), "description": last.description}
                if last else None,
            })
    if json_output:
        print_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['case_reference']}  {row['direction']:<7} {row['carrier']:<4} "
                   f"{row['waybill']:<16} {row['status']}")


@app.command("labels")
def shipping_labels(
    day: Annotated[str, typer.Argument(help="The dispatch date, YYYY-MM-DD.")],
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
) -> None:
    """One PDF with the day's return labels and its dispatch list for the courier."""

    from sqlalchemy import select

    from shipping.labels import Office, Parcel, render_dispatch_pdf
    from storage.enums import ShipmentDirection
    from storage.models import Case, Shipment

    runtime = _runtime()
    date = parse_date(day)
    with runtime.session_factory.begin() as session:
        parcels = [
            Parcel(reference, s.carrier, s.waybill, s.recipient or "", s.phone or "",
                   s.address or "", s.postcode)
            for s, reference in session.execute(
                select(Shipment, Case.reference).join(Case)
                .where(Shipment.dispatched_on == date,
                       Shipment.direction == ShipmentDirection.RETURN).order_by(Shipment.id))
        ]
    settings = runtime.settings
    pdf = render_dispatch_pdf(date, parcels, Office(settings.office_name, settings.office_address,
                                                    settings.office_phone))
    target = output or Path(f"dispatches-{date.isoformat()}.pdf")
    target.write_bytes(pdf)
    typer.echo(f"{len(parcels)} label(s) and the dispatch list: {target}")


@app.command("scan")
def shipping_scan(
    waybill: str,
    status: Annotated[str, typer.Argument(help="collected, in_transit, out_for_delivery, "
                                               "delivered, problem or returned.")],
    note: Annotated[str, typer.Option(help="What happened.")] = "recorded by a clerk",
    location: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Record a tracking event by hand (the manual carrier): scan the waybill, say what happened."""
    import datetime as dt

    from sqlalchemy import select

    from shipping.adapters import manual_event
    from shipping.carriers import ShipmentStatus
    from shipping.service import apply_tracking
    from storage.models import Shipment

    try:
        state = ShipmentStatus(status)
    except ValueError as e:
        raise BadInputError(f"Unknown status {status!r}.") from e
    runtime = _runtime()
    with runtime.session_factory.begin() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.waybill == waybill.upper()))
        if shipment is None:
            raise NotFoundError(f"No shipment has the waybill {waybill}.")
        apply_tracking(session=session, shipment=shipment,
                       tracking=manual_event(state, note, location, dt.datetime.now(dt.UTC)),
                       source="manual")
        typer.echo(f"{shipment.waybill}: {shipment.status}")
