"""MRZ lines found and read by PP-OCR (rapidocr: a text detector and recogniser trained on real
print, whose ONNX models ship inside its wheel), its output limited to the MRZ alphabet.

Why a second reader: the OCR-B glyph reader (``extractors.mrz_reader``) cuts cells at the
MRZ's fixed pitch and tells them by a model of clean OCR-B; on security backgrounds, pages
laid sideways and photographs its cuts and its model fail (#18). PP-OCR's detector finds text
lines anywhere and at any angle on a page, and its recogniser reads glyphs on guilloche and
tint; we keep, for every glyph it emits, the probability of every MRZ character at that frame,
so a reading's doubtful glyphs and its confusable rivals can be weighed (``extractors.mrz_rivals``)
instead of trusting one check digit.

Contract: ``read_mrz_lines(image)`` returns the page's MRZ-like lines (28-46 characters of the
MRZ alphabet), each with its box on the page, per-glyph log-probabilities over ``ALPHABET`` and
where each glyph sits on the line; ``read_mrz_ppocr(image)`` groups them into MRZs and says for
each the doubts that keep it from being trusted (``extractors.mrz_rivals``), settling a doubt at
a glyph only where the OCR-B glyph model, shown the cell PP-OCR placed there, reads the same.
A page turned 90, 180 or 270 degrees is read too: a box taller than wide is turned, and PP-OCR's
direction classifier says which lines lie upside down.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from extractors.mrz import SHAPES, TO_DIGIT, TO_LETTER, VISAS, field_at, names_line
from extractors.mrz_reader import GlyphsAt, glyphs_at
from extractors.mrz_rivals import (
    ROUND,
    SURE_BLIND,
    allowed,
    checked_positions,
    holds,
    o_or_0_may_stand,
    resolve,
)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MIN_ASPECT = 8.0  # width / height of a detected box that may hold an MRZ line (TD1's is ~17)
MIN_LENGTH, MAX_LENGTH = 28, 46
# the detector works on the page scaled so that its longer side is at most this many pixels;
# the recogniser reads each line cut from the full-resolution page
DETECT_SIDE = 1600
# a first glance at the whole page is at this side (a fifth of the pixels and of the
# time): it finds where the MRZ's lines lie, and they are then detected closely there
GLANCE_SIDE = 736
# the share of the page beyond which the lines a glance found are not looked at closely (a
# letter's justified lines pair like an MRZ's: the page is detected whole instead)
GLANCE_AREA = 0.5
FIRM_DIRECTION = 0.95  # the direction classifier's score taken without reading both ways
# the share of a page's text boxes running along its height that says it lies sideways
SIDEWAYS_SHARE = 2 / 3
# the glyph model's log-odds between O and 0 beyond which it reads one of them plainly (set on
# training-side pages, bench/passports_dev.py seeds 31-33: of 203 cells printing O or 0, the
# one it read this plainly and wrongly lay in a line cut in the wrong place)
ROUND_PLAIN = 12.0
LOCK = threading.Lock()  # onnxruntime sessions are shared: one reader at a time per process


@dataclass(frozen=True)
class MrzLine:
    text: str
    log_probs: np.ndarray  # (len(text), len(ALPHABET)): each glyph's frame, every character
    box: np.ndarray  # 4 corner points on the page
    upside_down: bool  # read from the box's crop turned 180 degrees
    crop: np.ndarray  # the line as read (grey, turned upright)
    centres: np.ndarray  # each glyph's centre, x in the crop
    page_turned: int = 0  # degrees (counter-clockwise) the page was turned to find the line

    @property
    def centre(self) -> np.ndarray:
        return self.box.mean(axis=0)

    @property
    def height(self) -> float:
        return min(self.sides)

    @property
    def direction(self) -> np.ndarray:
        """A unit vector along the line (its sign unknown: the crop may have been turned)."""
        along = self.box[1] - self.box[0] if self.sides[0] >= self.sides[1] else \
            self.box[2] - self.box[1]
        return along / max(float(np.linalg.norm(along)), 1e-6)

    @property
    def sides(self) -> tuple[float, float]:
        return (float(np.linalg.norm(self.box[1] - self.box[0])),
                float(np.linalg.norm(self.box[2] - self.box[1])))


@functools.cache
def _engine():  # loaded once per process: ~0.3 s and 30 MB of models
    from rapidocr import RapidOCR

    return RapidOCR(params={
        "Global.log_level": "error",
        "Global.max_side_len": DETECT_SIDE,
        # one thread per model: the flows already read pages in parallel
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


@functools.cache
def _alphabet_columns() -> np.ndarray:
    """The recogniser's output columns of the CTC blank and of each MRZ character."""
    characters = recogniser().postprocess_op.character
    index = {c: i for i, c in enumerate(characters)}
    return np.array([0] + [index[c] for c in ALPHABET])


