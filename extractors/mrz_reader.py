"""Read an MRZ band by its fixed pitch and a model of OCR-B glyphs, not by general-purpose OCR.

The MRZ is printed in OCR-B at a fixed pitch (44 characters over 111.8 mm in TD3), so once the
band is deskewed and its lines found, each line can be cut into cells and every cell's glyph
told by ``extractors.mrz_glyphs``, trained on degraded OCR-B cells cut by this module's own
``line_cells``. Tesseract's stock English model has no OCR-B training and misreads fillers as
K/C/E (../shared/notes/mrz.md).

Contract: ``read_mrz_band(image)`` returns candidate readings (best first) for
``extractors.mrz.read_mrz`` to verify; it never decides validity itself, but it says when a
reading is ``ambiguous``: another reading, differing only where a glyph was a near tie, passes
every check digit too (OCR-B's O and 0 at two positions weighted 7 and 3 do). Check digits
cannot choose then, and such a reading must not be reported as verified.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from extractors import mrz_glyphs
from extractors.images import otsu_threshold
from extractors.mrz import check_digit, is_state_code
from extractors.mrz_glyphs import ALPHABET

ANGLES = np.arange(-3.0, 3.01, 0.25)
DESKEW_WIDTH = 1200  # pixels: the widest a band is turned at while its angle is sought
BAND_FROM = 0.55  # where a data page's MRZ band may begin, as a fraction of the page's height
RUNNER_UP_MARGIN = 4.0  # log-probability a runner-up may trail the best by (bench/extraction.py)
# an empty cell is a filler, certainly
BLANK = np.array([0.0 if c == "<" else mrz_glyphs.IMPOSSIBLE for c in ALPHABET])
LETTERS, DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
# What each position of a TD3 line may hold (Doc 9303 part 4): choosing the best glyph among
# these alone settles O/0, I/1, B/8, E/2 wherever the format decides.
TD3_ALLOWED = (
    [LETTERS + "<"] * 44,
    [LETTERS + DIGITS + "<"] * 9 + [DIGITS] + [LETTERS + "<"] * 3 + [DIGITS] * 7 + ["MFX<"]
    + [DIGITS] * 7 + [LETTERS + DIGITS + "<"] * 14 + [DIGITS + "<", DIGITS],
)


@dataclass(frozen=True)
class BandReading:
    lines: list[str]
    ambiguous: bool = False
    doubtful: frozenset[int] = frozenset()  # line-2 positions where a runner-up came close


def read_mrz_band(
    image: Image.Image, line_lengths: tuple[int, ...] = (44, 36, 30), band_from: float = BAND_FROM
) -> list[BandReading]:
    """Readings of the MRZ in the image's lower part (from ``band_from`` of its height down:
    a data page's MRZ is at its foot; 0.0 when the image is the band already)."""
    ink, rows = _band(image, band_from)
    candidates = []
    for count, length in ((2, 44), (2, 36), (3, 30)):
        if length not in line_lengths or len(rows) < count:
            continue
        read = [_read_line(ink[top:bottom], length) for top, bottom in rows[-count:]]
        if any(line is None for line in read):
            continue
        if length == 44:
            ranked = [[_ranked(score, allowed) for score, allowed in zip(line, TD3_ALLOWED[i],
                                                                           strict=True)]
                      for i, line in enumerate(read)]  # type: ignore[arg-type]
            line1 = _naming_a_state("".join(r[0] for r in ranked[0]), read[0],  # type: ignore[arg-type]
                                    2, TD3_ALLOWED[0])
            line2 = _naming_a_state(_resolve_with_checks(ranked[1]), read[1],  # type: ignore[arg-type]
                                    10, TD3_ALLOWED[1])
            candidates.append(BandReading(
                [line1, line2],
                ambiguous=_has_rival(line2, ranked[1]),
                doubtful=frozenset(i for i, r in enumerate(ranked[1]) if len(r) > 1)))
        else:
            candidates.append(BandReading(["".join(_ranked(score, ALPHABET)[0] for score in line)
                                           for line in read]))  # type: ignore[union-attr]
    return candidates


