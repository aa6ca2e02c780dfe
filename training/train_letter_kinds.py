"""Train the document-kind model on the training letters and ship it as numbers.

    .venv/bin/python -m training.train_letter_kinds [--per-kind 500] [--seed 2026]

Writes ``extractors/data/letter_kinds.npz``: a multinomial logistic regression (scikit-learn,
needed here only) over hashed character n-grams (extractors/kind_model.py), trained on letters
of every kind written by training/letter_templates.py (with its second family) and, for a third
of the letters of each kind it writes, training/letter_records.py (forms, records, memos), half
as a text layer reads them and half as OCR does. Weights too small to matter are dropped so
the file stays small. Deterministic: the same seed writes the same file. Nothing from the
held-apart generator or ../shared/corpus/ is ever seen here.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from extractors.kind_model import MODEL_FILE, N_FEATURES, feature_row
from training.drafts import as_text
from training.letter_records import RECORD_KINDS, record_draft
from training.letter_templates import WRITERS, draft

PRUNE_BELOW = 0.02
RECORD_SHARE = 1 / 3  # of each kind the third family writes


def training_texts(per_kind: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    texts, kinds = [], []
    for kind in sorted(WRITERS):
        for n in range(per_kind):
            letter = (record_draft(kind, rng, rng.choice(["en", "zh", "bi"]))
                      if kind in RECORD_KINDS and rng.random() < RECORD_SHARE else draft(kind, rng))
            if n % 10 == 9:  # a fragment: a page's heading and a sentence or two (a short note,
                # a second page, OCR that lost most of the page) must still read as its kind
                texts_only = [b for b in letter.blocks if isinstance(b, str)]
                letter.blocks = rng.sample(texts_only, min(len(texts_only), rng.randint(1, 2)))
                letter.letterhead = []
            texts.append(as_text(letter, rng, ocr=n % 2 == 1))
            kinds.append(kind)
    return texts, kinds


def features(texts: list[str]) -> sparse.csr_matrix:
    """The model's features (extractors/kind_model.py) of many texts, as one sparse matrix."""
    rows = [sparse.csr_matrix(feature_row(text)) for text in texts]
    return sparse.vstack(rows, format="csr") if rows else sparse.csr_matrix((0, 2 * N_FEATURES))


def train(per_kind: int, seed: int, out: Path = MODEL_FILE) -> float:
    texts, kinds = training_texts(per_kind, seed)
    model = LogisticRegression(C=20.0, max_iter=2000)
    matrix = features(texts)
    model.fit(matrix, kinds)
    weights = model.coef_.astype(np.float32)
    weights[np.abs(weights) < PRUNE_BELOW] = 0.0
    stored = sparse.csr_matrix(weights)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, kinds=np.array(model.classes_), data=stored.data.astype(np.float16),
                        indices=stored.indices.astype(np.int32), indptr=stored.indptr,
                        shape=np.array(stored.shape), intercept=model.intercept_.astype(np.float32))
    return model.score(matrix, kinds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-kind", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    accuracy = train(args.per_kind, args.seed)
    print(f"trained on {args.per_kind} letters per kind; training accuracy {accuracy:.3f}; "
          f"{MODEL_FILE.stat().st_size // 1024} KiB in {MODEL_FILE}")


if __name__ == "__main__":
    main()
