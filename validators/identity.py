"""Is this the same person? Passport numbers and names compared the way a reviewer would.

Contract: ``same_passport_number(a, b)`` ignores case, spaces and the glyphs OCR confuses
(O/0, I/1, B/8, S/5, Z/2) — a letter's number has no check digit to settle them, the MRZ's
has; ``same_name(a, b)`` ignores order, case, diacritics, MRZ fillers and the usual
transliteration variants (ü/ue, ß/ss), so "Müller, Jörg" is "JOERG MUELLER".
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


def same_name(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return any(sorted(x) == sorted(y) for x in name_parts(a) for y in name_parts(b))
