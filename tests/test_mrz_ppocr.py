"""Where PP-OCR looks for an MRZ (#18): lines whose faint filler runs the detector loses on the
page scaled down are found again on the lines' region looked at closer, and a line whose
optional data leaves no room for a filler is still an MRZ line. Where PP-OCR reads an O or a 0
(it cannot tell them apart in OCR-B), a plain glyph model may object but never decides alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import mrz_ppocr
from extractors.mrz import check_digit, read_mrz
from extractors.mrz_ppocr import (
    DETECT_SIDE,
    MrzLine,
    _bgr,
    _detected,
    _glanced,
    _in_mrz_like_pairs,
    _joined,
    _may_lie_sideways,
    _mrz_boxes,
    _mrz_like,
    _ordered,
    _read_boxes,
    _resolved,
    _round_rival,
    read_mrz_ppocr,
)
from extractors.mrz_reader import GlyphsAt
from extractors.page_reading import _mrz_rows, _pp_reading_near_words, read_page
from extractors.tesseract import ocr_with_confidence
from mailroom import samples
from tests.test_mrz_rivals import confident

PAGES = Path(__file__).parent / "pages"  # pages drawn here, tests/pages/README.md
LINES = samples.td3_lines(surname="NOWAK", given_names="EWA", nationality="POL",
                          number="EA1234567", birth="850101", sex="F", expiry="300101")


def passport_with_faint_fillers(dpi: int = 300, filler_grey: int = 200) -> Image.Image:
    """A data page laid on an A4 flatbed, turned 90 degrees, whose filler runs printed faint
    (worn ink): the names line is mostly fillers."""
    document = Image.new("L", (int(125 / 25.4 * dpi), int(88 / 25.4 * dpi)), 255)
    draw = ImageDraw.Draw(document)
    pitch = 111.8 / 44 / 25.4 * dpi
    font = ImageFont.truetype(samples.OCR_B, size=int(pitch * 1.55))
    for row, line in enumerate(LINES):
        y = document.height - int(0.55 * dpi) + int(row * 0.2 * dpi)
        for column, char in enumerate(line):
            faint = char == "<" and column > 8
            draw.text((int(dpi * 0.25 + column * pitch), y), char,
                      fill=filler_grey if faint else 0, font=font)
    a4 = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 250)
    a4.paste(document, (int(1.5 * dpi), int(5 * dpi)))
    return a4.rotate(90, expand=True).convert("RGB")


def test_lines_whose_fillers_the_scaled_page_loses_are_found_on_a_closer_look() -> None:
    page = passport_with_faint_fillers()
    bgr = _bgr(page)
    assert _in_mrz_like_pairs(_joined(_detected(bgr))) == []  # the page scaled down: no pair

    readings = read_mrz_ppocr(page)

    assert readings and readings[0].lines == LINES


def test_a_steep_box_keeps_its_corners_in_turn() -> None:
    # a line of a page turned 90 degrees, its corners in any order: sorted by x alone, two
    # sides crossed, and the line was cut out as a twisted strip that read as nothing
    corners = np.array([[1485, 1206], [1679, 2910], [1568, 1206], [1596, 2915]], dtype=float)

    ordered = _ordered(corners)

    edges = [ordered[(k + 1) % 4] - ordered[k] for k in range(4)]
    turns = [float(np.cross(edges[k], edges[(k + 1) % 4])) for k in range(4)]
    assert all(turn > 0 for turn in turns)  # every corner turns the same way: no crossing
    assert ordered[0].tolist() == [1485, 1206]  # from the top left


def test_a_line_with_no_filler_is_an_mrz_line_by_its_dates() -> None:
    assert _mrz_like("M1I884X2K6CAN6212081F3404218Y3NUBGA9")  # TD2, optional data to the end
    assert not _mrz_like("THE HOLDER OF THIS PASSPORT IS EMPLOYED BY US")
    assert not _mrz_like("INVOICE 20241101 TOTAL 3304218 PAID IN FULL")


def test_a_cards_first_line_with_no_filler_is_an_mrz_line_by_its_code_and_number() -> None:
    # a training-side TD1 (seed 34) whose optional data fills line 1 to the end
    assert _mrz_like("IRGBR45887V8924F3BP547CG992I0L")
    assert not _mrz_like("INACCORDANCEWITHARTICLE12OFTHELAW")  # a letter's words, run together


def visa_b(number: str, optional: str) -> list[str]:
    """An MRV-B visa's lines: no composite check digit, and none over the optional data."""
    number = number.ljust(9, "<")
    birth, expiry = "880715", "301209"
    body = (f"{number}{check_digit(number)}GBR{birth}{check_digit(birth)}F{expiry}"
            f"{check_digit(expiry)}{optional}").ljust(36, "<")
    return ["V<UTODAVIES<<GEORGE".ljust(36, "<"), body]


