"""The courier's tracking push (Kuaidi100's subscription protocol), signature checked."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select

from shipping.carriers import CarrierError
from shipping.kuaidi100 import PUSH_ACCEPTED, push_waybill, verify_push
from shipping.service import apply_tracking
from storage.models import Shipment
from web.deps import AppRuntime

router = APIRouter()


@router.post("/carrier/kuaidi100/push")
async def kuaidi100_push(request: Request, runtime: AppRuntime) -> Response:
    form = await request.form()
    param, signature = str(form.get("param", "")), str(form.get("sign", ""))
    salt = runtime.settings.carrier_push_salt
    if not salt:
        return JSONResponse({"result": False, "returnCode": "500",
                             "message": "push not configured"}, status_code=503)
    try:
        tracking = verify_push(param, signature, salt)
    except CarrierError as e:
        return JSONResponse({"result": False, "returnCode": "500", "message": e.message},
                            status_code=403)
    named = push_waybill(param)
    with runtime.session_factory.begin() as session:
        shipment = session.scalar(select(Shipment).where(
            Shipment.waybill == (named[1] if named else "")))
        if shipment is not None:
            apply_tracking(session=session, shipment=shipment, tracking=tracking, source="push")
    return JSONResponse(PUSH_ACCEPTED)
