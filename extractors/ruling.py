"""Scanned pages with a ruled table (a personnel list, a school's list of students), read row by
row.

Contract: ``read_ruled_table(image, timeout)`` returns the page's text with the table read one
row at a time, or ``None`` when the page has no ruled table (fewer than ``MIN_RULES`` long
horizontal rules close together, nor two or more with columns of whitespace between them: a
table ruled under its header and at its foot, or a three-line table). A photographed sheet is
first made to look scanned (``extractors.images.on_white_paper``). A table ruled across only
has its columns where whitespace runs down it, and its rows, where two rules hold several,
where a line stands in every column at once (``_rows_within``).

tesseract reads a ruled table poorly as a whole page: it takes the rules for glyphs and, where
a cell holds two lines (a Latin name over its Chinese transliteration), pairs the passport
number with the wrong line or drops it. So the page is turned level (the rules' own slope gives
the angle), its rules are painted white, and each column is read on its own, or each row
between two rules as one block; the text above and below the table is read as usual.
Rules are found by a morphological opening with a long line (scipy's running minimum and
maximum), thickened across their direction first so a rule that slopes a little stays one run.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image
from scipy import ndimage

from extractors.images import dark_runs, on_white_paper
from extractors.nationality_rereading import reread_country
from extractors.number_glyphs import settle_text, settled
from extractors.number_rereading import reread_numbers
from extractors.tesseract import ocr_image, ocr_with_confidence

DARK = 170  # a thin rule blurred by the scan is grey, not black
PAPER = 230  # lighter than this is paper
RULE_FRACTION = 0.06  # a rule runs at least this share of the page's width (height)
SLOPE_BAND = 7  # pixels: a scan's rule slopes a pixel or two over a run
MIN_RULES = 3
MAX_ROW_FRACTION = 0.2  # rules further apart than this share of the page are not one table
OPEN_TABLE_FRACTION = 0.6  # but a header's rule and a foot's this far apart may hold one
COLUMN_RULE = 0.4  # a column rule runs at least this share of the table's height
ROW_COLUMN_RULE = 0.8  # and crosses at least this share of each row's
MIN_COLUMN = 25  # pixels
# glyph heights (the median glyph's): whitespace this wide running down a whole table parts
# two columns. Two cells' padding is 1.7 or more; a word space about 0.5, and the blank beside
# a Chinese name's middle dot or bracket up to 1.4 (a two-row table's dots may align)
BLANK_COLUMN = 1.5
_NUMBER_LINE = re.compile(r"(?=.*\d)[A-Z0-9]{6,10}")  # a passport number's cell
ROW_ALIGNED = 0.6  # glyph heights: lines whose middles are this close stand in one row
SPECK = 3  # dark pixels a column of whitespace may hold (a scan's specks)
PAD = 2  # pixels painted on either side of a rule, for its blurred edge
LANGUAGES = "eng+chi_sim"


def read_ruled_table(image: Image.Image, timeout: float, list_of_people: bool = False) -> str | None:
    """``list_of_people``: the page prints two passport numbers or more. Only there is a
    photographed sheet made to look scanned and a table ruled across only read by its
    whitespace: a form's or a letter's rules hold no such table, and read so, their text
    changed for the worse."""
    grey = np.asarray(image.convert("L"))
    if list_of_people:
        grey = on_white_paper(grey)
    bands = _bands(_horizontal_rules(grey < DARK))
    if len(bands) < (2 if list_of_people else MIN_RULES):
        return None
    angle = _slope_degrees(grey < DARK, bands)
    if abs(angle) > 0.05:
        level = Image.fromarray(grey).rotate(angle, resample=Image.Resampling.BILINEAR,
                                             expand=False, fillcolor=255)
        grey = np.asarray(level)
    bands = _bands(_horizontal_rules(grey < DARK))
    rows = _table_rows(bands, grey.shape[0])
    if rows is None and not list_of_people:
        return None
    unruled = _without_rules(grey)
    clean = Image.fromarray(unruled)
    rows = rows or _open_table(unruled, bands)
    if rows is None:
        return None
    top, bottom = rows[0], rows[-1]
    parts = [ocr_image(clean.crop((0, 0, clean.width, top)), languages=LANGUAGES,
                       timeout=timeout)] if top > 40 else []
    for table in _stacked_tables(grey, rows):
        columns = _column_edges(grey, table[0], table[-1])
        # ruled across only (a rule or two down it may be a photographed sheet's edge): its
        # columns are where whitespace runs down, and two rules may hold several of its rows
        blank = (_blank_columns(unruled, table[0], table[-1])
                 if list_of_people and len(columns) < 4 else [])
        parts += _table_lines(clean, table, blank or columns, timeout, rows_between_rules=bool(blank))
    if clean.height - bottom > 40:
        parts.append(ocr_image(clean.crop((0, bottom, clean.width, clean.height)),
                               languages=LANGUAGES, timeout=timeout))
    return "\n".join(part.strip() for part in parts if part.strip())


def _table_lines(clean: Image.Image, rules: list[int], columns: list[int], timeout: float,
                 rows_between_rules: bool = False) -> list[str]:
    """One line per table row. With columns (ruled, or parted by whitespace), each column is
    read on its own (a cell's two lines and the next cell's one line then never mix) and its
    words are put in the row whose rules enclose them; without, each row is read as one
    block. ``rows_between_rules``: a table ruled only under its header and at its foot holds
    several rows between two rules (``_rows_within``)."""
    top, bottom = rules[0], rules[-1]
    if len(columns) < 4:
        return [" ".join(_read_settled(clean.crop((0, upper, clean.width, lower)), timeout).split())
                for upper, lower in pairwise(rules)]
    lines_by_band: list[list[list[_Line]]] = [[] for _ in pairwise(rules)]
    for left, right in pairwise(columns):
        column = clean.crop((left, top, right, bottom))
        read = ocr_with_confidence(column, languages=LANGUAGES, psm=6, timeout=timeout)
        by_band: dict[int, list[_Line]] = {}
        for word in reread_numbers(column, read.words).words:
            middle = top + word.top + word.height / 2
            band = next((i for i, (upper, lower) in enumerate(pairwise(rules))
                         if upper <= middle < lower), None)
            if band is not None:
                _add_to_line(by_band.setdefault(band, []), top + word.top, word.height,
                             settled(column, word))
        for band, band_lines in enumerate(lines_by_band):
            band_lines.append(by_band.get(band, []))
    rows: list[str] = []
    for (upper, lower), band_lines in zip(pairwise(rules), lines_by_band, strict=True):
        starts = _rows_within(band_lines) if rows_between_rules else [[] for _ in band_lines]
        for row in range(max(1, *(len(column) for column in starts))):
            cells = []
            for (left, right), lines, begins in zip(pairwise(columns), band_lines, starts, strict=True):
                words = [w for line in lines if _row_of(line, begins) == row for w in line.words]
                if words:  # a country tesseract garbled is read again
                    edges = [upper, *(begin - _LEAD for begin in begins[1:]), lower]
                    cell = clean.crop((left, edges[row], right, edges[row + 1]))
                    cells.append(reread_country(cell, " ".join(words)))
            rows.append(" | ".join(cells))
    return rows


@dataclass
class _Line:
    """One line of a column's words, top to bottom as tesseract read them."""

    top: int
    bottom: int
    glyph: int  # the height of its first word's box: a glyph's, where the span may hold two
    words: list[str]

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


