"""What check digits cannot see: a reading with a doubtful glyph, a rival that passes every check
digit too, a pair no check digit tells apart — never reported valid (#18)."""

from __future__ import annotations

import numpy as np
import pytest

from extractors.mrz import check_digit
from extractors.mrz_rivals import (
    ALPHABET,
    BLIND_PAIRS,
    MARGIN,
    SURE,
    SURE_BLIND,
    holds,
    resolve,
)
from tests.test_mrz import td3


def confident(line: str, sure: float = 0.999) -> np.ndarray:
    """Log-probabilities of a recogniser that read ``line`` with ``sure`` at every glyph."""
    probs = np.full((len(line), len(ALPHABET)), (1 - sure) / (len(ALPHABET) - 1))
    for p, glyph in enumerate(line):
        probs[p, ALPHABET.index(glyph)] = sure
    return np.log(probs)


def with_rival(probs: np.ndarray, position: int, glyph: str, gap: float) -> np.ndarray:
    """The same, with ``glyph`` at ``position`` only ``gap`` nats below the glyph read."""
    probs = probs.copy()
    probs[position, ALPHABET.index(glyph)] = probs[position].max() - gap
    return probs


LINES = td3("L898902C3", "UTO", "740812", "F", "120415", "ZE184226B", "ERIKSSON", "ANNA")


def test_a_confident_reading_is_trusted() -> None:
    resolution = resolve("TD3", [confident(line) for line in LINES])

    assert resolution.trusted and resolution.lines == LINES


def test_a_slip_is_repaired_only_when_the_check_digits_confirm_one_alternative() -> None:
    slipped = LINES[1][:3] + "B" + LINES[1][4:]  # 8 read as B, a close second
    probs = with_rival(confident(slipped), 3, "8", gap=1.0)

    resolution = resolve("TD3", [confident(LINES[0]), probs])

    assert resolution.lines == LINES and resolution.changed == [(1, 3, "B", "8")]
    assert not resolution.trusted  # the glyph the checks chose was the recogniser's second


@pytest.mark.parametrize("pair", sorted(BLIND_PAIRS))
def test_each_pair_no_check_digit_sees_is_listed_and_needs_a_surer_glyph(pair: str) -> None:
    first, second = pair
    number = f"A{first}1234567"
    swapped = number.replace(first, second, 1)
    assert check_digit(number) == check_digit(swapped)  # the check digit cannot tell them apart
    lines = td3(number, "UTO", "740812", "F", "120415", "", "ERIKSSON", "ANNA")

    sure = [confident(lines[0]), confident(lines[1], sure=0.999)]
    unsure = [confident(lines[0]), confident(lines[1], sure=0.999)]
    unsure[1][1] = np.log(np.full(len(ALPHABET), 0.001))
    unsure[1][1][ALPHABET.index(first)] = np.log((SURE + SURE_BLIND) / 2)

    assert resolve("TD3", sure).trusted
    assert not resolve("TD3", unsure).trusted


def test_two_swaps_that_both_pass_are_a_rival_when_the_recogniser_was_close() -> None:
    # B (11) and 8 at positions weighted 7 and 3: 3 x 7 + 3 x 3 = 30, the check digit stays
    lines = td3("BB7341258", "UTO", "740812", "F", "120415", "", "ERIKSSON", "ANNA")
    other = "88" + lines[1][2:]
    assert check_digit(other[:9]) == lines[1][9]
    near = with_rival(with_rival(confident(lines[1]), 0, "8", gap=1.0), 1, "8", gap=1.0)
    far = with_rival(with_rival(confident(lines[1]), 0, "8", gap=MARGIN + 4),
                     1, "8", gap=MARGIN + 4)

    doubted = resolve("TD3", [confident(lines[0]), near])

    assert not doubted.trusted
    assert any(doubt.startswith("another reading passes") and "document number" in doubt
               for doubt in doubted.doubts)
    assert resolve("TD3", [confident(lines[0]), far]).trusted


