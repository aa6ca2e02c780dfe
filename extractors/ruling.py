"""Scanned pages with a ruled table (a personnel list, a school's list of students), read row by
row.

Contract: ``read_ruled_table(image, timeout)`` returns the page's text with the table read one
row at a time, or ``None`` when the page has no ruled table (fewer than ``MIN_RULES`` long
horizontal rules close together). tesseract reads a ruled table poorly as a whole page: it
takes the rules for glyphs and, where a cell holds two lines (a Latin name over its Chinese
transliteration), pairs the passport number with the wrong line or drops it. So the page is
turned level (the rules' own slope gives the angle), its rules are painted white, and each row
between two rules is read as one block; the text above and below the table is read as usual.
Rules are found by a morphological opening with a long line (scipy's running minimum and
maximum), thickened across their direction first so a rule that slopes a little stays one run.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
from PIL import Image
from scipy import ndimage

from extractors.images import dark_runs
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
COLUMN_RULE = 0.4  # a column rule runs at least this share of the table's height
ROW_COLUMN_RULE = 0.8  # and crosses at least this share of each row's
MIN_COLUMN = 25  # pixels
PAD = 2  # pixels painted on either side of a rule, for its blurred edge
LANGUAGES = "eng+chi_sim"


def read_ruled_table(image: Image.Image, timeout: float) -> str | None:
    grey = np.asarray(image.convert("L"))
    bands = _bands(_horizontal_rules(grey < DARK))
    if len(bands) < MIN_RULES:
        return None
    angle = _slope_degrees(grey < DARK, bands)
    if abs(angle) > 0.05:
        level = image.convert("L").rotate(angle, resample=Image.Resampling.BILINEAR,
                                          expand=False, fillcolor=255)
        grey = np.asarray(level)
    rows = _table_rows(_bands(_horizontal_rules(grey < DARK)), grey.shape[0])
    if rows is None:
        return None
    clean = Image.fromarray(_without_rules(grey))
    top, bottom = rows[0], rows[-1]
    parts = [ocr_image(clean.crop((0, 0, clean.width, top)), languages=LANGUAGES,
                       timeout=timeout)] if top > 40 else []
    for table in _stacked_tables(grey, rows):
        parts += _table_lines(clean, table, _column_edges(grey, table[0], table[-1]), timeout)
    if clean.height - bottom > 40:
        parts.append(ocr_image(clean.crop((0, bottom, clean.width, clean.height)),
                               languages=LANGUAGES, timeout=timeout))
    return "\n".join(part.strip() for part in parts if part.strip())


def _table_lines(clean: Image.Image, rows: list[int], columns: list[int], timeout: float
                 ) -> list[str]:
    """One line per table row. With column rules, each column is read on its own (a cell's
    two lines and the next cell's one line then never mix) and its words are put in the row
    whose rules enclose them; without, each row is read as one block."""
    top, bottom = rows[0], rows[-1]
    if len(columns) < 4:
        return [" ".join(_read_settled(clean.crop((0, upper, clean.width, lower)), timeout).split())
                for upper, lower in pairwise(rows)]
    cells: list[list[str]] = [[] for _ in pairwise(rows)]
    for left, right in pairwise(columns):
        column = clean.crop((left, top, right, bottom))
        read = ocr_with_confidence(column, languages=LANGUAGES, psm=6, timeout=timeout)
        by_row: dict[int, list[str]] = {}
        for word in reread_numbers(column, read.words).words:
            middle = top + word.top + word.height / 2
            row = next((i for i, (upper, lower) in enumerate(pairwise(rows))
                        if upper <= middle < lower), None)
            if row is not None:
                by_row.setdefault(row, []).append(settled(column, word))
        for row, words in by_row.items():  # a country tesseract garbled is read again
            cell = column.crop((0, rows[row] - top, column.width, rows[row + 1] - top))
            cells[row].append(reread_country(cell, " ".join(words)))
    return [" | ".join(row) for row in cells]


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
