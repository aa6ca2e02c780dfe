"""What every letter reader needs from a letter's text: dates, passport numbers, names,
nationalities, organisations, and the office's wordings (``letter_wording.yaml``).

Contract: pure functions over text as a PDF's text layer or OCR gives it (Chinese characters
perhaps spaced apart, a table's cells on lines of their own or a row on one line). Nothing is
guessed: a value that is not written is ``None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import iso3166
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mailroom.errors import ConfigurationError

WORDING_FILE = Path(__file__).with_name("letter_wording.yaml")
NATIONALITIES_FILE = Path(__file__).with_name("nationalities.yaml")
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}])")


@dataclass(frozen=True)
class Span:
    """A value read from a letter and where it stands in the text."""
    value: str
    start: int
    end: int


def join_chinese(text: str) -> str:
    """tesseract's chi_sim (and some text layers) put spaces between Chinese characters;
    Chinese has none, and the office's wordings are matched as written."""
    return _CJK_GAP.sub("", text)


class _Wording(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    materials: dict[str, list[str]]
    promise: list[str]
    delivery: list[str]
    vouches: list[str]
    not_promise: list[str]
    matters: dict[str, list[str]]
    relations: dict[str, list[str]]
    not_employed: list[str]
    employed: list[str]
    enrolled: list[str]


@cache
def wording() -> _Wording:
    try:
        return _Wording.model_validate(yaml.safe_load(WORDING_FILE.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as e:
        raise ConfigurationError(f"{WORDING_FILE}: {e}") from e


def tidy(text: str) -> str:
    """OCR spaces Chinese characters apart ("承 诺 书"); a text layer may too. Joined again, and
    full-width colons and parentheses made plain, so one pattern reads both."""
    text = join_chinese(text)
    text = text.replace("：", ":").replace("（", "(").replace("）", ")").replace("，", ", ")
    return text


# -- dates -----------------------------------------------------------------------------------

_MONTHS = {m.lower(): n for n, m in enumerate(calendar.month_name) if m}
_MONTHS |= {m.lower(): n for n, m in enumerate(calendar.month_abbr) if m}
_MONTHS["sept"] = 9
_MONTH = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|" \
         r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]"), "ymd"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})",
                re.IGNORECASE), "dmy"),
    (re.compile(rf"{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.IGNORECASE), "mdy"),
    (re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)"), "dmy_numeric"),
)


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every date written in ``text`` (ISO, Chinese, English, European), with its position."""
    found: dict[int, dt.date] = {}
    for pattern, order in _DATES:
        for match in pattern.finditer(text):
            date = _to_date(match.groups(), order)
            if date is not None and not any(abs(match.start() - at) < 3 for at in found):
                found[match.start()] = date
    return sorted(found.items())


def first_date(text: str) -> dt.date | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


def _to_date(groups: tuple[str, ...], order: str) -> dt.date | None:
    try:
        if order == "ymd":
            year, month, day = int(groups[0]), int(groups[1]), int(groups[2])
        elif order == "dmy":
            day, month, year = int(groups[0]), _MONTHS[groups[1].lower().rstrip(".")], int(groups[2])
        elif order == "mdy":
            month, day, year = _MONTHS[groups[0].lower().rstrip(".")], int(groups[1]), int(groups[2])
        else:
            day, month, year = int(groups[0]), int(groups[1]), int(groups[2])
        return dt.date(year, month, day) if 1900 <= year <= 2100 else None
    except (ValueError, KeyError):
        return None


# -- numbers in words ------------------------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
         "fifteen sixteen seventeen eighteen nineteen twenty")
_EN_NUMBERS = {w: n for n, w in enumerate(_ONES.split())} | {
    "thirty": 30, "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90, "a": 1, "an": 1}
_ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def number_in_words(word: str) -> int | None:
    """12, "twelve", "twenty-one", "十五", "三十" -> the number; anything else -> None."""
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    if word in _EN_NUMBERS:
        return _EN_NUMBERS[word]
    if "-" in word:
        tens, _, ones = word.partition("-")
        if tens in _EN_NUMBERS and ones in _EN_NUMBERS:
            return _EN_NUMBERS[tens] + _EN_NUMBERS[ones]
    if word and all(c in _ZH_DIGITS or c == "十" for c in word):
        if "十" not in word:
            return _ZH_DIGITS.get(word) if len(word) == 1 else None
        tens, _, ones = word.partition("十")
        return (_ZH_DIGITS.get(tens, 1) if tens else 1) * 10 + (_ZH_DIGITS.get(ones, 0) if ones else 0)
    return None


# -- passport numbers ------------------------------------------------------------------------

# OCR may read one capital whose small letter has its very shape (C O S U V W X Z) in lower case,
# or a J whose hook goes below the line as j
# a slash joined to the glyphs beside it makes a reference or a date ("2023/12345678"); one
# spaced from them parts a list's fields ("LEVI, NOA / 以色列 /HNPYFT8UQ")
_NUMBER = re.compile(r"(?<![A-Za-z0-9\-])(?<![A-Za-z0-9]/)([A-Z0-9cjosuvwxz]{7,9})"
                     r"(?![A-Za-z0-9\-])(?!/[A-Za-z0-9])")
# each label a word of its own: "PATEL 12345678" is a name and a number
_PHONE_BEFORE = re.compile(
    r"(?:\b(?:tel|phone|fax|mobile|(?:post|zip)?code|no\.\s*tj)|电话|传真|手机|编号)\W{0,6}$",
    re.IGNORECASE)


PASSPORT_LABEL = r"(?:passport\s*(?:no\.?|number|#)?|护照(?:号码|号)?)"
# the label just before a number, in prose or in the cell before it ("护照号码 | RT7XXQAK1")
PASSPORT_LABEL_BEFORE = re.compile(rf"{PASSPORT_LABEL}\s*[:：.]?\s*\|?\s*$", re.IGNORECASE)


def passport_numbers(text: str) -> list[Span]:
    """Every token shaped like a passport number (7-9 capitals and digits, at least one digit),
    not a date, a phone number or a reference number; "UwC901001" as OCR read it is UWC901001."""
    found = []
    for match in _NUMBER.finditer(text):
        value = match.group(1)
        if sum(char.islower() for char in value) > 1:
            continue  # a word, not a number OCR slipped on
        value = value.upper()
        if not re.search(r"\d", value):
            continue
        if _looks_like_date(value) and not PASSPORT_LABEL_BEFORE.search(
                text, max(0, match.start() - 24), match.start()):
            continue  # "Passport No.: 20380702" is a number all the same
        if value.isdigit() and _PHONE_BEFORE.search(text, max(0, match.start() - 16), match.start()):
            continue
        found.append(Span(value, match.start(), match.end()))
    return found


def labelled_passport_number(text: str) -> str | None:
    match = re.search(r"(?:passport\s*(?:no\.?|number|#)?|护照(?:号码|号)?|证件号码)\s*[:.]?\s*"
                      r"((?=[A-Z ]*\d)[A-Z0-9](?: ?[A-Z0-9]){6,8})(?![A-Za-z0-9])", text,
                      re.IGNORECASE)
    if match:
        return match.group(1).replace(" ", "").upper()
    numbers = passport_numbers(text)
    return numbers[0].value if numbers else None


def _looks_like_date(value: str) -> bool:
    if not value.isdigit() or len(value) != 8 or value[:2] not in ("19", "20"):
        return False
    try:
        dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return False
    return True


# -- nationalities ---------------------------------------------------------------------------

@cache
def _nationality_patterns() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = yaml.safe_load(NATIONALITIES_FILE.read_text(encoding="utf-8")) or {}
    words: dict[str, str] = {}
    for code, spellings in raw.items():
        if code not in iso3166.countries_by_alpha3:
            raise ConfigurationError(f"{NATIONALITIES_FILE}: {code} is not an ISO 3166 code")
        for word in [*spellings.get("en", []), *spellings.get("zh", [])]:
            words[word.lower()] = code
    for country in iso3166.countries_by_alpha3.values():
        words.setdefault(country.name.lower(), country.alpha3)
        words.setdefault(country.apolitical_name.lower(), country.alpha3)
    # longest first, so "South Africa" is not read as "Africa", "蒙古国" not as "蒙古"
    ordered = sorted(words, key=len, reverse=True)
    latin = "|".join(re.escape(w) for w in ordered if not re.search(f"[{CJK}]", w))
    chinese = "|".join(re.escape(w) for w in ordered if re.search(f"[{CJK}]", w))
    pattern = re.compile(rf"(?<![A-Za-z])(?:{latin})(?![A-Za-z])|(?:{chinese})(?:国籍|籍)?",
                         re.IGNORECASE)
    return pattern, words


def nationalities(text: str) -> list[Span]:
    """Every nationality written in ``text`` as its ICAO code: a country, an adjective, Chinese
    (日本籍) or the code itself (in capitals)."""
    pattern, words = _nationality_patterns()
    found = []
    for match in pattern.finditer(text):
        word = match.group(0)
        if re.search(f"[{CJK}]", word):  # 美国籍 is 美国 + 籍, 日本国籍 is 日本 + 国籍
            code = next((words[k] for k in (word, word.removesuffix("籍"), word.removesuffix("国籍"))
                         if k in words), None)
        else:
            code = words.get(word.lower())
        if code is None:
            continue
        if len(word) <= 3 and word.isascii() and not word.isupper():
            continue  # "Lao", "UK" spelt in lower case are ordinary words
        found.append(Span(code, match.start(), match.end()))
    # a code stands alone: "TCA890095" is a passport number, not Turks and Caicos
    for match in re.finditer(r"(?<![A-Za-z0-9])([A-Z]{3})(?![A-Za-z0-9])", text):
        if match.group(1) in iso3166.countries_by_alpha3 and not any(
                f.start <= match.start() < f.end for f in found):
            found.append(Span(match.group(1), match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


# -- names of people -------------------------------------------------------------------------

# a word ends where letters do: "ZRZ" of "ZRZ192652" (a passport number) is no word of a name
_WORD = r"[A-Z][A-Za-z\u00C0-\u024F'’\-]*[A-Za-z\u00C0-\u024F](?![A-Za-z0-9\u00C0-\u024F])"
_PARTICLE = r"(?:de|da|del|dela|della|dos|das|van|von|der|den|la|le|bin|binti|al|el|di)"
_NAME = re.compile(rf"(?<![A-Za-z\u00C0-\u024F]){_WORD}(?:,?[ ]+(?:{_PARTICLE}[ ]+)*{_WORD}){{1,4}}")
# a month followed by its day or year begins a date: "GRUBER Hannah February 3, 2001" is a row's
# name and its date of birth (June, May and April are names too, so only before a number)
_DATE_BEGINS = re.compile(rf"{_MONTH}\s+(?:\d{{1,2}}|\d{{4}})(?!\d)", re.IGNORECASE)
NOT_NAME_WORDS = {
    "mr", "ms", "mrs", "miss", "dr", "prof", "passport", "no", "number", "name", "names",
    "nationality", "date", "birth", "sex", "male", "female", "position", "the", "and", "of",
    "full", "family", "given", "surname", "student", "employee", "applicant", "principal",
    "agent", "citizen", "national", "holder", "holding", "tel", "email", "address", "co", "ltd",
    "company", "university", "college", "school", "institute", "office", "bureau", "hospital",
    "center", "centre", "department", "division", "administration", "exit-entry", "public",
    "security", "to", "from", "dear", "sir", "madam", "we", "i", "our", "this", "that", "is",
    "are", "as", "in", "at", "for", "with", "by", "on", "since", "re", "signature", "signed",
    "seal", "stamp", "list", "table", "total", "remarks", "relationship", "relation", "id",
    "card", "phone", "mobile", "programme", "program", "major", "degree", "period", "study",
    "manager", "director", "engineer", "teacher", "designer", "scientist", "officer",
    "specialist", "supervisor", "controller", "assistant", "consultant", "analyst",
    "representative", "accountant", "researcher", "chief", "senior", "head", "sales",
    "marketing", "technical", "research", "foreign", "english", "chinese", "product", "quality",
    "financial", "production", "software", "language", "yours", "faithfully", "sincerely",
    "certificate", "statement", "letter", "employment", "health", "medical", "examination",
    "result", "conclusion", "item", "test", "report", "republic", "people's", "province",
    "city", "district", "road", "street", "hangzhou", "china", "zhejiang", "chest", "x-ray",
    "blood", "pressure", "law", "quarantine", "hepatitis", "hiv", "syphilis", "negative",
    "positive", "normal", "abnormality", "physician", "doctor",
    # a sample's watermark ("SYNTHETIC SAMPLE - NOT A REAL PERSON") names no one
    "person", "persons", "sample", "synthetic",
    # a date's month in the cell beside a name ("E November TAN Siew Ling": the date wrapped);
    # April, May, June, July and August are given names too, so those go only before a number
    "january", "february", "september", "october", "november", "december",
}


_ORG_WORDS = {"co", "ltd", "company", "group", "gmbh", "inc", "corporation", "university", "college",
              "school", "institute", "hospital", "center", "centre", "bureau", "agency", "clinic",
              "office", "department", "division", "administration", "academy", "association"}
_ORG_SUFFIX = re.compile(r"[ ,]*(?:Co\.|Ltd|Company|Group|GmbH|Inc\.|Corporation|University|College|"
                         r"School|Institute|Hospital|Center|Centre|Bureau|Agency|Travel)")


def latin_names(text: str) -> list[Span]:
    """Runs of two to five capitalised Latin words that are not ordinary letter words or
    nationalities: the way letters print foreigners' names ("DAVIES, GEORGE", "Eva Nováková",
    "SCHMIDT Hannah", "Liam O'Brien")."""
    nationality_words = _nationality_patterns()[1]
    # a nationality of several words that starts inside a run and goes on to its end ("PARK
    # Minjun, South Korean citizen"): its first words are not the name's
    written = nationalities(text)
    found = []
    for match in _NAME.finditer(text):
        words = [w.strip(",") for w in match.group(0).split()]
        start = match.start()
        words = _short_of(words, text, start, [f.start for f in written
                                               if start < f.start < match.end() <= f.end])
        # ... or that ends inside it ("South Korean PARK Minjun": a table row's previous cell)
        ahead = max((f.end for f in written if f.start <= start < f.end < match.end()), default=None)
        if ahead is not None and len(after := text[ahead:match.end()].split()) >= 2:
            start, words = ahead, [w.strip(",") for w in after]
        # drop ordinary words at either end ("Ms. Tanaka Yuki", "Name Eva Novakova")
        while words and (words[0].lower().rstrip(".") in NOT_NAME_WORDS
                         or words[0].lower() in nationality_words
                         or (len(words) > 2 and len(words[0]) == 3
                             and words[0] in iso3166.countries_by_alpha3)):
            start = text.index(words[0], start) + len(words[0])
            words = words[1:]
        while words and (words[-1].lower().rstrip(".") in NOT_NAME_WORDS
                         or words[-1].lower() in nationality_words
                         or (len(words[-1]) == 3 and words[-1] in iso3166.countries_by_alpha3)
                         or _DATE_BEGINS.match(text, _last_word_at(words, text, start))):
            words = words[:-1]
        cut = next((i for i, w in enumerate(words) if i >= 2 and len(w) == 3
                    and w in iso3166.countries_by_alpha3), None)
        if cut is not None:  # "TANAKA HANAKO JPN TZ...": a table row's next cell
            words = words[:cut]
        if len(words) < 2 or any(w.lower().rstrip(".") in NOT_NAME_WORDS for w in words):
            continue
        if any(w.lower().strip(".,") in _ORG_WORDS for w in match.group(0).split()):
            continue  # "Qianjiang International Travel Healthcare Center"
        if " ".join(words).lower() in nationality_words:
            continue  # "New Zealand", "South Africa"
        if _ORG_SUFFIX.match(text, match.end()):
            continue  # "Huzhou Nanxun Precision Machinery Co., Ltd." names a company
        begin = text.index(words[0], start)
        end = text.index(words[-1], begin) + len(words[-1])
        found.append(Span(text[begin:end], begin, end))
    return found


def _last_word_at(words: list[str], text: str, start: int) -> int:
    """Where the last of a run's words begins in ``text``; the run begins at ``start``."""
    at = start
    for word in words[:-1]:
        at = text.index(word, at) + len(word)
    return text.index(words[-1], at)


