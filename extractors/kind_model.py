"""The document-kind model: a linear classifier over character n-grams of a document's text.

Contract: ``kind_scores(text)`` returns each kind's probability from the model shipped in
``data/letter_kinds.npz`` (trained by training/train_letter_kinds.py). Character n-grams read
English and Chinese alike and survive OCR's small confusions; the top of the page (letterhead
and heading, where a document says what it is) has its own features beside the whole text's.
The features are hashed (scikit-learn's HashingVectorizer), so the shipped file holds only
numbers: no pickle, no vocabulary, and the same bytes give the same scores on every machine.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

MODEL_FILE = Path(__file__).with_name("data") / "letter_kinds.npz"
N_FEATURES = 2**16
TOP_CHARS = 300  # the letterhead and heading
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+"
                      r"(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def normalise(text: str) -> str:
    """One spelling for what OCR and text layers write differently: spaces between Chinese
    characters dropped, digits all alike (numbers never tell a kind), one space, lower case."""
    text = _CJK_GAP.sub("", text)
    text = re.sub(r"\d", "0", text)
    return " ".join(text.split()).lower()


@cache
def _vectorizer() -> HashingVectorizer:
    return HashingVectorizer(analyzer="char_wb", ngram_range=(1, 4), n_features=N_FEATURES,
                             alternate_sign=False, norm="l2")


def features(texts: list[str]) -> sparse.csr_matrix:
    normalised = [normalise(t) for t in texts]
    whole = _vectorizer().transform(normalised)
    top = _vectorizer().transform([t[:TOP_CHARS] for t in normalised])
    return sparse.hstack([whole, top], format="csr")


@cache
def _model(path: Path = MODEL_FILE) -> tuple[list[str], np.ndarray, np.ndarray]:
    with np.load(path) as stored:
        kinds = [str(k) for k in stored["kinds"]]
        weights = sparse.csr_matrix((stored["data"].astype(np.float32), stored["indices"],
                                     stored["indptr"]),
                                    shape=tuple(stored["shape"])).toarray()
        return kinds, weights, stored["intercept"].astype(np.float32)


def kind_scores(text: str) -> dict[str, float]:
    kinds, weights, intercept = _model()
    logits = features([text]) @ weights.T + intercept
    logits = np.asarray(logits).ravel()
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    return dict(zip(kinds, (float(p) for p in probabilities), strict=True))
