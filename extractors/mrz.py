"""Machine-readable zones (ICAO Doc 9303): parse, verify every check digit, repair OCR slips.

Contract: ``read_mrz(lines)`` takes the OCR'd lines of an MRZ (TD3 passports 2×44, TD1 cards
3×30, TD2 2×36, visas MRV-A 2×44 and MRV-B 2×36) and returns an ``Mrz``. ``valid`` is True
only when every check digit holds (after repair), no reader left a doubt, and the issuing
state and nationality name states (no check digit covers them). Repairs change a character
only where the field's format demands a digit (or a letter) and only when the check digits then
confirm it; an ambiguous repair is not made. Line 1 of TD3 has no check digit: names are only
cleaned of digit-for-letter slips, and the caller must confirm them another way (the visual
zone, the application form)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

import iso3166

WEIGHTS = (7, 3, 1)
TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8", "S": "5", "Z": "2",
            "G": "6"}
TO_LETTER = {v: k for k, v in TO_DIGIT.items() if k not in {"Q", "D", "L"}}
MAX_AMBIGUOUS = 6  # at most this many uncertain characters per field are tried both ways
# Codes of Doc 9303 part 3 beyond ISO 3166-1: Germany's "D", British nationals, UN
# documents, stateless persons and refugees, Kosovo, the EU and the specimen state Utopia.
ICAO_ONLY_CODES = frozenset({
    "D", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XBA", "XIM", "XCC", "XCE",
    "XCO", "XEC", "XES", "XMP", "XOM", "XDC", "XPO", "XXA", "XXB", "XXC", "XXX", "EUE", "RKS",
    "UTO",
})


def char_value(char: str) -> int:
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - 55
    if char == "<":
        return 0
    raise ValueError(f"not an MRZ character: {char!r}")


def check_digit(text: str) -> str:
    return str(sum(char_value(c) * WEIGHTS[i % 3] for i, c in enumerate(text)) % 10)


@dataclass
class Mrz:
    format: str  # TD3 | TD2 | TD1 | MRVA | MRVB
    lines: list[str]
    fields: dict[str, str | None]
    checks: dict[str, bool]
    repaired: list[str] = field(default_factory=list)  # which fields a repair changed
    doubts: list[str] = field(default_factory=list)  # why a reader will not vouch for it

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values()) and not self.doubts

    @property
    def plausible(self) -> bool:
        """Whether an unverified reading still shows an identity document: a document code
        Doc 9303 uses and two state codes that name states. Ruled lines and signature strokes
        read as fillers ("Q<<<<", "IL<IVW") meet neither."""
        return (self.lines[0][:1] in ("P", "I", "A", "C", "V")
                and self.checks.get("issuing_state_known", False)
                and self.checks.get("nationality_known", False))


# (name, start, end, kind) per line, and (value field, check position) pairs; kinds:
# "a" letters/filler, "n" digits, "x" either, "c" a check digit.
LAYOUTS: dict[str, list[list[tuple[str, int, int, str]]]] = {
    "TD3": [
        [("document_code", 0, 2, "a"), ("issuing_state", 2, 5, "a"), ("names", 5, 44, "a")],
        [("document_number", 0, 9, "x"), ("document_number_check", 9, 10, "c"),
         ("nationality", 10, 13, "a"), ("date_of_birth", 13, 19, "n"),
         ("date_of_birth_check", 19, 20, "c"), ("sex", 20, 21, "a"),
         ("expiry_date", 21, 27, "n"), ("expiry_date_check", 27, 28, "c"),
         ("optional_data", 28, 42, "x"), ("optional_data_check", 42, 43, "c"),
         ("composite_check", 43, 44, "c")],
    ],
    "TD2": [
        [("document_code", 0, 2, "a"), ("issuing_state", 2, 5, "a"), ("names", 5, 36, "a")],
        [("document_number", 0, 9, "x"), ("document_number_check", 9, 10, "c"),
         ("nationality", 10, 13, "a"), ("date_of_birth", 13, 19, "n"),
         ("date_of_birth_check", 19, 20, "c"), ("sex", 20, 21, "a"),
         ("expiry_date", 21, 27, "n"), ("expiry_date_check", 27, 28, "c"),
         ("optional_data", 28, 35, "x"), ("composite_check", 35, 36, "c")],
    ],
    "TD1": [
        [("document_code", 0, 2, "a"), ("issuing_state", 2, 5, "a"),
         ("document_number", 5, 14, "x"), ("document_number_check", 14, 15, "c"),
         ("optional_data", 15, 30, "x")],
        [("date_of_birth", 0, 6, "n"), ("date_of_birth_check", 6, 7, "c"), ("sex", 7, 8, "a"),
         ("expiry_date", 8, 14, "n"), ("expiry_date_check", 14, 15, "c"),
         ("nationality", 15, 18, "a"), ("optional_data_2", 18, 29, "x"),
         ("composite_check", 29, 30, "c")],
        [("names", 0, 30, "a")],
    ],
}
# Machine-readable visas (Doc 9303 part 7): a passport's shape, line 2 without a composite check
# digit and with optional data where the passport's personal number is.
LAYOUTS["MRVA"] = [LAYOUTS["TD3"][0], [*LAYOUTS["TD3"][1][:8], ("optional_data", 28, 44, "x")]]
LAYOUTS["MRVB"] = [LAYOUTS["TD2"][0], [*LAYOUTS["TD2"][1][:8], ("optional_data", 28, 36, "x")]]
SHAPES = {"TD3": (2, 44), "TD2": (2, 36), "TD1": (3, 30), "MRVA": (2, 44), "MRVB": (2, 36)}
VISAS = {"TD3": "MRVA", "TD2": "MRVB"}
# Composite check digit: which (line, start, end) spans it covers.
COMPOSITE = {
    "TD3": [(1, 0, 10), (1, 13, 20), (1, 21, 43)],
    "TD2": [(1, 0, 10), (1, 13, 20), (1, 21, 35)],
    "TD1": [(0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)],
    "MRVA": [],
    "MRVB": [],
}
CHECKED = ("document_number", "date_of_birth", "expiry_date", "optional_data")


def names_line(kind: str) -> int:
    """Which line of an MRZ of this shape holds the names (no check digit covers it)."""
    return next(i for i, line in enumerate(LAYOUTS[kind]) if line[-1][0] == "names")


def normalise(lines: list[str]) -> tuple[str, list[str]]:
    """Upper-case, drop spaces, map OCR's stand-ins for the filler, fit to a known shape."""
    cleaned = [
        "".join("<" if c in "«‹" else c for c in line.upper() if not c.isspace())
        for line in lines if line.strip()
    ]
    for name, (count, width) in SHAPES.items():
        if len(cleaned) != count or name in VISAS.values():
            continue
        # The name line of TD3/TD2 has no check digit and OCR often adds characters to its
        # filler run ('<' read as 'K<'): tolerate its length; every other line must fit.
        names_line = 0 if name != "TD1" else None
        if all(abs(len(line) - width) <= 2 or (i == names_line and len(line) >= width // 2)
               for i, line in enumerate(cleaned)):
            if names_line is not None and len(cleaned[names_line]) > width:
                # Too long: OCR added characters, which happens in the filler run. (A line of
                # the right length is left alone: a name may well be made of K, X, C or E.)
                cleaned[names_line] = _clean_filler_run(cleaned[names_line])
            if name in VISAS and cleaned[0].startswith("V"):
                name = VISAS[name]
            return name, [line[:width].ljust(width, "<") for line in cleaned]
    raise ValueError(f"not an MRZ: {len(cleaned)} line(s) of lengths {[len(x) for x in cleaned]}")


_FILLER_RUN = re.compile(r"<(?:[<KXCE«]*<){2,}[<KXCE«]*$")


def _clean_filler_run(line: str) -> str:
    """Turn a trailing run of fillers misread as K, X, C or E back into fillers."""
    match = _FILLER_RUN.search(line[5:])
    return line if match is None else line[: 5 + match.start()]


def read_mrz(lines: list[str], today: dt.date | None = None) -> Mrz:
    kind, lines = normalise(lines)
    if kind in ("TD3", "MRVA"):
        lines = [padded_names(lines[0]), *lines[1:]]
    as_read = list(lines)
    lines = [list(line) for line in lines]  # type: ignore[misc]
    repaired: list[str] = []
    _force_formats(kind, lines, repaired)  # type: ignore[arg-type]
    _repair_checked_fields(kind, lines, repaired)  # type: ignore[arg-type]
    text = ["".join(line) for line in lines]  # type: ignore[arg-type]
    if not _check_digits_hold(kind, text) and text != as_read:
        # no repair makes the check digits hold: the document may not follow ICAO's fields (a
        # US green card's "C1", an old Austrian card's line shifted a place): what was read is
        # reported as read, not forced into fields it may not have
        text, repaired = as_read, []
    raw = _raw_fields(kind, text)
    return Mrz(kind, text, _fields(raw, today or dt.date.today()), checks_of(kind, text), repaired)


def _check_digits_hold(kind: str, text: list[str]) -> bool:
    return all(held for name, held in checks_of(kind, text).items()
               if name not in ("issuing_state_known", "nationality_known"))


def checks_of(kind: str, text: list[str]) -> dict[str, bool]:
    """Whether each check digit of the lines holds as they stand (no repair), and whether both
    state codes name a state."""
    raw = _raw_fields(kind, text)
    checks = {name: _check_holds(raw[name], raw[f"{name}_check"])
              for name in CHECKED if f"{name}_check" in raw}
    if COMPOSITE[kind]:
        composite = "".join(text[i][a:b] for i, a, b in COMPOSITE[kind])
        checks["composite"] = check_digit(composite) == raw["composite_check"]
    # no check digit covers the state codes: a misread one ("KDR") names no state
    checks["issuing_state_known"] = is_state_code(raw["issuing_state"])
    checks["nationality_known"] = is_state_code(raw["nationality"])
    return checks


FIELD_WORDS = {"document_code": "document code", "issuing_state": "issuing state",
               "names": "names", "document_number": "document number", "nationality": "nationality",
               "date_of_birth": "date of birth", "sex": "sex", "expiry_date": "expiry date",
               "optional_data": "optional data", "optional_data_2": "optional data"}
CHECK_WORDS = {"composite": "the composite check digit (over the whole line) does not hold",
               "issuing_state_known": "the issuing state's code names no state",
               "nationality_known": "the nationality's code names no state"}


def field_at(kind: str, line: int, position: int) -> str:
    """In a reviewer's words, what the character at ``position`` of ``line`` (both 0-based) is
    part of: "document number", "check digit of the date of birth"."""
    for name, start, end, _ in LAYOUTS[kind][line]:
        if start <= position < end:
            if name.endswith("_check"):
                owner = name.removesuffix("_check")
                return f"check digit of the {FIELD_WORDS.get(owner, owner.replace('_', ' '))}"
            return FIELD_WORDS.get(name, name.replace("_", " "))
    return "filler"


def why_unverified(mrz: Mrz) -> list[str]:
    """Why a reading is not vouched for, for the reviewer comparing it with the page: each check
    that fails, then each reader's doubt."""
    failed = [CHECK_WORDS.get(name) or f"the {FIELD_WORDS.get(name, name)} does not match its check digit"
              for name, holds in mrz.checks.items() if not holds]
    said = {*failed, *(["check digits fail"] if failed else [])}  # already said, field by field
    return [*failed, *(d for d in mrz.doubts if d not in said)]


def is_state_code(code: str) -> bool:
    """Whether a 3-character MRZ code (fillers allowed: "D<<") names a state or an
    organisation Doc 9303 knows."""
    code = code.strip("<")
    return code in ICAO_ONLY_CODES or code in iso3166.countries_by_alpha3


def padded_names(line1: str) -> str:
    """TD3 line 1 is P, type, issuing state, then SURNAME<<GIVEN<NAMES and fillers to the end:
    after the names' second "<<" there is only filler. Blurred fillers are often matched as C
    or E (templates) or K (tesseract), and line 1 has no check digit to catch it."""
    names = line1[5:]
    first = names.find("<<")
    end = names.find("<<", first + 2) if first >= 0 else -1
    if end < 0:
        return line1
    return line1[:5] + names[:end] + "<" * (len(names) - end)


def _check_holds(value: str, check: str) -> bool:
    # Empty optional data may carry a filler instead of a check digit (Doc 9303 part 4).
    if check == "<":
        return value.strip("<") == ""
    return check_digit(value) == check


def _spans(kind: str) -> list[tuple[int, str, int, int, str]]:
    return [(i, name, a, b, k) for i, line in enumerate(LAYOUTS[kind]) for name, a, b, k in line]


def _raw_fields(kind: str, text: list[str]) -> dict[str, str]:
    return {name: text[i][a:b] for i, name, a, b, _ in _spans(kind)}


def _force_formats(kind: str, lines: list[list[str]], repaired: list[str]) -> None:
    # Where the format allows only digits (dates, check digits) or only letters (codes, names,
    # nationality, sex), a confusable character can be read one way only.
    for i, name, a, b, k in _spans(kind):
        table = TO_DIGIT if k in "nc" else TO_LETTER if k == "a" else None
        if table is None:
            continue
        for pos in range(a, b):
            if lines[i][pos] in table:
                lines[i][pos] = table[lines[i][pos]]
                if name not in repaired:
                    repaired.append(name)


def _repair_checked_fields(kind: str, lines: list[list[str]], repaired: list[str]) -> None:
    # Alphanumeric fields with a check digit: try the digit and letter readings of confusable
    # characters; accept a change only if exactly one reading satisfies the check digit.
    spans = {name: (i, a, b) for i, name, a, b, _ in _spans(kind)}
    for name in ("document_number", "optional_data"):
        if name not in spans or f"{name}_check" not in spans:
            continue
        i, a, b = spans[name]
        ci, ca, _ = spans[f"{name}_check"]
        value, expected = "".join(lines[i][a:b]), lines[ci][ca]
        if check_digit(value) == expected:
            continue
        candidates = [value] if value else []
        unsure = [p for p, c in enumerate(value) if c in TO_DIGIT or c in TO_LETTER]
        if not unsure or len(unsure) > MAX_AMBIGUOUS:
            continue
        options = [(value[p], TO_DIGIT.get(value[p]) or TO_LETTER.get(value[p])) for p in unsure]
        good = set()
        for choice in itertools.product(*options):
            candidate = list(value)
            for p, c in zip(unsure, choice, strict=True):
                candidate[p] = c
            joined = "".join(candidate)
            if joined != candidates[0] and check_digit(joined) == expected:
                good.add(joined)
        if len(good) == 1:
            lines[i][a:b] = list(good.pop())
            repaired.append(name)


def _fields(raw: dict[str, str], today: dt.date) -> dict[str, str | None]:
    surname, _, given = raw["names"].partition("<<")
    return {
        "document_code": raw["document_code"].rstrip("<"),
        "issuing_state": raw["issuing_state"].rstrip("<"),
        "document_number": raw["document_number"].rstrip("<"),
        "surname": surname.replace("<", " ").strip(),
        "given_names": " ".join(given.replace("<", " ").split()),
        "nationality": raw["nationality"].rstrip("<"),
        "date_of_birth": _date(raw["date_of_birth"], today, past=True),
        "sex": {"M": "M", "F": "F"}.get(raw["sex"], "X"),
        "expiry_date": _date(raw["expiry_date"], today, past=False),
        "optional_data": (raw.get("optional_data", "") + raw.get("optional_data_2", "")).rstrip("<")
        or None,
        # No check digit covers the names: confirm them against the visual zone or the form.
        "names_confirmed": None,
    }


def _date(yymmdd: str, today: dt.date, past: bool) -> str | None:
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    century = 2000 if (yy <= today.year % 100 or not past) else 1900
    if not past and yy > (today.year % 100) + 50:
        century = 1900  # an expiry far in the "future" of a two-digit year is a past century
    try:
        return dt.date(century + yy, mm, dd).isoformat()
    except ValueError:
        return None
