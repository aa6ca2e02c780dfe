"""The application form printed, filled in and posted: its values read from the scan.

Contract: ``read_scanned_form(image, words, timeout)`` takes a page image and the words tesseract
found on it (with their boxes). When the page is our form, the labels whose position the layout
knows (``form_layout.py``) register the scan against the form — scale, shift and slight rotation,
by least squares — and the boxes where the values are written are read in a single tesseract
run (each box one line, the language model loaded once for all of them). Returns the
field values like an AcroForm read, or None when the page is not the form. Coded fields snap to
their vocabulary only when the reading is close; otherwise they are left as read, for a reviewer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageFilter, ImageOps
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from extractors import form_layout as layout
from extractors.application_form import FORM_FIELDS
from extractors.form_choices import CHOICES, code_of
from extractors.tesseract import OcrWord, ocr_each

MIN_ANCHORS = 5
ANCHOR_TOLERANCE_MM = 3.0  # an anchor further than this from the fit is a misread label
CAP_HEIGHT_MM = 2.2  # of the 9 pt label font: a word's box top lies this far above its baseline
INSET_MM = 0.9  # read inside the box, clear of its printed border
SIDE_INSET_MM = 0.35  # values start 2 pt from the box's left edge
ZONE_MARGIN_PX = 24  # white around a trimmed zone: tesseract reads poorly to the edge
MIN_WORD_CONFIDENCE = 40
INK_LEVEL = 110
MIN_INK = 0.0005  # share of ink pixels in a box that holds writing (an empty box has none)
ZONE_PX_PER_MM = 12  # about 300 dpi, where tesseract reads 10 pt type best
CODES: dict[str, tuple[str, ...]] = {
    **{name: tuple(c.code for c in choices) for name, choices in CHOICES.items()},
    "agent_relation": ("employer", "school", "relative"),
}
DATES = ("date_of_birth", "requested_until", "declaration_date")


def looks_like_form(text: str) -> bool:
    return "application form" in text.lower() or "申请表" in text.replace(" ", "")


def read_scanned_form(
    image: Image.Image, words: Sequence[OcrWord], timeout: float = 60
) -> dict[str, str] | None:
    transform = _register(words)
    if transform is None:
        return None
    crops = [_crop(image, transform, name) for name in FORM_FIELDS]
    # an empty box: whatever tesseract made of its speckle is not a value
    inked = [index for index in range(len(FORM_FIELDS)) if _has_ink(crops[index])]
    # Every box is one line of text: all of them in one tesseract run (one model load).
    lines = ocr_each([_trimmed(crops[i]) for i in inked], psm=7, timeout=timeout)
    every = {index: list(reading.words) for index, reading in zip(inked, lines, strict=True)}
    found = {index: [w for w in words if w.confidence >= MIN_WORD_CONFIDENCE]
             for index, words in every.items()}
    # A one-letter value (sex, "sf") is easily lost as a line: those are read as one word,
    # all of them in one more run.
    alone = [index for index in inked if not found[index]]
    for index, reading in zip(alone, ocr_each([_trimmed(crops[i]) for i in alone], psm=8,
                                              timeout=timeout), strict=True):
        found[index] = list(reading.words)
    values = {}
    for index in inked:
        name = FORM_FIELDS[index]
        if value := _value(name, found[index], every[index]):
            values[name] = value
    return values


def _value(name: str, sure: Sequence[OcrWord], every: Sequence[OcrWord]) -> str:
    """A box's value from the words tesseract read surely; for a choice, from all its words
    where only they make one of the choices: a word read unsurely over the scan's speckle
    ("residence." for "residence_") is then confirmed by the code it completes."""
    value = _clean(name, " ".join(w.text for w in sorted(sure, key=lambda w: w.left)))
    if name in CODES and value not in CODES[name]:
        unsure = _clean(name, " ".join(w.text for w in sorted(every, key=lambda w: w.left)))
        return unsure if unsure in CODES[name] else value
    return value


def _trimmed(zone: Image.Image) -> Image.Image:
    left, top, right, bottom = ImageOps.invert(zone).getbbox() or (0, 0, zone.width, zone.height)
    margin = ZONE_MARGIN_PX
    return ImageOps.expand(zone.crop((left, top, right, bottom)), border=margin, fill=255)


def _has_ink(zone: Image.Image) -> bool:
    histogram = zone.histogram()
    return histogram[0] / max(1, zone.width * zone.height) >= MIN_INK


def _register(words: Sequence[OcrWord]) -> np.ndarray | None:
    """A 3x2 map from form millimetres to scan pixels, from the labels found: one scale, a
    rotation and a shift (a similarity), as the labels line up in one column and would leave
    a free horizontal scale undetermined."""
    anchors = []  # ((x, y) on the form in mm, (left, top) on the scan in pixels)
    for name, (word, left_mm) in _anchor_words().items():
        matches = [w for w in words if w.text == word]
        if len(matches) == 1:
            anchors.append(((left_mm, layout.label_baseline(name) - CAP_HEIGHT_MM),
                            (matches[0].left, matches[0].top)))
    # A label misread, and the same word found elsewhere (the title's "Application"), would
    # pull the whole fit away: the anchor that fits worst is dropped while it is far off.
    while len(anchors) >= MIN_ANCHORS:
        fit = _similarity(anchors)
        misses = [float(np.hypot(*(np.array(form) @ fit[:2] + fit[2] - scan)))
                  for form, scan in anchors]
        worst = int(np.argmax(misses))
        if misses[worst] <= ANCHOR_TOLERANCE_MM * float(np.hypot(*fit[0])):
            return fit
        del anchors[worst]
    return None


def _similarity(anchors: list[tuple[tuple[float, float], tuple[int, int]]]) -> np.ndarray:
    rows, targets = [], []
    for (x, y), (left, top) in anchors:
        rows += [(x, -y, 1.0, 0.0), (y, x, 0.0, 1.0)]
        targets += [left, top]
    (a, b, c, d), *_ = np.linalg.lstsq(np.array(rows), np.array(targets, dtype=float), rcond=None)
    return np.array([[a, b], [-b, a], [c, d]])


def _anchor_words() -> dict[str, tuple[str, float]]:
    """Each label's first English word that no other label shares, and where it starts (mm)."""
    pdfmetrics.registerFont(UnicodeCIDFont(layout.LABEL_FONT))
    firsts = {name: label.split(" ", 1) for name, label in layout.LABELS.items()}
    english = {name: rest.split()[0] for name, (_, rest) in firsts.items()}
    counts = {word: list(english.values()).count(word) for word in english.values()}
    anchors = {}
    for name, (chinese, _) in firsts.items():
        if counts[english[name]] == 1:
            offset_pt = pdfmetrics.stringWidth(chinese + " ", layout.LABEL_FONT, layout.LABEL_SIZE_PT)
            anchors[name] = (english[name], layout.LABEL_LEFT_MM + offset_pt * 25.4 / 72)
    return anchors


