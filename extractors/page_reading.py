"""Facts of one page: its text (the PDF text layer, else OCR) and a passport MRZ if it has one.

Contract: ``read_page(image, text_layer, timeout)`` never raises for a bad page: an OCR failure
or timeout becomes ``problem`` (the page is kept and flagged, never lost). Pages with a usable
text layer are never OCR'd. ``mrz`` is the best reading found, valid or not: callers that store
it keep it only when ``mrz.valid``.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, replace

from PIL import Image

from extractors.images import shrunk_for_reading
from extractors.letter_text import join_chinese, latin_names, passport_numbers
from extractors.mrz import Mrz, names_line, read_mrz
from extractors.mrz_ppocr import PpReading
from extractors.mrz_ppocr import read_mrz_ppocr as _read_mrz_ppocr
from extractors.mrz_reader import BAND_FROM, BandReading, read_mrz_band
from extractors.nationality_rereading import reread_labelled_countries
from extractors.number_glyphs import settle_text
from extractors.ruling import read_ruled_table
from extractors.scanned_form import looks_like_form, read_scanned_form
from extractors.tesseract import OcrResult, OcrWord, ocr_image, ocr_with_confidence, orientation
from mailroom.errors import ExternalToolError

log = logging.getLogger(__name__)
OCR_LANGUAGES = "eng+chi_sim"
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# Mean word confidence below which a page is suspected of lying sideways (upright text reads
# 80-90 on our scans, the same page turned 90 or 180 degrees 25-50).
UPRIGHT_CONFIDENCE = 60.0
# Clearly read words (confidence 80+, 3+ letters) below which a page may be an identity
# document: a data page has a few dozen labels and values, a letter or a form hundreds.
LITTLE_TEXT_WORDS = 40
# How alike (difflib's ratio) tesseract's line must be to an MRZ line to be read as the same line
MIN_LINE_LIKENESS = 0.7


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
    glyph_read, pp_read = None, None
    if image.width > image.height:
        # A landscape page may be a passport's data page: when both readers vouch for its MRZ,
        # that is the page's text, and full-page OCR would add nothing we use.
        glyph_read, pp_read = _glyph_reading(image), read_mrz_ppocr(image)
        both = _two_readers(glyph_read, pp_read)
        if both is not None and both.valid:
            return PageFacts("\n".join(both.lines), "mrz", both, None)
    try:
        read, result = _upright_ocr(image, timeout)
    except ExternalToolError as e:
        fallback = _two_readers(glyph_read or _glyph_reading(image),
                                pp_read if pp_read is not None else read_mrz_ppocr(image))
        return PageFacts(None, "failed", fallback, e.message)
    already = glyph_read if read is image else None  # a turned page is read afresh
    mrz = None
    if may_hold_mrz(result.text, read) or read is not image \
            or 0 <= result.confidence < UPRIGHT_CONFIDENCE or _little_text(result):
        # a page OCR reads poorly or finds little text on may be a passport or a card laid
        # sideways or photographed: PP-OCR finds an MRZ at any angle on any ground
        glyphs = _best_glyph_reading(read, result.words, already)
        if pp_read is None:
            pp_read = _pp_reading_near_words(read, result.words) or read_mrz_ppocr(image)
        mrz = _two_readers(glyphs, pp_read,
                           lambda: find_mrz(result.text, read, timeout, glyphs), result.text)
        if mrz is not None:
            mrz.fields["names_confirmed"] = names_in_visual_zone(mrz, result.text)
    text = join_chinese(result.text)
    form = read_scanned_form(read, result.words, timeout) if looks_like_form(text) else None
    if form is None and not (mrz is not None and mrz.valid):
        # a list of people in a ruled table reads far better row by row (extractors/ruling.py);
        # a page without one, or whose table OCR fails, keeps its whole-page reading, its
        # passport numbers read again where tesseract misread them (number_rereading) and
        # their I/1 and O/0 settled by shape (number_glyphs), a labelled country read again.
        # A page whose MRZ two readers vouch for is a passport's whatever else it prints:
        # neither is needed there
        table = None
        with suppress(ExternalToolError):
            table = _ruled_table(read, text, timeout)
        if table:
            text = join_chinese(table)
        else:  # the second readings cost PP-OCR time: only for the text that is kept
            result = _rows_kept_whole(read, result, timeout)
            countries = reread_labelled_countries(read, result.words)
            text = join_chinese(settle_text(read, countries.words,
                                            countries.applied_to(result.text)))
    return PageFacts(text, "ocr", mrz, None, form)


def _ruled_table(page: Image.Image, text: str, timeout: float) -> str | None:
    """The page read table-wise (extractors/ruling.py): as a list of people where its text
    prints two passport numbers or more; else as before, and where that finds no table, as a
    list once more, kept only if it then prints two numbers (a photographed list whose table
    the whole-page OCR garbled beyond any number)."""
    if _several_numbers(text):
        return read_ruled_table(page, timeout, list_of_people=True)
    table = read_ruled_table(page, timeout)
    if table is None:
        as_list = read_ruled_table(page, timeout, list_of_people=True)
        table = as_list if as_list and _several_numbers(as_list) else None
    return table


def _several_numbers(text: str) -> bool:
    return len({number.value for number in passport_numbers(text)}) >= 2


def read_mrz_ppocr(image: Image.Image, band: bool = False) -> list[PpReading]:
    """PP-OCR's MRZ readings; a page it cannot process is a page without them (its MRZ then
    stays unverified for a clerk) rather than a failed submission."""
    try:
        return _read_mrz_ppocr(image, band)
    except Exception:  # a model or geometry error on one odd page: logged, the page goes on
        log.exception("PP-OCR could not read a %dx%d page for an MRZ", image.width, image.height)
        return []


def names_in_visual_zone(mrz: Mrz, text: str) -> bool | None:
    """Whether the page's printed text, outside the MRZ, carries the MRZ's surname and given
    names word for word (no check digit covers them: E read as F, M as H pass every check).
    None when the MRZ gives no name."""
    names = f"{mrz.fields.get('surname') or ''} {mrz.fields.get('given_names') or ''}".split()
    if not names:
        return None
    printed = {word for line in text.splitlines() if "<<" not in line
               for word in re.findall(r"[A-Z]+", line.upper())}
    return all(name in printed for name in names)


def _two_readers(glyph_read: tuple[Mrz, BandReading] | None, pp_read: list[PpReading],
                 fallback: Callable[[], Mrz | None] | None = None,
                 printed: str | None = None) -> Mrz | None:
    """The MRZ two independent readers vouch for (#18). PP-OCR's reading is trusted when its
    check digits hold, its glyphs were read surely or the OCR-B glyph model read them the same
    at the places PP-OCR put them, and no rival passes as well (``extractors.mrz_rivals``).
    Where PP-OCR found no MRZ, the glyph reader at the MRZ's pitch agreeing with tesseract is
    the pair (``find_mrz``); one reader alone never makes an MRZ valid: on real print the glyph
    reader alone was silently wrong. Two valid readings that differ are both in doubt; both
    reading the same lines settle every doubt. Where they differ only in the names, which no
    check digit covers, the page's ``printed`` text (tesseract's) is a third reader sharing
    nothing with either: PP-OCR's names settle it when the visual zone prints them word for word
    or tesseract's reading of the names line has PP-OCR's glyph wherever the two differ."""
    glyphs = glyph_read[0] if glyph_read else None
    if not pp_read:
        return fallback() if fallback is not None else _alone(glyphs)
    best = pp_read[0]
    reading = _parse(best.lines)
    if reading is None:
        return _alone(glyphs)
    names = names_line(reading.format)
    in_visual_zone = printed is not None and names_in_visual_zone(reading, printed)
    # the glyph model at PP-OCR's places read a name's glyph otherwise: the printed names settle it
    names_settled = in_visual_zone or (printed is not None and _third_reader_sides_with(
        reading, best.second[names], printed))
    unsettled_names = [] if names_settled else best.names_unsettled
    reading.doubts = [doubt for doubt in best.doubts
                      if not names_settled or doubt not in best.names_unsettled]
    if glyphs is None or not glyphs.valid:
        return reading
    if glyphs.lines == reading.lines:
        # read the same glyph for glyph by both: nothing is in doubt but an O or a 0 no check
        # digit covers (the pitch reader's glyph model may be as unsure of it as PP-OCR), a
        # glyph no check digit covers that the glyph model at PP-OCR's places read otherwise
        # (the pitch reader is the same model cut another way), and the names that differ so
        reading.doubts = [*best.lasting, *unsettled_names]
    elif _only_names_differ(reading, glyphs) and printed is not None \
            and (in_visual_zone or _third_reader_sides_with(reading, glyphs.lines[names], printed)):
        # every checked glyph agreed, and a third reader confirms PP-OCR's names
        reading.doubts = [doubt for doubt in reading.doubts if doubt not in best.names_unsettled]
    elif glyphs.format != reading.format or not _glyph_model_sides_with_pp(best, glyphs):
        reading.doubts.append("the two MRZ readers read it differently")
    return reading


def _only_names_differ(reading: Mrz, glyphs: Mrz) -> bool:
    names = names_line(reading.format)
    return reading.format == glyphs.format and all(
        ours == theirs for i, (ours, theirs) in enumerate(zip(reading.lines, glyphs.lines,
                                                               strict=True)) if i != names)


def _third_reader_sides_with(reading: Mrz, theirs: str, printed: str) -> bool:
    """Whether tesseract's reading of the names line, aligned to PP-OCR's (it reads fillers as
    K, C or S and may drop some), has PP-OCR's glyph at every place the glyph reader read
    another (``theirs``, its names line): two independent readers against one."""
    ours = reading.lines[names_line(reading.format)]
    if len(theirs) != len(ours):
        return False
    differ = [p for p, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    ours = ours.rstrip("<")  # the filler run, which tesseract reads as anything, is not compared
    for candidate in printed.upper().splitlines():
        candidate = re.sub(r"\s+", "", candidate)[:len(ours) + 2]
        matcher = difflib.SequenceMatcher(None, ours, candidate, autojunk=False)
        if matcher.ratio() < MIN_LINE_LIKENESS:
            continue
        agreeing = {a + k for a, _, size in matcher.get_matching_blocks() for k in range(size)}
        if all(p in agreeing and ours[p] != "<" for p in differ):
            return True
    return False


def _glyph_model_sides_with_pp(best: PpReading, glyphs: Mrz) -> bool:
    """Where PP-OCR and the glyph reader at the MRZ's pitch differ, whether the glyph model,
    shown the cells where PP-OCR placed each glyph, reads PP-OCR's glyph at every such place:
    then the pitch reader cut its cells wrong (a background or a curved page throws the pitch
    off), and two of three readings agree."""
    differ = [(i, p) for i, (ours, theirs) in enumerate(zip(best.lines, glyphs.lines, strict=True))
              for p, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    return all(len(best.second[i]) == len(best.lines[i])
               and best.second[i][p] == best.lines[i][p] for i, p in differ)


def _alone(reading: Mrz | None) -> Mrz | None:
    """A reading one reader made alone: kept for a clerk to see, never valid."""
    if reading is not None and reading.valid:
        return replace(reading, doubts=[*reading.doubts, "read by one reader only"])
    return reading


def may_hold_mrz(text: str, image: Image.Image) -> bool:
    """Whether to look for an MRZ: a landscape page (a passport's data page, an ID card) or
    text with the MRZ's filler runs, which tesseract reads as <<<, «« or KKK."""
    return image.width > image.height or bool(_FILLER_RUN.search(text))


def _little_text(result: OcrResult) -> bool:
    """Fewer clearly read words than a letter or a form has: an identity document's page (a few
    labels and values), or a page OCR cannot read the right way up."""
    words = [w for w in result.words if w.confidence >= 80 and len(w.text) >= 3]
    return len(words) < LITTLE_TEXT_WORDS


def _rows_kept_whole(page: Image.Image, result: OcrResult, timeout: float) -> OcrResult:
    """A table without rules between its columns (or whose rules a photo bent) may be read by
    tesseract's page layout as columns, one after another: passport numbers on lines of their
    own, the names in another block. Such a page is read again as one block of lines
    (``--psm 6``), each row on its line, and that reading kept where more rows have their
    number and a name on one line. Only such pages pay for the second pass."""
    named, alone = _rows_on_lines(result.text)
    if alone < 2:
        return result
    read, scale = shrunk_for_reading(page)
    whole = _on_page(ocr_with_confidence(read, languages=OCR_LANGUAGES, psm=6, timeout=timeout),
                     scale)
    return whole if _rows_on_lines(whole.text)[0] > named else result


def _rows_on_lines(text: str) -> tuple[int, int]:
    """Lines with a passport number and a name; lines with a number and no name."""
    named = alone = 0
    for line in text.splitlines():
        if passport_numbers(line):
            named, alone = (named + 1, alone) if latin_names(line) else (named, alone + 1)
    return named, alone


def _upright_ocr(image: Image.Image, timeout: float) -> tuple[Image.Image, OcrResult]:
    """OCR the page as scanned; only when the words read as noise (a page fed in sideways or
    upside down) ask tesseract's orientation detection and read it again turned upright, so
    upright pages pay nothing for the check."""
    read, scale = shrunk_for_reading(image)  # a 500 or 600 dpi page is read at 300 dpi
    result = _on_page(ocr_with_confidence(read, languages=OCR_LANGUAGES, timeout=timeout), scale)
    if result.confidence < 0 or result.confidence >= UPRIGHT_CONFIDENCE:
        return image, result
    turn = orientation(read, timeout=timeout)
    if turn == 0:
        return image, result
    # PIL turns counter-clockwise; a quarter turn of the shrunk page is the turned page shrunk
    again = _on_page(ocr_with_confidence(read.rotate(-turn, expand=True), languages=OCR_LANGUAGES,
                                         timeout=timeout), scale)
    turned = image.rotate(-turn, expand=True)
    return (turned, again) if again.confidence > result.confidence else (image, result)


def _on_page(result: OcrResult, scale: float) -> OcrResult:
    """OCR of a page shrunk by ``scale`` with its words' boxes on the page as scanned (number
    glyphs and form zones are cut from it)."""
    if scale == 1.0:
        return result
    return OcrResult(result.text, tuple(
        replace(word, left=round(word.left / scale), top=round(word.top / scale),
                width=round(word.width / scale), height=round(word.height / scale))
        for word in result.words))


# MRZ fillers as OCR reads them (<<, ««, KKK) or a passport's "P<" before its state
_FILLER_RUN = re.compile(r"[<«]{2}|K{3}|P<[A-Z]")


def find_mrz(text: str, image: Image.Image, timeout: float,
             glyph_read: tuple[Mrz, BandReading] | None) -> Mrz | None:
    """Where PP-OCR found no MRZ: the OCR-B glyph reader's reading at the MRZ's fixed pitch
    (``_best_glyph_reading``, the caller's) and tesseract on the band. Valid only when both read
    the same lines: tesseract has no OCR-B model, and the glyph reader alone was silently wrong
    on real print."""
    found = glyph_read[0] if glyph_read else None
    candidates = _mrz_lines(text)
    if not candidates or (found is not None and glyph_read[1].ambiguous):  # type: ignore[index]
        return _alone(found)  # two readings pass every check: no other reader may choose
    band = image.crop((0, int(image.height * 0.6), image.width, image.height))
    try:  # read again with the MRZ alphabet only: fewer letter/digit slips
        whitelisted = _mrz_lines(ocr_image(band, psm=6, whitelist=MRZ_ALPHABET, timeout=timeout))
    except ExternalToolError:
        whitelisted = []
    for source in (whitelisted, candidates):
        for size in (2, 3):
            for start in range(len(source) - size + 1):
                reading = _parse(source[start:start + size])
                if reading is not None and reading.valid and found is not None \
                        and reading.lines == found.lines:
                    return reading  # tesseract and the glyph reader read the same lines
    return _alone(found or _parse(candidates[-2:]))


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


def _pp_reading_near_words(image: Image.Image, words: tuple[OcrWord, ...]) -> list[PpReading]:
    """PP-OCR's trusted reading of the rows where OCR found MRZ-like words, three line heights
    either side; nothing when there are none or their reading is in doubt (the caller then has
    the whole page read). Detecting text on the whole page is most of a passport page's time."""
    rows = _mrz_rows(image, words)
    if rows is None:
        return []
    left, top, right, bottom, line = rows
    near = read_mrz_ppocr(image.crop((left, max(0, top - 3 * line), right,
                                      min(image.height, bottom + 3 * line))), band=True)
    return near if near and not near[0].doubts else []


def _mrz_rows(image: Image.Image, words: tuple[OcrWord, ...]
              ) -> tuple[int, int, int, int, int] | None:
    """Where OCR found MRZ-like words (long, with fillers): the left, top, right and bottom of
    the rows they lie on (a line's height of margin left and right), and a line's height."""
    mrz_words = [w for w in words if len(w.text) >= 10 and _FILLER_RUN.search(w.text)]
    if not mrz_words:
        return None
    top = min(w.top for w in mrz_words)
    bottom = max(w.top + w.height for w in mrz_words)
    on_rows = [w for w in words if top <= w.top + w.height / 2 <= bottom]
    line = sorted(w.height for w in mrz_words)[len(mrz_words) // 2]
    left = max(0, min(w.left for w in on_rows) - line)
    right = min(image.width, max(w.left + w.width for w in on_rows) + line)
    return left, top, right, bottom, line


def _glyph_reading_where(image: Image.Image, words: tuple[OcrWord, ...]
                         ) -> tuple[Mrz, BandReading] | None:
    """The glyph reader on the rows where OCR found MRZ-like words and on the next rows below,
    or above (OCR may have split the other MRZ line into short words), with a margin for the
    tilt and the words' loose boxes."""
    rows = _mrz_rows(image, words)
    if rows is None:
        return None
    left, top, right, bottom, line = rows
    readings = []
    for above, below in ((0.7, 2.8), (2.8, 0.7)):
        box = (left, max(0, round(top - above * line)), right,
               min(image.height, round(bottom + below * line)))
        reading = _glyph_reading(image.crop(box), band_from=0.0)
        if _settled(reading):
            return reading
        readings.append(reading)
    return next((reading for reading in readings if reading), None)


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
