"""ICAO 9303 check digits, parsing and confusion repair (pure functions, property-tested)."""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from extractors.mrz import TO_DIGIT, check_digit, read_mrz, why_unverified

TODAY = dt.date(2026, 11, 22)
SPECIMEN = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


def td3(number: str, nationality: str, birth: str, sex: str, expiry: str, optional: str,
        surname: str, given: str) -> list[str]:
    names = f"{surname}<<{given}".ljust(39, "<")[:39]
    line1 = f"P<{nationality}{names}"
    number, optional = number.ljust(9, "<"), optional.ljust(14, "<")
    opt_check = check_digit(optional) if optional.strip("<") else "<"
    body = (f"{number}{check_digit(number)}{nationality}{birth}{check_digit(birth)}{sex}"
            f"{expiry}{check_digit(expiry)}{optional}{opt_check}")
    composite = body[0:10] + body[13:20] + body[21:43]
    return [line1, body + check_digit(composite)]


def test_icao_specimen() -> None:
    mrz = read_mrz(SPECIMEN, TODAY)
    assert mrz.valid and mrz.repaired == []
    assert mrz.fields["document_number"] == "L898902C3"
    assert (mrz.fields["surname"], mrz.fields["given_names"]) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.fields["date_of_birth"], mrz.fields["expiry_date"]) == ("1974-08-12", "2012-04-15")


def test_typical_ocr_slips_are_repaired_only_where_the_format_decides() -> None:
    slipped = [SPECIMEN[0].replace("<<ANNA", "««ANNA"),
               "L898902C36UT07408I22F12O4159ZE184226B<<<<<1O"]
    mrz = read_mrz(slipped, TODAY)
    assert mrz.valid
    assert mrz.fields == read_mrz(SPECIMEN, TODAY).fields


def test_a_wrong_digit_is_never_valid() -> None:
    wrong = SPECIMEN[1].replace("740812", "740813")
    assert not read_mrz([SPECIMEN[0], wrong], TODAY).valid


@pytest.mark.parametrize("lines", [
    # a US permanent resident card: its document code "C1" and its own number check
    ["C1USA0223456791EAC9730051220<<", "4910040M9411014CAN<<<<<<<<<<<0",
     "CRITTENDEN<<LEE<W<<<<<<<<<<<<<"],
    # an old Austrian card: line 2 shifted a place left, no expiry check digit
    ["IDAUT000009993<<<<<<<<<<<<<<<<", "7109094F111231AUT<<<<<<<<<<<<0",
     "MUSTERFRAU<<ISOLDE<<<<<<<<<<<<"],
])
def test_a_document_no_repair_makes_valid_is_reported_as_read(lines: list[str]) -> None:
    # forcing ICAO's field alphabets ("C1" -> "CI", "AUT" -> "4UT") would misreport what is
    # printed on a document that does not follow ICAO's fields
    mrz = read_mrz(lines, TODAY)

    assert mrz.lines == lines and not mrz.valid and mrz.repaired == []


def test_garbage_is_not_an_mrz() -> None:
    with pytest.raises(ValueError, match="not an MRZ"):
        read_mrz(["hello world"], TODAY)


letters = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=12)
dates = st.dates(dt.date(1940, 1, 1), dt.date(2025, 12, 31)).map(lambda d: d.strftime("%y%m%d"))
numbers = st.text(alphabet=string.ascii_uppercase + string.digits, min_size=6, max_size=9)


@given(numbers, st.sampled_from(["D<<", "CHN", "JPN", "UTO"]), dates, st.sampled_from("MF<"),
       dates, st.text(alphabet=string.digits, max_size=10), letters, letters)
def test_generated_passports_round_trip(number, nationality, birth, sex, expiry, optional,
                                        surname, given) -> None:  # type: ignore[no-untyped-def]
    mrz = read_mrz(td3(number, nationality, birth, sex, expiry, optional, surname, given), TODAY)
    assert mrz.valid, mrz.checks
    assert mrz.fields["document_number"] == number
    assert mrz.fields["surname"] == surname and mrz.fields["given_names"] == given


@given(numbers, dates, dates, letters, letters, st.data())
def test_any_single_digit_change_in_a_date_is_caught(number, birth, expiry, surname, given,
                                                     data) -> None:  # type: ignore[no-untyped-def]
    lines = td3(number, "UTO", birth, "F", expiry, "", surname, given)
    position = data.draw(st.sampled_from([13 + i for i in range(6)] + [21 + i for i in range(6)]))
    digit = data.draw(st.sampled_from(string.digits))
    assume(lines[1][position] != digit)
    changed = lines[1][:position] + digit + lines[1][position + 1:]
    assert not read_mrz([lines[0], changed], TODAY).valid


