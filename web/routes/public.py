"""Applicants, without signing in: the status look-up and the office's blank form."""

from __future__ import annotations

import time
from collections import deque
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from mailroom.forms import blank_application_form
from storage.cases import find_case
from storage.enums import ShipmentDirection
from validators.identity import same_passport_number
from web.deps import AppRuntime
from web.pages import render

router = APIRouter()
STATUS_LIMIT, STATUS_WINDOW = 10, 600.0  # status look-ups per address per 10 minutes


@router.get("/status", response_class=HTMLResponse)
def status_form(request: Request) -> Response:
    return render(request, "status.html", {})


@router.post("/status", response_class=HTMLResponse)
def status_lookup(request: Request, runtime: AppRuntime, reference: Annotated[str, Form()],
                  passport_number: Annotated[str, Form()]) -> Response:
    address = request.client.host if request.client else "?"
    lookups: dict[str, deque[float]] = request.app.state.status_lookups
    recent = lookups[address]
    now = time.monotonic()
    while recent and now - recent[0] > STATUS_WINDOW:
        recent.popleft()
    if len(recent) >= STATUS_LIMIT:
        return render(request, "status.html", {"error": "too_many"}, status=429)
    recent.append(now)
    with runtime.session_factory() as session:
        case = find_case(session=session, reference=reference)
        if case is None or case.applicant is None or not same_passport_number(
                case.applicant.passport_number, passport_number):
            return render(request, "status.html", {"error": "not_found"}, status=404)
        tracking = next((s.waybill for s in case.shipments
                         if s.direction is ShipmentDirection.RETURN), None)
        found = {"reference": case.reference, "status": case.status.value, "tracking": tracking}
    return render(request, "status.html", {"found": found})


@router.get("/forms/application_form.pdf")
def application_form() -> Response:
    return Response(blank_application_form(), media_type="application/pdf", headers={
        "Content-Disposition": 'inline; filename="application_form.pdf"',
        "Cache-Control": "public, max-age=3600"})
