"""Passport numbers in a scanned letter read a second time, by PP-OCR's recogniser.

Contract: ``reread_numbers(image, words)`` returns tesseract's ``words`` with each number it
read (five to ten letters and digits, one a digit at least) read again where it lies on
``image``, and the text replacements that make tesseract's text say the same
(``Reread.applied_to``). A second reading replaces tesseract's only when it has a passport
number's shape and differs from tesseract's in the ways tesseract was measured to fail:
- glyphs read as others, the same count ("USP8S7KN6" for U5P8S7KN6, "765412596" for
  IG5412596, "9ZLOY3ZQ8" for 9ZL9Y3ZQ8), where PP-OCR is sure of each glyph it changes;
- a glyph lost inside or at the front ("G12R1LLW" for G1J2R1LLW, "N5318485" for JN5318485,
  "5582428" for 15582428), or a J read as a bracket or a bar ("}05474975", "|N5318485");
- a glyph lost at the end only where tesseract saw something there it could not read
  ("3KCXNZV8}", "XOZTAS6Y]" for X0ZTA56YJ, "QD85S480!" for QD85S480I, other glyphs misread
  too): PP-OCR reads the next cell's first glyph onto a number's end ("V240082441" beside "1)");
- a glyph read as two: as itself and a scrap ("Y¥36055752"), or as two glyphs where that
  makes ten, more than any passport number has ("I1G5412596");
- two glyphs read as one unlike either ("15817257" for LJ5817257, "QZISMY1U" for QZISMY1LJ,
  "02046657" for YO2046657);
- a number tesseract read with no digit at all, right after its label or under it in a
  table's column ("Passport No.: MTGVSSRMG" where MTGV5SRMG is printed): only there is a word
  of capitals a number.

Why: tesseract reads a number by its language model, and a letter's passport numbers are
exactly what it reads worst: no dictionary word, letters and digits mixed, a J's hook or an
I's bar taken for punctuation. On 120 numbers of training-side scanned lists (seeds 62 and 63)
tesseract read 95 exactly and PP-OCR's recogniser, shown the same place, 101; PP-OCR alone
fails elsewhere (it reads a rule as 1, a neighbouring cell onto a number's end), hence the
rules. PP-OCR's recogniser is the one the MRZ reader ships (``extractors.ppocr_lines``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image
from scipy import ndimage

from extractors.images import dark_runs
from extractors.letter_text import PASSPORT_LABEL_BEFORE
from extractors.ppocr_lines import Glyph, read_line
from extractors.tesseract import OcrWord

_CANDIDATE = re.compile(r"(?=[^\s]*\d)[A-Za-z0-9]{5,10}")
_NUMBER = re.compile(r"(?=.*\d)[A-Z0-9]{7,9}")
_RUN = re.compile(r"[A-Za-z0-9]+")
_BRACKET_END = re.compile(r"[)}\]|!]$")  # a J's hook, or an I's or a 1's stem, as tesseract reads it
_ALL_CAPITALS = re.compile(r"[A-Z]{7,9}")
_LABEL_WORD = re.compile(r"passport|护照号码?", re.IGNORECASE)
DARK = 170  # a rule blurred by the scan is grey
ALONG = 0.8  # line heights of page read beyond the word each way (the recogniser needs margin)
ACROSS = 0.4  # line heights above and below
RULE = 1.6  # line heights: a dark run this long in the crop is a table's rule, not a glyph
JUNK_GAP = 0.6  # line heights: junk closer than this beside a number may be its lost glyph
# a glyph PP-OCR changes in a number of tesseract's length must be read at least this surely:
# the glyphs it changed rightly on training-side lists (seeds 62, 63, 71) were read at 0.94 or
# more, a photographed T it read as 1 (seed 81, in other table styles) at 0.77
SURE = 0.9
GARBLED_WORDS = 3  # a number tesseract garbled in a column's cell comes apart in three words at most


@dataclass(frozen=True)
class Reread:
    words: tuple[OcrWord, ...]
    replaced: tuple[tuple[tuple[str, ...], str], ...]  # (tesseract's words, the number read)

    def applied_to(self, text: str) -> str:
        for old, new in self.replaced:
            pattern = r"\s+".join(re.escape(w) for w in old)
            text = re.sub(rf"(?<!\S){pattern}(?!\S)", new, text)
        return text


def reread_numbers(image: Image.Image, words: Sequence[OcrWord]) -> Reread:
    garbled = _garbled_under_label(words)
    in_garbled = {j for first, last in garbled for j in range(first, last + 1)}
    numbers = [k for k, w in enumerate(words) if k not in in_garbled and (
        _is_candidate(w.text) or (_ALL_CAPITALS.fullmatch(w.text) and _after_label(words, k)))]
    spans = {k: _with_junk(words, k) for k in numbers}
    spans.update({first: (first, last) for first, last in garbled})
    if not spans:
        return Reread(tuple(words), ())
    places = list(spans)
    readings = _read(image, [_box(words, spans[k]) for k in places])
    changed: dict[int, OcrWord | None] = {}  # a junk word merged into its number: None
    replaced = []
    for k, (reading, unsure) in zip(places, readings, strict=True):
        first, last = spans[k]
        junk_after = last > k or _BRACKET_END.search(words[k].text) is not None
        number = (_chosen(words[k].text, reading, junk_after, unsure) if k in numbers
                  else reading if _NUMBER.fullmatch(reading) and not unsure else None)
        if number is None or any(j in changed for j in range(first, last + 1)):
            continue
        left, top, right, bottom = _box(words, (first, last))
        changed.update({j: None for j in range(first, last + 1)})
        changed[k] = replace(words[k], text=number, left=left, top=top, width=right - left,
                             height=bottom - top)
        replaced.append((tuple(w.text for w in words[first:last + 1]), number))
    kept = [changed.get(k, word) for k, word in enumerate(words)]
    return Reread(tuple(w for w in kept if w is not None), tuple(replaced))


def _is_candidate(text: str) -> bool:
    return bool(_CANDIDATE.fullmatch(_alnum(text))) and len(text) - len(_alnum(text)) <= 2


def _after_label(words: Sequence[OcrWord], k: int) -> bool:
    """The word follows a passport number's label on its line ("Passport No.:", "护照号码：") or
    stands under it, as a table's column does."""
    word = words[k]
    before = " ".join(w.text for w in words[max(0, k - 2):k]
                      if abs(w.top - word.top) < word.height)
    return PASSPORT_LABEL_BEFORE.search(before) is not None or _under_label(words, word)