def recogniser():
    return _engine()._load_rec_model()


def load_models() -> str:
    """Load the detector, direction classifier and recogniser (for `mailroom doctor`: a broken
    install fails here rather than on the first passport); their version."""
    from importlib.metadata import version

    engine = _engine()
    engine._load_det_model()
    engine._load_cls_model()
    recogniser()
    return f"rapidocr {version('rapidocr')}, {engine.cfg.Rec.ocr_version.value} models"


def read_mrz_lines(image: Image.Image, band: bool = False) -> list[MrzLine]:
    """The MRZ-like lines the detector finds on the whole page; ``band``: the image is a band
    cut around them (see ``read_mrz_ppocr``)."""
    return _whole_page_lines(_bgr(image), band)


def _bgr(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("RGB"))[:, :, ::-1].copy()  # rapidocr works in BGR


def _whole_page_lines(page: np.ndarray, band: bool) -> list[MrzLine]:
    with LOCK:  # onnxruntime sessions are shared; one page at a time per process
        kept, sideways = _mrz_boxes(page, band)
        lines = _read_boxes(page, kept)
        if sideways and not _fit_an_mrz(lines):
            # the detector, trained on level text, may miss, merge or cut short the MRZ's
            # lines on a page laid sideways (a visa's filler run one short): the page turned a
            # quarter is looked at again (its lines then lie level, upright or upside down,
            # which the direction classifier tells)
            turned = np.ascontiguousarray(np.rot90(page))
            again = _read_boxes(turned, _mrz_boxes(turned, band)[0], page_turned=90)
            lines = again if _fit_an_mrz(again) or not _groups(lines) else lines
    return lines


def _read_boxes(page: np.ndarray, kept: list[np.ndarray], page_turned: int = 0
                ) -> list[MrzLine]:
    """The MRZ-like lines read in the page's boxes (the caller holds ``LOCK``)."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    crops = [get_rotate_crop_image(page, box.copy()) for box in kept]
    if not crops:
        return []
    # PP-OCR's direction classifier says which lines lie upside down (a page turned 180
    # degrees, or 90 the other way than the crop was turned); where it is unsure, the line
    # is read both ways and the surer reading kept
    directions = _engine()._load_cls_model()(crops).cls_res
    turned_first = [label == "180" for label, _ in directions]
    firm = [score >= FIRM_DIRECTION for _, score in directions]
    as_classified = [np.ascontiguousarray(c[::-1, ::-1]) if t else c
                     for c, t in zip(crops, turned_first, strict=True)]
    first = _recognise(as_classified)
    # the classifier is sometimes firmly wrong on OCR-B: a line that does not read as an
    # MRZ line is read the other way up too
    unsure = [k for k in range(len(crops)) if not firm[k] or not _mrz_like(first[k][0])]
    second = dict(zip(unsure, _recognise(
        [np.ascontiguousarray(as_classified[k][::-1, ::-1]) for k in unsure]), strict=True))
    nothing = ("", np.zeros((0, len(ALPHABET))), np.zeros(0))
    lines = []
    for k, (box, crop) in enumerate(zip(kept, crops, strict=True)):
        other = second.get(k, nothing)
        upright, turned = (other, first[k]) if turned_first[k] else (first[k], other)
        use_turned = _mean_confidence(turned[1]) > _mean_confidence(upright[1])
        text, probs, centres = turned if use_turned else upright
        if _mrz_like(text):
            grey = np.asarray(Image.fromarray(crop[:, :, ::-1]).convert("L"))
            lines.append(MrzLine(text, np.log(np.maximum(probs, 1e-12)), box, use_turned,
                                 np.ascontiguousarray(grey[::-1, ::-1]) if use_turned else grey,
                                 centres, page_turned))
    return lines


def _glanced(page: np.ndarray) -> list[MrzLine]:
    """The MRZ-like lines found by a glance at the page scaled down and a close look where it
    saw lines paired like an MRZ's (the caller holds ``LOCK``). Where the close look loses
    them (a guilloche printed under an over-inked MRZ breaks its lines into pieces at that
    scale, while the glance sees the pattern blurred away), the glance's own boxes are read."""
    glanced = _in_mrz_like_pairs(_joined(_detected(page, enlarge=False, side=GLANCE_SIDE)))
    region = _around(glanced, page.shape)
    if region is None:
        return []
    x0, y0, x1, y1 = region
    # the region at the scale the whole page would be detected at: at full size, a
    # background's microprint reads as many more long lines paired like an MRZ's
    scale = min(1.0, DETECT_SIDE / max(page.shape[:2]))
    side = max(32, round(max(x1 - x0, y1 - y0) * scale))
    return _read_boxes(page, _pairs_in(page, region, enlarge=False, side=side) or glanced)