_LEAD = 4  # pixels above a row's first line where its cells' crops begin


def _add_to_line(lines: list[_Line], top: int, height: int, word: str) -> None:
    """The word joins the line it stands in (its middle within the line's span, or the line's
    within its box), else begins a line."""
    middle = top + height / 2
    for line in lines:
        if line.top <= middle <= line.bottom or top <= line.middle <= top + height:
            line.words.append(word)
            line.top, line.bottom = min(line.top, top), max(line.bottom, top + height)
            return
    lines.append(_Line(top, top + height, height, [word]))


def _rows_within(columns: list[list[_Line]]) -> list[list[int]]:
    """Where each table row begins between two rules, in each column. A table ruled only under
    its header and at its foot (a three-line table) holds all its rows between two rules;
    read as one row, every column ran its people together. Each line of the passport numbers'
    column begins a row (a number never wraps, and every row of a list has one), with its
    lines in at least half the other columns beside it (OCR may miss a row's index). Without
    such a column, a row begins where the first column's line stands in every column at
    once: a cell wrapped onto a second line has that line alone."""
    filled = [k for k, lines in enumerate(columns) if lines]
    starts: list[list[int]] = [[] for _ in columns]
    if len(filled) < 2:
        return starts
    numbers = {k: [line for line in columns[k] if _NUMBER_LINE.fullmatch("".join(line.words))]
               for k in filled}
    anchor = max(filled, key=lambda k: len(numbers[k]))
    by_number = len(numbers[anchor]) >= 2
    if not by_number:
        anchor = filled[0]
    for line in numbers[anchor] if by_number else columns[anchor]:
        found = _row_beside(line, anchor, filled, columns, all_needed=not by_number)
        if len(found) == len(filled) or (by_number and 2 * (len(found) - 1) >= len(filled) - 1):
            for k in filled:
                starts[k].append(found.get(k, line).top)
    return starts


