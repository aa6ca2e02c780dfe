"""Is this the same person? Passport numbers and names compared the way a reviewer would.

Contract: ``same_passport_number(a, b)`` ignores case, spaces and the glyphs OCR confuses
(O/0, I/1, B/8, S/5, Z/2) — a letter's number has no check digit to settle them, the MRZ's
has; ``same_name(a, b)`` ignores order, case, diacritics, MRZ fillers and the usual
transliteration variants (ü/ue, ß/ss), so "Müller, Jörg" is "JOERG MUELLER";
``same_organization(a, b)`` ignores case, punctuation and legal-form words ("Co., Ltd.", 有限公司).
"""

from __future__ import annotations

import re
import unicodedata

# the glyphs people and OCR confuse, each folded to the digit it is taken for
CONFUSABLE_GLYPHS = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8", "S": "5",
                     "Z": "2", "G": "6"}
NUMBER_FILLERS = (" ", "<", "-")  # dropped from a passport number before comparing
_CONFUSABLE = str.maketrans(CONFUSABLE_GLYPHS)
_TRANSLITERATIONS = (("Ä", "AE"), ("Ö", "OE"), ("Ü", "UE"), ("ß", "SS"), ("Æ", "AE"),
                     ("Ø", "OE"), ("Å", "AA"))


def passport_key(number: str) -> str:
    return re.sub(r"[\s<-]", "", number.upper()).translate(_CONFUSABLE)


def same_passport_number(a: str | None, b: str | None) -> bool:
    return bool(a and b) and passport_key(a or "") == passport_key(b or "")


def name_parts(name: str) -> frozenset[str]:
    """The words of a name, upper case, each in both its transliterated and plain-ASCII forms
    (ICAO 9303 writes Ü as UE or U, so either must match)."""
    upper = name.upper().replace("<", " ").replace(",", " ").replace("-", " ")
    transliterated = upper
    for letter, spelled in _TRANSLITERATIONS:
        transliterated = transliterated.replace(letter, spelled)
    forms = set()
    for text in (transliterated, upper):
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        forms.add(tuple(re.findall(r"[A-Z]+", plain)))
    return frozenset(forms)


# the legal-form words an organisation's name is written with or without
_LEGAL_FORMS = re.compile(
    r"\b(?:co|company|corp|corporation|ltd|limited|inc|incorporated|llc|gmbh|ag|kk|plc|"
    r"group)\b|有限责任公司|股份有限公司|有限公司|集团|公司", re.IGNORECASE)


def organization_key(name: str) -> str:
    """An organisation's name without case, punctuation, spaces and legal-form words."""
    return re.sub(r"[\W_]+", "", _LEGAL_FORMS.sub(" ", name)).casefold()


def same_organization(a: str | None, b: str | None) -> bool:
    """"Hangzhou Example Technology Co., Ltd." is "HANGZHOU EXAMPLE TECHNOLOGY" (and a name is
    never the same as a longer one containing it: "Zhejiang University" is not "Zhejiang
    University of Technology")."""
    key = organization_key(a or "")
    return bool(key) and key == organization_key(b or "")


def same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return any(sorted(x) == sorted(y) for x in name_parts(a) for y in name_parts(b))