def _pairs_in(page: np.ndarray, region: tuple[int, int, int, int], enlarge: bool = True,
              side: int = DETECT_SIDE) -> list[np.ndarray]:
    """The boxes of MRZ-like pairs of lines detected in a region of the page, on the page."""
    x0, y0, x1, y1 = region
    boxes = [_ordered(box) for box in _detected(page[y0:y1, x0:x1].copy(), enlarge, side)]
    return [box + np.array([x0, y0], dtype=np.float32)
            for box in _in_mrz_like_pairs(_joined(boxes))]


def _around(boxes: list[np.ndarray], shape: tuple[int, ...]
            ) -> tuple[int, int, int, int] | None:
    """The page around these lines: three line heights across them and a quarter of their
    length along them each way (a glance may lose a line's faint filler run); None when there
    are none or they spread over more than ``GLANCE_AREA`` of the page."""
    if not boxes:
        return None
    points = []
    for box in boxes:
        length, height, along, centre = _shape(box)
        across = np.array([-along[1], along[0]])
        points += [centre + a * along * 0.75 * length + b * across * 3.5 * height
                   for a in (-1, 1) for b in (-1, 1)]
    height, width = shape[:2]
    (x0, y0), (x1, y1) = np.min(points, axis=0), np.max(points, axis=0)
    x0, y0, x1, y1 = max(0, int(x0)), max(0, int(y0)), min(width, int(x1)), min(height, int(y1))
    if (x1 - x0) * (y1 - y0) > GLANCE_AREA * width * height:
        return None
    return x0, y0, x1, y1


def _mrz_boxes(page: np.ndarray, band: bool = False) -> tuple[list[np.ndarray], bool]:
    """The boxes of the page's MRZ-like lines, and whether the page may lie sideways
    (``_may_lie_sideways``)."""
    boxes = _detected(page, enlarge=not band)
    kept = _in_mrz_like_pairs(_joined(boxes))
    region = None if kept else _pair_region(boxes, page.shape)
    if region is not None:
        # the page scaled for the detector lost the lines' faint filler runs and cut them
        # short of one another's length: the lines' region, looked at closer, keeps them
        kept = _pairs_in(page, region)
    return kept, _may_lie_sideways(boxes, whole_page=not band)


def _may_lie_sideways(boxes: list[np.ndarray], whole_page: bool = True) -> bool:
    """Whether the page may lie sideways: most of its text boxes (at least ``SIDEWAYS_SHARE`` of
    those twice as long as high) run along the page's height, or, on a whole page, fewer than
    three such lines were found to tell (the detector, trained on level text, may miss every
    line of a page laid sideways: a visa photographed at 150 dpi on a patterned ground gave it
    three boxes). A band cut around tesseract's MRZ words lies level and holds few lines."""
    shapes = [_shape(box) for box in boxes]
    lines = [along for length, height, along, _ in shapes if length >= 2 * height]
    upright = [along for along in lines if abs(float(along[1])) > abs(float(along[0]))]
    if len(lines) < 3:
        return whole_page
    return len(upright) >= SIDEWAYS_SHARE * len(lines)


