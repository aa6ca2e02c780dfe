"""Codes on a page, read by zxing-cpp: a waybill's linear barcodes (Code 128, Code 39, ITF) and
a cover sheet's QR code (``extractors.cover_sheet``), in one pass over the page."""

from __future__ import annotations

from dataclasses import dataclass

import zxingcpp
from PIL import Image

from extractors.cover_sheet import PAYLOAD_PATTERN
from extractors.images import shrunk_for_reading

LINEAR = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39,
          zxingcpp.BarcodeFormat.ITF)


@dataclass(frozen=True)
class PageCodes:
    cover_reference: str | None  # the case reference of a cover sheet's QR code
    linear: tuple[str, ...]


def read_page_codes(image: Image.Image) -> PageCodes:
    """A 600 dpi scan is read shrunk to 300 dpi: its bars are still several pixels wide, and
    zxing's pass over the whole page took a quarter of a second."""
    page, _ = shrunk_for_reading(image)
    found = zxingcpp.read_barcodes(page, formats=(*LINEAR, zxingcpp.BarcodeFormat.QRCode))
    covers = [PAYLOAD_PATTERN.match(code.text.strip()) for code in found
              if code.format == zxingcpp.BarcodeFormat.QRCode]
    return PageCodes(
        cover_reference=next((match.group(1) for match in covers if match), None),
        linear=tuple(code.text for code in found if code.format in LINEAR and code.text))