def _crop(image: Image.Image, transform: np.ndarray, name: str) -> Image.Image:
    """The inside of field ``name``'s box, resampled upright at ``ZONE_PX_PER_MM`` whatever
    the scan's resolution and tilt, with speckle removed."""
    box = layout.field_box(name)
    left, top = box.left + SIDE_INSET_MM, box.top + INSET_MM
    size = (round((box.right - box.left - SIDE_INSET_MM - INSET_MM * 2) * ZONE_PX_PER_MM),
            round((box.bottom - box.top - 2 * INSET_MM) * ZONE_PX_PER_MM))
    # Output pixel (u, v) is form point (left + u/k, top + v/k), which the map sends to the scan.
    (a, d), (b, e), (c, f) = transform
    k = ZONE_PX_PER_MM
    coefficients = (a / k, b / k, a * left + b * top + c, d / k, e / k, d * left + e * top + f)
    zone = image.convert("L").transform(size, Image.Transform.AFFINE, coefficients,
                                        resample=Image.Resampling.BILINEAR, fillcolor=255)
    # Boxes are often tinted grey; ink is far darker than any tint or the scanner's speckle.
    return zone.filter(ImageFilter.MedianFilter(3)).point(lambda v: 0 if v < INK_LEVEL else 255)


_LOOK_ALIKE = str.maketrans({"¥": "Y", "$": "S", "€": "E", "£": "E", "§": "S", "|": "I"})


def _clean(name: str, raw: str) -> str:
    value = raw.strip(" |[]{}()_—-'\"‘’:;.,").strip()
    if name in DATES:
        found = re.search(r"(\d{4})\s*-\s*(\d{2})\s*-\s*(\d{2})", value)
        return "-".join(found.groups()) if found else value
    if name == "email":
        return re.sub(r"\s+", "", value)
    if name in ("passport_number", "nationality", "inbound_waybill", "return_postcode"):
        # a number or code box holds letters and digits only: OCR's currency signs and bars
        # are the letters they look like (¥ for Y, $ for S), anything else is dropped
        value = re.sub(r"\s+", "", value).upper().translate(_LOOK_ALIKE)
        return re.sub(r"[^A-Z0-9]", "", value)
    if name in CODES:
        value = code_of(name, value)  # a printed drop-down shows "code (English words)"
        spelled = re.sub(r"\s+", "_", value.strip()).replace("__", "_")
        vocabulary = CODES[name]
        if name == "sex":
            spelled = spelled.upper()[:1]
        # Short codes ("sf") are one misread letter from nothing: they may lie further off.
        close = difflib.get_close_matches(spelled.lower() if name != "sex" else spelled,
                                          vocabulary, n=1, cutoff=0.5 if len(spelled) <= 3 else 0.75)
        return close[0] if close else spelled
    return value
