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
        (b"\xff\xd8\xff\xe0 jpeg", "a.png", errors.TypeMismatchError, "actually a JPEG"),
        (b"GIF89a....", "a.gif", errors.UnsupportedTypeError, "GIF image"),
        (b"%PDF-1.7\n garbage", "a.pdf", errors.CorruptPdfError, "damaged"),
        (b"\x89PNG\r\n\x1a\n truncated", "a.png", errors.CorruptImageError, "damaged"),
    ],
)
def test_bad_files_get_a_clear_reason(data: bytes, name: str, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        inspect_file(data, name)


def test_pdf_without_extension_is_named_in_the_reason() -> None:
    with pytest.raises(errors.UnsupportedTypeError, match="look like a PDF document"):
        inspect_file(samples.application_form(samples.APPLICANTS[0]), "scan")


def test_page_limit() -> None:
    tiff = samples.multipage_tiff([samples.text_page(str(n), [], size=(200, 200)) for n in range(3)])
    assert inspect_file(tiff, "x.tiff").page_count == 3
    with pytest.raises(errors.TooManyPagesError, match="3 pages"):
        inspect_file(tiff, "x.tiff", Limits(max_pages=2))