def test_an_o_or_0_no_check_digit_covers_is_never_vouched_for_when_the_readers_differ() -> None:
    # PP-OCR read a visa's "OK3OET" as "0K30ET" with certainty, and nothing could object
    lines = visa_b("32O4GO9WV", "OK3OET")
    page = samples.passport_page(lines, dpi=300).rotate(90, expand=True)

    visa = next(reading for reading in read_mrz_ppocr(page) if reading.kind == "MRVB")

    assert visa.lines[0] == lines[0] and visa.lines[1][:28] == lines[1][:28]
    assert visa.lasting and "(optional data) may be O or 0" in visa.lasting[0]
    assert visa.lasting[0] in visa.doubts


def test_two_o_0_slips_that_pass_the_check_digit_together_are_read_as_printed() -> None:
    # "OU4U060T": an O at weight 7 read as 0 and the 0 six places on read as O pass together;
    # PP-OCR reads O and 0 alike, so only the glyph reader at the MRZ's pitch agreeing vouches
    lines = samples.td3_lines(surname="NOWAK", given_names="EWA", nationality="RUS",
                              number="OU4U060T", birth="671216", sex="F", expiry="360624")
    page = samples.passport_page(lines, dpi=300)

    facts = read_page(page, None, timeout=60)

    assert facts.mrz is not None and facts.mrz.lines == lines and facts.mrz.valid


def test_a_reading_whose_o_or_0_the_glyph_model_plainly_reads_as_the_other_is_in_doubt() -> None:
    # a training-side page at 150 dpi: PP-OCR read "OU4U060T" as "0U4U060T"; the check digits
    # had two equal repairs, and the glyph model's weak O at the seventh glyph picked the wrong
    # one while it read the first glyph plainly as O (log-odds as measured on that page)
    right = samples.td3_lines(surname="NOWAK", given_names="EWA", nationality="RUS",
                              number="OU4U060T", birth="671216", sex="F", expiry="360624")
    wrong = [right[0], "0U4U06OT" + right[1][8:]]
    assert read_mrz(wrong).valid  # the check digits cannot see it
    pp_ocr = [confident(right[0]), confident("0U4U060T" + right[1][8:])]
    odds: list[float | None] = [-20.0] * 44  # every other cell plainly not an O
    odds[0], odds[4], odds[6] = 14.45, -7.27, 2.71
    glyph_model = [GlyphsAt(right[0], [None] * 44), GlyphsAt("OU4U0OOT" + right[1][8:], odds)]
    group = [MrzLine(line, np.zeros((44, 37)), np.zeros((4, 2)), False, np.zeros((1, 1)),
                     np.arange(44.0)) for line in right]

    def rival(lines: list[str], glyphs: list[GlyphsAt] = glyph_model) -> str | None:
        return _round_rival("TD3", pp_ocr, {}, lines, group, glyphs)

    assert rival(wrong) == ("line 2 character 1 (document number) reads 0, but its glyph is "
                            "plainly O, and a reading with O passes every check digit too")
    assert rival(right) is None  # 2.71 at the seventh glyph is no plain O
    # a plain O that no check digit allows is no rival: on real print the glyph model reads
    # some 0s plainly as O ("1071828900" of a British specimen)
    british = samples.td3_lines(surname="NOWAK", given_names="EWA", nationality="GBR",
                                number="107182890", birth="850117", sex="F", expiry="160131")
    odds = [-20.0] * 44
    odds[1] = 14.0
    glyphs = [GlyphsAt(british[0], [None] * 44), GlyphsAt("1O7" + british[1][3:], odds)]
    assert _round_rival("TD3", [confident(line) for line in british], {}, british, group,
                        glyphs) is None


