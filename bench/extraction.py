"""Extraction on the development set (bench/devset.py), against raw tesseract and PassportEye.

    .venv/bin/python bench/extraction.py [--passports 40] [--seed 7] [--json FILE]

Prints, as JSON:
- MRZ on the degraded passports: exact match (both lines right and the check digits valid), line
  2 exact, silent errors (every check digit passes on a wrong line 2), unreadable; the same for
  PassportEye when the bench environment has it (`make bench-env`), on the same files;
- classification accuracy over every kind, born-digital and scanned, English and Chinese, and
  each confusion (truth -> found);
- pages per minute over the whole set, and the ratio of our wall time on the scanned pages to
  the `tesseract` CLI (eng+chi_sim) on the same pages with the same parallelism.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.devset import write
from extractors.extract import extract_file

ROOT = Path(__file__).resolve().parent.parent
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passports", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also save the figures here")
    args = parser.parse_args()
    workers = os.cpu_count() or 2
    with tempfile.TemporaryDirectory() as folder:
        truth = write(Path(folder), args.passports, args.seed)
        paths = [Path(folder) / t["file"] for t in truth]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(extract_file, paths))
        ours_all = time.perf_counter() - started

        scans = [p for p in paths if p.suffix == ".jpg"]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(extract_file, scans))
        ours_scans = time.perf_counter() - started
        raw_scans = _raw_tesseract(scans, workers)
        # the same without passports, where a verified MRZ spares the full-page OCR
        others = [p for p in scans if not p.name.startswith("passport-")]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(extract_file, others))
        ours_others = time.perf_counter() - started
        raw_others = _raw_tesseract(others, workers)
        passports = [(p, t) for p, t in zip(paths, truth, strict=True) if t["kind"] == "passport"]
        eye = _passporteye([p for p, _ in passports])

    mrz_truth = [t["mrz"] for _, t in passports]
    ours_mrz = [(r["mrz"]["line1"], r["mrz"]["line2"], r["mrz"]["valid"]) if r["mrz"] else None
                for r, t in zip(results, truth, strict=True) if t["kind"] == "passport"]
    confusions = Counter(f"{t['kind']} -> {r['kind']}"
                         for r, t in zip(results, truth, strict=True) if r["kind"] != t["kind"])
    figures = {
        "files": len(paths),
        "passports": len(passports),
        "mrz": _mrz_figures(ours_mrz, mrz_truth),
        "passporteye_mrz": _mrz_figures(eye, mrz_truth) if eye is not None else
        "not run: make bench-env installs PassportEye into .venv-bench",
        "classification_accuracy": round(1 - sum(confusions.values()) / len(paths), 3),
        "classification_errors": dict(confusions),
        "pages_per_minute": round(len(paths) / ours_all * 60, 1),
        "scanned_pages": len(scans),
        "our_wall_seconds_on_scans": round(ours_scans, 2),
        "raw_tesseract_wall_seconds_on_scans": round(raw_scans, 2),
        "ratio_to_raw_tesseract": round(ours_scans / raw_scans, 2),
        "ratio_to_raw_tesseract_without_passports": round(ours_others / raw_others, 2),
        "workers": workers,
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


def _mrz_figures(readings: list, truth: list[list[str]]) -> dict[str, float]:
    exact = line2 = silent = unreadable = 0
    for reading, lines in zip(readings, truth, strict=True):
        if reading is None or not reading[2]:
            unreadable += 1
            continue
        line2 += reading[1] == lines[1]
        exact += [reading[0], reading[1]] == lines
        silent += reading[1] != lines[1]  # every check digit passed on a wrong line 2
    n = len(truth)
    return {"exact_match_rate": round(exact / n, 3), "line2_exact_rate": round(line2 / n, 3),
            "silent_error_rate": round(silent / n, 3), "unreadable_rate": round(unreadable / n, 3)}


def _raw_tesseract(paths: list[Path], workers: int) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda path: subprocess.run(
            ["tesseract", str(path), "stdout", "-l", "eng+chi_sim"],
            capture_output=True, env=env, check=False), paths))
    return time.perf_counter() - started


def _passporteye(paths: list[Path]) -> list | None:
    if not BENCH_PYTHON.exists():
        return None
    run = subprocess.run([str(BENCH_PYTHON), str(ROOT / "bench" / "passporteye_run.py"),
                          *map(str, paths)], capture_output=True, text=True, check=True)
    readings = []
    for row in map(json.loads, run.stdout.splitlines()):
        lines = row["lines"]
        readings.append((lines[0], lines[1], row["valid"]) if lines and len(lines) >= 2 else None)
    return readings


if __name__ == "__main__":
    main()
