"""People, organisations and how a letter writes them, for a letter generator.

Each generator passes its own pools (names, organisations, cities), so the held-apart generator
never shares a name or an organisation with the training one. How a nationality is written
(a country, an adjective, Chinese, the code) is the office's vocabulary
(extractors/nationalities.yaml), shared by both.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NATIONALITIES_FILE = Path(__file__).resolve().parent.parent / "extractors" / "nationalities.yaml"


@dataclass(frozen=True)
class Person:
    given: str
    surname: str
    nationality: str  # ICAO
    passport_number: str
    name_zh: str | None = None

    def written(self, rng: random.Random) -> str:
        style = rng.randrange(4)
        if style == 0:
            return f"{self.given} {self.surname.upper()}"
        if style == 1:
            return f"{self.surname.upper()} {self.given}"
        if style == 2:
            return f"{self.surname.upper()}, {self.given.upper()}"
        return f"{self.given} {self.surname}"


@dataclass(frozen=True)
class Organisation:
    en: str
    zh: str
    city_en: str
    city_zh: str


@cache
def nationality_words() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load(NATIONALITIES_FILE.read_text(encoding="utf-8"))


def write_nationality(code: str, language: str, rng: random.Random) -> str:
    words = nationality_words()[code]
    if language == "zh":
        country = rng.choice(words["zh"])
        return rng.choice([country, country + "籍", country])
    return rng.choice([words["en"][0], words["en"][-1], code, words["en"][0]])


def passport_number(rng: random.Random) -> str:
    # O and I beside 0 and 1 on purpose: letters print them, OCR confuses them.
    shape = rng.choice(["LDDDDDDDD", "LLDDDDDDD", "DDDDDDDD", "LDDDDDDD", "LLLDDDDDD", "XXXXXXXXX"])
    out = []
    for slot in shape:
        if slot == "L":
            out.append(rng.choice(string.ascii_uppercase))
        elif slot == "D":
            out.append(rng.choice(string.digits))
        else:
            out.append(rng.choice(string.ascii_uppercase + string.digits))
    if not any(c.isdigit() for c in out):
        out[-1] = rng.choice(string.digits)
    return "".join(out)


def person(rng: random.Random, names: list[tuple[str, str, str, str | None]]) -> Person:
    given, surname, code, zh = rng.choice(names)
    return Person(given, surname, code, passport_number(rng), zh)


def people(rng: random.Random, names: list[tuple[str, str, str, str | None]], n: int) -> list[Person]:
    chosen = rng.sample(names, n)
    return [Person(g, s, c, passport_number(rng), z) for g, s, c, z in chosen]


def date_between(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


def write_date(day: dt.date, language: str, rng: random.Random) -> str:
    if language == "zh":
        return rng.choice([f"{day.year}年{day.month}月{day.day}日", day.isoformat(),
                           f"{day.year}年{day.month:02d}月{day.day:02d}日"])
    return rng.choice([day.isoformat(), day.strftime("%d %B %Y").lstrip("0"),
                       day.strftime("%B %d, %Y").replace(" 0", " "), day.strftime("%d %b %Y")])
