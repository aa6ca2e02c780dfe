"""The carrier adapter the settings choose (``MAILROOM_CARRIER``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mailroom.config import Settings
from mailroom.errors import ConfigurationError
from shipping.carriers import Carrier, CarrierRateLimited, ShipmentStatus, Tracking, TrackingEvent
from shipping.kuaidi100 import Kuaidi100


@dataclass
class Manual:
    """No courier service to ask: a clerk records each event by scanning the waybill
    (``mailroom shipping scan``); polling finds nothing new."""

    name: str = "manual"

    def query(self, waybill: str, carrier_code: str, phone: str | None) -> Tracking:
        raise CarrierRateLimited("Manual tracking: events are recorded by a clerk.")


def manual_event(status: ShipmentStatus, note: str, location: str | None,
                 at: dt.datetime) -> Tracking:
    return Tracking(status, (TrackingEvent(at, note, location, status),))


def carrier_from_settings(settings: Settings) -> Carrier:
    if settings.carrier == "manual":
        return Manual()
    if settings.carrier == "kuaidi100":
        if not (settings.carrier_url and settings.carrier_customer and settings.carrier_key):
            raise ConfigurationError("Kuaidi100 needs MAILROOM_CARRIER_URL, MAILROOM_CARRIER_CUSTOMER "
                                     "and MAILROOM_CARRIER_KEY.")
        return Kuaidi100(url=settings.carrier_url, customer=settings.carrier_customer,
                         key=settings.carrier_key, timeout=settings.carrier_timeout_seconds)
    raise ConfigurationError(f"Unknown MAILROOM_CARRIER {settings.carrier!r}: kuaidi100 or manual.")
