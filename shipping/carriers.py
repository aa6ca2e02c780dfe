"""The one small interface every carrier adapter speaks, and our shipment statuses.

Contract: ``Carrier.query(waybill, carrier_code, phone)`` returns a ``Tracking`` (status and
events, oldest first) or raises ``CarrierError`` with a clerk-readable message;
``CarrierRateLimited`` and ``CarrierUnavailable`` mean "try again later", anything else is a
problem with that waybill.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from mailroom.errors import ExternalToolError


class ShipmentStatus(StrEnum):
    CREATED = "created"  # label printed, not yet collected
    COLLECTED = "collected"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    PROBLEM = "problem"  # the courier reports a difficulty
    RETURNED = "returned"  # refused or on its way back to the sender


FINAL = frozenset({ShipmentStatus.DELIVERED})


@dataclass(frozen=True)
class TrackingEvent:
    at: dt.datetime
    description: str
    location: str | None
    status: ShipmentStatus


@dataclass(frozen=True)
class Tracking:
    status: ShipmentStatus
    events: tuple[TrackingEvent, ...]


class CarrierError(ExternalToolError):
    """The courier's service answered with an error about this query."""


class CarrierRateLimited(CarrierError):
    """Queried too often: the service locks a waybill polled faster than it allows."""


class CarrierUnavailable(CarrierError):
    """The service could not be reached, timed out, or answered nonsense."""


class Carrier(Protocol):
    name: str

    def query(self, waybill: str, carrier_code: str, phone: str | None) -> Tracking: ...
