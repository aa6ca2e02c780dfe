"""What tesseract misreads in a scanned letter read a second time: its passport numbers and a
country written in Chinese (in a ruled list's cell or after its label) by PP-OCR's recogniser,
and a list's table whose columns tesseract's page layout read apart, by tesseract row by row."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.nationality_rereading import reread_country, reread_labelled_countries
from extractors.number_rereading import _chosen, _garbled_under_label, reread_numbers
from extractors.page_reading import read_page
from extractors.people_lists import read_people
from extractors.tesseract import OcrWord

PAGES = Path(__file__).parent / "pages"

# tesseract's words on four numbers of training-side scanned lists (tests/pages/README.md):
# the printed number, what tesseract read, and the box it read it in
MISREAD = [
    ("JN5318485", OcrWord("|N5318485", 129, 43, 167, 43, 31.1)),  # a J's hook as a bar
    ("3KCXNZV8J", OcrWord("3KCXNZV8}", 108, 36, 185, 36, 74.3)),  # ... as a bracket, at the end
    ("15582428", OcrWord("5582428", 102, 34, 156, 34, 96.7)),  # a leading 1 lost
    ("IG5412596", OcrWord("765412596", 51, 17, 130, 17, 52.2)),  # an I and a G as 7 and 6
    ("QD85S480I", OcrWord("QD85S480!", 150, 50, 212, 50, 25.0)),  # an I's stem as "!"
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


def test_a_number_read_with_no_digit_is_read_again_only_after_its_label() -> None:
    # "Passport No.: MTGV5SRMG" read "MTGVSSRMG": no digit, so no number shape; after the label
    # it is read again, and the same word elsewhere (a surname in capitals) is not
    page = Image.open(PAGES / "labelled_number_MTGV5SRMG.png")
    label = [OcrWord("Passport", 53, 33, 93, 25, 93.2), OcrWord("No.:", 154, 32, 46, 19, 83.4)]
    number = OcrWord("MTGVSSRMG", 210, 30, 172, 21, 64.2)

    assert [w.text for w in reread_numbers(page, [*label, number]).words] == [
        "Passport", "No.:", "MTGV5SRMG"]
    assert reread_numbers(page, [number]).replaced == ()


def test_a_number_read_with_no_digit_under_its_columns_label_is_read_again() -> None:
    # a ruled list's passport column: "RQHZWSUDZ" under the header 护照号 Passport No.
    page = Image.open(PAGES / "ruled_column_RQHZW5UDZ.png")
    header = [OcrWord("护照", 41, 20, 133, 44, 96.0), OcrWord("号", 153, 16, 31, 60, 96.5),
              OcrWord("Passport", 190, 26, 147, 46, 92.5), OcrWord("No.", 43, 83, 62, 35, 92.9)]
    number = OcrWord("RQHZWSUDZ", 28, 163, 282, 43, 52.0)

    assert [w.text for w in reread_numbers(page, [*header, number]).words][-1] == "RQHZW5UDZ"
    assert reread_numbers(page, [number]).replaced == ()


def test_a_number_tesseract_broke_apart_in_its_columns_cell_is_read_whole() -> None:
    # a scanned ruled list's passport column in a monospaced face: CI1393717 read "Ga S95717"
    page = Image.open(PAGES / "ruled_column_CI1393717.png")
    header = [OcrWord("Passport", 28, 30, 185, 30, 91.0), OcrWord("No.", 239, 30, 63, 24, 90.0)]
    garbled = [OcrWord("Ga", 27, 360, 62, 26, 41.0), OcrWord("S95717", 104, 360, 132, 26, 58.0)]

    reread = reread_numbers(page, [*header, *garbled])

    assert [w.text for w in reread.words] == ["Passport", "No.", "CI1393717"]
    assert reread.applied_to("Passport No.\nGa S95717") == "Passport No.\nCI1393717"
    assert reread_numbers(page, garbled).replaced == ()  # no column's label above: a word alone


def test_only_a_short_line_under_a_columns_label_is_taken_for_a_garbled_number() -> None:
    header = [OcrWord("Passport", 28, 30, 185, 30, 91.0)]
    cell = [OcrWord("Ga", 27, 360, 62, 26, 41.0), OcrWord("S95717", 104, 360, 132, 26, 58.0)]
    read_right = [OcrWord("B2201549", 27, 488, 185, 26, 93.0)]
    sentence = [OcrWord(w, 27 + 90 * k, 600, 80, 26, 95.0)
                for k, w in enumerate(["issued", "on", "21", "Sep", "2024"])]
    words = [*header, *cell, *read_right, *sentence]

    assert _garbled_under_label(words) == [(1, 2)]
    assert _garbled_under_label(cell) == []


def test_a_glyph_the_second_reader_is_unsure_of_does_not_replace_tesseracts() -> None:
    # a photographed list (seed 81): tesseract read KT7462413 right, PP-OCR read its T as a 1
    # with probability 0.77
    assert _chosen("KT7462413", "K17462413", False, frozenset({1})) is None
    assert _chosen("KT7462413", "K17462413", False, frozenset({0})) == "K17462413"


@pytest.mark.parametrize(("tesseract", "reading", "junk_after", "chosen"), [
    ("USP8S7KN6", "U5P8S7KN6", False, "U5P8S7KN6"),  # a glyph read as another
    ("G12R1LLW", "G1J2R1LLW", False, "G1J2R1LLW"),  # a glyph lost inside
    ("N5318485", "JN5318485", False, "JN5318485"),  # ... at the front
    # at the end only where tesseract saw something there: else PP-OCR read the next cell's
    # first glyph, the "1" of "1)" numbering the next row, onto the number
    ("Q3606785", "Q36067851", False, None),
    ("3KCXNZV8", "3KCXNZV8J", True, "3KCXNZV8J"),
    ("XOZTAS6Y", "X0ZTA56YJ", True, "X0ZTA56YJ"),  # other glyphs misread as well
    ("XOZTAS6Y", "X0ZTA56YJ", False, None),  # ... but with nothing seen after it
    ("G12R1LLW", "GX1J2R1LLW", False, None),  # two glyphs more: another reading, not a fix
    ("A1234567", "A12345", False, None),  # too short for a passport number
    ("A1234567", "a1234567", False, None),  # not a number's shape
    ("A1234567", "ABCDEFGH", False, None),  # no digit: a word, not a number
    ("A1234567", "ABCDEFGHI", False, None),  # one more, but not tesseract's with one lost
    ("Y¥36055752", "Y36055752", False, "Y36055752"),  # a glyph read as itself and a scrap
    ("(Y36055752),", "Y36055752", False, None),  # the sentence's brackets are no scrap
    ("I1G5412596", "IG5412596", False, "IG5412596"),  # a glyph read as two: ten is too many
    ("G5412596", "G541259", False, None),  # a glyph PP-OCR lost: tesseract's stands
    ("15817257", "LJ5817257", False, "LJ5817257"),  # two glyphs read as one: at the front,
    ("QZISMY1U", "QZISMY1LJ", False, "QZISMY1LJ"),  # at the end,
    ("B1O36098", "B81O36098", False, "B81O36098"),  # inside (one like either: a glyph lost)
    ("Q3606785", "Q36067X51", False, None),  # two glyphs read as one, but not side by side
])
def test_a_second_reading_wins_only_where_tesseract_fails_as_it_was_seen_to(
        tesseract: str, reading: str, junk_after: bool, chosen: str | None) -> None:
    assert _chosen(tesseract, reading, junk_after) == chosen


@pytest.mark.parametrize(("cell", "tesseract", "printed"), [
    ("japan", "AA", "日本籍"), ("singapore", "Mr DOR", "新加坡")])
def test_a_ruled_lists_country_cell_tesseract_garbled_is_read_again(
        cell: str, tesseract: str, printed: str) -> None:
    image = Image.open(PAGES / f"ruled_cell_{cell}.png")

    assert reread_country(image, tesseract) == printed
    # a cell read as a nationality, or as more than a scrap, stands as tesseract read it
    assert reread_country(image, "JPN") == "JPN"
    assert reread_country(image, "Siddharth RAO") == "Siddharth RAO"


def test_a_short_cell_that_is_no_country_keeps_tesseracts_reading() -> None:
    # a scrap read again is taken only where the second reading is a nationality and nothing
    # else: a short name stays a name
    page = Image.new("L", (300, 70), 255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 36)
    ImageDraw.Draw(page).text((20, 12), "Yui", fill=0, font=font)

    assert reread_country(page, "Yui") == "Yui"


def test_a_country_after_its_label_tesseract_garbled_is_read_again() -> None:
    # "国籍 : 法国" in a scanned school list's prose, read by tesseract "国籍 : AB;"
    page = Image.open(PAGES / "labelled_country_france.png")
    words = [OcrWord("国籍", 60, 37, 70, 29, 92.8), OcrWord(":", 129, 30, 9, 48, 87.9),
             OcrWord("AB;", 151, 36, 70, 28, 71.9)]

    reread = reread_labelled_countries(page, words)

    assert [w.text for w in reread.words] == ["国籍", ":", "法国;"]
    text = "DUBOIS, CAMILLE ; 国籍 : AB; 护照号 : I1211774\nAB; stays where no label stands"
    assert reread.applied_to(text) == text.replace("国籍 : AB;", "国籍 : 法国;")
    # the same word with no label before it is not read again
    assert reread_labelled_countries(page, words[2:]).replaced == ()


def test_a_photographed_table_ocr_read_column_by_column_is_read_again_row_by_row() -> None:
    # a training-side school list ruled between rows only, photographed (seed 81): tesseract's
    # page layout read its columns one after another, and the first row had taken "Fine Arts"
    # (of the school's name) for its name
    page = read_page(Image.open(PAGES / "photographed_list_rows_ruled.jpg"), None, timeout=120)

    assert [(p["name"], p["nationality"], p["passport_number"]) for p in read_people(page.text)[0]] == [
        ("Tran Thi LAN", "VNM", "FH4946144"), ("SEITKALI Aruzhan", "KAZ", "KT7462413")]
