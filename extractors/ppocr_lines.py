"""One line of print read by PP-OCR's recogniser over its whole dictionary (Latin, digits,
Chinese): the recogniser the MRZ reader ships (``extractors.mrz_ppocr``), no new model.

Contract: ``read_line(grey)`` returns each glyph the recogniser reads on a crop holding one
line (a numpy array of grey levels) with its centre's x in the crop; ``line_text(grey)`` the
glyphs joined. The caller crops one line: the recogniser reads one line, a cell of two lines
it garbles. Decoding is greedy CTC (the best label at each frame, repeats and blanks dropped).
"""

from __future__ import annotations

import math

import numpy as np

from extractors import mrz_ppocr


def read_line(grey: np.ndarray) -> list[tuple[str, float]]:
    with mrz_ppocr.LOCK:
        recogniser = mrz_ppocr.recogniser()
        characters = recogniser.postprocess_op.character
        height, width = recogniser.rec_image_shape[1:3]
        crop = np.repeat(grey[:, :, None], 3, axis=2)
        ratio = max(width / height, crop.shape[1] / max(1, crop.shape[0]))
        batch = recogniser.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
        frames = recogniser.session(batch)[0]
    resized = min(batch.shape[3], math.ceil(height * crop.shape[1] / max(1, crop.shape[0])))
    glyphs, previous = [], 0
    for t, label in enumerate(frames.argmax(axis=1)):
        if label != 0 and label != previous:
            x = (t + 0.5) * batch.shape[3] / len(frames) * crop.shape[1] / resized
            glyphs.append((characters[label], x))
        previous = label
    return glyphs


def line_text(grey: np.ndarray) -> str:
    return "".join(glyph for glyph, _ in read_line(grey))
