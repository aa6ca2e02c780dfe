"""The tesseract wrapper against the real program."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import page_reading
from extractors.images import shrunk_for_reading
from extractors.tesseract import ocr_image, ocr_with_confidence, probe
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


def test_a_600_dpi_scan_is_read_at_half_size_with_its_words_where_they_are_printed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # a 600 dpi page read whole took three times as long and read no better; the words' boxes
    # must stay on the page as scanned (number glyphs and form zones are cut from it)
    page = Image.new("L", (4961, 7016), 255)  # A4 at 600 dpi
    ImageDraw.Draw(page).text((1800, 5200), "KINGFISHER MARSHLAND", fill=0,
                              font=ImageFont.load_default(size=90))
    sizes = []

    def ocr(image: Image.Image, **options: object) -> object:
        sizes.append(image.size)
        return ocr_with_confidence(image, **options)

    monkeypatch.setattr(page_reading, "ocr_with_confidence", ocr)

    _, result = page_reading._upright_ocr(page, timeout=120)

    assert sizes == [(2480, 3508)]
    word = next(w for w in result.words if w.text == "KINGFISHER")
    assert abs(word.left - 1800) < 20 and abs(word.top - 5200) < 60
    assert word.height > 40  # the glyphs' height as scanned, not as read


@pytest.mark.parametrize(("size", "read_as"), [
    ((2480, 3508), (2480, 3508)), ((3307, 4677), (3307, 4677)),  # A4 at 300 and 400 dpi
    ((4134, 5846), (2480, 3508)), ((4961, 7016), (2480, 3508)),  # at 500 and 600 dpi
    ((4032, 3024), (4032, 3024))])  # a phone's photo
def test_a_500_or_600_dpi_page_is_read_at_300_dpi_and_nothing_smaller_is_shrunk(
        size: tuple[int, int], read_as: tuple[int, int]) -> None:
    # halved, a 500 dpi scan (250 dpi) lost the fillers of an MRZ beside a letter, and with
    # them the page's passport
    assert shrunk_for_reading(Image.new("L", size))[0].size == read_as
