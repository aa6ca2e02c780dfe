"""The people an employer's or a school's letter names: ruled tables (any column order, headers
in either language, running onto a second page), numbered lines, prose.

Contract: ``read_people(text)`` returns ``(people, unread)``: each person ``{name, nationality,
passport_number[, name_zh]}`` in the letter's order, each passport number once (a bilingual
letter names everyone twice), and ``unread``: the rows where a passport number stands but no
name could be read beside it, for a clerk. A row is anchored on its passport number, the one
thing every layout prints; its name and nationality are the nearest ones on the side the
table's header (or, without a header, the writing) puts them.
"""

from __future__ import annotations

import re
from typing import Any

from extractors.letter_text import (
    Span,
    latin_names,
    name_zh_after,
    nationalities,
    passport_numbers,
)

_HEADER_NAME = re.compile(r"(?:full\s+)?name|姓名|名字", re.IGNORECASE)
_HEADER_NUMBER = re.compile(r"passp\s*ort\s*(?:no\.?|number)|护照号", re.IGNORECASE)
# the labels of numbers that are not passport numbers
_OTHER_NUMBER = re.compile(r"student\s*(?:no|number|id)|学号|\btel\b|phone|电话|传真|fax|"
                           r"post\s*code|邮编|employee\s*(?:no|id)|工号", re.IGNORECASE)


def read_people(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    numbers = [n for n in passport_numbers(text) if not _labelled_otherwise(text, n)]
    if not numbers:
        return [], []
    first_header = _header_before(text[max(0, numbers[0].start - 200):numbers[0].start])
    read: dict[str, dict[str, Any]] = {}
    for index in range(len(numbers)):
        after = _header_line_above(text, numbers[index].start)
        person = _person_at(text, numbers, index, first_header if after is None else after)
        known = read.get(numbers[index].value)
        if person is not None and (known is None or _better(person, known)):
            read[numbers[index].value] = person
    order = [n.value for n in _distinct(numbers)]
    people = [read[n] for n in order if n in read]
    return people, [n for n in order if n not in read]


def _better(found: dict[str, Any], known: dict[str, Any]) -> bool:
    # a bilingual letter names a person twice: keep the reading that says more
    return sum(v is not None for v in found.values()) > sum(v is not None for v in known.values())


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
    return _OTHER_NUMBER.search(text[max(line_start, number.start - 30):number.start]) is not None


def _header_before(header: str) -> bool:
    """Whether a table header (its cells on one line, or one per line as a text layer gives
    them) puts the passport number before the name."""
    names = list(_HEADER_NAME.finditer(header))
    numbers = list(_HEADER_NUMBER.finditer(header))
    if not names or not numbers:
        return False
    return numbers[-1].start() < names[-1].start() and numbers[0].start() < names[0].start()


def _header_line_above(text: str, number: int) -> bool | None:
    """The side a scanned table's row puts its name, from the last line above it that names
    both columns (a letter may print another table above); None without such a line."""
    line_start = text.rfind("\n", 0, number) + 1
    for line in reversed(text[:line_start].split("\n")):
        if _HEADER_NAME.search(line) and _HEADER_NUMBER.search(line):
            return _header_before(line)
    return None


def _person_at(text: str, numbers: list[Span], index: int, after: bool) -> dict[str, Any] | None:
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
    side = [n for n in latin_names(line)
            if (n.start >= number.end - start) == after]
    if side:
        return _person(line, side[0], number.value)
    if after:
        segment_start, segment_end = number.end, min(beyond, number.end + 160)
    else:
        segment_start, segment_end = max(before, number.start - 200), number.start
    segment = text[segment_start:segment_end]
    names = latin_names(segment)
    if not names:
        return None
    return _person(segment, names[0] if after else names[-1], number.value)


def _person(segment: str, name: Span, number: str) -> dict[str, Any]:
    found = nationalities(segment)
    # the nationality beside the name: the nearest one to it inside the row
    nationality = min(found, key=lambda f: abs(f.start - name.start)).value if found else None
    person: dict[str, Any] = {"name": name.value, "nationality": nationality,
                              "passport_number": number}
    name_zh = name_zh_after(segment, name.end)
    if name_zh:
        person["name_zh"] = name_zh
    return person
