"""Extraction on the development set (bench/devset.py), against raw tesseract and PassportEye.

    .venv/bin/python bench/extraction.py [--passports 40] [--seed 7] [--json FILE]

Prints, as JSON:
- MRZ on the degraded passports: exact match (both lines right and the check digits valid), line
  2 exact, silent errors (every check digit passes on a wrong line 2), unreadable; the same for
  PassportEye when the bench environment has it (`make bench-env`), on the same files;
- classification accuracy over every kind, born-digital and scanned, English and Chinese, and
  each confusion (truth -> found);
- pages per minute over the whole set, and the ratio of our wall time on the scanned pages to
  the `tesseract` CLI (eng+chi_sim) on the same pages with the same parallelism;
- letters, per set: the training templates (training/letter_templates.py, a seed training never
  used), the third training family alone (training/letter_records.py: forms, records, memos,
  drawn here with a seed of its own), the held-apart templates (bench/letters_heldout.py) and
  ../shared/corpus/letters/ (written by someone else): kind accuracy with each confusion, list
  rows read exactly, statements' promised materials and dates, authorization / employment /
  health-certificate fields exactly right, seconds per page. Half of each generated set is
  born-digital PDF, half scanned JPEG. `--letters 0` skips them, `--letters-only` skips
  everything else.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from bench.devset import write
from bench.letter_scoring import score
from bench.letters_heldout import heldout_draft
from extractors.extract import extract_file
from mailroom import samples
from training.drafts import as_pdf, as_scan
from training.letter_records import record_draft
from training.letter_templates import LETTER_KINDS, draft

ROOT = Path(__file__).resolve().parent.parent
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"
CORPUS = ROOT.parent / "shared" / "corpus" / "letters"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passports", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also save the figures here")
    parser.add_argument("--letters", type=int, default=6, help="letters per kind per generated set")
    parser.add_argument("--letters-only", action="store_true")
    parser.add_argument("--mrz-sets", type=int, default=0,
                        help="also the passport sets of bench/mrz_sets.py, this many pages each, "
                             "and the real specimens (bench/mrz_corpus.py)")
    args = parser.parse_args()
    if args.letters_only:
        figures = {"letters": letter_figures(args.letters)}
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
        return
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
        eye = passporteye([p for p, _ in passports])

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
    if args.letters:
        figures["letters"] = letter_figures(args.letters)
    if args.mrz_sets:
        figures["passports"] = passport_figures(args.mrz_sets)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False))


def passport_figures(pages: int) -> dict:
    """MRZ on the training-side and the held-apart passport sets and on the real specimens."""
    from bench import mrz_corpus, mrz_sets

    with tempfile.TemporaryDirectory() as folder:
        figures = {name: mrz_sets.measure(name, pages, Path(folder)) for name in mrz_sets.SETS}
    figures["corpus"] = mrz_corpus.measure([0, 90, 180, 270])
    return figures


def letter_figures(per_kind: int) -> dict:
    """Every letter set's figures (bench/letter_scoring.py)."""
    sets = {"training_templates": lambda rng, kind: draft(kind, rng),
            "training_records": lambda rng, kind: record_draft(kind, rng, rng.choice(["en", "zh", "bi"])),
            "held_apart_templates": lambda rng, kind: heldout_draft(kind, rng)}
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, write_one in sets.items():
            rng = random.Random(f"bench-{name}")
            items = []
            for kind in LETTER_KINDS:
                for n in range(per_kind):
                    letter = write_one(rng, kind)
                    while not letter.truth:  # the demo's short letters carry no truth
                        letter = write_one(rng, kind)
                    pdf = as_pdf(letter, rng)
                    path = Path(folder) / f"{name}-{kind}-{n}"
                    if n % 2:
                        path = path.with_suffix(".jpg")
                        path.write_bytes(samples.jpeg(as_scan(pdf, rng), quality=rng.randint(60, 90)))
                    else:
                        path = path.with_suffix(".pdf")
                        path.write_bytes(pdf)
                    items.append(({"kind": kind, "fields": letter.truth}, path))
            figures[name] = _letter_set(items)
    corpus = CORPUS / "truth.jsonl"
    if corpus.exists():
        truth = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
        figures["shared_corpus"] = _letter_set([(t, CORPUS / t["file"]) for t in truth])
    else:
        figures["shared_corpus"] = f"not run: {corpus} is missing"
    return figures


def _letter_set(items: list[tuple[dict, Path]]) -> dict:
    workers = os.cpu_count() or 2
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(extract_file, [path for _, path in items]))
    seconds = time.perf_counter() - started
    pages = sum(len(PdfReader(p).pages) if p.suffix == ".pdf" else 1 for _, p in items)
    figures = score([(truth, result) for (truth, _), result in zip(items, results, strict=True)])
    figures["seconds_per_page"] = round(seconds * workers / pages, 2)
    figures["workers"] = workers
    return figures


def _mrz_figures(readings: list, truth: list[list[str]]) -> dict[str, float]:
    exact = line2 = silent = unreadable = 0
    for reading, lines in zip(readings, truth, strict=True):
        if reading is None or not reading[-1]:
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


def passporteye(paths: list[Path]) -> list | None:
    """PassportEye's reading of each file in the bench environment: (line, ..., valid) or
    None, per file; None when .venv-bench is not there (`make bench-env`)."""
    if not BENCH_PYTHON.exists():
        return None
    run = subprocess.run([str(BENCH_PYTHON), str(ROOT / "bench" / "passporteye_run.py"),
                          *map(str, paths)], capture_output=True, text=True, check=True)
    readings = []
    for row in map(json.loads, run.stdout.splitlines()):
        lines = row["lines"]
        readings.append((*lines, row["valid"]) if lines and len(lines) >= 2 else None)
    return readings


if __name__ == "__main__":
    main()