@pytest.mark.parametrize(("name", "lines"), [
    # over-inked at 150 dpi and turned 270 degrees: its MRZ lines run up the page and the
    # detector finds no pair of them
    ("sideways_overinked_td3.jpg", ["PDITARPIAGWYF<<LN<RYVXEDH<<<<<<<<<<<<<<<<<<<",
                                    "4733105ED6RUS7606032M3001101<<<<<<<<<<<<<<02"]),
    # a visa: as it lies, the detector finds three boxes and none of its lines, too few to
    # tell which way the page runs
    ("sideways_visa_few_boxes.jpg", ["VSMEXFNZC<<AF<<<<<<<<<<<<<<<<<<<<<<<",
                                     "Q222022963USA8511205F3308028<<<<<<<<"]),
])
def test_a_page_laid_sideways_whose_mrz_the_detector_misses_is_looked_at_turned(
        name: str, lines: list[str]) -> None:
    # training-side pages (tests/pages/README.md)
    page = Image.open(PAGES / name)
    kept, sideways = _mrz_boxes(_bgr(page))
    assert kept == [] and sideways

    readings = read_mrz_ppocr(page)

    assert readings and readings[0].lines == lines and readings[0].doubts == []


def test_a_name_one_reader_misread_is_vouched_for_only_as_both_readers_read_it() -> None:
    # a training-side card (tests/pages/README.md): PP-OCR read POLQQJZ as POLRQJZ, the glyph
    # model at its places read Q, and before the readers had to agree there it was called
    # valid; now that reading is in doubt, and the one both readers agree on is vouched for
    from extractors.extract import extract_file

    mrz = extract_file(PAGES / "td2_name_q_read_as_r.jpg")["mrz"]

    assert [mrz["line1"], mrz["line2"]] == ["ACPOLQQJZ<<EOBC<<<<<<<<<<<<<<<<<<<<<",
                                            "UQY29N49<1RUS4908012F3403059Q2VV<<<0"]
    assert mrz["valid"]


def test_lines_the_glance_sees_but_the_close_look_breaks_up_are_read_in_the_glances_boxes(
) -> None:
    # a training-side page (tests/pages/README.md) with waves printed under an over-inked MRZ
    page = Image.open(PAGES / "glanced_mrz_broken_up_close.jpg")
    bgr = _bgr(page)
    assert _mrz_boxes(bgr)[0] == []  # at the whole page's scale: no pair of lines

    readings = read_mrz_ppocr(page)

    assert readings and readings[0].doubts == []
    assert readings[0].lines == ["PDFRAWPXHDRZYTM<<WTM<<<<<<<<<<<<<<<<<<<<<<<<",
                                 "UE6I476533FRA7612183F2704058<<<<<<<<<<<<<<<8"]


def test_a_sideways_page_whose_lines_are_cut_short_is_looked_at_turned() -> None:
    # a training-side visa (tests/pages/README.md): as it lies, its lines are read one filler
    # short, near enough to an MRZ's shape to be grouped, too short to be fitted
    page = Image.open(PAGES / "sideways_visa_filler_run_short.jpg")
    bgr = _bgr(page)
    as_it_lies = _read_boxes(bgr, _mrz_boxes(bgr)[0])
    assert sorted(len(line.text) for line in as_it_lies) == [43, 43]

    readings = read_mrz_ppocr(page)

    assert readings and readings[0].doubts == []
    assert readings[0].lines == ["V<CZERDYUOCIJXPWY<<IIN<AGLVC<<<<<<<<<<<<<<<<",
                                 "T56047AX35CZE9206230F3008166<<<<<<<<<<<<<<<<"]


