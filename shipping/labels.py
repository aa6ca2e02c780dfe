"""Return labels and the day's dispatch list (manifest), as one PDF to print.

Each label (A6) names the recipient and the sending office, carries the case reference and a
Code 128 barcode of the waybill; the manifest (A4) lists the day's parcels for the courier's
pickup, with a line for the courier's signature.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # an Adobe CID font every PDF reader has; nothing to ship


@dataclass(frozen=True)
class Office:
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class Parcel:
    reference: str
    carrier: str
    waybill: str
    recipient: str
    phone: str
    address: str
    postcode: str | None


def render_dispatch_pdf(day: dt.date, parcels: Sequence[Parcel], office: Office) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A6, invariant=True)
    page.setTitle(f"Dispatches {day.isoformat()}")
    for parcel in parcels:
        _label(page, parcel, office)
        page.showPage()
    page.setPageSize(A4)
    _manifest(page, day, parcels, office)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _label(page: canvas.Canvas, parcel: Parcel, office: Office) -> None:
    width, height = A6
    page.setFont(FONT, 9)
    page.drawString(8 * mm, height - 10 * mm, f"{parcel.carrier.upper()}  案件 Case {parcel.reference}")
    page.setFont(FONT, 8)
    page.drawString(8 * mm, height - 17 * mm, "收件人 To:")
    page.setFont(FONT, 12)
    page.drawString(8 * mm, height - 24 * mm, parcel.recipient)
    page.setFont(FONT, 9)
    y = height - 30 * mm
    for line in _wrap(parcel.address, 34):
        page.drawString(8 * mm, y, line)
        y -= 5 * mm
    page.drawString(8 * mm, y, f"{parcel.postcode or ''}  电话 Tel {parcel.phone}")
    page.setFont(FONT, 8)
    page.drawString(8 * mm, 52 * mm, f"寄件人 From: {office.name}")
    page.drawString(8 * mm, 47 * mm, f"{office.address}  {office.phone}")
    barcode = Code128(parcel.waybill, barHeight=16 * mm, barWidth=0.38 * mm)
    barcode.drawOn(page, (width - barcode.width) / 2, 22 * mm)
    page.setFont("Helvetica", 10)
    page.drawCentredString(width / 2, 16 * mm, parcel.waybill)


def _manifest(page: canvas.Canvas, day: dt.date, parcels: Sequence[Parcel], office: Office) -> None:
    height = A4[1]
    page.setFont(FONT, 14)
    page.drawString(15 * mm, height - 20 * mm, f"发件清单 Dispatch list {day.isoformat()}")
    page.setFont(FONT, 9)
    page.drawString(15 * mm, height - 27 * mm, f"{office.name}  {office.address}  {office.phone}")
    columns = (15, 25, 58, 78, 113, 160)
    y = height - 38 * mm
    for x, title in zip(columns, ("#", "Case", "Carrier", "Waybill", "Recipient", "Postcode"),
                        strict=True):
        page.drawString(x * mm, y, title)
    for number, parcel in enumerate(parcels, 1):
        y -= 6 * mm
        if y < 30 * mm:
            page.showPage()
            page.setFont(FONT, 9)
            y = height - 20 * mm
        cells = (str(number), parcel.reference, parcel.carrier.upper(), parcel.waybill,
                 parcel.recipient[:24], parcel.postcode or "")
        for x, cell in zip(columns, cells, strict=True):
            page.drawString(x * mm, y, cell)
    page.drawString(15 * mm, 20 * mm, f"件数 Parcels: {len(parcels)}    "
                    "快递员签收 Courier's signature: ____________________")


def _wrap(text: str, width: int) -> list[str]:
    return [text[i:i + width] for i in range(0, len(text), width)] or [""]