def _detected(page: np.ndarray, enlarge: bool = True, side: int = DETECT_SIDE
              ) -> list[np.ndarray]:
    """The text boxes on the page. The detector enlarges an image whose shorter side is under
    its limit (736 pixels); a band of a few lines needs none of that (enlarged, it costs as
    much as the whole page): it is then scaled down only to fit ``side``."""
    detector, configured = _engine()._load_det_model(), _engine().cfg.Det
    detector.limit_type = configured.limit_type if enlarge else "max"
    detector.limit_side_len = configured.limit_side_len if enlarge else side
    detected = _engine()(page, use_det=True, use_cls=False, use_rec=False)
    return [] if detected.boxes is None else [np.asarray(box, dtype=np.float32)
                                              for box in detected.boxes]


def _pair_region(boxes: list[np.ndarray], shape: tuple[int, ...]
                 ) -> tuple[int, int, int, int] | None:
    """Where two long parallel lines lie one to three line heights apart, whatever their
    lengths: the page around them (the longer's length each way: what was found of a line
    may be half of it), or None."""
    shapes = [_shape(box) for box in boxes]
    found = []
    for (i, a), (j, b) in itertools.combinations(enumerate(shapes), 2):
        if min(a[0] / a[1], b[0] / b[1]) < MIN_ASPECT or abs(float(a[2] @ b[2])) < 0.995:
            continue
        across = abs(float((b[3] - a[3]) @ np.array([-a[2][1], a[2][0]])))
        if 0.5 * a[1] <= across <= 3.5 * max(a[1], b[1]):
            found += [i, j]
    if not found:
        return None
    points = np.vstack([boxes[i] for i in found])
    reach = max(shapes[i][0] for i in found)
    (x0, y0), (x1, y1) = points.min(axis=0) - reach, points.max(axis=0) + reach
    height, width = shape[:2]
    return (max(0, int(x0)), max(0, int(y0)), min(width, int(x1)), min(height, int(y1)))


def _joined(boxes: list[np.ndarray]) -> list[np.ndarray]:
    """Boxes that continue one another along one line merged into one: a pattern printed under
    the MRZ can break a line in two where the detector loses it for a glyph or two."""
    import cv2

    boxes = list(boxes)
    merged = True
    while merged:
        merged = False
        for i, j in itertools.combinations(range(len(boxes)), 2):
            if _continues(boxes[i], boxes[j]):
                union = cv2.minAreaRect(np.vstack([boxes[i], boxes[j]]).astype(np.float32))
                boxes[i] = _ordered(cv2.boxPoints(union))
                del boxes[j]
                merged = True
                break
    return boxes


def _continues(a: np.ndarray, b: np.ndarray) -> bool:
    (la, ha, along, ca), (lb, hb, other, cb) = _shape(a), _shape(b)
    if min(la / ha, lb / hb) < 2 or abs(float(along @ other)) < 0.995 or abs(ha - hb) > 0.3 * ha:
        return False
    offset = cb - ca
    across = abs(float(offset @ np.array([-along[1], along[0]])))
    gap = abs(float(offset @ along)) - (la + lb) / 2
    return across < 0.4 * ha and gap < 1.5 * ha


def _ordered(points: np.ndarray) -> np.ndarray:
    """Corners as the detector gives them: clockwise (on the page, y down) from the top left.
    Taken around the centre, so that a steep box (a line of a page turned 90 degrees) keeps
    its corners in turn rather than crossing its own sides."""
    centre = points.mean(axis=0)
    around = sorted(points.tolist(), key=lambda point: math.atan2(point[1] - centre[1],
                                                                  point[0] - centre[0]))
    start = min(range(4), key=lambda k: around[k][0] + around[k][1])
    return np.array(around[start:] + around[:start], dtype=np.float32)


