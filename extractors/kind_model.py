"""The document-kind model: a linear classifier over character n-grams of a document's text.

Contract: ``kind_scores(text)`` returns each kind's probability from the model shipped in
``data/letter_kinds.npz`` (a multinomial logistic regression trained with scikit-learn by
training/train_letter_kinds.py). Character n-grams read English and Chinese alike and survive
OCR's small confusions; the top of the page (letterhead and heading, where a document says what
it is) has its own features beside the whole text's. The n-grams are hashed (CRC-32) into a
fixed number of features, so the shipped file holds only numbers: no pickle, no vocabulary,
and the same bytes give the same scores on every machine. Reading needs only numpy: importing
scikit-learn costs every process that classifies a page about two seconds.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np

from extractors.letter_text import CJK

MODEL_FILE = Path(__file__).with_name("data") / "letter_kinds.npz"
N_FEATURES = 2**16  # per part: the whole text's, then the top's
TOP_CHARS = 300  # the letterhead and heading
NGRAMS = (1, 2, 3, 4)
_PUNCTUATION = re.compile(r"[|:;,.!?()\[\]{}<>\"'`~_=+*/\\\u2010-\u2015-]"
                          r"|[、。《》〈〉「」『』【】〔〕“”‘’·…]")
_CJK_GAP = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")  # across line ends too


def normalise(text: str) -> str:
    """One spelling for what OCR and text layers write differently: full-width forms as their
    plain ones, punctuation and a table's cell bars as spaces (a text layer writes "结论：",
    OCR "结论 :", a ruled table read row by row "检查项目 | 结果"), spaces between Chinese
    characters dropped, digits all alike (numbers never tell a kind), one space, lower case."""
    text = _PUNCTUATION.sub(" ", unicodedata.normalize("NFKC", text))
    text = _CJK_GAP.sub("", text)
    text = re.sub(r"\d", "0", text)
    return " ".join(text.split()).lower()


def hashed_counts(text: str) -> tuple[Counter[int], Counter[int]]:
    """Feature indices and counts of the whole text and of its top: character n-grams inside
    each word padded with a space either side (what a text layer and OCR agree on)."""
    normalised = normalise(text)
    return _counts(normalised), _counts(normalised[:TOP_CHARS])


def _counts(text: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    for word in text.split():
        padded = f" {word} "
        for n in NGRAMS:
            for i in range(max(1, len(padded) - n + 1)):
                counts[zlib.crc32(padded[i:i + n].encode()) % N_FEATURES] += 1
    return counts


def feature_row(text: str) -> np.ndarray:
    """The text's features as one dense row: each part scaled to unit length."""
    row = np.zeros(2 * N_FEATURES, dtype=np.float32)
    for offset, counts in zip((0, N_FEATURES), hashed_counts(text), strict=True):
        if counts:
            indices = np.fromiter(counts.keys(), dtype=np.int64) + offset
            values = np.fromiter(counts.values(), dtype=np.float32)
            row[indices] = values / np.linalg.norm(values)
    return row


@cache
def _model(path: Path = MODEL_FILE) -> tuple[list[str], np.ndarray, np.ndarray]:
    with np.load(path) as stored:
        kinds = [str(k) for k in stored["kinds"]]
        weights = np.zeros(tuple(stored["shape"]), dtype=np.float32)
        indptr, indices = stored["indptr"], stored["indices"]
        data = stored["data"].astype(np.float32)
        for kind in range(len(kinds)):  # the stored rows are sparse (CSR)
            weights[kind, indices[indptr[kind]:indptr[kind + 1]]] = data[indptr[kind]:indptr[kind + 1]]
        return kinds, weights, stored["intercept"].astype(np.float32)


def kind_scores(text: str, model: Path = MODEL_FILE) -> dict[str, float]:
    kinds, weights, intercept = _model(model)
    logits = weights @ feature_row(text) + intercept
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    return dict(zip(kinds, (float(p) for p in probabilities), strict=True))
