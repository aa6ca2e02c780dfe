"""Codes on a page, read by zxing-cpp: a waybill's linear barcodes (Code 128, Code 39, ITF) and
a cover sheet's QR code (``extractors.cover_sheet``), in one pass over the page."""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

from extractors.cover_sheet import PAYLOAD_PATTERN

LINEAR = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39,
          zxingcpp.BarcodeFormat.ITF)


@dataclass(frozen=True)
class PageCodes:
    cover_reference: str | None  # the case reference of a cover sheet's QR code
    linear: tuple[str, ...]


def read_page_codes(image: Image.Image) -> PageCodes:
    """One zxing pass for both (two took twice the time on a 600 dpi page; shrinking the page
    first costs more than it saves)."""
    found = zxingcpp.read_barcodes(image, formats=(*LINEAR, zxingcpp.BarcodeFormat.QRCode))
    covers = [PAYLOAD_PATTERN.match(code.text.strip()) for code in found
              if code.format == zxingcpp.BarcodeFormat.QRCode]
    return PageCodes(
        cover_reference=next((match.group(1) for match in covers if match), None),
        linear=tuple(code.text for code in found if code.format in LINEAR and code.text))