def _under_label(words: Sequence[OcrWord], word: OcrWord) -> bool:
    return any(_LABEL_WORD.fullmatch(w.text) and w.top + w.height <= word.top
               and w.left < word.left + word.width and word.left < w.left + w.width for w in words)


def _garbled_under_label(words: Sequence[OcrWord]) -> list[tuple[int, int]]:
    """Lines of a passport column (under its label) that tesseract broke into words, or read
    as one word of no number's shape ("Ga S95717" for CI1393717, a monospaced I beside a 1):
    the first and last index of each line's words. Only such a short line is one; a sentence
    under the table is not."""
    lines: list[tuple[int, int]] = []
    first = 0
    for k in range(1, len(words) + 1):
        if k == len(words) or abs(_middle(words[k]) - _middle(words[first])) > words[first].height / 2:
            lines.append((first, k - 1))
            first = k
    garbled = []
    for first, last in lines:
        line = words[first:last + 1]
        glyphs = "".join(_alnum(w.text) for w in line)
        if last - first < GARBLED_WORDS and 5 <= len(glyphs) <= 12 and re.search(r"\d", glyphs) \
                and (len(line) > 1 or not _is_candidate(line[0].text)) and _under_label(words, line[0]):
            garbled.append((first, last))
    return garbled


def _middle(word: OcrWord) -> float:
    return word.top + word.height / 2


def _alnum(text: str) -> str:
    return "".join(_RUN.findall(text))


def _with_junk(words: Sequence[OcrWord], k: int) -> tuple[int, int]:
    """The word with a scrap of junk just before or after it on its line (a J read as ")",
    an "|" that was an I): indexes of the first and last word."""
    word = words[k]
    first = last = k
    if k > 0 and _junk_beside(words[k - 1], word, before=True):
        first = k - 1
    if k + 1 < len(words) and _junk_beside(words[k + 1], word, before=False):
        last = k + 1
    return first, last


def _junk_beside(other: OcrWord, word: OcrWord, before: bool) -> bool:
    """A scrap before a number may be any glyph it lost; after it, only a bracket or a bar (a
    J's hook): a full stop or a comma after a number is the sentence's."""
    if len(other.text) > 2 or re.fullmatch(r"[A-Za-z0-9]{2}", other.text) \
            or re.search(r"[\u3400-\u9fff]", other.text):  # "码" ends 护照号码, no glyph lost
        return False
    if not before and not re.fullmatch(r"[)}\]|!]", other.text):  # "1)" numbers the next row
        return False
    if abs((other.top + other.height / 2) - (word.top + word.height / 2)) > word.height / 2:
        return False
    gap = word.left - (other.left + other.width) if before else other.left - (word.left + word.width)
    return 0 <= gap < JUNK_GAP * word.height


