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


def outcome(lines: list[str], mrz: dict | None, check_digits_ok: bool = True) -> str:
    """exact: right and verified (or, for a document printed with a wrong check digit, right
    and reported not valid); silent: verified and wrong; rejected: found, not vouched for."""
    if mrz is None:
        return "no_mrz"
    right = [mrz[key] for key in sorted(mrz) if key.startswith("line")] == lines
    if mrz["valid"]:
        return "exact" if right and check_digits_ok else "silent"
    return "exact" if right and not check_digits_ok else "rejected"


def as_view(reading: tuple | None) -> dict | None:
    """PassportEye's reading (bench.extraction.passporteye) in the shape of our `mrz` JSON."""
    if reading is None:
        return None
    *lines, valid = reading
    return {**{f"line{i}": line for i, line in enumerate(lines, start=1)}, "valid": valid}


def shares(counts: Counter) -> dict:
    n = sum(counts.values())
    row: dict = {key: counts.get(key, 0) for key in ("exact", "silent", "no_mrz", "rejected")}
    row["exact_rate"] = round(row["exact"] / max(n, 1), 3)
    row["files"] = n
    return row


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
        **shares(Counter(r[0] for r in rows)),
        "seconds_per_page": round(sum(r[2] for r in rows) / max(len(rows), 1), 2),
        "by_condition": {key: {value: shares(counts) for value, counts in sorted(values.items())}
                         for key, values in sorted(by_condition.items())},
        "silent_readings": [
            {"truth": lines, "read": [m[k] for k in sorted(m) if k.startswith("line")]}
            for result, _, _, lines, m in rows if result == "silent"],
        "passporteye": "not run: make bench-env" if eye is None else shares(Counter(
            outcome(row[3], as_view(reading)) for row, reading in zip(rows, eye, strict=True))),
    }


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