def _shape(box: np.ndarray) -> tuple[float, float, np.ndarray, np.ndarray]:
    """A box's length, height, unit direction along it and centre."""
    a, b = float(np.linalg.norm(box[1] - box[0])), float(np.linalg.norm(box[2] - box[1]))
    along = (box[1] - box[0]) if a >= b else (box[2] - box[1])
    return max(a, b), max(min(a, b), 1e-6), along / max(max(a, b), 1e-6), box.mean(axis=0)


# birth date and its check digit, sex, expiry date and its check digit: every MRZ has this run,
# also a line whose optional data leaves no room for a filler
_DATES_RUN = re.compile(r"\d{7}[MFX<]\d{7}")
# a card's first line: document code, issuing state, document number and its check digit; its
# optional data may leave no room for a filler either
_CARD_FIRST_LINE = re.compile(r"[IAC][A-Z<][A-Z<]{3}[A-Z0-9<]{9}\d")


def _mrz_like(text: str) -> bool:
    return MIN_LENGTH <= len(text) <= MAX_LENGTH and (
        "<" in text or text[:6].isdigit() or _DATES_RUN.search(text) is not None
        or _CARD_FIRST_LINE.match(text) is not None)


def _in_mrz_like_pairs(boxes: list[np.ndarray]) -> list[np.ndarray]:
    """The long boxes that have a neighbour of the same length lying parallel one to three
    line heights away: an MRZ's lines are printed at a fixed pitch and filled to the end with
    fillers, so they come in pairs or threes of one width; a letter's ragged lines mostly do
    not, and reading only these keeps a page of text cheaper."""
    shapes = [_shape(box) for box in boxes]
    kept = []
    for i, (length, height, along, centre) in enumerate(shapes):
        if length < MIN_ASPECT * height:
            continue
        for j, (other_length, other_height, other_along, other_centre) in enumerate(shapes):
            if i == j or abs(length - other_length) > 0.06 * max(length, other_length):
                continue
            if abs(float(along @ other_along)) < 0.995:  # not parallel (within ~6 degrees)
                continue
            offset = other_centre - centre
            across = abs(float(offset @ np.array([-along[1], along[0]])))
            if 0.5 * height <= across <= 3.5 * max(height, other_height) \
                    and abs(float(offset @ along)) <= 0.1 * length:
                kept.append(boxes[i])
                break
    return kept


def _mean_confidence(probs: np.ndarray) -> float:
    return float(probs.max(axis=1).mean()) if len(probs) else 0.0


def _recognise(crops: list[np.ndarray]) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Each crop's text over the MRZ alphabet (greedy CTC over the blank and ALPHABET only),
    with each glyph's probabilities at its most confident frame and its centre's x in the
    crop."""
    columns = _alphabet_columns()
    results = []
    for crop in crops:
        frames, per_frame = recognised_frames(crop)
        frames = frames[:, columns]  # (T, 1 + len(ALPHABET))
        frames = frames / np.maximum(frames.sum(axis=1, keepdims=True), 1e-12)
        text, probs, at = _collapse(frames)
        results.append((text, probs, (at + 0.5) * per_frame))
    return results


def recognised_frames(crop: np.ndarray) -> tuple[np.ndarray, float]:
    """The recogniser's probabilities over its whole dictionary at each frame of ``crop`` (one
    line, height x width x 3), and how many of the crop's pixels one frame spans (the caller
    holds ``LOCK``)."""
    model = recogniser()
    height, width = model.rec_image_shape[1:3]
    ratio = max(width / height, crop.shape[1] / max(1, crop.shape[0]))
    batch = model.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
    frames = model.session(batch)[0]
    # frames span the padded input evenly; the crop fills its first `resized` columns
    resized = min(batch.shape[3], math.ceil(height * crop.shape[1] / max(1, crop.shape[0])))
    return frames, batch.shape[3] / len(frames) * crop.shape[1] / resized


def glyph_peaks(frames: np.ndarray) -> list[tuple[int, int]]:
    """Greedy CTC: a label repeated over frames is one glyph unless a blank (label 0) parts
    them. Each glyph's label and the frame where it peaked."""
    found: list[tuple[int, int]] = []
    previous = 0
    for t, label in enumerate(frames.argmax(axis=1)):
        if label != 0 and label != previous:
            found.append((int(label), t))
        elif label != 0 and frames[t, label] > frames[found[-1][1], label]:
            found[-1] = (int(label), t)  # the glyph's most confident frame
        previous = label
    return found


