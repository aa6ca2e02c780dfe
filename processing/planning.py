"""Planning documents from bytes: pages rendered and stored, groups split at cover sheets.

Nothing here touches the database; blobs (page images, document parts) are written because
they are content-addressed and harmless to write twice.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from extractors.application_form import read_form_fields
from extractors.archives import extract_tnef, extract_zip, is_tnef, is_zip
from extractors.barcodes import read_page_codes
from extractors.classify import LayoutCues, classify, looks_like_photo
from extractors.letters import read_letter
from extractors.mime import Attachment, ParsedMessage
from extractors.mrz import Mrz, why_unverified
from extractors.page_reading import read_page
from extractors.pages import RenderedPage, extract_part, iter_pages
from extractors.splitting import PageGroup, split_at_cover_sheets, split_where_kind_changes
from mailroom.errors import CorruptArchiveError
from storage.blobs import BlobStore
from storage.enums import DocumentKind
from validators.identity import passport_key


@dataclass(frozen=True)
class StoredPage:
    number: int
    image_sha256: str
    width: int
    height: int
    text: str | None
    cover_reference: str | None
    text_source: str = "none"
    mrz: dict[str, Any] | None = None
    mrz_unverified: dict[str, Any] | None = None  # a reading found but not vouched for, and why
    problem: str | None = None
    barcodes: tuple[str, ...] = ()
    form: dict[str, str] | None = None  # a printed form's values read from the scan
    photo: bool = False  # looks like a passport photo


@dataclass
class PlannedDocument:
    kind: DocumentKind
    confidence: float
    filename: str
    blob_sha256: str
    is_cover_sheet: bool = False
    reference: str | None = None  # the case a cover sheet binds this group to
    form: dict[str, str] | None = None  # the application form's AcroForm values
    fields: dict[str, Any] | None = None  # what is stored: the form's values, "mrz", ...
    pages: list[StoredPage] = field(default_factory=list)
    problem: str | None = None  # why this part could not be read (kept, shown to a clerk)
    archive: bool = False  # a ZIP or winmail.dat kept whole beside its unpacked members


def plan_file(
    blobs: BlobStore, data: bytes, filename: str, file_type: str, dpi: int,
    ocr_timeout: float = 120,
) -> list[PlannedDocument]:
    """Documents of one file: cut at cover sheets, then where the kind of page changes (a form
    keeps its pages together)."""
    pages = _read_pages(blobs, data, file_type, dpi, ocr_timeout)
    runs: list[tuple[PageGroup, list[int], dict[str, str] | None]] = []
    for group in split_at_cover_sheets([p.cover_reference for p in pages]):
        form = None
        if file_type == "pdf" and not group.is_cover_sheet:
            form = read_form_fields(data if len(pages) == len(group.page_numbers)
                                    else extract_part(data, file_type, group.page_numbers))
        if form is not None or group.is_cover_sheet:
            runs.append((group, group.page_numbers, form))
            continue
        kinds = [_page_kind(pages[n - 1]) for n in group.page_numbers]
        people = [_page_person(pages[n - 1]) for n in group.page_numbers]
        runs += [(group, [group.page_numbers[i] for i in run], None)
                 for run in split_where_kind_changes(kinds, people)]
    planned = []
    for sequence, (group, numbers, form) in enumerate(runs, start=1):
        whole_file = len(runs) == 1
        part = data if whole_file else extract_part(data, file_type, numbers)
        planned.append(_plan_document(
            [pages[n - 1] for n in numbers], group, form, blobs.put_bytes(part),
            filename if whole_file else _part_name(filename, sequence, file_type),
        ))
    return planned


def _page_kind(page: StoredPage) -> DocumentKind:
    kind, _ = classify(page.text or "", LayoutCues(has_mrz=page.mrz is not None,
                                                   has_unverified_mrz=page.mrz_unverified is not None,
                                                   has_form_fields=page.form is not None,
                                                   has_linear_barcode=bool(page.barcodes),
                                                   is_photo_sized=page.photo))
    return kind


def _page_person(page: StoredPage) -> str | None:
    """Whom a page identifies by itself: a printed form's or a verified MRZ's passport number."""
    number = ((page.form or {}).get("passport_number")
              or ((page.mrz or {}).get("fields") or {}).get("document_number"))
    return passport_key(number) if number else None


def _plan_document(
    pages: list[StoredPage], group: PageGroup, form: dict[str, str] | None, blob_sha256: str,
    filename: str,
) -> PlannedDocument:
    text = "\n".join(p.text or "" for p in pages)
    barcodes = [code for p in pages for code in p.barcodes]
    mrz = next((p.mrz for p in pages if p.mrz), None)
    unverified = next((p.mrz_unverified for p in pages if p.mrz_unverified), None)
    scanned_form = next((p.form for p in pages if p.form), None) if form is None else None
    form = form or scanned_form
    kind, confidence = classify(text, LayoutCues(
        has_mrz=mrz is not None, has_unverified_mrz=unverified is not None,
        has_form_fields=form is not None,
        has_cover_qr=group.is_cover_sheet, has_linear_barcode=bool(barcodes),
        is_photo_sized=all(p.photo for p in pages)))
    fields: dict[str, Any] = {**(form or {}), **read_letter(kind, text, barcodes)}
    if mrz is not None:
        fields["mrz"] = mrz
    elif unverified is not None:
        fields["mrz_unverified"] = unverified
    if scanned_form is not None:
        fields["form_read_from"] = "scan"  # OCR of the boxes: suggestions until a reviewer confirms
    problems = [f"page {p.number}: {p.problem}" for p in pages if p.problem]
    return PlannedDocument(
        kind=kind, confidence=confidence, filename=filename, blob_sha256=blob_sha256,
        is_cover_sheet=group.is_cover_sheet, reference=group.reference, form=form,
        fields=fields or None, pages=pages, problem="; ".join(problems) or None,
    )


def _read_pages(
    blobs: BlobStore, data: bytes, file_type: str, dpi: int, ocr_timeout: float
) -> list[StoredPage]:
    """Render, store and read every page; the reading (OCR, codes, the stored picture) runs on
    a bounded pool, one page per core, a few pages at a time so a 500-page scan never sits in
    memory whole."""
    workers = os.cpu_count() or 2
    stored: list[StoredPage] = []
    pages = iter_pages(data, file_type, dpi)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        while chunk := list(itertools.islice(pages, workers * 2)):
            stored += pool.map(lambda page: _read_page(blobs, page, ocr_timeout), chunk)
    return stored


def _read_page(blobs: BlobStore, page: RenderedPage, ocr_timeout: float) -> StoredPage:
    fact = read_page(page.image, page.text, ocr_timeout)
    codes = read_page_codes(page.image)
    return StoredPage(
        number=page.number, image_sha256=blobs.put_bytes(page.png),
        width=page.width, height=page.height, text=fact.text,
        cover_reference=codes.cover_reference, barcodes=codes.linear, form=fact.form,
        photo=looks_like_photo(page.image, fact.text),
        text_source=fact.text_source, problem=fact.problem,
        # an MRZ no two readers vouch for never counts as read: it is kept apart, with why
        mrz=_stored_mrz(fact.mrz) if fact.mrz and fact.mrz.valid else None,
        mrz_unverified=({"lines": fact.mrz.lines, "format": fact.mrz.format,
                         "reasons": why_unverified(fact.mrz)}
                        if fact.mrz and not fact.mrz.valid and fact.mrz.plausible else None),
    )


def _stored_mrz(mrz: Mrz) -> dict[str, Any]:
    return {"lines": mrz.lines, "format": mrz.format, "fields": mrz.fields}


def plan_body(blobs: BlobStore, message: ParsedMessage) -> PlannedDocument:
    text = f"Subject: {message.subject}\nFrom: {message.sender}\n\n{message.body_text}"
    return PlannedDocument(kind=DocumentKind.EMAIL_BODY, confidence=1.0, filename="message.txt",
                           blob_sha256=blobs.put_bytes(text.encode("utf-8")))


def expand_archives(
    attachments: list[Attachment], planned: list[PlannedDocument], blobs: BlobStore
) -> list[Attachment]:
    """Attachments with every ZIP and winmail.dat (TNEF) replaced by its members (the container
    itself is kept as `other`).

    A bomb raises ``ArchiveBombError`` (the submission is quarantined); a damaged ZIP is kept
    as a document with its reason.
    """
    expanded: list[Attachment] = []
    for attachment in attachments:
        if is_tnef(attachment.data):
            unpack = extract_tnef
        elif is_zip(attachment.data, attachment.filename, attachment.content_type):
            unpack = extract_zip
        else:
            expanded.append(attachment)
            continue
        try:
            members = unpack(attachment.data)
        except CorruptArchiveError as e:
            planned.append(plan_unreadable(blobs, attachment, e.message))
            continue
        planned.append(PlannedDocument(kind=DocumentKind.OTHER, confidence=0.0,
                                       filename=attachment.filename,
                                       blob_sha256=blobs.put_bytes(attachment.data),
                                       archive=True))
        expanded += [Attachment(filename=name, content_type="application/octet-stream", data=data)
                     for name, data in members]
    return expanded


def plan_unreadable(blobs: BlobStore, attachment: Attachment, problem: str) -> PlannedDocument:
    """An attachment that is not a readable scan (Office file, damaged PDF): kept as `other`."""
    return PlannedDocument(kind=DocumentKind.OTHER, confidence=0.0, filename=attachment.filename,
                           blob_sha256=blobs.put_bytes(attachment.data), problem=problem)


def _part_name(filename: str, sequence: int, file_type: str) -> str:
    extension = ".pdf" if file_type == "pdf" else ".tiff"
    return f"{PurePath(filename).stem}-part{sequence}{extension}"