def test_o_and_0_are_rivals_however_sure_the_recogniser_was() -> None:
    # measured: PP-OCR read OCR-B "OMPZOM75W" as "0MPZ0M75W" at near certainty; O (24) and 0
    # at weights 7 and 3 move the sum by 240, so both readings pass
    lines = td3("OMPZOM75W", "RUS", "960101", "M", "310809", "", "WTLOZX", "LCHDH")
    misread = "0MPZ0M75W" + lines[1][9:]
    assert check_digit(misread[:9]) == lines[1][9]

    resolution = resolve("TD3", [confident(lines[0]), confident(misread, sure=0.9999)])

    assert not resolution.trusted
    assert (1, 0) in resolution.unsure and (1, 4) in resolution.unsure
    # where no swap of O and 0 passes, a sure reading stands
    plain = td3("X47972T21", "RUS", "960101", "M", "310809", "", "WTLOZX", "LCHDH")
    assert resolve("TD3", [confident(plain[0]), confident(plain[1])]).trusted


def test_an_o_the_recogniser_gave_some_odds_is_no_dearer_a_rival_than_one_it_gave_none() -> None:
    # measured on a training-side page (seed 34): "BYIIOFRBZOMY" read "BYII0FRBZ0MY", its O's at
    # 0.04 and 0.03 (3.1 and 3.5 nats below the 0s); weighed at those odds the two swaps came to
    # 6.6 nats, past the margin, while two O's the recogniser gave no odds at all cost only 6.0
    lines = td3("DK3549V9X", "ESP", "590312", "<", "341127", "BYIIOFRBZOMY", "ZPICSVW",
                "SNI<EDQWNNUO")
    misread = lines[1][:32] + "0" + lines[1][33:37] + "0" + lines[1][38:]
    assert holds("TD3", [lines[0], misread])  # O (24) and 0 at weights 3 and 7 add 240
    probs = with_rival(with_rival(confident(misread, sure=0.98), 32, "O", gap=3.1), 37, "O", gap=3.5)

    resolution = resolve("TD3", [confident(lines[0]), probs])

    assert not resolution.trusted
    assert any(doubt.startswith("another reading passes") for doubt in resolution.doubts)


def test_a_glyph_read_unsurely_leaves_the_reading_untrusted_even_when_checks_pass() -> None:
    probs = confident(LINES[1])
    probs[15] = np.log(np.full(len(ALPHABET), 0.02))  # a birth-date digit: among ten digits,
    probs[15][ALPHABET.index(LINES[1][15])] = np.log(0.09)  # 0.09 / (0.09 + 9 x 0.02) = 0.33

    resolution = resolve("TD3", [confident(LINES[0]), probs])

    assert resolution.lines == LINES and not resolution.trusted
    assert resolution.doubts == [
        f"line 2 character 16 (date of birth) is unclear: read as {LINES[1][15]} with 0.33"]


def test_a_visa_has_no_composite_check_digit() -> None:
    line1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    body = "L8988901C4XXX4009078F9612109<<<<<<<<<<<<<<<<"
    assert len(body) == 44

    resolution = resolve("MRVA", [confident(line1), confident(body)])

    assert resolution.trusted and resolution.lines == [line1, body]
    assert not resolve("TD3", [confident(line1), confident(body)]).trusted


def test_names_are_confirmed_only_when_the_page_prints_every_one_of_them() -> None:
    from extractors.mrz import read_mrz
    from extractors.page_reading import names_in_visual_zone

    mrz = read_mrz(LINES)  # ERIKSSON << ANNA: no check digit covers them
    printed = "PASSPORT\nSurname / Nom\nERIKSSON\nGiven names\nAnna\n" + "\n".join(LINES)

    assert names_in_visual_zone(mrz, printed) is True
    # the MRZ's own line does not count: an E read as F would confirm itself
    assert names_in_visual_zone(mrz, "PASSPORT\nERIKSSON\n" + "\n".join(LINES)) is False
    assert names_in_visual_zone(mrz, "PASSPORT\nERIKSSON ANNE\n") is False


