"""One line of print read by PP-OCR's recogniser over its whole dictionary (Latin, digits,
Chinese): the recogniser the MRZ reader ships (``extractors.mrz_ppocr``), no new model.

Contract: ``read_line(grey)`` returns each glyph the recogniser reads on a crop holding one
line (a numpy array of grey levels): its text, its centre's x in the crop and the
recogniser's probability for it, both at its most confident frame; ``line_text(grey)`` the
glyphs joined. The caller crops one line: the recogniser reads one line, a cell of two lines
it garbles. Decoding is greedy CTC (``mrz_ppocr.glyph_peaks``), as for the MRZ.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from extractors import mrz_ppocr


class Glyph(NamedTuple):
    text: str
    x: float
    probability: float


def read_line(grey: np.ndarray) -> list[Glyph]:
    with mrz_ppocr.LOCK:
        characters = mrz_ppocr.recogniser().postprocess_op.character
        frames, per_frame = mrz_ppocr.recognised_frames(np.repeat(grey[:, :, None], 3, axis=2))
    return [Glyph(characters[label], (t + 0.5) * per_frame, float(frames[t, label]))
            for label, t in mrz_ppocr.glyph_peaks(frames)]


def line_text(grey: np.ndarray) -> str:
    return "".join(glyph.text for glyph in read_line(grey))
