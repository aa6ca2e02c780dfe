"""MRZ on real specimen images made by others (../shared/corpus/mrz/), as `mailroom extract`
reads them, upright and turned 90, 180 and 270 degrees.

    .venv/bin/python bench/mrz_corpus.py [--turns 0,90,180,270] [--json FILE]

Prints, per orientation and in all: exact (lines as printed; verified when the check digits
hold as printed and the state codes name states, reported not valid when the specimen was
printed with a wrong check digit or a code that names no state), silent
errors (reported valid with any glyph wrong), no MRZ found, rejected (found, not vouched for),
seconds per image (one extraction at a time), and each miss with the reader's doubts.
Nothing here tunes anything: the corpus is test data only.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

from bench.extraction import passporteye
from bench.mrz_sets import as_view, outcome, shares
from extractors.extract import extract_file
from extractors.mrz import checks_of

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "mrz"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", default="0,90,180,270")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    figures = measure([int(t) for t in args.turns.split(",")])
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


def measure(turns: list[int]) -> dict:
    truths = [json.loads(line) for line in (CORPUS / "truth.jsonl").read_text().splitlines()]
    figures: dict = {}
    misses = []
    with tempfile.TemporaryDirectory() as folder:
        for turn in turns:
            counts: Counter = Counter()
            paths = []
            started = time.perf_counter()
            for truth in truths:
                path = CORPUS / truth["file"]
                if turn:
                    path = Path(folder) / f"{turn}-{Path(truth['file']).stem}.png"
                    Image.open(CORPUS / truth["file"]).rotate(turn, expand=True).save(path)
                paths.append(path)
                mrz = extract_file(path)["mrz"]
                result = outcome(truth["lines"], mrz, printed_valid(truth))
                counts[result] += 1
                if result != "exact":
                    misses.append({"file": truth["file"], "turn": turn, "outcome": result,
                                   "doubts": (mrz or {}).get("doubts")})
            seconds = time.perf_counter() - started
            eye = passporteye(paths)
            figures[f"turned_{turn}"] = {
                **shares(counts),
                "seconds_per_image": round(seconds / len(truths), 2),
                "passporteye": "not run: make bench-env" if eye is None else shares(Counter(
                    outcome(truth["lines"], as_view(reading), printed_valid(truth))
                    for truth, reading in zip(truths, eye, strict=True))),
            }
    total: Counter = Counter()
    for row in list(figures.values()):
        total.update({key: row[key] for key in ("exact", "silent", "no_mrz", "rejected")})
    figures["all"] = shares(total)
    figures["misses"] = misses
    return figures


def printed_valid(truth: dict) -> bool:
    """Whether the specimen is a valid MRZ as printed: every check digit holds and, under Doc
    9303, both state codes name a state. A specimen printed with "SI<" or West Germany's "BDR"
    is read right when read as printed and reported not valid, like one printed with a wrong
    check digit."""
    if not truth["check_digits_ok"] or not truth["check_scheme"].startswith("ICAO"):
        return truth["check_digits_ok"]
    checks = checks_of(truth["type"], truth["lines"])
    return checks["issuing_state_known"] and checks["nationality_known"]


if __name__ == "__main__":
    main()
