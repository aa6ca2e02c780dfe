"""Random but well-formed MRZs of every format (TD3, TD2, TD1, MRV-A, MRV-B) with every check
digit computed, the documents' sizes and what a generator hands back: all both passport
generators share (their pictures differ, not this)."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass

from extractors.mrz import COMPOSITE, LAYOUTS, SHAPES, check_digit

STATES = ["D", "CHN", "JPN", "FRA", "USA", "GBR", "KOR", "RUS", "BRA", "ITA", "NLD", "POL",
          "CZE", "HUN", "ESP", "CAN", "AUS", "IND", "ZAF", "MEX", "UTO"]
DOCUMENT_CODES = {"TD3": ["P<", "PD", "PS"], "TD2": ["I<", "ID", "AC"], "TD1": ["I<", "ID", "IR"],
                  "MRVA": ["V<"], "MRVB": ["V<", "VS"]}
ALNUM = string.ascii_uppercase + string.digits
# width x height in mm (Doc 9303: TD3 booklet page, TD2 and TD1 cards, MRV-A and MRV-B stickers)
SIZES_MM = {"TD3": (125, 88), "TD2": (105, 74), "TD1": (85.6, 54), "MRVA": (120, 80),
            "MRVB": (105, 74)}


@dataclass
class Page:
    jpeg: bytes  # the file a clerk would drop
    lines: list[str]  # the MRZ as printed
    conditions: dict[str, str]  # how it was drawn, for figures by condition


def random_mrz(rng: random.Random, kind: str) -> list[str]:
    count, width = SHAPES[kind]
    lines = [["<"] * width for _ in range(count)]
    state = rng.choice(STATES).ljust(3, "<")
    for i, line in enumerate(LAYOUTS[kind]):
        for name, start, end, _ in line:
            lines[i][start:end] = list(_value(rng, name, end - start, kind, state))
    for i, line in enumerate(LAYOUTS[kind]):  # check digits after their fields are filled
        for name, start, _, _ in line:
            field = name.removesuffix("_check")
            if name.endswith("_check") and field != "composite":
                span = next((j, a, b) for j, ln in enumerate(LAYOUTS[kind])
                            for n, a, b, _ in ln if n == field)
                value = "".join(lines[span[0]][span[1]:span[2]])
                lines[i][start] = "<" if value.strip("<") == "" and rng.random() < 0.5 \
                    else check_digit(value)
    if COMPOSITE[kind]:
        i, at = next((j, a) for j, ln in enumerate(LAYOUTS[kind])
                     for n, a, _, _ in ln if n == "composite_check")
        lines[i][at] = check_digit("".join("".join(lines[j][a:b]) for j, a, b in COMPOSITE[kind]))
    return ["".join(line) for line in lines]


def _value(rng: random.Random, name: str, size: int, kind: str, state: str) -> str:
    if name == "document_code":
        return rng.choice(DOCUMENT_CODES[kind])
    if name in ("issuing_state", "nationality"):
        return state if rng.random() < 0.7 else rng.choice(STATES).ljust(3, "<")
    if name == "names":
        surname = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(2, 12)))
        given = "<".join("".join(rng.choice(string.ascii_uppercase)
                                 for _ in range(rng.randint(2, 8)))
                         for _ in range(rng.randint(1, 2)))
        return f"{surname}<<{given}".ljust(size, "<")[:size]
    if name == "document_number":
        length = rng.choice([8, 9, 9, 9])
        letters = rng.randint(0, 3)  # many states start with letters, some mix them in
        number = "".join(rng.choice(string.ascii_uppercase) for _ in range(letters)) + "".join(
            rng.choice(string.digits if rng.random() < 0.8 else ALNUM)
            for _ in range(length - letters))
        return number.ljust(size, "<")
    if name == "date_of_birth":
        return f"{rng.randint(40, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    if name == "expiry_date":
        return f"{rng.randint(27, 36):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    if name == "sex":
        return rng.choice("MFMF<")
    if name.startswith("optional_data"):
        if rng.random() < 0.6:
            return "<" * size
        used = rng.randint(1, size)
        return "".join(rng.choice(ALNUM) for _ in range(used)).ljust(size, "<")
    return "<" * size  # check digits are filled afterwards