def test_readers_that_differ_only_in_the_names_are_settled_by_a_third_reader() -> None:
    from extractors.mrz import read_mrz
    from extractors.mrz_ppocr import PpReading
    from extractors.page_reading import _two_readers

    pp_ocr = PpReading("TD3", LINES, [], [], ["", ""], [])
    glyph_model = read_mrz([LINES[0].replace("ERIKSSON", "FRIKSSON"), LINES[1]])
    assert glyph_model.valid  # no check digit covers the names: both readings pass
    # tesseract reads fillers as K or C and may drop some: aligned, it still reads E
    tesseract_e = "PASSPORT\nP<UTOERIKSSON<<ANNAKKKKKKKKKCCC<<<KK\n" + LINES[1]
    tesseract_f = "PASSPORT\nP<UTOFRIKSSON<<ANNAKKKKKKKKKCCC<<<KK\n" + LINES[1]

    def vouched(printed: str | None, glyphs: object = glyph_model) -> bool:
        reading = _two_readers((glyphs, None), [pp_ocr], printed=printed)  # type: ignore[arg-type]
        return reading is not None and reading.valid

    assert vouched(tesseract_e)
    assert vouched("Surname ERIKSSON\nGiven names ANNA\n")  # the visual zone prints them
    assert not vouched(tesseract_f)  # two readers against PP-OCR: in doubt
    assert not vouched(None)  # the page's text not read yet
    # a difference in a checked line is never settled by the printed names
    other_number = read_mrz(
        [LINES[0], td3("L898902C4", "UTO", "740812", "F", "120415", "ZE184226B", "ERIKSSON",
                       "ANNA")[1]])
    assert other_number.valid and other_number.lines[1] != LINES[1]
    assert not vouched(tesseract_e, other_number)


def test_a_page_pp_ocr_cannot_process_keeps_its_text_and_leaves_the_mrz_unverified(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from extractors import page_reading
    from mailroom import samples

    def broken(image: object) -> list:
        raise RuntimeError("onnxruntime: input shape mismatch")

    monkeypatch.setattr(page_reading, "_read_mrz_ppocr", broken)
    page = samples.passport_page(LINES, dpi=250)

    facts = page_reading.read_page(page, None, timeout=60)

    assert facts.problem is None and facts.text
    assert facts.mrz is None or not facts.mrz.valid  # one reader alone never vouches


def test_an_o_or_0_no_check_digit_covers_stays_in_doubt_until_a_reader_settles_it() -> None:
    line1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
    body = "L8988901C4XXX4009078F9612109" + "OK3O0ET<".ljust(16, "<")  # a visa's optional data
    assert len(body) == 44

    unsettled = resolve("MRVA", [confident(line1), confident(body)])
    one_settled = resolve("MRVA", [confident(line1), confident(body)], {(1, 28): "O"})
    all_settled = resolve("MRVA", [confident(line1), confident(body)],
                          {(1, 28): "O", (1, 31): "O", (1, 32): "0"})

    assert unsettled.lines == [line1, body] and not unsettled.trusted
    assert unsettled.doubts == unsettled.lasting == [
        "line 2 character 29 (optional data) may be O or 0, and no check digit covers it"]
    assert one_settled.lasting == [
        "line 2 character 32 (optional data) may be O or 0, and no check digit covers it"]
    assert all_settled.trusted and all_settled.lines == [line1, body]


def test_two_readers_agreeing_do_not_settle_an_o_or_0_no_check_digit_covers() -> None:
    from extractors.mrz import read_mrz
    from extractors.mrz_ppocr import PpReading
    from extractors.page_reading import _two_readers

    lines = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
             "L8988901C4XXX4009078F9612109" + "0K3<".ljust(16, "<")]
    lasting = ["line 2 character 29 (optional data) may be O or 0, and no check digit covers it"]
    rival_doubt = "another reading passes every check digit too"
    pitch_reader = read_mrz(lines)
    assert pitch_reader.valid

    def vouched(doubts: list[str], lasting: list[str]) -> bool:
        pp_ocr = PpReading("MRVA", lines, doubts, [], ["", ""], lasting)
        reading = _two_readers((pitch_reader, None), [pp_ocr])  # type: ignore[arg-type]
        return reading is not None and reading.valid

    assert vouched([rival_doubt], [])  # a doubt the check digits left: agreement settles it
    assert not vouched([*lasting, rival_doubt], lasting)