def _short_of(words: list[str], text: str, start: int, cuts: list[int]) -> list[str]:
    """The words of a run that stand before the first of ``cuts`` (text positions)."""
    if not cuts:
        return words
    at = start
    for index, word in enumerate(words):
        at = text.index(word, at)
        if at >= min(cuts):
            return words[:index]
        at += len(word)
    return words


def name_zh_after(text: str, end: int) -> str | None:
    """A Chinese transliteration printed in brackets right after a Latin name."""
    match = re.match(r"\s*\(\s*([\u4e00-\u9fff·•．.\s]{2,20}?)\s*\)", text[end:end + 30])
    return re.sub(r"\s", "", match.group(1)).replace("•", "·") if match else None


def labelled(text: str, labels: str) -> str | None:
    """The value after ``label:`` on the same line or, in a text layer that gives each cell a
    line, on the next line that is not itself a label ("职务\nPosition\n市场经理"); in a ruled
    form read row by row, the cell after the label's ("职务 | 英语教师 | 入职日期"). A label is
    followed by its colon, its cell's bar, or ends its line: "the position of Sales Manager"
    labels nothing."""
    for match in re.finditer(rf"(?:{labels})(?:\s*[:.|][ \t]*|[ \t]*$)", text,
                             re.IGNORECASE | re.MULTILINE):
        rest = text[match.end():].split("\n")
        for line in rest[:3]:
            value = re.split(r"\s{3,}|\t|\s\|", line.strip())[0].strip(" ,;:|")
            if value and not _LABEL_ONLY.fullmatch(value):
                return value
    return None


