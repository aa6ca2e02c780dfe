"""``mailroom extract``: classify and extract one file without storing anything.

Contract: ``extract_file(path)`` returns the DESIGN.md object ``{"file", "kind", "confidence",
"fields", "mrz", "error"}``; a file that cannot be read gets ``kind: null`` and ``error`` set to
the clerk-readable reason, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.application_form import read_form_fields
from extractors.barcodes import read_page_codes
from extractors.classify import LayoutCues, classify, looks_like_photo
from extractors.filetypes import inspect_file
from extractors.letters import read_letter
from extractors.mrz import Mrz, why_unverified
from extractors.page_reading import read_page
from extractors.pages import iter_pages
from mailroom.errors import ExternalToolError, MailroomError

OCR_TIMEOUT = 120


@dataclass
class _FileFacts:
    texts: list[str] = field(default_factory=list)
    mrz: Mrz | None = None
    has_cover_qr: bool = False
    barcodes: list[str] = field(default_factory=list)
    scanned_form: dict[str, str] | None = None
    photo_pages: int = 0


def extract_file(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"file": str(path), "kind": None, "confidence": 0.0, "fields": {},
                              "mrz": None, "error": None}
    try:
        data = path.read_bytes()
        file_type = inspect_file(data, path.name).file_type
        facts = _read_pages(data, file_type)
        form = (read_form_fields(data) if file_type == "pdf" else None) or facts.scanned_form
        text = "\n".join(facts.texts)
        kind, confidence = classify(text, LayoutCues(
            has_mrz=facts.mrz is not None and facts.mrz.valid,
            has_unverified_mrz=facts.mrz is not None and not facts.mrz.valid and facts.mrz.plausible,
            has_form_fields=form is not None,
            has_cover_qr=facts.has_cover_qr, has_linear_barcode=bool(facts.barcodes),
            is_photo_sized=bool(facts.texts) and facts.photo_pages == len(facts.texts)))
        fields = {**(form or {}), **read_letter(kind, text, facts.barcodes)}
        if facts.scanned_form is not None and form is facts.scanned_form:
            fields["form_read_from"] = "scan"
        if facts.barcodes:
            fields["barcodes"] = facts.barcodes
        result.update(kind=kind.value, confidence=confidence, fields=fields)
        if facts.mrz is not None:
            result["mrz"] = _mrz_view(facts.mrz)
    except MailroomError as e:
        result["error"] = e.message
    except OSError as e:
        result["error"] = f"The file cannot be read: {e.strerror or e}."
    return result


def _read_pages(data: bytes, file_type: str) -> _FileFacts:
    facts = _FileFacts()
    for page in iter_pages(data, file_type, dpi=300):
        codes = read_page_codes(page.image)
        facts.has_cover_qr = facts.has_cover_qr or codes.cover_reference is not None
        facts.barcodes += codes.linear
        read = read_page(page.image, page.text, OCR_TIMEOUT)
        if read.problem:
            raise ExternalToolError(f"page {page.number}: {read.problem}")
        facts.texts.append(read.text or "")
        facts.photo_pages += looks_like_photo(page.image, read.text)
        facts.scanned_form = facts.scanned_form or read.form
        if read.mrz is not None and (facts.mrz is None or not facts.mrz.valid):
            facts.mrz = read.mrz
    return facts


def _mrz_view(mrz: Mrz) -> dict[str, Any]:
    view: dict[str, Any] = {f"line{i}": line for i, line in enumerate(mrz.lines, start=1)}
    view.update(valid=mrz.valid, fields=mrz.fields, checks=mrz.checks, format=mrz.format,
                doubts=mrz.doubts, why_unverified=why_unverified(mrz))
    return view
