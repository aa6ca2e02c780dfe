"""Recognising files and refusing the unusable, with reasons a clerk can act on."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from extractors.filetypes import Limits, inspect_file
from mailroom import errors, samples


def test_owner_password_only_pdf_is_accepted() -> None:
    # "Encrypted" with an empty user password: opens in every viewer, so it must open here.
    reader = PdfReader(io.BytesIO(samples.application_form(samples.APPLICANTS[0])))
    writer = PdfWriter(clone_from=reader)
    writer.encrypt(user_password="", owner_password="office", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    facts = inspect_file(buffer.getvalue(), "restricted.pdf")
    assert (facts.file_type, facts.page_count) == ("pdf", 1)


@pytest.mark.parametrize(
    ("data", "name", "error", "words"),
    [
        (b"", "a.pdf", errors.EmptyFileError, "empty"),
        (b"PK\x03\x04 a zip", "a.jpg", errors.TypeMismatchError,
         "named as a JPEG image but its contents are a ZIP archive"),
        (b"\xd0\xcf\x11\xe0 old office", "a.doc", errors.UnsupportedTypeError,
         "old Microsoft Office document; only PDF, TIFF, JPEG"),
        (b"GIF89a....", "a.gif", errors.CorruptImageError, "GIF image is damaged"),
        (b"%PDF-1.7\n garbage", "a.pdf", errors.CorruptPdfError, "damaged"),
        (b"\x89PNG\r\n\x1a\n truncated", "a.png", errors.CorruptImageError, "damaged"),
    ],
)
def test_bad_files_get_a_clear_reason(data: bytes, name: str, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        inspect_file(data, name)


def test_a_file_is_read_by_what_its_bytes_are_not_by_its_name() -> None:
    # a PDF with no extension (an e-mail client's "scan"), a PNG named .pdf, a BMP named .jpg
    page = samples.text_page("x", [], size=(200, 300))
    bmp = io.BytesIO()
    page.save(bmp, format="BMP")
    assert inspect_file(samples.application_form(samples.APPLICANTS[0]), "scan").file_type == "pdf"
    assert inspect_file(samples.png(page), "photo.pdf").file_type == "png"
    facts = inspect_file(bmp.getvalue(), "from-the-reader.jpg")
    assert (facts.file_type, facts.media_type, facts.page_count) == ("bmp", "image/bmp", 1)


def test_page_limit() -> None:
    tiff = samples.multipage_tiff([samples.text_page(str(n), [], size=(200, 200)) for n in range(3)])
    assert inspect_file(tiff, "x.tiff").page_count == 3
    with pytest.raises(errors.TooManyPagesError, match="3 pages"):
        inspect_file(tiff, "x.tiff", Limits(max_pages=2))