# the labels a form-like letter prints in a cell of their own ("职务" over "Position")
_LABEL_ONLY = re.compile(
    r"(?:(?:full |family |given )?names?|sex|gender|nationality|passport(?: no\.?| number)?|position|"
    r"job title|title|date(?: of birth)?|employer|agent|principal|relationship|relation|tel\.?|"
    r"phone|address|id card no\.?|examinee|姓名|性别|国籍|护照号码|护照号|职务|职位|出生日期|日期|工作单位|"
    r"受托人|委托人|关系|电话|地址|身份证号|受检者)\s*:?", re.IGNORECASE)


# -- organisations ---------------------------------------------------------------------------

_ORG_EN = re.compile(
    r"((?:[A-Z][\w&'’.-]*|of|and|for|&)(?:[ ]+(?:[A-Z][\w&'’.-]*|of|and|for|the|&|\(\w+\)))*?"
    r"[ ]+(?:Co\.,?[ ]*Ltd\.?|Company(?: Limited)?|Limited|Ltd\.?|LLC|PLC|GmbH|Inc\.|Corporation|Group|"
    r"University(?: of [A-Z][\w ]+?(?= |$|,|\n))?|College|School|Institute(?: of [A-Z][\w ]+)?|"
    r"Academy|Hospital|Cent(?:er|re)|Clinic|Agency(?: Co\.,?[ ]*Ltd\.?)?|"
    r"Service(?:s)?(?: Co\.,?[ ]*Ltd\.?)?))(?![A-Za-z])")
