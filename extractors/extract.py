"""``mailroom extract``: classify and extract one file without storing anything.

Contract: ``extract_file(path)`` returns the DESIGN.md object ``{"file", "kind", "confidence",
"fields", "mrz", "error"}``; a file that cannot be read gets ``kind: null`` and ``error`` set to
the clerk-readable reason, never an exception.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractors.application_form import read_form_fields
from extractors.barcodes import read_linear_barcodes
from extractors.classify import LayoutCues, classify
from extractors.cover_sheet import read_cover_reference
from extractors.filetypes import inspect_file
from extractors.letters import read_letter
from extractors.mrz import Mrz
from extractors.page_reading import read_page
from extractors.pages import iter_pages
from mailroom.errors import ExternalToolError, MailroomError

OCR_TIMEOUT = 120


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
        fields = {**(form or {}), **read_letter(kind, "\n".join(texts), barcodes)}
        result.update(kind=kind.value, confidence=confidence, fields=fields)
        if barcodes:
            result["fields"]["barcodes"] = barcodes
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
        barcodes += read_linear_barcodes(page.image)
        facts = read_page(page.image, page.text, OCR_TIMEOUT)
        if facts.problem:
            raise ExternalToolError(f"page {page.number}: {facts.problem}")
        texts.append(facts.text or "")
        if facts.mrz is not None and (mrz is None or not mrz.valid):
            mrz = facts.mrz
    return texts, mrz, LayoutCues(has_cover_qr=cover), barcodes


def _mrz_view(mrz: Mrz) -> dict[str, Any]:
    view: dict[str, Any] = {f"line{i}": line for i, line in enumerate(mrz.lines, start=1)}
    view.update(valid=mrz.valid, fields=mrz.fields, checks=mrz.checks, format=mrz.format)
    return view
