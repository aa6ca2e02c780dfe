"""Linear barcodes on a page (a waybill's Code 128, Code 39 or ITF), read by zxing-cpp."""

from __future__ import annotations

import zxingcpp
from PIL import Image

LINEAR = (zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39,
          zxingcpp.BarcodeFormat.ITF)


def read_linear_barcodes(image: Image.Image) -> tuple[str, ...]:
    return tuple(b.text for b in zxingcpp.read_barcodes(image, formats=LINEAR) if b.text)
