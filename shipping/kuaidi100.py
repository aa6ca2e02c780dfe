"""Kuaidi100 (快递100): the real-time query (实时查询) and the subscription push (订阅推送).

Query: an HTTP POST form with ``customer``, ``param`` (JSON: ``com``, ``num``, ``phone``) and
``sign`` = upper-case MD5 of param + key + customer. The answer is JSON: ``state`` and ``data``
(events, newest first) on success, ``{"result": false, "returnCode", "message"}`` on error.
Push: a POST form with ``param`` (JSON whose ``lastResult`` is a query answer) and ``sign`` =
upper-case MD5 of param + salt; we answer ``{"result": true, "returnCode": "200"}``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from shipping.carriers import (
    CarrierError,
    CarrierRateLimited,
    CarrierUnavailable,
    ShipmentStatus,
    Tracking,
    TrackingEvent,
)

CHINA = ZoneInfo("Asia/Shanghai")  # the service's times are Beijing time, without a zone
COMPANY_CODES = {"ems": "ems", "sf": "shunfeng"}
# Kuaidi100 `state` codes: 0 在途, 1 揽收, 2 疑难, 3 签收, 4 退签, 5 派件, 6 退回, 7 转投,
# 8 清关, 14 拒签.
STATES = {
    "0": ShipmentStatus.IN_TRANSIT, "1": ShipmentStatus.COLLECTED, "2": ShipmentStatus.PROBLEM,
    "3": ShipmentStatus.DELIVERED, "4": ShipmentStatus.RETURNED, "5": ShipmentStatus.OUT_FOR_DELIVERY,
    "6": ShipmentStatus.RETURNED, "7": ShipmentStatus.IN_TRANSIT, "8": ShipmentStatus.IN_TRANSIT,
    "14": ShipmentStatus.RETURNED,
}
BUSY_CODES = {"501", "502"}  # server error, busy or "too frequent": try again later


def sign(text: str) -> str:
    # MD5 is what the protocol signs with; it protects nothing secret here.
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest().upper()


@dataclass
class Kuaidi100:
    url: str
    customer: str
    key: str
    timeout: float = 15.0
    name: str = "kuaidi100"

    def query(self, waybill: str, carrier_code: str, phone: str | None) -> Tracking:
        param = json.dumps({"com": COMPANY_CODES.get(carrier_code, carrier_code), "num": waybill,
                            "phone": phone or ""}, ensure_ascii=False, separators=(",", ":"))
        form = {"customer": self.customer, "param": param,
                "sign": sign(param + self.key + self.customer)}
        try:
            response = httpx.post(self.url, data=form, timeout=self.timeout)
        except httpx.TimeoutException as e:
            raise CarrierUnavailable(f"Kuaidi100 did not answer within {self.timeout:g} s.") from e
        except httpx.HTTPError as e:
            raise CarrierUnavailable(f"Kuaidi100 cannot be reached ({type(e).__name__}).") from e
        if response.status_code == 429 or response.status_code >= 500:
            raise CarrierUnavailable(f"Kuaidi100 answered HTTP {response.status_code}.")
        try:
            answer = response.json()
        except ValueError as e:
            raise CarrierUnavailable("Kuaidi100 answered something that is not JSON.") from e
        return parse_answer(answer)


def parse_answer(answer: Any) -> Tracking:
    if not isinstance(answer, dict):
        raise CarrierUnavailable("Kuaidi100's answer is not a JSON object.")
    if answer.get("result") is False or answer.get("returnCode"):
        code, message = str(answer.get("returnCode", "")), str(answer.get("message", ""))
        if code in BUSY_CODES or "频繁" in message:
            raise CarrierRateLimited(f"Kuaidi100: {message or 'busy'} ({code}); try later.")
        raise CarrierError(f"Kuaidi100 refused the query: {message or 'no reason'} ({code}).")
    try:
        status = STATES[str(answer["state"])]
        events = tuple(sorted((_event(row, status) for row in answer.get("data") or []),
                              key=lambda e: e.at))
    except (KeyError, TypeError, ValueError) as e:
        raise CarrierUnavailable(f"Kuaidi100's answer is missing or garbles a field ({e}).") from e
    return Tracking(status, events)


def _event(row: dict[str, Any], latest: ShipmentStatus) -> TrackingEvent:
    at = dt.datetime.strptime(row.get("ftime") or row["time"], "%Y-%m-%d %H:%M:%S")
    code = row.get("statusCode") or row.get("status_code")
    return TrackingEvent(at=at.replace(tzinfo=CHINA), description=str(row["context"])[:512],
                         location=row.get("location") or row.get("areaName") or None,
                         status=STATES.get(str(code), latest) if code is not None else latest)


def verify_push(param: str, signature: str, salt: str) -> Tracking:
    """A subscription push's tracking, if its signature holds; else ``CarrierError``."""
    if not signature or sign(param + salt) != signature.upper():
        raise CarrierError("The push's signature does not match: ignored.")
    try:
        body = json.loads(param)
    except ValueError as e:
        raise CarrierError("The push's param is not JSON.") from e
    return parse_answer(body.get("lastResult") if isinstance(body, dict) else None)


def push_waybill(param: str) -> tuple[str, str] | None:
    """(company code, waybill) named by a push, to find its shipment."""
    try:
        last = json.loads(param).get("lastResult") or {}
        return str(last["com"]), str(last["nu"])
    except (ValueError, KeyError, AttributeError):
        return None


PUSH_ACCEPTED = {"result": True, "returnCode": "200", "message": "成功"}