def test_a_level_page_is_not_taken_for_one_laid_sideways() -> None:
    page = _bgr(samples.passport_page(LINES))
    assert not _may_lie_sideways(_detected(page))
    assert _may_lie_sideways(_detected(np.ascontiguousarray(np.rot90(page))))
    # a page with only its two MRZ lines found is too few to tell; a band around them is level
    boxes = _detected(_bgr(passport_with_faint_fillers().rotate(-90, expand=True)))
    assert _may_lie_sideways(boxes) and not _may_lie_sideways(boxes, whole_page=False)


def test_a_passport_on_an_a4_page_is_read_on_the_rows_ocr_found_it_on() -> None:
    # the whole page need not be searched (most of a passport page's time): the band around
    # the words tesseract read as MRZ lines, looked at as it is, gives the trusted reading
    page = passport_with_faint_fillers(filler_grey=0).rotate(-90, expand=True)
    words = ocr_with_confidence(page, languages="eng+chi_sim", timeout=60).words
    rows = _mrz_rows(page, words)
    assert rows is not None and rows[3] - rows[1] < page.height / 10  # (left, top, right, bottom)

    near = _pp_reading_near_words(page, words)

    assert near and near[0].lines == LINES and near[0].doubts == []


def test_a_page_without_mrz_words_is_left_to_the_whole_page_search() -> None:
    letter = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(letter).text((100, 100), "Dear Sir or Madam,\nWe confirm the employment of",
                                fill="black", font=ImageFont.truetype(samples.OCR_B, 40))
    words = ocr_with_confidence(letter, languages="eng+chi_sim", timeout=60).words
    assert words

    assert _pp_reading_near_words(letter, words) == []


def test_a_glance_at_the_page_finds_the_mrz_and_only_its_rows_are_detected_closely(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # detecting text on the whole page at full size was most of a passport page's time: a
    # glance at it scaled down finds where the lines lie, and only there is looked at closely
    a4 = Image.new("RGB", (2480, 3508), "white")  # 300 dpi
    a4.paste(samples.passport_page(LINES, dpi=300).convert("RGB"), (300, 2200))
    page = _bgr(a4)
    looked_at = []

    def detected(image: np.ndarray, enlarge: bool = True, side: int = DETECT_SIDE) -> list:
        looked_at.append((image.shape[0] * image.shape[1], side))
        return _detected(image, enlarge, side)

    monkeypatch.setattr(mrz_ppocr, "_detected", detected)

    lines = _glanced(page)

    assert _resolved(lines)[0].lines == LINES
    glance, close = looked_at
    assert glance[1] < DETECT_SIDE / 2  # the whole page, scaled down
    assert close[0] < 0.2 * page.shape[0] * page.shape[1]  # a band about the MRZ only


def test_the_close_look_sees_the_mrz_at_the_scale_of_the_whole_page(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # looked at in full size, a background's microprint reads as long lines paired like an
    # MRZ's (eleven more pairs on this page: reading them all took six seconds); at the scale
    # the whole page is detected at, as before the glance, it does not
    page = Image.open(PAGES / "visa_microprint_spread.jpg")
    read = []

    def read_boxes(page: np.ndarray, kept: list, page_turned: int = 0) -> list[MrzLine]:
        read.append(len(kept))
        return _read_boxes(page, kept, page_turned)

    monkeypatch.setattr(mrz_ppocr, "_read_boxes", read_boxes)

    lines = _glanced(_bgr(page))

    assert read == [2]
    assert [line.text for line in lines] == ["V<HUNHZZHBDNRX<<YDT<<<<<<<<<<<<<<<<<",
                                              "EPF9440801HUN9512209F3306161F8I<<<<<"]