def _box(words: Sequence[OcrWord], span: tuple[int, int]) -> tuple[int, int, int, int]:
    chosen = words[span[0]:span[1] + 1]
    return (min(w.left for w in chosen), min(w.top for w in chosen),
            max(w.left + w.width for w in chosen), max(w.top + w.height for w in chosen))


def _chosen(word: str, reading: str, junk_after: bool,
            unsure: frozenset[int] = frozenset()) -> str | None:
    """The second reading where it is a passport number that tesseract's ``word`` differs
    from as tesseract fails; None where tesseract's stands. ``unsure``: the places in
    ``reading`` of glyphs PP-OCR read with a probability under ``SURE``."""
    tesseract = _alnum(word).upper()
    if not _NUMBER.fullmatch(reading):
        return None
    if reading == tesseract:  # a glyph read as itself and a scrap: "Y¥36055752"
        return reading if re.search(r"[A-Za-z0-9][^A-Za-z0-9]+[A-Za-z0-9]", word) else None
    if len(reading) == len(tesseract):  # only where PP-OCR is sure of every glyph it changes
        changed = {i for i, (a, b) in enumerate(zip(reading, tesseract, strict=True)) if a != b}
        return None if changed & unsure else reading
    if len(tesseract) == 10:  # a glyph read as two ("I1G5412596"): no passport number has ten
        return reading if _one_more(tesseract, reading) else None
    if len(reading) != len(tesseract) + 1:
        return None
    if junk_after:  # what tesseract saw at the end was the number's last glyph, a J's hook
        return reading
    if reading[:-1] == tesseract:  # PP-OCR reads a neighbouring cell's glyph onto the end
        return None
    return reading if _one_more(reading, tesseract) or _two_as_one(reading, tesseract) else None


def _one_more(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` with one glyph more, anywhere."""
    return len(longer) == len(shorter) + 1 and any(
        longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


def _two_as_one(reading: str, tesseract: str) -> bool:
    """Tesseract read two of ``reading``'s glyphs as one glyph unlike either ("LJ" as "U"): one
    like either is a glyph lost, or at the end a neighbouring cell's glyph PP-OCR read on."""
    return any(reading[:i] == tesseract[:i] and reading[i + 2:] == tesseract[i + 1:]
               and tesseract[i] not in reading[i:i + 2] for i in range(len(tesseract)))


def _read(image: Image.Image, boxes: list[tuple[int, int, int, int]]
          ) -> list[tuple[str, frozenset[int]]]:
    """PP-OCR's reading of each box's place on the page: the run of letters and digits in it
    nearest to the box's middle, and the places in it of glyphs it is unsure of."""
    grey = image.convert("L")
    crops, middles = [], []
    for left, top, right, bottom in boxes:
        height = bottom - top
        x0, x1 = max(0, int(left - ALONG * height)), min(image.width, int(right + ALONG * height))
        y0 = max(0, int(top - ACROSS * height))
        y1 = min(image.height, int(bottom + ACROSS * height))
        crops.append(_without_rules(np.asarray(grey.crop((x0, y0, x1, y1))), height))
        middles.append((left + right) / 2 - x0)
    decoded = [read_line(crop) for crop in crops]
    return [_nearest_run(glyphs, middle) for glyphs, middle in zip(decoded, middles, strict=True)]


def _without_rules(grey: np.ndarray, height: int) -> np.ndarray:
    """The crop with a table's rules painted out (the recogniser reads a rule as 1 or I)."""
    dark = grey < DARK
    length = max(3, int(RULE * height))
    rules = dark_runs(dark, length) | dark_runs(dark.T, length).T
    clean = grey.copy()
    clean[ndimage.binary_dilation(rules, iterations=2)] = 255
    return clean


def _nearest_run(glyphs: list[Glyph], middle: float) -> tuple[str, frozenset[int]]:
    """The run of letters and digits (between spaces, punctuation or Chinese) whose glyphs lie
    nearest the word's middle, and the places in it of glyphs read with a probability under
    ``SURE``."""
    runs: list[list[Glyph]] = [[]]
    for glyph in glyphs:
        if glyph.text.isascii() and glyph.text.isalnum():
            runs[-1].append(glyph)
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    if not runs:
        return "", frozenset()
    best = min(runs, key=lambda run: abs(sum(g.x for g in run) / len(run) - middle))
    return "".join(g.text for g in best), frozenset(
        i for i, g in enumerate(best) if g.probability < SURE)
