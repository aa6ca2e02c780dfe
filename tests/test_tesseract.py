"""The tesseract wrapper against the real program."""

from __future__ import annotations

import pytest

from extractors.tesseract import ocr_image, probe
from mailroom import errors, samples


def test_the_languages_the_office_needs_are_installed() -> None:
    assert {"eng", "chi_sim", "osd"} <= probe().languages
    assert probe().version.startswith(("4.", "5."))


def test_reads_a_scanned_page() -> None:
    page = samples.text_page("EMPLOYMENT LETTER", ["Example GmbH employs Erika Mustermann."])
    text = ocr_image(page, languages="eng", psm=4, timeout=60)
    assert "EMPLOYMENT LETTER" in text and "Mustermann" in text


def test_a_page_that_takes_too_long_is_stopped_with_a_clear_error() -> None:
    page = samples.text_page("slow", ["x"] * 30)
    with pytest.raises(errors.ToolTimeoutError, match=r"longer than 0\.01 s"):
        ocr_image(page, timeout=0.01)


def test_a_missing_language_is_named() -> None:
    with pytest.raises(errors.ToolMissingError, match="no klingon language data"):
        ocr_image(samples.text_page("x", []), languages="eng+klingon")