@dataclass(frozen=True)
class GlyphsAt:
    """The glyph model's reading of a line at another reader's glyph places."""

    text: str  # each cell's best glyph ('?' where a cell holds no ink)
    round_odds: list[float | None]  # each cell's log P(O) - log P(0): how plainly it is one


def glyphs_at(grey: np.ndarray, centres: np.ndarray) -> GlyphsAt:
    """One MRZ line cut out by another reader (grey, 0-255, upright) read at the glyph centres
    that reader placed: the centres (a CTC frame apart, coarse) fitted to the MRZ's fixed pitch,
    each re-centred on the glyph found there, and each cell told by the glyph model."""
    ink = _ink(grey.astype(np.float32) / 255.0)
    if len(centres) < 2:
        return GlyphsAt("?" * len(centres), [None] * len(centres))
    rows = _text_rows(ink)
    if rows:  # the crop's margins may hold the edge of the line above or below: keep this one
        top, bottom = max(rows, key=lambda row: row[1] - row[0])
        ink = ink[top:bottom]
    slope, start = np.polyfit(np.arange(len(centres)), centres, 1)
    columns = ink.sum(axis=0) > 0
    placed = [_glyph_centre(columns, start + slope * i, slope) for i in range(len(centres))]
    cuts = [ink[:, max(0, round(c - slope / 2)): max(1, round(c + slope / 2))] for c in placed]
    top, bottom = _body(cuts)
    text, odds = [], []
    for cut in cuts:
        cell = cut[top:bottom]
        if cell.sum() < 2:
            text.append("?")
            odds.append(None)
            continue
        scores = mrz_glyphs.log_posteriors(mrz_glyphs.features(cell))
        text.append(ALPHABET[int(np.argmax(scores))])
        odds.append(float(scores[ALPHABET.index("O")] - scores[ALPHABET.index("0")]))
    return GlyphsAt("".join(text), odds)


def line_cells(image: Image.Image, count: int = 2, length: int = 44
               ) -> list[list[np.ndarray | None]] | None:
    """The last ``count`` lines of the band cut into cells, as the reader sees them (for
    scripts/train_mrz_glyphs.py); None when the band has fewer lines."""
    ink, rows = _band(image)
    if len(rows) < count:
        return None
    lines = [_cells(ink[top:bottom], length) for top, bottom in rows[-count:]]
    return None if any(line is None for line in lines) else lines  # type: ignore[return-value]


