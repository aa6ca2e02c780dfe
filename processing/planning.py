"""Planning documents from bytes: pages rendered and stored, groups split at cover sheets.

Nothing here touches the database; blobs (page images, document parts) are written because
they are content-addressed and harmless to write twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from extractors.application_form import read_form_fields
from extractors.archives import extract_tnef, extract_zip, is_tnef, is_zip
from extractors.cover_sheet import read_cover_reference
from extractors.mime import Attachment, ParsedMessage
from extractors.pages import extract_part, iter_pages
from extractors.splitting import split_at_cover_sheets
from mailroom.errors import CorruptArchiveError
from storage.blobs import BlobStore
from storage.enums import DocumentKind


@dataclass(frozen=True)
class StoredPage:
    number: int
    image_sha256: str
    width: int
    height: int
    text: str | None
    cover_reference: str | None


@dataclass
class PlannedDocument:
    kind: DocumentKind
    confidence: float
    filename: str
    blob_sha256: str
    is_cover_sheet: bool = False
    reference: str | None = None  # the case a cover sheet binds this group to
    form: dict[str, str] | None = None
    pages: list[StoredPage] = field(default_factory=list)
    problem: str | None = None  # why this part could not be read (kept, shown to a clerk)


def plan_file(
    blobs: BlobStore, data: bytes, filename: str, file_type: str, dpi: int
) -> list[PlannedDocument]:
    pages = [
        StoredPage(number=p.number, image_sha256=blobs.put_bytes(p.png), width=p.width,
                   height=p.height, text=p.text, cover_reference=read_cover_reference(p.image))
        for p in iter_pages(data, file_type, dpi)
    ]
    groups = split_at_cover_sheets([p.cover_reference for p in pages])
    whole_file = len(groups) == 1
    planned = []
    for sequence, group in enumerate(groups, start=1):
        part = data if whole_file else extract_part(data, file_type, group.page_numbers)
        form = read_form_fields(part) if file_type == "pdf" else None
        # Full classification is the extraction stage's job; here only what is certain is named.
        if group.is_cover_sheet:
            kind, confidence = DocumentKind.COVER_SHEET, 1.0
        elif form is not None:
            kind, confidence = DocumentKind.APPLICATION_FORM, 1.0
        else:
            kind, confidence = DocumentKind.OTHER, 0.0
        planned.append(PlannedDocument(
            kind=kind, confidence=confidence,
            filename=filename if whole_file else _part_name(filename, sequence, file_type),
            blob_sha256=blobs.put_bytes(part), is_cover_sheet=group.is_cover_sheet,
            reference=group.reference, form=form,
            pages=[pages[n - 1] for n in group.page_numbers],
        ))
    return planned


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
                                       blob_sha256=blobs.put_bytes(attachment.data)))
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
