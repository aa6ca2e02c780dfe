"""Passport numbers read by OCR, their look-alike glyphs settled by their shapes.

Contract: ``settled(image, word)`` returns the OCR word's text with each ``1``/``I`` and
``0``/``O`` of a passport-number-shaped token decided by the glyph's own shape, keeping OCR's
reading of any glyph whose shape is not plainly one or the other (a cut that does not give one
piece per character, a glyph too small, a flag blurred into a speck, a width in between); one
between digits, or after one at the number's end, is a digit whatever its shape.
``settle_text(image, words, text)`` applies it to every word of a page or a table row read by
tesseract and returns the text with the settled numbers.

Why: tesseract reads a token by its context, and a token of digits makes it read the bar of an
``I`` as ``1`` and the ring of an ``O`` as ``0`` ("I4007943" -> "14007943") even where the print
shows the difference plainly, and no check digit guards a number printed in a letter. The
shapes differ in every common typeface: a ``1`` has a flag at its top left or a foot wider
than its stem (or both), an ``I`` is a bare stem or carries serifs alike at top and bottom; an
``O`` is wider than the digits printed beside it, a ``0`` as wide as they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from PIL import Image
from scipy import ndimage

from extractors.number_rereading import reread_numbers
from extractors.tesseract import OcrWord

_NUMBER = re.compile(r"^[A-Z0-9]{7,9}$")
_PUNCTUATION = "()[]{},.;:'\"“”‘’"
MIN_HEIGHT = 12  # pixels: below this a flag or a foot is a pixel or two of blur
_PLAIN_DIGITS = "23456789"  # digits no letter looks like
_DIGIT_OF = {"I": "1", "O": "0"}
MIN_STEM_SHARE = 0.6  # a stem column is inked over this share of the glyph's height
WIDER_O = 1.18  # an O is this much wider than the digits beside it
AS_WIDE_0 = 1.08  # a 0 is as wide as they are
PAD = 2


def settle_text(image: Image.Image, words: Sequence[OcrWord], text: str) -> str:
    """``text`` with every passport-number-shaped word of ``words`` (boxes in ``image``) read
    again by PP-OCR (``extractors.number_rereading``) and settled, wherever the text prints
    that number; a number settled two ways in one text is left as OCR read it."""
    reread = reread_numbers(image, words)
    text = reread.applied_to(text)
    changes: dict[str, set[str]] = {}
    for word in reread.words:
        new = settled(image, word)
        if new != word.text:  # the number, not its punctuation: "(14007943)," is 14007943
            changes.setdefault(word.text.strip(_PUNCTUATION), set()).add(new.strip(_PUNCTUATION))
    for old, news in changes.items():
        if len(news) == 1:
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(old)}(?![A-Za-z0-9])", next(iter(news)), text)
    return text


def settled(image: Image.Image, word: OcrWord) -> str:
    token = word.text.strip(_PUNCTUATION)
    if not _NUMBER.match(token) or not re.search(r"\d", token) or not re.search(r"[01IO]", token):
        return word.text
    if token.isdigit() and _looks_like_date(token):
        return word.text
    crop = image.crop((word.left - PAD, word.top - PAD, word.left + word.width + PAD,
                       word.top + word.height + PAD)).convert("L")  # the word, not the page
    glyphs = _glyphs(np.asarray(crop, dtype=np.float32))
    lead = len(word.text) - len(word.text.lstrip(_PUNCTUATION))
    trail = len(word.text) - len(word.text.rstrip(_PUNCTUATION))
    glyphs = glyphs[lead:len(glyphs) - trail] if len(glyphs) == len(token) + lead + trail else glyphs
    if len(glyphs) != len(token):
        digits = "".join(_DIGIT_OF.get(ch, ch) if _after_a_digit(token, k) else ch
                         for k, ch in enumerate(token))
        return word.text.replace(token, digits, 1)
    widths = [mask.shape[1] for ch, mask in zip(token, glyphs, strict=True) if ch in _PLAIN_DIGITS]
    digit_width = float(np.median(widths)) if len(widths) >= 2 else None
    out = []
    for k, (ch, mask) in enumerate(zip(token, glyphs, strict=True)):
        if _after_a_digit(token, k):
            ch = _DIGIT_OF.get(ch, ch)
        elif ch in "1I":
            ch = _one_or_i(mask) or ch
        elif ch in "0O" and digit_width is not None and mask.shape[0] >= MIN_HEIGHT:
            ratio = mask.shape[1] / digit_width
            # between the two widths the glyph keeps OCR's reading
            ch = "O" if ratio > WIDER_O else "0" if ratio < AS_WIDE_0 else ch
        out.append(ch)
    return word.text.replace(token, "".join(out), 1)


def _after_a_digit(token: str, k: int) -> bool:
    """A glyph with a digit before it and a digit (or the number's end) after it is a digit:
    passport numbers put their letters before their digits, and a blurred serif 1 (its flag a
    pixel, its foot a slab) or a 0 in a face whose digits are narrow would otherwise pass for a
    letter ("94419133" as "944I9I33", "H72734370" as "H7273437O")."""
    return k > 0 and token[k - 1].isdigit() and (k == len(token) - 1 or token[k + 1].isdigit())


def _glyphs(grey: np.ndarray) -> list[np.ndarray]:
    """Each character's ink, left to right: the connected pieces at least half as tall as the
    tallest (a comma, a full stop, a speck are not characters)."""
    if grey.size == 0:
        return []
    ink = grey < (grey.min() + np.median(grey)) / 2
    labels, _ = ndimage.label(ink)
    pieces = [(found, labels[found] == n) for n, found in enumerate(ndimage.find_objects(labels), 1)
              if found is not None]
    if not pieces:
        return []
    tallest = max(p[0][0].stop - p[0][0].start for p in pieces)
    kept = [p for p in pieces if p[0][0].stop - p[0][0].start >= tallest / 2]
    kept.sort(key=lambda p: p[0][1].start)
    for (a, _), (b, _) in pairwise(kept):
        if b[1].start < a[1].stop - 1:
            return []  # pieces overlapping side by side: not one piece per character
    return [mask for _, mask in kept]


def _one_or_i(mask: np.ndarray) -> str | None:
    """``1`` for a flag at the top left or a foot with no matching top serif, ``I`` for a bare
    stem or serifs alike on both sides at top and bottom; None when the glyph is too small or
    its shape is neither."""
    height, width = mask.shape
    if height < MIN_HEIGHT or width < 3:
        return None
    stem = np.flatnonzero(mask.sum(axis=0) >= MIN_STEM_SHARE * height)
    if len(stem) == 0:
        return None
    first, last = int(stem[0]), int(stem[-1]) + 1
    stem_width = last - first
    # a flag runs from the top down to about a third of the height; serifs stay at the ends
    top, bottom = mask[:max(2, int(height * 0.4))], mask[-max(2, height // 8):]
    top_left, top_right = _beyond(top, first, last)
    foot_left, foot_right = _beyond(bottom, first, last)
    flag = top_left >= max(2, stem_width) and top_right <= top_left / 3
    crown, foot = top_left + top_right, foot_left + foot_right
    footed = foot >= max(2, stem_width) and crown < foot / 2
    if flag or footed:
        return "1"
    bare = crown == 0 and foot == 0
    serifs_alike = min(crown, foot) >= 2 and abs(top_left - top_right) <= 1 \
        and abs(foot_left - foot_right) <= 1
    # anything between (a blurred flag, a speck beside the stem) keeps OCR's reading
    return "I" if bare or serifs_alike else None


def _beyond(rows: np.ndarray, first: int, last: int) -> tuple[int, int]:
    """How many columns left and right of the stem the rows carry ink in."""
    inked = rows.any(axis=0)
    return int(inked[:first].sum()), int(inked[last:].sum())


def _looks_like_date(value: str) -> bool:
    # 20261102: a date printed as digits is no passport number
    return len(value) == 8 and value[:2] in ("19", "20") and 1 <= int(value[4:6]) <= 12
