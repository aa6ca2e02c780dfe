"""A scanned letter's passport numbers read a second time by PP-OCR's recogniser."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from extractors.number_rereading import _chosen, reread_numbers
from extractors.tesseract import OcrWord

PAGES = Path(__file__).parent / "pages"

# tesseract's words on four numbers of training-side scanned lists (tests/pages/README.md):
# the printed number, what tesseract read, and the box it read it in
MISREAD = [
    ("JN5318485", OcrWord("|N5318485", 129, 43, 167, 43, 31.1)),  # a J's hook as a bar
    ("3KCXNZV8J", OcrWord("3KCXNZV8}", 108, 36, 185, 36, 74.3)),  # ... as a bracket, at the end
    ("15582428", OcrWord("5582428", 102, 34, 156, 34, 96.7)),  # a leading 1 lost
    ("IG5412596", OcrWord("765412596", 51, 17, 130, 17, 52.2)),  # an I and a G as 7 and 6
]


@pytest.mark.parametrize(("number", "word"), MISREAD, ids=[n for n, _ in MISREAD])
def test_a_number_tesseract_misread_is_read_as_printed(number: str, word: OcrWord) -> None:
    page = Image.open(PAGES / f"scanned_number_{number}.png")

    reread = reread_numbers(page, [word])

    assert [w.text for w in reread.words] == [number]
    assert reread.applied_to(f"护照号码 {word.text}\nPassport No. {word.text}") == (
        f"护照号码 {number}\nPassport No. {number}")


def test_a_number_read_right_is_left_as_it_is() -> None:
    page = Image.open(PAGES / "scanned_number_15582428.png")
    word = OcrWord("15582428", 80, 34, 178, 34, 96.7)  # tesseract's box, widened to the 1

    assert reread_numbers(page, [word]).replaced == ()


def test_the_chinese_label_before_a_number_is_no_glyph_it_lost() -> None:
    # "护照号码JN5318485": the 码 tesseract read just before the number is the label's last
    # character, not a scrap of the number; the number is read again, the label kept
    page = Image.open(PAGES / "scanned_number_JN5318485.png")
    label, number = OcrWord("码", 95, 43, 30, 43, 90.0), MISREAD[0][1]

    reread = reread_numbers(page, [label, number])

    assert [w.text for w in reread.words] == ["码", "JN5318485"]
    assert reread.applied_to("护照号 码 |N5318485") == "护照号 码 JN5318485"


@pytest.mark.parametrize(("tesseract", "reading", "junk_after", "chosen"), [
    ("USP8S7KN6", "U5P8S7KN6", False, "U5P8S7KN6"),  # a glyph read as another
    ("G12R1LLW", "G1J2R1LLW", False, "G1J2R1LLW"),  # a glyph lost inside
    ("N5318485", "JN5318485", False, "JN5318485"),  # ... at the front
    # at the end only where tesseract saw something there: else PP-OCR read the next cell's
    # first glyph, the "1" of "1)" numbering the next row, onto the number
    ("Q3606785", "Q36067851", False, None),
    ("3KCXNZV8", "3KCXNZV8J", True, "3KCXNZV8J"),
    ("G12R1LLW", "GX1J2R1LLW", False, None),  # two glyphs more: another reading, not a fix
    ("A1234567", "A12345", False, None),  # too short for a passport number
    ("A1234567", "a1234567", False, None),  # not a number's shape
    ("A1234567", "ABCDEFGH", False, None),  # no digit: a word, not a number
    ("A1234567", "ABCDEFGHI", False, None),  # one more, but not tesseract's with one lost
])
def test_a_second_reading_wins_only_where_tesseract_fails_as_it_was_seen_to(
        tesseract: str, reading: str, junk_after: bool, chosen: str | None) -> None:
    assert _chosen(tesseract, reading, junk_after) == chosen