@given(numbers, dates, dates, letters, letters, st.data())
def test_confusable_letters_in_dates_are_read_back_as_digits(number, birth, expiry, surname,
                                                             given, data) -> None:  # type: ignore[no-untyped-def]
    lines = td3(number, "UTO", birth, "M", expiry, "", surname, given)
    position = data.draw(st.sampled_from([13 + i for i in range(6)]))
    letter_for = {v: k for k, v in TO_DIGIT.items() if k in "OIBSZG"}
    assume(lines[1][position] in letter_for)
    slipped = lines[1][:position] + letter_for[lines[1][position]] + lines[1][position + 1:]
    mrz = read_mrz([lines[0], slipped], TODAY)
    assert mrz.valid and mrz.lines[1] == lines[1]


def test_a_reading_with_a_rival_that_passes_every_check_is_ambiguous() -> None:
    from extractors.mrz_reader import _has_rival

    # O (24) for 0 at positions weighted 7 and 3 adds 240: every check digit still holds.
    truth = td3("8JMIKC00L", "RUS", "841207", "M", "321102", "", "IVANOV", "IVAN")[1]
    near_tie = [[c] for c in truth]
    near_tie[6], near_tie[7] = ["0", "O"], ["0", "O"]
    assert _has_rival(truth, near_tie)
    sure = [[c] for c in truth]
    sure[6] = ["0", "O"]  # one doubtful position alone cannot pass the check digit
    assert not _has_rival(truth, sure)


def test_a_nationality_no_state_has_is_no_rival() -> None:
    from extractors.mrz_reader import _has_rival

    # No check digit covers the nationality, so a near tie there passes every check: it is a
    # rival only when the other reading is a state too.
    korean = td3("2I0HZ2UEP", "KOR", "770207", "F", "310225", "", "KIM", "MINJI")[1]
    doubtful = [[c] for c in korean]
    doubtful[11] = ["O", "D"]  # "KDR" is no state
    assert not _has_rival(korean, doubtful)
    austrian = td3("2I0HZ2UEP", "AUT", "770207", "F", "310225", "", "HUBER", "ANNA")[1]
    doubtful = [[c] for c in austrian]
    doubtful[12] = ["T", "S"]  # "AUS" is Australia: check digits cannot choose
    assert _has_rival(austrian, doubtful)


def test_fillers_after_the_names_are_fillers_however_blurred() -> None:
    from extractors.mrz import padded_names

    blurred = "P<BRACTCO<<VFITSUS<<<<<<CCCCCCCECECCECECCCCE"
    assert padded_names(blurred) == "P<BRACTCO<<VFITSUS" + "<" * 26
    assert padded_names(SPECIMEN[0]) == SPECIMEN[0]
    assert read_mrz([blurred, SPECIMEN[1]]).lines[0] == "P<BRACTCO<<VFITSUS" + "<" * 26
    assert padded_names("P<D<<MUSTERMANN<<ERIKA".ljust(44, "<")) == "P<D<<MUSTERMANN<<ERIKA".ljust(44, "<")


def test_a_state_code_that_names_no_state_is_not_verified() -> None:
    # every check digit holds, but no check digit covers the codes: "KDR" and "O<<" are slips
    lines = td3("2I0HZ2UEP", "KOR", "770207", "F", "310225", "", "KIM", "MINJI")
    assert read_mrz(lines, TODAY).valid
    wrong_nationality = read_mrz([lines[0], lines[1].replace("KOR", "KDR")], TODAY)
    assert not wrong_nationality.valid and not wrong_nationality.checks["nationality_known"]
    assert all(ok for name, ok in wrong_nationality.checks.items() if name != "nationality_known")
    wrong_state = read_mrz([lines[0].replace("P<KOR", "P<KDR"), lines[1]], TODAY)
    assert not wrong_state.valid and not wrong_state.checks["issuing_state_known"]
    german = td3("C01X00T47", "D<<", "640812", "F", "310101", "", "MUSTERMANN", "ERIKA")
    assert read_mrz(german, TODAY).valid  # Doc 9303's own codes count: Germany is "D"


def test_an_unverified_reading_says_why_and_only_a_document_like_one_is_plausible() -> None:
    line2 = "C01X00T478D<<8408125F3102282<<<<<<<<<<<<<<<6"
    misprinted = read_mrz(["P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<", "C01X00T471" + line2[10:]])
    assert not misprinted.valid and misprinted.plausible
    assert why_unverified(misprinted)[0] == "the document number does not match its check digit"
    # ruled lines and a signature on a letter, read as fillers: no document
    junk = read_mrz(["Q" + "<" * 43, "8<<<<<<<<0" + "<" * 34])
    assert not junk.valid and not junk.plausible
    assert "the issuing state's code names no state" in why_unverified(junk)