_ORG_ZH = re.compile(r"((?:(?![为在的是于兹由经系及和与向请致]|本|我|贵)[\u4e00-\u9fff()]){2,30}?"
                     r"(?:有限公司|股份公司|集团|公司|大学|学院|学校|中学|医院|中心|旅行社|研究所)"
                     r"(?:股份有限公司|有限公司|有限责任公司)?)")


def organisations(text: str) -> list[Span]:
    found = [Span(m.group(1).strip(" ,"), m.start(1), m.end(1)) for m in _ORG_EN.finditer(text)]
    found += [Span(m.group(1), m.start(1), m.end(1)) for m in _ORG_ZH.finditer(text)]
    return sorted(found, key=lambda f: f.start)


def chinese_first(values: list[str]) -> tuple[str | None, list[str]]:
    """The primary value (Chinese where the letter has it) and its other-language forms."""
    unique = list(dict.fromkeys(v for v in values if v))
    chinese = [v for v in unique if re.search(r"[\u4e00-\u9fff]", v)]
    latin = [v for v in unique if v not in chinese]
    ordered = chinese + latin
    return (ordered[0], ordered[1:]) if ordered else (None, [])


def words_of(kind: str) -> list[str]:
    return [w.lower() for w in wording().materials.get(kind, [])]


def mentions(text: str, words: list[str]) -> list[tuple[int, str]]:
    lowered = text.lower()
    return sorted((m.start(), w) for w in words for m in re.finditer(re.escape(w.lower()), lowered))
