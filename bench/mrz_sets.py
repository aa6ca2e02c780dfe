"""MRZ on the two generated passport sets — the training side (bench/passports_dev.py, which the
reader's thresholds were tuned on) and the held-apart one (bench/passports_heldout.py, never
tuned on) — as `mailroom extract` reads each JPEG, one file at a time.

    .venv/bin/python bench/mrz_sets.py [--pages 60] [--set dev|heldout|both] [--json FILE]

Prints per set: exact (verified and right), silent errors (verified and wrong: must be 0), no
MRZ, rejected (found but not vouched for), seconds per page, and the same split by every
condition the generator records (format, background, capture, orientation, dpi, blur or
damage, ink, JPEG quality). BENCH_KEEP=1 keeps the files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import passports_dev, passports_heldout
from bench.extraction import passporteye
from extractors.extract import extract_file

SETS = {"dev": (passports_dev, 7), "heldout": (passports_heldout, 1001)}


def outcome(lines: list[str], mrz: dict | None) -> str:
    if mrz is None:
        return "no_mrz"
    read = [mrz[key] for key in sorted(mrz) if key.startswith("line")]
    if mrz["valid"]:
        return "exact" if read == lines else "silent"
    return "rejected"


def measure(name: str, pages: int, folder: Path) -> dict:
    generator, seed = SETS[name]
    rng = random.Random(seed)
    rows, paths = [], []
    for n in range(pages):
        page = generator.draw(rng)
        path = folder / f"{name}-{n:03}.jpg"
        path.write_bytes(page.jpeg)
        paths.append(path)
        started = time.perf_counter()
        mrz = extract_file(path)["mrz"]
        rows.append((outcome(page.lines, mrz), page.conditions, time.perf_counter() - started,
                     page.lines, mrz))
    eye = passporteye(paths)
    by_condition: dict = defaultdict(lambda: defaultdict(Counter))
    for result, conditions, *_ in rows:
        for key, value in conditions.items():
            by_condition[key][value][result] += 1
    return {
        **_shares(Counter(r[0] for r in rows)),
        "seconds_per_page": round(sum(r[2] for r in rows) / max(len(rows), 1), 2),
        "by_condition": {key: {value: _shares(counts) for value, counts in sorted(values.items())}
                         for key, values in sorted(by_condition.items())},
        "silent": [{"truth": lines, "read": [m[k] for k in sorted(m) if k.startswith("line")]}
                   for result, _, _, lines, m in rows if result == "silent"],
        "passporteye": "not run: make bench-env" if eye is None else _shares(Counter(
            _eye_outcome(row[3], reading) for row, reading in zip(rows, eye, strict=True))),
    }


def _eye_outcome(lines: list[str], reading: tuple | None) -> str:
    if reading is None:
        return "no_mrz"
    *read, valid = reading
    if valid:
        return "exact" if list(read) == lines else "silent"
    return "rejected"


def _shares(counts: Counter) -> dict:
    n = sum(counts.values())
    row: dict = {key: counts.get(key, 0) for key in ("exact", "silent", "no_mrz", "rejected")}
    row["exact_rate"] = round(row["exact"] / max(n, 1), 3)
    row["pages"] = n
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--set", choices=["dev", "heldout", "both"], default="both")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    names = ["dev", "heldout"] if args.set == "both" else [args.set]
    keep = os.environ.get("BENCH_KEEP") == "1"
    folder = Path(tempfile.mkdtemp(prefix="mrz-sets-")) if keep else None
    with tempfile.TemporaryDirectory() as scratch:
        where = folder or Path(scratch)
        figures = {name: measure(name, args.pages, where) for name in names}
    if folder:
        figures["kept_in"] = str(folder)
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