def _collapse(frames: np.ndarray) -> tuple[str, np.ndarray, np.ndarray]:
    """Each glyph over the MRZ alphabet (``glyph_peaks``), its probabilities at the frame where
    it peaked, and that frame."""
    found = glyph_peaks(frames)
    text = [ALPHABET[label - 1] for label, _ in found]
    peaks = [frames[t] for _, t in found]
    at = [t for _, t in found]
    if not peaks:
        return "", np.zeros((0, len(ALPHABET))), np.zeros(0)
    glyphs = np.array([p[1:] / max(float(p[1:].sum()), 1e-12) for p in peaks])
    return "".join(text), glyphs, np.array(at, dtype=np.float32)


@dataclass(frozen=True)
class PpReading:
    kind: str  # TD3 | TD2 | TD1 | MRVA | MRVB
    lines: list[str]
    doubts: list[str]
    source: list[MrzLine]
    second: list[str]  # the OCR-B glyph model's reading at the places PP-OCR put each glyph
    lasting: list[str]  # doubts that another reader reading the same lines does not settle
    # doubts about the names (no check digit) that only the page's printed names may settle
    names_unsettled: list[str] = field(default_factory=list)


def read_mrz_ppocr(image: Image.Image, band: bool = False) -> list[PpReading]:
    """The page's MRZs as PP-OCR reads them, resolved by their check digits and weighed for
    rivals (``extractors.mrz_rivals``), best first: trusted ones, then those whose check digits
    hold, then by fewest doubts. A page laid sideways or upside down whose best reading is in
    doubt is read again turned upright, and the better readings kept: the detector boxes a line
    running up the page a little differently from the same line lying level, and the glyph
    model that settles doubts was made on level cells. ``band``: the image is a band cut
    from a page around its MRZ (the detector then looks at it as it is)."""
    readings = _readings(image, band)
    turn = _turn_upright(readings[0].source) if readings and readings[0].doubts else 0
    if turn:
        readings = _best_first(readings + _readings(image.rotate(turn, expand=True), band))
    return readings


def _readings(image: Image.Image, band: bool) -> list[PpReading]:
    """The page's MRZs read at a glance and a close look (``_glanced``); where that finds none
    or its best is in doubt, read on the whole page too: the close look boxes a line a little
    differently from the whole page's detection, and a glyph's reading may turn on that."""
    page = _bgr(image)
    glanced: list[PpReading] = []
    if not band:
        with LOCK:
            lines = _glanced(page)
        glanced = _resolved(lines)
    if glanced and not glanced[0].doubts:
        return glanced
    return _best_first(glanced + _resolved(_whole_page_lines(page, band)))


def _best_first(readings: list[PpReading]) -> list[PpReading]:
    """Trusted readings first, then those whose check digits hold, then by fewest doubts."""
    return sorted(readings, key=lambda r: (bool(r.doubts), not holds(r.kind, r.lines),
                                           len(r.doubts), r.kind != "TD3"))


def _turn_upright(lines: list[MrzLine]) -> int:
    """The degrees (counter-clockwise, as PIL turns) that set these lines level and the right
    way up: on the page they were found on, plus the turn that page was given."""
    steep = abs(float(lines[0].direction[1])) > abs(float(lines[0].direction[0]))
    upside_down = lines[0].upside_down
    on_their_page = {(False, False): 0, (False, True): 180, (True, True): 270,
                     (True, False): 90}[(steep, upside_down)]
    return (on_their_page + lines[0].page_turned) % 360


