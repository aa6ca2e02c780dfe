"""A nationality written in Chinese that tesseract garbled, read a second time by PP-OCR's
recogniser.

Contract: ``reread_country(image, text)`` is PP-OCR's reading of ``image`` (a table's cell or a
word's place, holding one line) where tesseract's ``text`` there is a scrap and PP-OCR's is a
nationality and nothing else; otherwise ``text``. ``reread_labelled_countries(image, words)``
does so for the word after each nationality label on a page ("国籍 : AB;" where 国籍 : 法国 is printed)
and returns the words and text replacements (``extractors.number_rereading.Reread``).

Why: chi_sim reads a short run of Chinese poorly, a country's two or three characters alone in
a cell or after a label worst: on training-side scanned lists 日本籍 came out "AA" and "AAS",
新加坡 "Mr DOR", 法国 "AB". A scrap is short (``SCRAP``), holds no digit and names no
nationality; the second reading replaces it only where it is a nationality, so a short name
or a code read right stays as tesseract read it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from PIL import Image

from extractors.letter_text import nationalities
from extractors.number_rereading import Reread
from extractors.ppocr_lines import line_text
from extractors.tesseract import OcrWord

SCRAP = 6  # letters: a reading no longer than this may be a country tesseract garbled
MARGIN = 0.3  # line heights of page read around a word
_LABEL = re.compile(r"(国籍|Nationality)[:：]?", re.IGNORECASE)
_COLON = re.compile(r"[:：]")
_TRAILING = re.compile(r"[;,.；，。]+$")


def reread_country(image: Image.Image, text: str) -> str:
    if len(text.replace(" ", "")) > SCRAP or re.search(r"\d", text) or nationalities(text):
        return text
    reading = _TRAILING.sub("", line_text(np.asarray(image.convert("L"))))
    found = nationalities(reading)
    whole = len(found) == 1 and (found[0].start, found[0].end) == (0, len(reading))
    return reading if whole else text


def reread_labelled_countries(image: Image.Image, words: Sequence[OcrWord]) -> Reread:
    kept, replaced = list(words), []
    for k, word in enumerate(words):
        if not _LABEL.fullmatch(word.text):
            continue
        after = k + 1 + (k + 1 < len(words) and bool(_COLON.fullmatch(words[k + 1].text)))
        if after >= len(words) or not _beside(word, words[after]):
            continue
        scrap = words[after]
        punctuation = _TRAILING.search(scrap.text)
        bare = _TRAILING.sub("", scrap.text)
        country = reread_country(_around(image, scrap), bare)
        if country != bare:
            new = country + (punctuation.group(0) if punctuation else "")
            kept[after] = replace(scrap, text=new)
            replaced.append((tuple(w.text for w in words[k:after + 1]),
                             " ".join([*(w.text for w in words[k:after]), new])))
    return Reread(tuple(kept), tuple(replaced))


def _beside(label: OcrWord, word: OcrWord) -> bool:
    """On the label's line, just after it (not the next line's first word)."""
    middle = word.top + word.height / 2
    return label.top <= middle <= label.top + label.height and \
        0 <= word.left - (label.left + label.width) < 3 * label.height


def _around(image: Image.Image, word: OcrWord) -> Image.Image:
    margin = int(MARGIN * word.height)
    return image.crop((max(0, word.left - margin), max(0, word.top - margin),
                       min(image.width, word.left + word.width + margin),
                       min(image.height, word.top + word.height + margin)))