def test_a_glyph_no_check_digit_covers_stands_only_when_both_readers_read_it() -> None:
    from types import SimpleNamespace

    from extractors.mrz_ppocr import _readers_differ_unchecked

    lines = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
             "L8988901C4XXX4009078F9612109" + "I2K<".ljust(16, "<")]
    # measured on training-side pages: PP-OCR read a name's Q as R (0.38) and a visa's optional
    # I as 1 (0.88), where the glyph model read them right
    glyph_model = [lines[0].replace("ERIKSSON", "ERIKSSQN").replace("ANNA", "ANHA")
                   .replace("MARIA", "MAR1A"),  # a 1 in a name is what its field makes of it: I
                   lines[1].replace("I2K", "12K")]
    group = [SimpleNamespace(centres=[0.0] * len(line)) for line in lines]
    second = [SimpleNamespace(text=text) for text in glyph_model]
    unsure = [confident(line, sure=0.9) for line in lines]

    def doubts(fitted: list[np.ndarray]) -> tuple[list[str], list[str]]:
        return _readers_differ_unchecked("MRVA", lines, fitted, group, second)  # type: ignore[arg-type]

    names, others = doubts(unsure)
    assert names == ["line 1 character 12 (names) reads O, the second reader Q",
                     "line 1 character 18 (names) reads N, the second reader H"]
    assert others == ["line 2 character 29 (optional data) reads I, the second reader 1"]
    # read as surely as a glyph no check digit tells apart: the glyph model was the one wrong
    assert doubts([confident(line, sure=SURE_BLIND) for line in lines]) == ([], [])
    # a names line read short, padded with fillers: a letter may be lost (measured: "SYAIPT"
    # read "SYAIP"), and its glyphs are not where PP-OCR put them to compare
    group[0] = SimpleNamespace(centres=[0.0] * 43)
    assert doubts(unsure)[0] == [
        "the names line was read with 43 characters, not 44: a letter may be lost or doubled"]


def test_a_name_the_readers_read_differently_stands_only_when_the_page_prints_it() -> None:
    from extractors.mrz import read_mrz
    from extractors.mrz_ppocr import PpReading
    from extractors.page_reading import _two_readers

    doubt = "line 1 character 6 (names) reads E, the second reader F"
    pitch_reader = read_mrz(LINES)  # the same glyph model cut another way, agreeing with PP-OCR

    def vouched(printed: str | None, names: list[str], lasting: tuple[str, ...] = ()) -> bool:
        pp_ocr = PpReading("TD3", LINES, [*names, *lasting],
                           [], [LINES[0].replace("ERIKSSON", "FRIKSSON"), LINES[1]], [*lasting],
                           names)
        reading = _two_readers((pitch_reader, None), [pp_ocr],  # type: ignore[arg-type]
                               printed=printed)
        return reading is not None and reading.valid

    assert not vouched(None, [doubt])  # the page's text not read yet
    assert not vouched("PASSPORT\nFRIKSSON ANNA\n", [doubt])
    assert vouched("Surname ERIKSSON\nGiven names ANNA MARIA\n", [doubt])
    assert vouched(None, [])
    # an optional glyph the readers read differently: no printed text settles it
    other = "line 2 character 29 (optional data) reads I, the second reader 1"
    assert not vouched("Surname ERIKSSON\nGiven names ANNA MARIA\n", [], (other,))