def _resolved(lines: list[MrzLine]) -> list[PpReading]:
    """The MRZs these lines make, each resolved by its check digits and weighed for rivals,
    best first."""
    # the glyph model reads each line once: a line may belong to several candidate groups
    glyph_model_read = {id(line): glyphs_at(line.crop, line.centres) for line in lines}
    readings = []
    for kind, group in _groups(lines):
        if (kind in VISAS.values()) != group[0].text.startswith("V"):
            continue  # a visa's document code is V; a passport's or a card's is not
        fitted = _fitted(kind, group)
        if fitted is None:
            continue
        second = [glyph_model_read[id(line)] for line in group]
        # an O or 0 no check digit covers is in doubt unless both readers read it the same
        checked = checked_positions(kind)
        unchecked = {position: glyph for position, glyph
                     in _confirmed([line.text for line in group], group, second).items()
                     if position not in checked}
        resolution = resolve(kind, fitted, unchecked)
        if resolution.doubts:
            resolution = resolve(kind, fitted, _confirmed(resolution.lines, group, second))
        rival = _round_rival(kind, fitted, unchecked, resolution.lines, group, second)
        names, others = _readers_differ_unchecked(kind, resolution.lines, fitted, group,
                                                  second)
        doubts = [*resolution.doubts, *([rival] if rival else []), *names, *others]
        readings.append(PpReading(kind, resolution.lines, doubts, group,
                                  [read.text for read in second],
                                  [*resolution.lasting, *others], names))
    return _best_first(readings)


def _readers_differ_unchecked(kind: str, lines: list[str], fitted: list[np.ndarray],
                              group: list[MrzLine], second: list[GlyphsAt]
                              ) -> tuple[list[str], list[str]]:
    """Where no check digit looks, a glyph stands when PP-OCR read it as surely as a glyph of a
    pair no check digit tells apart (``SURE_BLIND``) or the glyph model at PP-OCR's places read
    it too. Measured on training-side pages: PP-OCR read a name's Q as R (0.38) and a visa's
    optional I as 1 (0.88), the glyph model read them right, and nothing objected; where PP-OCR
    was sure (1.00) and the glyph model differed, the glyph model was wrong (an over-inked page:
    T as 7, A as K). Returns the doubts about the names line (the page's printed names may
    settle them) and about other unchecked glyphs (nothing settles them: the pitch reader is the
    same glyph model cut another way). An O or 0 there is weighed already (``resolve``)."""
    checked, permitted = checked_positions(kind), allowed(kind)
    names, others = [], []
    for i, (text, line, other) in enumerate(zip(lines, group, second, strict=True)):
        if len(line.centres) != len(text):
            # a names line read short or long, padded or cut in its fillers: a glyph may have
            # been lost or doubled in the names, which no check digit and no reader at PP-OCR's
            # places can see (measured: "SYAIPT" read "SYAIP", and called valid)
            names.append(f"the names line was read with {len(line.centres)} characters, not "
                         f"{len(text)}: a letter may be lost or doubled")
            continue
        for p, (ours, theirs) in enumerate(zip(text, other.text, strict=True)):
            if theirs not in permitted[i][p]:  # a name's O read as 0: what its field makes of it
                theirs = (TO_LETTER if theirs.isdigit() else TO_DIGIT).get(theirs, theirs)
            if ours == theirs or (i, p) in checked \
                    or (ours in ROUND and o_or_0_may_stand(permitted[i][p])) \
                    or math.exp(fitted[i][p][ALPHABET.index(ours)]) >= SURE_BLIND:
                continue
            doubt = (f"line {i + 1} character {p + 1} ({field_at(kind, i, p)}) reads {ours}, "
                     f"the second reader {theirs}")
            (names if i == names_line(kind) else others).append(doubt)
    return names, others


def _confirmed(lines: list[str], group: list[MrzLine], second: list[GlyphsAt]
               ) -> dict[tuple[int, int], str]:
    """Positions where the OCR-B glyph model, shown the cell around the glyph PP-OCR placed
    there, reads the same glyph: two readers that share no model agreeing settle a doubt
    (#18); where they differ, the doubt stands."""
    agreed = {}
    for i, (text, line, other) in enumerate(zip(lines, group, second, strict=True)):
        if len(line.centres) != len(text):
            continue  # a names line padded with fillers: its glyphs are not where PP put them
        agreed |= {(i, p): a for p, (a, b) in enumerate(zip(text, other.text, strict=True))
                   if a == b}
    return agreed


