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
    Number,
    latin_names,
    name_zh_after,
    nationalities,
    passport_numbers,
)

_HEADER_NAME = re.compile(r"(?:full\s+)?name|姓名|名字", re.IGNORECASE)
_HEADER_NUMBER = re.compile(r"passport\s*(?:no\.?|number)|护照号", re.IGNORECASE)


def read_people(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    numbers = _distinct(passport_numbers(text))
    if not numbers:
        return [], []
    after = _names_follow_numbers(text)
    people, unread = [], []
    for index, number in enumerate(numbers):
        person = _person_at(text, numbers, index, after)
        if person is None:
            unread.append(number.value)
        else:
            people.append(person)
    return people, unread


def _distinct(numbers: list[Number]) -> list[Number]:
    seen: set[str] = set()
    out = []
    for number in numbers:
        if number.value not in seen:
            seen.add(number.value)
            out.append(number)
    return out


def _names_follow_numbers(text: str) -> bool:
    """A table whose header puts the passport number before the name."""
    for line_start in _header_lines(text):
        window = text[line_start:line_start + 200]
        name, number = _HEADER_NAME.search(window), _HEADER_NUMBER.search(window)
        if name and number:
            return number.start() < name.start()
    return False


def _header_lines(text: str) -> list[int]:
    return [m.start() for m in re.finditer(r"(?m)^.*(?:name|姓名)", text, re.IGNORECASE)]


def _person_at(text: str, numbers: list[Number], index: int, after: bool) -> dict[str, Any] | None:
    number = numbers[index]
    if after:
        end = numbers[index + 1].start if index + 1 < len(numbers) else min(len(text), number.end + 160)
        segment_start, segment_end = number.end, end
    else:
        start = numbers[index - 1].end if index > 0 else max(0, number.start - 200)
        segment_start, segment_end = start, number.start
    segment = text[segment_start:segment_end]
    names = latin_names(segment)
    if not names:
        return None
    name = names[0] if after else names[-1]
    found = nationalities(segment)
    # the nationality beside the name: the nearest one to the name inside the row
    nationality = min(found, key=lambda f: abs(f.start - name.start)).value if found else None
    person: dict[str, Any] = {"name": name.value, "nationality": nationality,
                              "passport_number": number.value}
    name_zh = name_zh_after(segment, name.end)
    if name_zh:
        person["name_zh"] = name_zh
    return person
