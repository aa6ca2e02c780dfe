"""Training-side lists as offices print and send them: tables ruled otherwise, and photographed.

    .venv/bin/python bench/list_styles.py [--seed 81] [--per-kind 8] [--workers 2] [--misses]

Personnel lists and school letters of two people or more, drawn in turn by the three training
families (training/letter_templates.py, training/letter_phrasings.py, and the summary tables
and memos of training/letter_records.py), each printed with its table ruled between rows only,
shaded and boxed, ruled off under its header only, or as a three-line table
(``training.drafts.TABLE_STYLES``; lists in lines or prose are printed as they are), then
scanned (``as_scan``) or photographed on a desk (``as_photo``), JPEG. Every file is read alone
by ``extract_file``. Prints list rows read exactly (name, ICAO nationality, passport number)
by table style and by medium, the letters whose kind was missed, seconds per page, and with
``--misses`` each row missed. Training side only: the held-apart generator is not drawn here.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.letter_scoring import same_name
from extractors.extract import extract_file
from mailroom import samples
from training.drafts import Draft, as_pdf, as_photo, as_scan
from training.letter_phrasings import phrased_draft
from training.letter_records import record_draft
from training.letter_templates import draft

KINDS = ["personnel_list_letter", "school_letter"]
STYLES = ["rows", "shaded", "open", "three_line"]
MEDIA = ["scan", "photo"]


def lists(rng: random.Random, per_kind: int, folder: Path) -> list[tuple[str, str, str, dict, Path]]:
    """(kind, table style, medium, truth, file) for each list drawn."""
    made = []
    for kind in KINDS:
        for n in range(per_kind):
            letter = _drawn(rng, kind, family=n % 3)
            style = rng.choice(STYLES)
            pdf = as_pdf(letter, rng, style)
            medium = rng.choice(MEDIA)
            image = as_photo(pdf, rng) if medium == "photo" else as_scan(pdf, rng)
            path = folder / f"{kind}-{n}-{style}-{medium}.jpg"
            path.write_bytes(samples.jpeg(image, quality=rng.randint(60, 90)))
            made.append((kind, style, medium, letter.truth, path))
    return made


def _drawn(rng: random.Random, kind: str, family: int) -> Draft:
    while True:
        language = rng.choice(["en", "zh", "bi"])
        letter = (draft(kind, rng) if family == 0 else phrased_draft(kind, rng, language) if family == 1
                  else record_draft(kind, rng, language))
        if len(letter.truth.get("people") or []) >= 2:
            return letter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=81)
    parser.add_argument("--per-kind", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        made = lists(random.Random(args.seed), args.per_kind, Path(folder))
        started = time.perf_counter()
        with ThreadPoolExecutor(args.workers) as pool:
            results = list(pool.map(extract_file, [path for *_, path in made]))
        seconds = time.perf_counter() - started
    rows, exact = Counter(), Counter()
    for (kind, style, medium, truth, path), result in zip(made, results, strict=True):
        if result.get("kind") != kind:
            print(f"{path.name}: read as {result.get('kind')}")
        read = {p.get("passport_number"): p for p in (result.get("fields") or {}).get("people") or []}
        for person in truth["people"]:
            got = read.get(person["passport_number"])
            right = bool(got and same_name(got.get("name"), person["name"])
                         and got.get("nationality") == person["nationality"])
            for key in ("all", style, medium):
                rows[key] += 1
                exact[key] += right
            if not right and args.misses:
                print(f"{path.name}: missed {person['name']} {person['nationality']} "
                      f"{person['passport_number']}; read {got}")
    for key in ["all", *STYLES, *MEDIA]:
        if rows[key]:
            print(f"{key:>7}: {exact[key]}/{rows[key]} rows exact ({100 * exact[key] / rows[key]:.1f}%)")
    print(f"{seconds / len(made):.2f} s a page ({args.workers} workers, {len(made)} pages)")


if __name__ == "__main__":
    main()