def _round_rival(kind: str, fitted: list[np.ndarray], unchecked: dict[tuple[int, int], str],
                 lines: list[str], group: list[MrzLine], second: list[GlyphsAt]) -> str | None:
    """A rival reading that takes the glyph model's plain O or 0 (``ROUND_PLAIN``) where the
    reading has the other, and passes every check digit too. PP-OCR reads the two alike, so
    where two O/0 repairs pass the check digits equally the glyph model's weak reading at one
    of them chose: "OU4U060T", read "0U4U060T", became "0U4U06OT" while the glyph model read
    the first glyph plainly as O. The rival may differ only in O/0 swaps: a plain reading the
    check digits allow only with other glyphs changed is not one (on real print the glyph model
    reads some 0s plainly as O)."""
    permitted = allowed(kind)
    for i, (text, line, other) in enumerate(zip(lines, group, second, strict=True)):
        if len(line.centres) != len(text):
            continue
        for p, (ours, odds) in enumerate(zip(text, other.round_odds, strict=True)):
            plain = None if odds is None or abs(odds) < ROUND_PLAIN else "O" if odds > 0 else "0"
            if ours not in "O0" or plain in (None, ours) or other.text[p] != plain \
                    or not o_or_0_may_stand(permitted[i][p]):
                continue
            alternative = resolve(kind, fitted, {**unchecked, (i, p): plain})
            swaps = {frozenset((a, b)) for ours_line, theirs in zip(lines, alternative.lines,
                                                                    strict=True)
                     for a, b in zip(ours_line, theirs, strict=True) if a != b}
            if holds(kind, alternative.lines) and swaps == {frozenset("O0")}:
                return (f"line {i + 1} character {p + 1} ({field_at(kind, i, p)}) reads {ours}, "
                        f"but its glyph is plainly {plain}, and a reading with {plain} passes "
                        "every check digit too")
    return None


def _groups(lines: list[MrzLine]) -> list[tuple[str, list[MrzLine]]]:
    """Runs of adjacent lines whose lengths fit an MRZ shape, in both orders across the lines
    (a page turned 180 or 270 degrees lists them bottom up; the check digits tell which)."""
    if not lines:
        return []
    along = max(lines, key=lambda line: len(line.text)).direction
    normal = np.array([-along[1], along[0]])
    ordered = sorted(lines, key=lambda line: float(line.centre @ normal))
    groups = []
    for kind, (count, width) in SHAPES.items():
        for order in (ordered, ordered[::-1]):
            for start in range(len(order) - count + 1):
                group = order[start:start + count]
                if not all(_fits(kind, i, len(line.text), width)
                           for i, line in enumerate(group)):
                    continue
                gaps = [abs(float((b.centre - a.centre) @ normal))
                        for a, b in itertools.pairwise(group)]
                if all(0.5 * a.height < gap < 3.5 * a.height
                       for gap, a in zip(gaps, group, strict=False)):
                    groups.append((kind, group))
    return groups


def _fit_an_mrz(lines: list[MrzLine]) -> bool:
    """Whether some of these lines make an MRZ of a known shape, each line fitted to its width."""
    return any(_fitted(kind, group) is not None for kind, group in _groups(lines))


def _fits(kind: str, index: int, length: int, width: int) -> bool:
    if index == names_line(kind):  # fillers after the names may merge or be cut
        return width - 12 <= length <= width + 2
    return abs(length - width) <= 1


CERTAIN_FILLER = np.log(np.where(np.array(list(ALPHABET)) == "<", 1.0, 1e-12))


def _fitted(kind: str, group: list[MrzLine]) -> list[np.ndarray] | None:
    """Each line's glyphs fitted to the shape's width: the names line padded or cut in its
    trailing fillers; any other line must have its width exactly (a glyph lost or doubled
    there would shift every field after it)."""
    _, width = SHAPES[kind]
    fitted = []
    for i, line in enumerate(group):
        probs = line.log_probs
        if len(probs) == width:
            fitted.append(probs)
        elif i == names_line(kind) and len(probs) < width:
            fitted.append(np.vstack([probs, np.tile(CERTAIN_FILLER, (width - len(probs), 1))]))
        elif i == names_line(kind) and line.text[width:].strip("<") == "":
            fitted.append(probs[:width])
        else:
            return None
    return fitted