def _row_beside(line: _Line, anchor: int, filled: list[int], columns: list[list[_Line]],
                all_needed: bool) -> dict[int, _Line]:
    """The lines standing in ``line``'s row, column by column outwards from its own (a
    photographed table's rows slope a little across it); with ``all_needed``, up to the
    first column that has none."""
    found = {anchor: line}
    at = filled.index(anchor)
    for side in (filled[at + 1:], filled[:at][::-1]):
        level = line
        for k in side:
            beside = _beside(level, columns[k])
            if beside is None and all_needed:
                break
            if beside is not None:
                found[k] = level = beside
    return found


def _beside(level: _Line, lines: list[_Line]) -> _Line | None:
    """The line of ``lines`` standing in the row of ``level``, if any."""
    reach = ROW_ALIGNED * min(level.glyph, *(other.glyph for other in lines))
    beside = [other for other in lines if abs(other.middle - level.middle) < reach]
    return min(beside, key=lambda other: abs(other.middle - level.middle)) if beside else None


def _row_of(line: _Line, starts: list[int]) -> int:
    """The row a line belongs to: the last to begin at or above it, allowing a glyph's height
    (a cell centred in its row begins above the row's other cells when it wraps)."""
    return max([i for i, start in enumerate(starts) if start <= line.top + line.glyph] or [0])


def _read_settled(row: Image.Image, timeout: float) -> str:
    """A row's text, its passport numbers' look-alike glyphs settled (extractors/number_glyphs)."""
    read = ocr_with_confidence(row, languages=LANGUAGES, psm=6, timeout=timeout)
    return settle_text(row, read.words, read.text)


def _stacked_tables(grey: np.ndarray, rows: list[int]) -> list[list[int]]:
    """The rows grouped where their column rules change: a form's grid of fields printed just
    above a grid of results is two tables, and the lower one's longer column rules had cut
    the upper one's cells ("Name GRUBE | R, HANNAH"). Each group keeps its bounding rules.
    Only two runs of two rows or more, each with a rule the other lacks, are two tables: a
    rule a faint scan or a photo's bend lost in a row or two parts nothing (each group costs
    a column's OCR more)."""
    columns = [_row_columns(grey, upper, lower) for upper, lower in pairwise(rows)]
    runs: list[list[int]] = []
    for index, here in enumerate(columns):
        if runs and _same_columns(columns[runs[-1][-1]], here):
            runs[-1].append(index)
        else:
            runs.append([index])
    tables: list[list[int]] = []
    shapes: list[tuple[list[int], int]] = []  # each table's columns: its longest run's, and its length
    for run in runs:
        if tables and not _two_tables(tables[-1], shapes[-1][0], run, columns[run[0]]):
            tables[-1] += run
            shapes[-1] = max(shapes[-1], (columns[run[0]], len(run)), key=lambda shape: shape[1])
        else:
            tables.append(list(run))
            shapes.append((columns[run[0]], len(run)))
    return [[rows[table[0]], *(rows[index + 1] for index in table)] for table in tables]


def _two_tables(above: list[int], above_columns: list[int], below: list[int], below_columns: list[int]
                ) -> bool:
    return (min(len(above), len(below)) >= 2 and not _within(above_columns, below_columns)
            and not _within(below_columns, above_columns))


