"""Which MRZ reading a recogniser's glyph probabilities support, and whether a rival does too.

One check digit catches only nine random errors in ten, and some confusions none at all: a
``G`` read as ``6`` changes a value by 10, ``L`` as ``1`` or ``S`` as ``8`` by 20, so the
weighted sum moves by a multiple of 10 at any weight (``BLIND_PAIRS``); two ``O``/``0`` swaps at
weights 7 and 3 move it by 240. So a reading is trusted only when (1) every glyph the check
digits cover was read with a probability that was reliable on images unlike the training ones
(``SURE``), (2) a glyph of a pair no check digit sees was read surer still (``SURE_BLIND``),
and (3) no other reading, changing glyphs to alternatives the recogniser gave within
``MARGIN`` of its best, passes every check digit as well.

Contract: ``resolve(format, log_probs)`` takes, per MRZ line, an array (glyphs × ALPHABET) of
log-probabilities and returns a ``Resolution``: the lines read (each position's best allowed
glyph; where check digits fail, the cheapest change within the margin that makes them all
hold), and the reasons, if any, it must not be trusted. ``confirmed`` maps positions to the
glyph an independent reader read there: they are not in doubt. An O or a 0 that no check
digit covers (a visa's optional data) is in doubt unless ``confirmed``, and that doubt is
``lasting``: another reader agreeing on the glyph does not settle it. Lines of the wrong length
are the caller's to fit first.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from dataclasses import dataclass, field

import numpy as np

from extractors.mrz import COMPOSITE, LAYOUTS, SHAPES, checks_of, field_at

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
LETTERS, DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
# Set on the training-side pages of bench/mrz_sets.py (never on the held-apart ones):
MARGIN = 6.0  # nats: an alternative this close to the best glyph is a real doubt
SURE = 0.80  # a glyph under a check digit read less surely than this leaves the MRZ unverified
SURE_BLIND = 0.97  # the same for a glyph of a pair the check digits cannot tell apart
MAX_DOUBTS = 10  # more doubtful glyphs than this: the check digits cannot settle them
MAX_CHANGES = 3
# A general recogniser tells OCR-B's O from its 0 poorly (the glyphs differ by a few pixels of
# width; measured: PP-OCR read "OMPZOM75W" as "0MPZ0M75W" with near certainty, and both pass):
# where a position may hold either, the swap is always weighed as a rival, so that only another
# reader agreeing settles it, and PP-OCR's O or 0 is listed as unsure (``Resolution.unsure``).
ROUND = "O0DQ"
ROUND_COST = MARGIN / 2  # two O/0 swaps that pass every check are always within the margin
# pairs that look alike in OCR-B and in print
CONFUSABLE = ("O0", "D0", "Q0", "OD", "I1", "L1", "IL", "B8", "S5", "Z2", "G6", "UV", "EF",
              "MH", "VY", "S8", "Z5", "T1", "T7", "A4", "CG", "B3", "J1")


def _char_value(char: str) -> int:
    return 0 if char == "<" else int(char) if char.isdigit() else ord(char) - 55


# those whose values differ by a multiple of 10: at any weight the check digit stays the same,
# so no check digit can tell them apart (G/6, L/1, S/8, Z/5)
BLIND_PAIRS = frozenset(
    pair for pair in CONFUSABLE if (_char_value(pair[0]) - _char_value(pair[1])) % 10 == 0)


@dataclass
class Resolution:
    lines: list[str]
    doubts: list[str] = field(default_factory=list)  # why the reading must not be trusted
    changed: list[tuple[int, int, str, str]] = field(default_factory=list)  # line, pos, from, to
    unsure: frozenset[tuple[int, int]] = frozenset()  # (line, position) read less surely than SURE
    lasting: list[str] = field(default_factory=list)  # doubts no reader's agreement settles

    @property
    def trusted(self) -> bool:
        return not self.doubts


@functools.cache
def allowed(kind: str) -> list[list[str]]:
    """What each position of each line may hold (Doc 9303 part 4)."""
    rows = []
    for line in LAYOUTS[kind]:
        row: list[str] = []
        for name, start, end, k in line:
            chars = {"a": LETTERS + "<", "n": DIGITS, "c": DIGITS + "<",
                     "x": LETTERS + DIGITS + "<"}[k]
            if name == "sex":
                chars = "MFX<"
            if name == "document_code":  # no check digit: letters only ("I0" is "ID")
                row.extend([LETTERS, LETTERS + "<"])
                continue
            row.extend([chars] * (end - start))
        rows.append(row)
    return rows


def resolve(kind: str, log_probs: list[np.ndarray],
            confirmed: dict[tuple[int, int], str] | None = None) -> Resolution:
    count, width = SHAPES[kind]
    if len(log_probs) != count or any(len(p) != width for p in log_probs):
        raise ValueError(f"{kind} needs {count} lines of {width} glyphs")
    permitted = allowed(kind)
    masks = [np.array([[c in chars for c in ALPHABET] for chars in row]) for row in permitted]
    # each position's probabilities among the glyphs it may hold
    scores = [_log_normalised(np.where(mask, probs, -np.inf))
              for probs, mask in zip(log_probs, masks, strict=True)]
    best = [[ALPHABET[int(k)] for k in s.argmax(axis=1)] for s in scores]
    # a glyph its field does not allow settles nothing (a reading left as read confirms it)
    confirmed = {(i, p): glyph for (i, p), glyph in (confirmed or {}).items()
                 if glyph in permitted[i][p]}
    for (i, p), glyph in confirmed.items():
        best[i][p] = glyph
    checked = checked_positions(kind)
    alternatives = []  # (cost, line, position, glyph) within the margin, on checked lines
    round_alternatives: list[tuple[float, int, int, str]] = []
    for (i, p) in sorted(checked - confirmed.keys()):
        top = scores[i][p].max()
        near = {ALPHABET[int(k)]: float(top - scores[i][p][k])
                for k in np.argsort(-scores[i][p])[1:4] if top - scores[i][p][k] <= MARGIN}
        swapped = set()
        if _round(best[i][p], permitted[i][p]):  # O/0/D/Q: a rival whatever the recogniser says;
            # the other of an O or 0 read is never dearer than a rival it gave no odds at all
            swapped = {glyph for glyph in "O0" if glyph != best[i][p] and (
                glyph not in near or (best[i][p] in "O0" and near[glyph] > ROUND_COST))}
            round_alternatives += [(ROUND_COST, i, p, glyph) for glyph in swapped]
        alternatives += [(cost, i, p, glyph) for glyph, cost in near.items()
                         if glyph not in swapped]
    readings = _passing_readings(kind, best, alternatives + round_alternatives)
    doubts = []
    if len(alternatives) > MAX_DOUBTS:
        doubts.append(f"{len(alternatives)} doubtful characters")
    if not readings:
        # no change within the margin makes the check digits hold: the document may not follow
        # ICAO's fields (extractors.mrz.read_mrz), so each glyph is the one read, not forced
        as_read = [[ALPHABET[int(k)] for k in probs.argmax(axis=1)] for probs in log_probs]
        for (i, p), glyph in confirmed.items():
            as_read[i][p] = glyph
        return Resolution(["".join(line) for line in as_read], [*doubts, "check digits fail"],
                          unsure=_unsure(best, scores, permitted))
    (cost, changes), *others = readings
    lines = [list(line) for line in best]
    for _, i, p, glyph in changes:
        lines[i][p] = glyph
    if others and others[0][0] - cost <= MARGIN:
        rival = [f"{field_at(kind, i, p)} {best[i][p]} or {glyph} (line {i + 1} character {p + 1})"
                 for _, i, p, glyph in others[0][1]]
        doubts.append(f"another reading passes every check digit too: {'; '.join(rival)}")
    # a visa's optional data: no check digit can choose between O and 0
    unsettled_round = next(((i, p) for i, line in enumerate(lines) for p, glyph in enumerate(line)
                            if (i, p) not in checked and (i, p) not in confirmed
                            and _round(glyph, permitted[i][p])), None)
    lasting = []
    if unsettled_round is not None:
        i, p = unsettled_round
        lasting.append(f"line {i + 1} character {p + 1} ({field_at(kind, i, p)}) may be O or 0, "
                       "and no check digit covers it")
        doubts += lasting
    probs = [np.exp(s) for s in scores]
    for i, p in sorted(checked - confirmed.keys()):
        sure = float(probs[i][p][ALPHABET.index(lines[i][p])])
        blind = any(lines[i][p] in pair and all(c in permitted[i][p] for c in pair)
                    and sure < SURE_BLIND for pair in BLIND_PAIRS)
        if sure < SURE or blind:
            doubts.append(f"line {i + 1} character {p + 1} ({field_at(kind, i, p)}) is unclear: "
                          f"read as {lines[i][p]} with {sure:.2f}")
            break
    return Resolution(["".join(line) for line in lines], doubts,
                      [(i, p, best[i][p], glyph) for _, i, p, glyph in changes],
                      _unsure(lines, scores, permitted), lasting)


def _unsure(lines: list[list[str]], scores: list[np.ndarray], permitted: list[list[str]]
            ) -> frozenset[tuple[int, int]]:
    return frozenset((i, p) for i, line in enumerate(lines) for p, glyph in enumerate(line)
                     if scores[i][p][ALPHABET.index(glyph)] < np.log(SURE)
                     or _round(glyph, permitted[i][p]))


def _round(glyph: str, permitted: str) -> bool:
    return glyph in ROUND and o_or_0_may_stand(permitted)


def o_or_0_may_stand(permitted: str) -> bool:
    """Whether a position allowing ``permitted`` may hold either O or 0 (no field rule chooses)."""
    return "O" in permitted and "0" in permitted


def _log_normalised(scores: np.ndarray) -> np.ndarray:
    top = scores.max(axis=1, keepdims=True)
    return scores - top - np.log(np.exp(scores - top).sum(axis=1, keepdims=True))


def holds(kind: str, lines: list[str]) -> bool:
    """Every check digit and both state codes of the lines hold."""
    return all(checks_of(kind, lines).values())


@functools.cache
def checked_positions(kind: str) -> set[tuple[int, int]]:
    """Positions a check digit covers, the check digits themselves, and the state codes (the
    list of states is their check)."""
    covered = {(i, p) for i, a, b in COMPOSITE[kind] for p in range(a, b)}
    checked_fields = {name.removesuffix("_check") for line in LAYOUTS[kind]
                      for name, *_ in line if name.endswith("_check")}
    for i, line in enumerate(LAYOUTS[kind]):
        for name, a, b, _ in line:
            if name.endswith("check") or name in checked_fields \
                    or name in ("issuing_state", "nationality"):
                covered |= {(i, p) for p in range(a, b)}
    return covered


def _passing_readings(kind: str, best: list[list[str]],
                      alternatives: list[tuple[float, int, int, str]]
                      ) -> list[tuple[float, tuple]]:
    """The two cheapest readings that pass every check, by total cost of their changes."""
    found: list[tuple[float, tuple]] = []
    heap: list[tuple[float, tuple]] = []
    for size in range(0, MAX_CHANGES + 1):
        for changes in itertools.combinations(alternatives, size):
            if len({(i, p) for _, i, p, _ in changes}) < size:
                continue
            cost = sum(c for c, *_ in changes)
            lines = [list(line) for line in best]
            for _, i, p, glyph in changes:
                lines[i][p] = glyph
            if holds(kind, ["".join(line) for line in lines]):
                heapq.heappush(heap, (cost, changes))
        if len(alternatives) > 3 * MAX_DOUBTS and size >= 2:
            break  # a search that deep would be slow, and the reading is not trusted anyway
    while heap and len(found) < 2:
        found.append(heapq.heappop(heap))
    return found
