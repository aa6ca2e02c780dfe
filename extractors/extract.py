"""``mailroom extract``: classify and extract one file without storing anything.

Contract: ``extract_file(path)`` returns the DESIGN.md object ``{"file", "kind", "confidence",
"fields", "mrz", "error"}``; a file that cannot be read gets ``kind: null`` and ``error`` set to
the clerk-readable reason, never an exception.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from extractors.application_form import read_form_fields
from extractors.classify import LayoutCues, classify
from extractors.cover_sheet import read_cover_reference
from extractors.filetypes import inspect_file
from extractors.mrz import Mrz, read_mrz
from extractors.mrz_reader import read_mrz_band
from extractors.pages import iter_pages
from extractors.tesseract import ocr_image
from mailroom.errors import MailroomError

MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
LINEAR = (zxingcpp.BarcodeFormat.Code128 | zxingcpp.BarcodeFormat.Code39
          | zxingcpp.BarcodeFormat.ITF)


def extract_file(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"file": str(path), "kind": None, "confidence": 0.0, "fields": {},
                              "mrz": None, "error": None}
    try:
        data = path.read_bytes()
        facts = inspect_file(data, path.name)
        texts, mrz, cues, barcodes = _read_pages(data, facts.file_type)
        form = read_form_fields(data) if facts.file_type == "pdf" else None
        cues = LayoutCues(has_mrz=mrz is not None and mrz.valid, has_form_fields=form is not None,
                          has_cover_qr=cues.has_cover_qr, has_linear_barcode=bool(barcodes))
        kind, confidence = classify("\n".join(texts), cues)
        result.update(kind=kind.value, confidence=confidence, fields=form or {})
        if barcodes:
            result["fields"] = {**result["fields"], "barcodes": barcodes}
        if mrz is not None:
            result["mrz"] = _mrz_view(mrz)
    except MailroomError as e:
        result["error"] = e.message
    except OSError as e:
        result["error"] = f"The file cannot be read: {e.strerror or e}."
    return result


def _read_pages(data: bytes, file_type: str) -> tuple[list[str], Mrz | None, LayoutCues, list[str]]:
    texts: list[str] = []
    mrz: Mrz | None = None
    cover = False
    barcodes: list[str] = []
    for page in iter_pages(data, file_type, dpi=300):
        cover = cover or read_cover_reference(page.image) is not None
        barcodes += [b.text for b in zxingcpp.read_barcodes(page.image, formats=LINEAR)]
        text = page.text if page.text is not None else ocr_image(page.image, languages="eng+chi_sim")
        texts.append(text)
        if mrz is None or not mrz.valid:
            mrz = _find_mrz(text, page.image) or mrz
    return texts, mrz, LayoutCues(has_cover_qr=cover), barcodes


def _find_mrz(text: str, image: Image.Image) -> Mrz | None:
    for lines in read_mrz_band(image):  # OCR-B templates at the MRZ's fixed pitch first
        try:
            found = read_mrz(lines)
        except ValueError:
            continue
        if found.valid:
            return found
    candidates = _mrz_lines(text)
    if not candidates:
        return None
    # Read the band again with the MRZ alphabet only: fewer letter/digit slips.
    band = image.crop((0, int(image.height * 0.6), image.width, image.height))
    for source in (_mrz_lines(ocr_image(band, psm=6, whitelist=MRZ_ALPHABET)), candidates):
        for size in (2, 3):
            for start in range(len(source) - size + 1):
                try:
                    found = read_mrz(source[start:start + size])
                except ValueError:
                    continue
                if found.valid:
                    return found
    try:
        return read_mrz(candidates[-2:])
    except ValueError:
        return None


def _mrz_lines(text: str) -> list[str]:
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    return [line for line in lines if len(line) >= 28 and line.count("<") >= 2]


def _mrz_view(mrz: Mrz) -> dict[str, Any]:
    view: dict[str, Any] = {f"line{i}": line for i, line in enumerate(mrz.lines, start=1)}
    view.update(valid=mrz.valid, fields=mrz.fields, checks=mrz.checks, format=mrz.format)
    return view
