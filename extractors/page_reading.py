"""Facts of one page: its text (the PDF text layer, else OCR) and a passport MRZ if it has one.

Contract: ``read_page(image, text_layer, timeout)`` never raises for a bad page: an OCR failure
or timeout becomes ``problem`` (the page is kept and flagged, never lost). Pages with a usable
text layer are never OCR'd.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PIL import Image

from extractors.mrz import read_mrz
from extractors.mrz_reader import read_mrz_band
from extractors.tesseract import ocr_image
from mailroom.errors import ExternalToolError

OCR_LANGUAGES = "eng+chi_sim"


@dataclass(frozen=True)
class PageFacts:
    text: str | None
    text_source: str  # pdf | ocr | failed
    mrz: dict[str, Any] | None
    problem: str | None


def read_page(image: Image.Image, text_layer: str | None, timeout: float) -> PageFacts:
    if text_layer is not None:
        return PageFacts(text_layer, "pdf", None, None)
    mrz = _mrz(image)
    try:
        text = ocr_image(image, languages=OCR_LANGUAGES, timeout=timeout)
    except ExternalToolError as e:
        return PageFacts(None, "failed", mrz, e.message)
    return PageFacts(text, "ocr", mrz, None)


def _mrz(image: Image.Image) -> dict[str, Any] | None:
    if image.width < 300 or image.height < 200:
        return None  # an icon or a signature, not a data page
    for lines in read_mrz_band(image):
        try:
            found = read_mrz(lines)
        except ValueError:
            continue
        if found.valid:  # an MRZ that fails its check digits is never reported
            return {"lines": found.lines, "format": found.format, "fields": found.fields}
    return None