def _row_columns(grey: np.ndarray, upper: int, lower: int) -> list[int]:
    """The x of each vertical rule crossing one row from its top rule to its bottom one."""
    band = grey[upper:lower] < DARK
    vertical = dark_runs(_thick(band, 1).T, max(10, int((lower - upper) * ROW_COLUMN_RULE))).T
    return [(a + b) // 2 for a, b in _bands(vertical.T)]


def _same_columns(one: list[int], other: list[int]) -> bool:
    return len(one) == len(other) and _within(one, other)


def _within(one: list[int], other: list[int]) -> bool:
    """Every rule of ``one`` has a rule of ``other`` where it stands."""
    return all(any(abs(a - b) <= MIN_COLUMN for b in other) for a in one)


def _column_edges(grey: np.ndarray, top: int, bottom: int) -> list[int]:
    """The x of each vertical rule running through the table."""
    table = grey[top:bottom] < DARK
    vertical = dark_runs(_thick(table, 1).T, max(20, int((bottom - top) * COLUMN_RULE))).T
    inner = [(a + b) // 2 for a, b in _bands(vertical.T)]
    # the page's edges close the first and last column, whatever rules were missed there
    edges = [0, *inner, grey.shape[1]]
    return [x for i, x in enumerate(edges) if i == 0 or x - edges[i - 1] > MIN_COLUMN]


def _open_table(clean: np.ndarray, bands: list[tuple[int, int]]) -> list[int] | None:
    """A table ruled only across, with rows too tall for the rules to stand close together:
    a three-line table (over and under its header, at its foot) or one ruled under its header
    and at its foot, whose header stands above its first rule and is read with the text
    above. The longest run of rules no further apart than ``OPEN_TABLE_FRACTION`` of the page
    with columns of whitespace between its first and last."""
    centres = [(a + b) // 2 for a, b in bands]
    runs: list[list[int]] = []
    for centre in centres:
        if runs and centre - runs[-1][-1] <= clean.shape[0] * OPEN_TABLE_FRACTION:
            runs[-1].append(centre)
        else:
            runs.append([centre])
    for run in sorted(runs, key=len, reverse=True):
        for size in range(len(run), 1, -1):  # the longest stretch of it that has columns
            for first in range(len(run) - size + 1):
                if _blank_columns(clean, run[first], run[first + size - 1]):
                    return run[first:first + size]
    return None


def _blank_columns(clean: np.ndarray, top: int, bottom: int) -> list[int]:
    """The columns of a table ruled across only, parted in the middle of each stretch of
    whitespace that runs down every row and is wider than a word space; none for fewer than
    three columns. Read row by row, a cell that wraps onto two lines had its lines woven
    into the next cells' ("BECKER, c of Germany r LUKAS")."""
    ink = clean[top:bottom] < DARK
    height = _text_height(ink)
    if height is None:
        return []
    blank = ink.sum(axis=0) <= SPECK
    inside = [(a, b) for a, b in _bands(blank[:, None]) if a > 0 and b < len(blank) - 1]
    middles = [(a + b) // 2 for a, b in inside if b - a + 1 >= BLANK_COLUMN * height]
    return [0, *middles, clean.shape[1]] if len(middles) >= 2 else []


def _text_height(ink: np.ndarray) -> float | None:
    """The median height of the glyphs' connected pieces, in pixels."""
    labels, _count = ndimage.label(ink)
    heights = [s[0].stop - s[0].start for s in ndimage.find_objects(labels) if s[0].stop - s[0].start >= 4]
    return float(np.median(heights)) if heights else None


def _horizontal_rules(dark: np.ndarray) -> np.ndarray:
    return dark_runs(_thick(dark, 0), max(20, int(dark.shape[1] * RULE_FRACTION)))


def _thick(dark: np.ndarray, axis: int) -> np.ndarray:
    return ndimage.maximum_filter1d(dark.astype(np.uint8), SLOPE_BAND, axis=axis).astype(bool)


def _bands(rules: np.ndarray) -> list[tuple[int, int]]:
    """Each rule as the rows it covers (first, last)."""
    rows = rules.any(axis=1)
    starts = np.flatnonzero(rows[1:] & ~rows[:-1]) + 1
    ends = np.flatnonzero(~rows[1:] & rows[:-1])
    if rows[0]:
        starts = np.r_[0, starts]
    if rows[-1]:
        ends = np.r_[ends, len(rows) - 1]
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=False)]


def _slope_degrees(dark: np.ndarray, bands: list[tuple[int, int]]) -> float:
    """The rules' median slope: in each band, the dark pixels' centre row at each column,
    fitted by a straight line."""
    slopes = []
    for first, last in bands:
        band = dark[first:last + 1]
        columns = np.flatnonzero(band.sum(axis=0) > 0)
        if len(columns) < 200:
            continue
        centres = (band[:, columns] * np.arange(band.shape[0])[:, None]).sum(axis=0) \
            / np.maximum(band[:, columns].sum(axis=0), 1)
        slope = np.polyfit(columns, centres, 1)[0]
        slopes.append(math.degrees(math.atan(slope)))
    return float(np.median(slopes)) if slopes else 0.0


def _table_rows(bands: list[tuple[int, int]], height: int) -> list[int] | None:
    """The rules of the largest group close together (a table), as the rows between them."""
    centres = [(a + b) // 2 for a, b in bands]
    groups: list[list[int]] = []
    for centre in centres:
        if groups and centre - groups[-1][-1] <= height * MAX_ROW_FRACTION:
            groups[-1].append(centre)
        else:
            groups.append([centre])
    table = max(groups, key=len)
    return table if len(table) >= MIN_RULES else None


def _without_rules(grey: np.ndarray) -> np.ndarray:
    dark = grey < DARK
    horizontal = _horizontal_rules(dark)
    vertical = dark_runs(_thick(dark, 1).T, max(20, int(grey.shape[0] * RULE_FRACTION))).T
    rules = _padded(horizontal | vertical) & (grey < PAPER)
    cleaned = grey.copy()
    cleaned[rules] = 255
    return cleaned


def _padded(mask: np.ndarray) -> np.ndarray:
    return ndimage.binary_dilation(mask, iterations=PAD)
