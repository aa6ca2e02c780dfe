"""Which OCR-B glyph a cell of an MRZ line holds: a linear discriminant trained on degraded cells.

Matching a cell against one clean rendering of each glyph cannot separate OCR-B's O from 0 on a
blurred 200-dpi scan: normalised to the same box they differ by little, and blur thickens both
strokes alike (on the development set nine in ten template errors were a 0 read as O). What
does separate them is how the glyph sits in its cell (O is wider at the same pitch) together
with its shape, so a cell is described by both, and a linear discriminant with one shared
covariance (Fisher's LDA) learns which differences survive degradation. It is trained by
``scripts/train_mrz_glyphs.py`` on MRZ lines rendered in OCR-B at 170–330 dpi, glyphs larger
or smaller in their cells, heavier or lighter print, tilted, blurred, faded, noisy and
JPEG-compressed, cut into cells by the reader's own code, and shipped as
``extractors/data/mrz_glyphs.npz`` (weights, biases and mean shapes, 178 KB).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

from mailroom.errors import ConfigurationError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
MODEL = Path(__file__).parent / "data" / "mrz_glyphs.npz"
SHAPE = (20, 28)  # the glyph's own ink, stretched to this box (width, height)
PLACE = (12, 18)  # the whole cell at this size, so the glyph's width in its cell counts
SHRINKAGE = 0.2  # towards a spherical covariance: rare glyphs have few training cells
CANDIDATES = 3  # glyphs whose mean shape is closest, among which the discriminant chooses
IMPOSSIBLE = -1000.0  # log-probability of a glyph the cell's shape rules out
_SAMPLE_CELL = np.ones((30, 20), dtype=np.float32)  # any cell: to check the model's dimensions


def features(cell: np.ndarray) -> np.ndarray:
    """A cell of ink (1.0 = ink) as one vector: its glyph's shape, its place in the cell and its
    proportions."""
    ys, xs = np.nonzero(cell > 0)
    crop = cell[ys.min(): ys.max() + 1, xs.min(): xs.max() + 1]
    shape = _resized(crop, SHAPE)
    shape -= shape.mean()
    shape /= np.linalg.norm(shape) + 1e-6
    place = _resized(cell, PLACE)
    height, width = cell.shape
    proportions = [np.log(crop.shape[1] / crop.shape[0]), crop.shape[1] / width,
                   crop.shape[0] / height, cell.mean()]
    return np.concatenate([shape.ravel(), 0.5 * place.ravel(), proportions]).astype(np.float32)


@dataclass(frozen=True)
class GlyphModel:
    weights: np.ndarray  # features x glyphs: the discriminant
    biases: np.ndarray  # one per glyph
    shapes: np.ndarray  # glyphs x shape features: each glyph's mean degraded shape, unit length

    def log_posteriors(self, cell_features: np.ndarray) -> np.ndarray:
        """Log-probability of every ALPHABET glyph for one cell's features.

        Two steps: the cell's shape alone names the closest glyphs (cosine to each glyph's mean
        degraded shape: robust, and the true glyph was among the first three in every one of
        35,200 development cells), then the discriminant chooses among those. The
        discriminant alone separates O from 0 far better, but far from its training data (a
        glyph cut off at its cell's edge) it can be confidently absurd, calling a clear 4 a
        filler."""
        closeness = self.shapes @ cell_features[: self.shapes.shape[1]]
        candidates = np.argsort(-closeness)[:CANDIDATES]
        scores = np.full(len(ALPHABET), IMPOSSIBLE)
        scores[candidates] = cell_features @ self.weights[:, candidates] + self.biases[candidates]
        return scores - _logsumexp(scores[candidates])

    def read(self, cell: np.ndarray) -> str:
        return ALPHABET[int(np.argmax(self.log_posteriors(features(cell))))]


def log_posteriors(cell_features: np.ndarray) -> np.ndarray:
    """Log-probability of every ALPHABET glyph for one cell's features, by the shipped model."""
    return shipped_model().log_posteriors(cell_features)


def train(cells: Iterable[tuple[np.ndarray, str]]) -> GlyphModel:
    """The model learnt from (cell, true glyph) pairs."""
    pairs = list(cells)
    x = np.stack([features(cell) for cell, _ in pairs]).astype(np.float64)
    y = np.array([ALPHABET.index(char) for _, char in pairs])
    missing = set(ALPHABET) - {char for _, char in pairs}
    if missing:
        raise ValueError(f"no training cells for {''.join(sorted(missing))}")
    means = np.stack([x[y == k].mean(axis=0) for k in range(len(ALPHABET))])
    residuals = x - means[y]
    covariance = residuals.T @ residuals / len(x)
    spherical = np.eye(len(covariance)) * np.trace(covariance) / len(covariance)
    covariance = (1 - SHRINKAGE) * covariance + SHRINKAGE * spherical
    weights = np.linalg.solve(covariance, means.T)
    biases = -0.5 * (means * weights.T).sum(axis=1)
    shapes = means[:, : _shape_size()]
    shapes /= np.linalg.norm(shapes, axis=1, keepdims=True)
    return GlyphModel(weights.astype(np.float32), biases.astype(np.float32),
                      shapes.astype(np.float32))


def save(model: GlyphModel, path: Path = MODEL) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, weights=model.weights, biases=model.biases, shapes=model.shapes,
                        alphabet=np.array(ALPHABET))


@cache
def shipped_model() -> GlyphModel:
    try:
        with np.load(MODEL) as stored:
            model = GlyphModel(stored["weights"], stored["biases"], stored["shapes"])
            alphabet = str(stored["alphabet"])
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise ConfigurationError(f"the MRZ glyph model {MODEL} cannot be read ({error}); "
                                 "scripts/train_mrz_glyphs.py writes it") from error
    size, glyphs = len(features(_SAMPLE_CELL)), len(ALPHABET)
    if (alphabet != ALPHABET or model.weights.shape != (size, glyphs)
            or model.biases.shape != (glyphs,) or model.shapes.shape != (glyphs, _shape_size())):
        raise ConfigurationError(f"the MRZ glyph model {MODEL} does not fit this reader; "
                                 "run scripts/train_mrz_glyphs.py again")
    return model


def _shape_size() -> int:
    return SHAPE[0] * SHAPE[1]


def _resized(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    image = Image.fromarray((ink * 255).astype(np.uint8)).resize(size, Image.BILINEAR)
    return np.asarray(image, dtype=np.float32) / 255.0


def _logsumexp(scores: np.ndarray) -> float:
    top = float(scores.max())
    return top + float(np.log(np.exp(scores - top).sum()))
