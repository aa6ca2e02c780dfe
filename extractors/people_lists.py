"""The people an employer's or a school's letter names: ruled tables (any column order, headers
in either language, running onto a second page), numbered lines, prose.

Contract: ``read_people(text)`` returns ``(people, unread)``: each person ``{name, nationality,
passport_number[, name_zh]}`` in the letter's order, each passport number once (a bilingual
letter names everyone twice), and ``unread``: the rows where a passport number stands but no
name could be read beside it, and a table's rows that name someone beside no number that could
be read, for a clerk. A row is anchored on its passport number, the one
thing every layout prints; its name and nationality are the nearest ones on the side the
table's header (or, without a header, the writing) puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.letter_text import (
    PASSPORT_LABEL,
    PASSPORT_LABEL_BEFORE,
    Span,
    latin_names,
    name_zh_after,
    nationalities,
    passport_numbers,
)

_HEADER_NAME = re.compile(r"\b(?:full\s+)?name\b|姓名|名字", re.IGNORECASE)  # not Vietnamese
# a column of passport numbers may be headed as what they are, travel documents' numbers (a
# text layer breaks a narrow cell's word: "Travel documen" / "t")
_HEADER_NUMBER = re.compile(r"passp\s*ort\s*(?:no\.?|number)|护照号|travel\s+documen\s*t|旅行证件",
                            re.IGNORECASE)
_HEADER_NATIONALITY = re.compile(r"nationality|citizenship|国籍", re.IGNORECASE)
# the labels of numbers that are not passport numbers
# OCR leaves a gap after a number's leading letters ("passport Y 10095314"): where a passport
# label stands just before, letters and digits are one number,
_SPLIT_AFTER_LABEL = re.compile(
    rf"({PASSPORT_LABEL}\s*[:：.]?\s*)([A-Z]{{1,2}}) (\d{{6,8}})"
    r"(?![A-Za-z0-9])", re.IGNORECASE)
# or where a table cell holds nothing else ("| Priya NAIR | Y 1363454")
_SPLIT_IN_CELL = re.compile(r"((?:^|\|)[ \t]*)([A-Z]{1,2}) (\d{6,8})(?=[ \t]*(?:\||$))",
                            re.MULTILINE)
# a capital that ends a name's word when it stands alone: not M, F or X (a sex column's cell)
# nor D (Germany's code)
_NAME_END_CAPITAL = "[A-CEG-LN-WYZ]"
# a scanned cell's wrapped name read as one line: "WAGNER, SOPHI E |" is SOPHIE
_LAST_CAPITAL_IN_CELL = re.compile(rf"(?<=[A-Z]{{2}}) (?={_NAME_END_CAPITAL}[ \t]*(?:\||$))",
                                   re.MULTILINE)
# OCR reads a J's hook at a word's end as a bracket ("Bat-Erdene DOR)", "DOR}, BAT-ERDENE")
_J_AS_BRACKET = re.compile(r"(?<=[A-Z]{2})[)}\]](?=[\s,;|]|$)")
BRACKET_REACH = 300  # characters: a bracket opened this far back may close here
# a surname in capitals run on into the given name that follows it, or a given name into the
# surname: OCR lost the space; a surname's own prefix stays on it (McDONALD, MacKENZIE)
_SURNAME_RUN_ON = re.compile(r"(?<![A-Za-z])([A-Z]{2,})([A-Z][a-z]{2,})")
_GIVEN_NAME_RUN_ON = re.compile(
    r"(?<![A-Za-z])(?!(?:Mac|Mc|Fitz|De|Di|Da|Du|La|Le|Van|Von)[A-Z])([A-Z][a-z]+)([A-Z]{2,})(?![a-z])")
_NUMBER_RUN_ON = re.compile(r"(?<![A-Za-z0-9])(?=[A-Z]*\d)[A-Z0-9]{10,12}(?![A-Za-z0-9])")
_CELL_BAR = " | "  # between a scanned table's cells, read cell by cell (extractors/ruling.py)
_ROW_INDEX_ONLY = re.compile(r"[ \t\d.)(|、）（]*")  # "3. ", "(2) ", "1 | " before a row's first cell
_OTHER_NUMBER = re.compile(r"student\s*(?:no|number|id)|学号|\btel\b|phone|电话|传真|fax|"
                           r"post\s*code|邮编|employee\s*(?:no|id)|工号", re.IGNORECASE)


def read_people(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    for split in (_SPLIT_AFTER_LABEL, _SPLIT_IN_CELL):
        text = split.sub(_joined_if_a_number, text)
    text = _J_AS_BRACKET.sub(_j_unless_closing, _LAST_CAPITAL_IN_CELL.sub("", text))
    text = re.sub(r"(?<=[A-Za-z]),(?=[A-Z])", ", ", text)  # "LAN,TRAN THI" as OCR spaced it
    # "DE LA CRUZJuan Carlos", "BuiQUANG HUY" as OCR spaced them
    text = _GIVEN_NAME_RUN_ON.sub(r"\1 \2", _SURNAME_RUN_ON.sub(r"\1 \2", text))
    numbers = [n for n in passport_numbers(text) if not _labelled_otherwise(text, n)]
    if not numbers:
        return [], []
    first_header = text[max(0, numbers[0].start - 200):numbers[0].start]
    read: dict[str, dict[str, Any]] = {}
    for index in range(len(numbers)):
        header = _header_line_above(text, numbers[index].start)
        person = _person_at(text, numbers, index, _Columns.of(first_header if header is None else header))
        if person is not None:
            read[numbers[index].value] = _merged(read.get(numbers[index].value), person, text)
    order = [n.value for n in _distinct(numbers)]
    people = [read[n] for n in order if n in read]
    return people, [n for n in order if n not in read] + _rows_without_a_number(text, numbers)


def _rows_without_a_number(text: str, numbers: list[Span]) -> list[str]:
    """A scanned table's rows (its cells read apart, under a header with a passport number's
    column) that name someone but print no number that could be read: each row as it was
    read, for a clerk. A row whose number OCR garbled is a person the list names all the same."""
    rows, header_cells, offset = [], None, 0
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        cells = line.count(_CELL_BAR)
        if cells and _is_header(line):
            header_cells = cells
        elif not cells:
            header_cells = None  # the table ended
        elif header_cells and cells <= header_cells and latin_names(line) \
                and not any(start <= n.start < offset for n in numbers):  # an empty cell: fewer
            rows.append(" ".join(line.split()))
    return rows


def _joined_if_a_number(found: re.Match[str]) -> str:
    lead, letters, digits = found.groups()
    return f"{lead}{letters}{digits}" if len(letters + digits) <= 9 else found.group()


def _j_unless_closing(found: re.Match[str]) -> str:
    """J for a bracket after a word's capitals, unless it closes one opened before it (on its
    line or an earlier one: prose wraps)."""
    before = found.string[max(0, found.start() - BRACKET_REACH):found.start()]
    opened = sum(before.count(b) for b in "({[（") - sum(before.count(b) for b in ")}]）")
    return found.group() if opened > 0 else "J"


def _merged(known: dict[str, Any] | None, found: dict[str, Any], text: str) -> dict[str, Any]:
    """A bilingual letter names a person twice: the first reading, with what it could not read
    (a nationality OCR garbled in one language) taken from the second. Where the two read
    different names, the one the letter prints more often: OCR garbles a name once, not
    twice alike ("SEM, PRS" for 伊森·沃克 beside "Ethan WALKER"); a part of the first (a name
    wrapped over a line end, "MINH" / "Nguyen Van") is printed wherever the whole is."""
    if known is None:
        return found
    merged = {**found, **{key: value for key, value in known.items() if value is not None}}
    if text.count(found["name"]) > text.count(known["name"]) and found["name"] not in known["name"]:
        merged["name"] = found["name"]
    return merged


def _distinct(numbers: list[Span]) -> list[Span]:
    seen: set[str] = set()
    out = []
    for number in numbers:
        if number.value not in seen:
            seen.add(number.value)
            out.append(number)
    return out


def _labelled_otherwise(text: str, number: Span) -> bool:
    """A student number, telephone or postcode printed beside its own label is no row."""
    line_start = text.rfind("\n", 0, number.start) + 1
    # searched in place, not in a slice: a slice starting inside "PATEL" would begin with "TEL"
    return _OTHER_NUMBER.search(text, max(line_start, number.start - 30), number.start) is not None


@dataclass(frozen=True)
class _Columns:
    """Where a table's header puts the name and the nationality: after the passport number
    (True), before it (False), or for the nationality unknown (None: beside the name)."""

    name_after: bool = False
    nationality_after: bool | None = None

    @classmethod
    def of(cls, header: str) -> _Columns:
        """From a table header: its cells on one line, or one per line as a text layer gives
        them (a bilingual header names each column twice)."""
        numbers = list(_HEADER_NUMBER.finditer(header))
        if not numbers:
            return cls()
        # a header naming only the number column: the names stand before it, as in prose
        return cls(name_after=bool(_after(_HEADER_NAME, header, numbers)),
                   nationality_after=_after(_HEADER_NATIONALITY, header, numbers))


def _after(column: re.Pattern[str], header: str, numbers: list[re.Match[str]]) -> bool | None:
    found = list(column.finditer(header))
    if not found:
        return None
    # the header's own labels are the last ones: a title above ("Name List of Foreign Staff")
    # names a column too
    return numbers[-1].start() < found[-1].start()


def _header_line_above(text: str, number: int) -> str | None:
    """The last line above a scanned table's row that names both the name and the number
    columns (a letter may print another table above); None without such a line."""
    line_start = text.rfind("\n", 0, number) + 1
    return next((line for line in reversed(text[:line_start].split("\n")) if _is_header(line)), None)


def _is_header(line: str) -> bool:
    """A line that names both the name and the number columns and prints no number: a line that
    does is a row ("护照号码 ADG958151", a record's "国籍 Nationality | Chile | 护照号码 Passport
    No. | I88705954"), even one OCR ran on into the next row's index ("护照号 : CAI3247954 Name:")."""
    return bool(_HEADER_NAME.search(line) and _HEADER_NUMBER.search(line)
                and not passport_numbers(line) and not _NUMBER_RUN_ON.search(line))


def _person_at(text: str, numbers: list[Span], index: int,
               columns: _Columns) -> dict[str, Any] | None:
    """A row printed on one line (a scanned table read row by row, a numbered line) gives its
    name and nationality from that line; otherwise (a text layer's cells, prose) from the
    stretch between this number and its neighbour on the side the names stand."""
    number = numbers[index]
    line_start = text.rfind("\n", 0, number.start) + 1
    line_end = text.find("\n", number.end)
    line_end = len(text) if line_end < 0 else line_end
    before = numbers[index - 1].end if index > 0 else 0
    beyond = numbers[index + 1].start if index + 1 < len(numbers) else len(text)
    start, end = max(line_start, before), min(line_end, beyond)
    # on the number's own line, on the side the names stand (before it, unless the header
    # puts the number first); prose that names the person on an earlier line reads below
    line = text[start:end]
    side = [n for n in _unbracketed(line, latin_names(line))
            if (n.start >= number.end - start) == columns.name_after]
    if side:  # the nearest to the number (OCR may make a name of a garbled label further off)
        return _person(line, side[0] if columns.name_after else side[-1], number.value)
    if not columns.name_after and (_ROW_INDEX_ONLY.fullmatch(text, line_start, number.start)
                                   or _CELL_BAR in line) \
            and not _wrapped_after_label(text[:line_start]):
        # a row that begins with its number, or a table's row of cells with no name before
        # its number, has its name after it, whatever the header (OCR may have lost its name
        # column's label on a shaded header row, or garbled the number's "护照号" to "PRE")
        after = [n for n in _unbracketed(line, latin_names(line)) if n.start >= number.end - start]
        if after:
            return _person(line, after[0], number.value)
    if _CELL_BAR in line and start == line_start and end == line_end \
            and not PASSPORT_LABEL_BEFORE.search(line, 0, number.start - start):
        # a list's row holds its person's name: another row's is not it (a form's row of a
        # label and its number is not a list's: its name stands in another row)
        return None
    reach_after = text[number.end:min(beyond, number.end + 160)]
    reach_before_start = max(before, number.start - 200)
    reach_before = text[reach_before_start:number.start]
    segment = reach_after if columns.name_after else reach_before
    # prose wraps a name over a line end ("Arjun\nPATEL"): read across it only when nothing
    # else stands there (table cells, one per line, must not join)
    names = _unbracketed(segment, latin_names(segment)) or _unbracketed(
        segment := segment.replace("\n", " "), latin_names(segment))
    names = _comma_wrapped(segment, names)
    if not names:
        return None
    name = _wrapped_on(segment, names[0] if columns.name_after else names[-1])
    if columns.nationality_after is None:
        return _person(segment, name, number.value)
    # a text layer gives each cell a line: the nationality is the cell on its header's side
    # of the number, nearest to it (the other side holds a neighbouring row's)
    found = nationalities(reach_after if columns.nationality_after else reach_before)
    nationality = (found[0] if columns.nationality_after else found[-1]).value if found else None
    return _person(segment, name, number.value, nationality)


def _wrapped_after_label(before: str) -> bool:
    """The line before ends with a passport number's label after a name: prose wrapped there
    ("Ethan WALKER (American national, passport No." / "OD3312946); ..."), not a header."""
    line = before.rstrip().rsplit("\n", 1)[-1]
    labelled = PASSPORT_LABEL_BEFORE.search(line) is not None or line.endswith((":", "："))
    return labelled and bool(latin_names(line))


def _unbracketed(text: str, names: list[Span]) -> list[Span]:
    """The names without those in brackets right after another name: a transliteration or an
    alias ("SHEVCHUK Oksana (REM SHER)", its Chinese name as OCR read it), not the person's."""
    return [name for k, name in enumerate(names)
            if k == 0 or not re.fullmatch(r"\s*[(（〈<]\s*", text[names[k - 1].end:name.start])]


def _comma_wrapped(segment: str, names: list[Span]) -> list[Span]:
    """A name whose cell wraps after its surname's comma ("DE LA CRUZ," / "JUAN CARLOS") is
    one name: a comma ending a line goes on to the next."""
    joined: list[Span] = []
    for name in names:
        if joined and re.fullmatch(r",[ \t]*\n[ \t]*", segment[joined[-1].end:name.start]):
            joined[-1] = Span(f"{joined[-1].value}, {name.value}", joined[-1].start, name.end)
        else:
            joined.append(name)
    return joined


_NAME_LINE_END = re.compile(
    r"[ \t]*\n[ \t]*([A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?)[ \t]*(?=\n|$|[ \t]*[(,])")
# a cell too narrow for a word breaks it anywhere: "ALMEIDA Thiag" / "o", "Pablo NAVARR" / "O"
_WORD_GOES_ON = re.compile(r"[ \t]*\n[ \t]*([a-z][a-z'\-]*)[ \t]*(?=\n|$)")
_LAST_CAPITAL = re.compile(rf"[ \t]*\n[ \t]*({_NAME_END_CAPITAL})[ \t]*(?=\n|$)")


def _wrapped_on(segment: str, name: Span) -> Span:
    """A name too long for its table cell goes on in the cell's next line ("DE LA CRUZ Juan" /
    "Carlos"), or in prose on the next line up to its bracket or comma ("DE LA CRUZ, JUAN" /
    "CARLOS (Philippines national, ..."): joined when those are words a name is made of. A
    word broken inside ("Thiag" / "o", "NAVARR" / "O") is joined without a space: a line that
    starts in small letters after a word that ends in them cannot begin a word of a name, and
    a name has no word of one capital."""
    rest = _NAME_LINE_END.match(segment, name.end)
    last_word = name.value.split()[-1]
    broken = (_WORD_GOES_ON.match(segment, name.end) if last_word[-1:].islower()
              else _LAST_CAPITAL.match(segment, name.end) if len(last_word) > 1
              and last_word.isupper() else None)
    if broken is not None:
        return Span(name.value + broken.group(1), name.start, broken.end(1))
    if rest is None:
        return name
    joined = f"{name.value} {rest.group(1)}"
    whole = latin_names(joined)
    if len(whole) != 1 or whole[0].value != joined:
        return name
    return Span(joined, name.start, rest.end(1))


def _person(segment: str, name: Span, number: str, nationality: str | None = None) -> dict[str, Any]:
    if nationality is None:
        found = nationalities(segment)
        # the nationality beside the name: the nearest one to it inside the row
        nationality = min(found, key=lambda f: abs(f.start - name.start)).value if found else None
    person: dict[str, Any] = {"name": name.value, "nationality": nationality,
                              "passport_number": number}
    name_zh = name_zh_after(segment, name.end)
    if name_zh:
        person["name_zh"] = name_zh
    return person
