"""One line of print read by PP-OCR's recogniser over its whole dictionary (Latin, digits,
Chinese): the recogniser the MRZ reader ships (``extractors.mrz_ppocr``), no new model.

Contract: ``read_line(grey)`` returns each glyph the recogniser reads on a crop holding one
line (a numpy array of grey levels) with its centre's x in the crop; ``line_text(grey)`` the
glyphs joined. The caller crops one line: the recogniser reads one line, a cell of two lines
it garbles. Decoding is greedy CTC (the best label at each frame, repeats and blanks dropped).
"""

from __future__ import annotations

import numpy as np

from extractors import mrz_ppocr


def read_line(grey: np.ndarray) -> list[tuple[str, float]]:
    with mrz_ppocr.LOCK:
        characters = mrz_ppocr.recogniser().postprocess_op.character
        frames, per_frame = mrz_ppocr.recognised_frames(np.repeat(grey[:, :, None], 3, axis=2))
    glyphs, previous = [], 0
    for t, label in enumerate(frames.argmax(axis=1)):
        if label != 0 and label != previous:
            glyphs.append((characters[label], (t + 0.5) * per_frame))
        previous = label
    return glyphs


def line_text(grey: np.ndarray) -> str:
    return "".join(glyph for glyph, _ in read_line(grey))