def _band(image: Image.Image, band_from: float = BAND_FROM
          ) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The lower part of the page levelled, as ink, and the rows of text in it."""
    gray = ImageOps.grayscale(image)
    band = gray.crop((0, int(gray.height * band_from), gray.width, gray.height))
    ink = _ink(np.asarray(_deskew(band), dtype=np.float32) / 255.0)
    return ink, _text_rows(ink)


def _ranked(score: np.ndarray, allowed: str, margin: float = RUNNER_UP_MARGIN) -> list[str]:
    """The best glyph among those allowed, then the runners-up that came close to it: only a
    near tie is a real doubt; a clear reading is never traded to make a check digit pass."""
    order = [k for k in np.argsort(-score) if ALPHABET[k] in allowed]
    best = score[order[0]]
    return [ALPHABET[k] for i, k in enumerate(order[:3])
            if i == 0 or (best - score[k] <= margin and score[k] > mrz_glyphs.IMPOSSIBLE)]


# TD3 line 2: (field start, field end, check digit position)
TD3_CHECKED = ((0, 9, 9), (13, 19, 19), (21, 27, 27), (28, 42, 42))


def _resolve_with_checks(ranked: list[list[str]]) -> str:
    """Where a field fails its check digit, try the runner-up glyph at one position; keep the
    change only if exactly one such substitution satisfies the check."""
    line = [choices[0] for choices in ranked]
    for start, end, check_at in TD3_CHECKED:
        value = "".join(line[start:end])
        if value.strip("<") == "" or check_digit(value) == line[check_at]:
            continue
        fixes = set()
        for position in range(start, end):
            for alternative in ranked[position][1:3]:
                trial = value[: position - start] + alternative + value[position - start + 1:]
                if check_digit(trial) == line[check_at]:
                    fixes.add(trial)
        if len(fixes) > 1:  # let the composite check digit choose among them
            fixes = {f for f in fixes if _composite_holds(line, start, end, f)}
        if len(fixes) == 1:
            line[start:end] = list(fixes.pop())
    return "".join(line)


def _naming_a_state(line: str, scores: list[np.ndarray], start: int, allowed: list[str]) -> str:
    """The line with the three glyphs of its state code (the issuing state on TD3 line 1, the
    nationality on line 2) chosen among those the cells' shapes allow so that they name a
    state, when the best glyphs do not ("O<<" for Germany's "D<<", "KDR" for "KOR"): no check
    digit covers these codes, the list of states is their only check."""
    if is_state_code(line[start: start + 3]):
        return line
    shapes = [_ranked(scores[i], allowed[i], margin=np.inf) for i in range(start, start + 3)]
    readings = sorted(itertools.product(*(enumerate(choices) for choices in shapes)),
                      key=lambda reading: sum(rank for rank, _ in reading))
    named = ["".join(char for _, char in reading) for reading in readings]
    named = [code for code in named if is_state_code(code)]
    return line[:start] + named[0] + line[start + 3:] if named else line


def _has_rival(line: str, ranked: list[list[str]]) -> bool:
    """Whether a reading other than ``line``, changing one or two near-tie glyphs, also passes
    every check digit of a TD3 line 2 and names a nationality that exists ("KDR" for "KOR" is
    no rival, there is no such state)."""
    if not _all_checks_hold(line):
        return False
    doubtful = [(i, alt) for i, choices in enumerate(ranked) for alt in choices if alt != line[i]]
    for size in (1, 2):
        for changes in itertools.combinations(doubtful, size):
            if len({i for i, _ in changes}) < size:
                continue
            trial = list(line)
            for i, alt in changes:
                trial[i] = alt
            if _all_checks_hold("".join(trial)) and is_state_code("".join(trial[10:13])):
                return True
    return False


def _all_checks_hold(line: str) -> bool:
    fields_hold = all((line[start:end].strip("<") == "" and line[at] in "<0")
                      or check_digit(line[start:end]) == line[at]
                      for start, end, at in TD3_CHECKED)
    return fields_hold and check_digit(line[0:10] + line[13:20] + line[21:43]) == line[43]


def _composite_holds(line: list[str], start: int, end: int, value: str) -> bool:
    trial = line[:start] + list(value) + line[end:]
    text = "".join(trial)
    return check_digit(text[0:10] + text[13:20] + text[21:43]) == text[43]


def _ink(gray: np.ndarray) -> np.ndarray:
    """1.0 where there is ink, by Otsu's threshold."""
    return (gray < otsu_threshold(gray, 0.0, 1.0)).astype(np.float32)


def _deskew(band: Image.Image) -> Image.Image:
    # the angle is found on the band shrunk to A4's width at 100 dpi or so (a 600 dpi scan's
    # band, shrunk only by three, took a second to turn 25 times)
    factor = max(3, math.ceil(band.width / DESKEW_WIDTH))
    small = band.resize((max(1, band.width // factor), max(1, band.height // factor)))
    scores = []
    for angle in ANGLES:
        ink = _ink(np.asarray(small.rotate(angle, fillcolor=255), dtype=np.float32) / 255.0)
        scores.append(np.var(ink.sum(axis=1)))  # sharp row profile = level text lines
    return band.rotate(float(ANGLES[int(np.argmax(scores))]), fillcolor=255)


def _text_rows(ink: np.ndarray) -> list[tuple[int, int]]:
    """Row bands that hold a long line of characters (ink spread across the width)."""
    profile = ink.sum(axis=1)
    busy = profile > max(3.0, 0.15 * profile.max())
    rows, start = [], None
    for y, on in enumerate([*busy, False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 6:
                columns = np.nonzero(ink[start:y].sum(axis=0))[0]
                if len(columns) and columns[-1] - columns[0] > 0.5 * ink.shape[1]:
                    rows.append((max(0, start - 2), min(ink.shape[0], y + 2)))
            start = None
    return rows


def _read_line(ink: np.ndarray, length: int) -> list[np.ndarray] | None:
    """For each of ``length`` cells, the log-probability of every ALPHABET glyph."""
    cells = _cells(ink, length)
    if cells is None:
        return None
    return [BLANK if cell is None else mrz_glyphs.log_posteriors(mrz_glyphs.features(cell))
            for cell in cells]


def _cells(ink: np.ndarray, length: int) -> list[np.ndarray | None] | None:
    """The line cut into ``length`` cells at the MRZ's fixed pitch; None for an empty cell."""
    profile = ink.sum(axis=0)
    columns = profile > 0
    runs = _glyph_runs(profile)
    if len(runs) < 2:
        return None
    # Glyphs sit at a fixed pitch: place each cell on the line between the first and the last
    # glyph's centres, so the cut never drifts across a character.
    first, last = sum(runs[0]) / 2, sum(runs[-1]) / 2
    pitch = (last - first) / (length - 1)
    cuts = []
    for i in range(length):
        centre = _glyph_centre(columns, first + i * pitch, pitch)
        cuts.append(ink[:, max(0, round(centre - pitch / 2)): round(centre + pitch / 2)])
    top, bottom = _body(cuts)
    # every cell spans the line's body, so where a glyph sits in its cell means the same in
    # every cell (a filler low, a letter full height), whatever margin the row was found with
    return [cut[top:bottom] if cut[top:bottom].sum() >= 2 else None for cut in cuts]


def _glyph_runs(profile: np.ndarray) -> list[tuple[int, int]]:
    """Column runs of ink that hold a glyph: a speck of dust beyond the line's last glyph
    would stretch the pitch and cut every cell askew."""
    runs = _column_runs(profile > 0)
    if not runs:
        return runs
    mass = [float(profile[a:b].sum()) for a, b in runs]
    least = 0.15 * float(np.median(mass))  # a filler holds about half a letter's ink
    return [run for run, ink in zip(runs, mass, strict=True) if ink >= least]


def _glyph_centre(columns: np.ndarray, expected: float, pitch: float) -> float:
    """The centre of the glyph found near where the pitch puts it: a page scanned a little
    stretched drifts by a pixel or two along the line, enough to cut a P's bowl into an F."""
    low = max(0, round(expected - 0.75 * pitch))
    runs = [(low + a, low + b) for a, b in _column_runs(columns[low: round(expected + 0.75 * pitch)])
            if abs((low + a + low + b) / 2 - expected) < pitch / 3]
    if not runs:
        return expected
    start, end = min(a for a, _ in runs), max(b for _, b in runs)
    if end - start > pitch:  # glyphs blurred into each other: keep the pitch's place
        return expected
    return (start + end) / 2


def _body(cuts: list[np.ndarray]) -> tuple[int, int]:
    """The rows from the top of the line's capitals to their foot (with a margin), from the
    cells' own ink: fillers sit lower and are shorter, so the higher tops and the lower feet
    are the glyphs'."""
    tops, feet = [], []
    for cut in cuts:
        rows = np.nonzero(cut.sum(axis=1))[0]
        if len(rows):
            tops.append(rows[0])
            feet.append(rows[-1])
    if len(tops) < 3:
        return 0, cuts[0].shape[0]
    top, foot = int(np.percentile(tops, 10)), int(np.percentile(feet, 90)) + 1
    # a line left a fraction of a degree askew (the deskew's step) rises a few pixels from
    # one end to the other: a margin keeps the ends' glyphs whole
    margin = round(0.15 * (foot - top))
    return max(0, top - margin), foot + margin


def _column_runs(on: np.ndarray) -> list[tuple[int, int]]:
    runs, start = [], None
    for x, value in enumerate([*on, False]):
        if value and start is None:
            start = x
        elif not value and start is not None:
            runs.append((start, x))
            start = None
    return runs
