"""Facts of one page: its text (the PDF text layer, else OCR) and a passport MRZ if it has one.

Contract: ``read_page(image, text_layer, timeout)`` never raises for a bad page: an OCR failure
or timeout becomes ``problem`` (the page is kept and flagged, never lost). Pages with a usable
text layer are never OCR'd. ``mrz`` is the best reading found, valid or not: callers that store
it keep it only when ``mrz.valid``.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass

from PIL import Image

from extractors.letter_text import join_chinese
from extractors.mrz import Mrz, read_mrz
from extractors.mrz_reader import BAND_FROM, BandReading, read_mrz_band
from extractors.ruling import read_ruled_table
from extractors.scanned_form import looks_like_form, read_scanned_form
from extractors.tesseract import OcrResult, OcrWord, ocr_image, ocr_with_confidence, orientation
from mailroom.errors import ExternalToolError

OCR_LANGUAGES = "eng+chi_sim"
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# Mean word confidence below which a page is suspected of lying sideways (upright text reads
# 80-90 on our scans, the same page turned 90 or 180 degrees 25-50).
UPRIGHT_CONFIDENCE = 60.0


@dataclass(frozen=True)
class PageFacts:
    text: str | None
    text_source: str  # pdf | ocr | mrz (a verified MRZ was all the page needed) | failed
    mrz: Mrz | None
    problem: str | None
    form: dict[str, str] | None = None  # a printed application form's values, read by zones


def read_page(image: Image.Image, text_layer: str | None, timeout: float) -> PageFacts:
    if text_layer is not None:
        return PageFacts(text_layer, "pdf", None, None)
    glyph_read = None
    if image.width > image.height:
        # A landscape page may be a passport's data page: when the OCR-B glyph reader reads a
        # verified MRZ, that is the page's text, and full-page OCR would add nothing we use.
        glyph_read = _glyph_reading(image)
        if glyph_read is not None and glyph_read[0].valid:
            return PageFacts("\n".join(glyph_read[0].lines), "mrz", glyph_read[0], None)
    try:
        read, result = _upright_ocr(image, timeout)
    except ExternalToolError as e:
        fallback = glyph_read[0] if glyph_read else _mrz_by_glyphs(image)
        return PageFacts(None, "failed", fallback, e.message)
    text = join_chinese(result.text)
    form = read_scanned_form(read, result.words, timeout) if looks_like_form(text) else None
    if form is None:
        # a list of people in a ruled table reads far better row by row (extractors/ruling.py);
        # a page without one, or whose table OCR fails, keeps its whole-page reading
        with suppress(ExternalToolError):
            text = join_chinese(read_ruled_table(read, timeout) or result.text)
    already = glyph_read if read is image else None  # a turned page is read afresh
    mrz = (find_mrz(result.text, read, timeout, already, result.words)
           if may_hold_mrz(result.text, read) else None)
    return PageFacts(text, "ocr", mrz, None, form)


def may_hold_mrz(text: str, image: Image.Image) -> bool:
    """Whether to look for an MRZ: a landscape page (a passport's data page, an ID card) or
    text with the MRZ's filler runs, which tesseract reads as <<<, «« or KKK."""
    return image.width > image.height or bool(_FILLER_RUN.search(text))


def _upright_ocr(image: Image.Image, timeout: float) -> tuple[Image.Image, OcrResult]:
    """OCR the page as scanned; only when the words read as noise (a page fed in sideways or
    upside down) ask tesseract's orientation detection and read it again turned upright, so
    upright pages pay nothing for the check."""
    result = ocr_with_confidence(image, languages=OCR_LANGUAGES, timeout=timeout)
    if result.confidence < 0 or result.confidence >= UPRIGHT_CONFIDENCE:
        return image, result
    turn = orientation(image, timeout=timeout)
    if turn == 0:
        return image, result
    turned = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    again = ocr_with_confidence(turned, languages=OCR_LANGUAGES, timeout=timeout)
    return (turned, again) if again.confidence > result.confidence else (image, result)


# MRZ fillers as OCR reads them (<<, ««, KKK) or a passport's "P<" before its state
_FILLER_RUN = re.compile(r"[<«]{2}|K{3}|P<[A-Z]")


def find_mrz(
    text: str, image: Image.Image, timeout: float = 60,
    glyph_read: tuple[Mrz, BandReading] | None = None, words: tuple[OcrWord, ...] = (),
) -> Mrz | None:
    """The OCR-B glyph reader at the MRZ's fixed pitch first (at the foot of the page, then where
    the OCR'd words put the MRZ); tesseract on the band as the fallback.

    A tesseract reading is taken only where it agrees with the glyph reader's at every
    position it was sure of: tesseract has no OCR-B model, and a reading it gets
    wrong in two places can still pass every check digit.
    """
    glyph_read = _best_glyph_reading(image, words, glyph_read)
    found = glyph_read[0] if glyph_read else None
    if found is not None and _settled(glyph_read):
        return found  # verified, or two readings pass every check: no other reader may choose
    candidates = _mrz_lines(text)
    if not candidates:
        return found
    band = image.crop((0, int(image.height * 0.6), image.width, image.height))
    try:  # read again with the MRZ alphabet only: fewer letter/digit slips
        whitelisted = _mrz_lines(ocr_image(band, psm=6, whitelist=MRZ_ALPHABET, timeout=timeout))
    except ExternalToolError:
        whitelisted = []
    for source in (whitelisted, candidates):
        for size in (2, 3):
            for start in range(len(source) - size + 1):
                reading = _parse(source[start:start + size])
                if reading is not None and reading.valid and _agrees(reading, glyph_read):
                    return reading
    return found or _parse(candidates[-2:])


def _agrees(reading: Mrz, glyph_read: tuple[Mrz, BandReading] | None) -> bool:
    if glyph_read is None or glyph_read[0].format != reading.format:
        return glyph_read is None
    sure_of = [i for i in range(len(reading.lines[-1])) if i not in glyph_read[1].doubtful]
    ours, theirs = glyph_read[0].lines[1], reading.lines[1]
    return all(ours[i] == theirs[i] for i in sure_of)


def _best_glyph_reading(image: Image.Image, words: tuple[OcrWord, ...],
                        already: tuple[Mrz, BandReading] | None
                        ) -> tuple[Mrz, BandReading] | None:
    """The caller's reading of the page's foot when it settles the MRZ; else the rows where the
    OCR'd words put the MRZ (a passport laid anywhere on an A4 flatbed); else the page's foot,
    read now only if the caller has not."""
    if _settled(already):
        return already
    located = _glyph_reading_where(image, words)
    if _settled(located):
        return located
    foot = already or _glyph_reading(image)
    return foot if _settled(foot) else (located or foot)


def _settled(glyph_read: tuple[Mrz, BandReading] | None) -> bool:
    return glyph_read is not None and (glyph_read[0].valid or glyph_read[1].ambiguous)


def _glyph_reading_where(image: Image.Image, words: tuple[OcrWord, ...]
                         ) -> tuple[Mrz, BandReading] | None:
    """The glyph reader on the rows where OCR found MRZ-like words (long, with fillers) and
    on the next rows below, or above (OCR may have split the other MRZ line into short words),
    with a margin for the tilt and the words' loose boxes."""
    mrz_words = [w for w in words if len(w.text) >= 10 and _FILLER_RUN.search(w.text)]
    if not mrz_words:
        return None
    top = min(w.top for w in mrz_words)
    bottom = max(w.top + w.height for w in mrz_words)
    on_rows = [w for w in words if top <= w.top + w.height / 2 <= bottom]
    line = sorted(w.height for w in mrz_words)[len(mrz_words) // 2]
    left = max(0, min(w.left for w in on_rows) - line)
    right = min(image.width, max(w.left + w.width for w in on_rows) + line)
    readings = []
    for above, below in ((0.7, 2.8), (2.8, 0.7)):
        box = (left, max(0, round(top - above * line)), right,
               min(image.height, round(bottom + below * line)))
        reading = _glyph_reading(image.crop(box), band_from=0.0)
        if _settled(reading):
            return reading
        readings.append(reading)
    return next((reading for reading in readings if reading), None)


def _mrz_by_glyphs(image: Image.Image) -> Mrz | None:
    reading = _glyph_reading(image)
    return reading[0] if reading else None


def _glyph_reading(image: Image.Image, band_from: float = BAND_FROM
                   ) -> tuple[Mrz, BandReading] | None:
    if image.width < 300 or (band_from and image.height < 200):
        return None  # an icon or a signature, not a data page
    readings = []
    for band in read_mrz_band(image, band_from=band_from):
        parsed = _parse(band.lines)
        if parsed is None:
            continue
        if band.ambiguous:  # another reading passes every check too: not verified
            parsed.checks["unambiguous"] = False
        readings.append((parsed, band))
    return next((r for r in readings if r[0].valid), readings[0] if readings else None)


def _parse(lines: list[str]) -> Mrz | None:
    try:
        return read_mrz(lines)
    except ValueError:
        return None


def _mrz_lines(text: str) -> list[str]:
    lines = [re.sub(r"\s+", "", line) for line in text.splitlines()]
    return [line for line in lines if len(line) >= 28 and line.count("<") >= 2]
