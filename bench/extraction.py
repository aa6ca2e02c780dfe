"""MRZ reading on degraded synthetic passports, against raw tesseract (see bench/README.md).

Prints: MRZ exact-match rate (both lines right and valid), silent-error rate (all check digits
pass but a field is wrong; names excluded, as they carry no check digit and are reported as
unconfirmed), unreadable rate, pages per minute, and the ratio of our OCR wall time to running
the `tesseract` CLI on the same pages with the same parallelism.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.extract import extract_file
from mailroom import samples

CHECKED_FIELDS = ("document_number", "nationality", "date_of_birth", "sex", "expiry_date")


def random_td3(rng: random.Random) -> list[str]:
    number = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    nationality = rng.choice(["D<<", "CHN", "JPN", "FRA", "USA", "GBR"])
    birth = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    expiry = f"{rng.randint(27, 35):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    sex = rng.choice("MF")
    surname = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 10)))
    given = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 8)))
    return samples.td3_lines(surname=surname, given_names=given, nationality=nationality,
                             number=number, birth=birth, sex=sex, expiry=expiry)


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-2.5, 2.5), expand=True, fillcolor=255)
    if rng.random() < 0.5:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    if rng.random() < 0.5:  # low contrast
        page = page.point(lambda v: 90 + v * 0.55)
    noise = Image.effect_noise(page.size, rng.uniform(5, 25)).convert("L")
    page = Image.blend(page.convert("L"), noise, 0.12)
    return page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    workers = os.cpu_count() or 2
    with tempfile.TemporaryDirectory() as folder:
        truth = []
        for n in range(args.pages):
            lines = random_td3(rng)
            dpi = rng.choice([200, 250, 300])
            path = Path(folder) / f"passport-{n:03}.jpg"
            degrade(samples.passport_page(lines, dpi=dpi), rng).save(
                path, quality=rng.randint(45, 90))
            truth.append((path, lines))

        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda item: extract_file(item[0]), truth))
        ours = time.perf_counter() - started

        started = time.perf_counter()
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda item: subprocess.run(
                ["tesseract", str(item[0]), "stdout", "-l", "eng+chi_sim"],
                capture_output=True, env=env, check=False), truth))
        raw = time.perf_counter() - started

    exact = silent = unreadable = line2_exact = 0
    for (_, lines), result in zip(truth, results, strict=True):
        mrz = result["mrz"]
        if mrz is None or not mrz["valid"]:
            unreadable += 1
            continue
        line2_exact += mrz["line2"] == lines[1]
        if [mrz["line1"], mrz["line2"]] == lines:
            exact += 1
        elif mrz["line2"] != lines[1]:
            silent += 1  # check digits passed on a wrong line 2
    figures = {
        "pages": args.pages,
        "mrz_exact_match_rate": round(exact / args.pages, 3),
        "mrz_line2_exact_rate": round(line2_exact / args.pages, 3),
        "mrz_line2_silent_error_rate": round(silent / args.pages, 3),
        "mrz_unreadable_rate": round(unreadable / args.pages, 3),
        "pages_per_minute": round(args.pages / ours * 60, 1),
        "ocr_wall_seconds": round(ours, 2),
        "raw_tesseract_wall_seconds": round(raw, 2),
        "ratio_to_raw_tesseract": round(ours / raw, 2),
        "workers": workers,
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
