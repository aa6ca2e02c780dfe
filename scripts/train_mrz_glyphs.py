"""Train the MRZ glyph discriminant and write extractors/data/mrz_glyphs.npz.

    .venv/bin/python scripts/train_mrz_glyphs.py [--pages 1000] [--seed 20261123]

Renders TD3 data pages whose lines use every MRZ character (random document numbers, names,
dates and optional data) with glyphs 0.8–1.2 of their usual size in the cell, in heavier or
lighter print, and degrades them (170–330 dpi, ±3° tilt, blur up to 1.6 px, faded ink, noise,
JPEG quality 35–95), cuts each line into cells with the reader's own code and trains on
the cells with their true characters. Deterministic for a seed. Its seeds and its degradations
are its own: bench/devset.py's development set is never trained on.
"""

from __future__ import annotations

import argparse
import io
import random
import string
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors import mrz_glyphs
from extractors.mrz_reader import line_cells
from mailroom import samples

MRZ_CHARS = string.ascii_uppercase + string.digits


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, default=mrz_glyphs.MODEL)
    args = parser.parse_args()
    mrz_glyphs.save(mrz_glyphs.train(training_cells(args.pages, args.seed)), args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


def training_cells(pages: int, seed: int) -> Iterator[tuple[np.ndarray, str]]:
    rng = random.Random(seed)
    for _ in range(pages):
        lines = random_lines(rng)
        dpi = rng.randint(170, 330)
        page = samples.passport_page(lines, dpi=dpi, glyph_scale=rng.uniform(0.8, 1.2))
        page = degraded(inked(page, dpi, rng), rng)
        cut = line_cells(page)
        if cut is None or len(cut) != 2:
            continue  # the band was not found: nothing to learn from this page
        for cells, truth in zip(cut, lines, strict=True):
            yield from ((cell, char) for cell, char in zip(cells, truth, strict=True)
                        if cell is not None)


def random_lines(rng: random.Random) -> list[str]:
    def word(alphabet: str, low: int, high: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(low, high)))

    def date() -> str:
        return f"{rng.randint(0, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 31):02d}"

    return samples.td3_lines(
        surname=word(string.ascii_uppercase, 2, 14), given_names=word(string.ascii_uppercase, 2, 12),
        nationality=word(string.ascii_uppercase, 3, 3), number=word(MRZ_CHARS, 9, 9),
        birth=date(), sex=rng.choice("MF<"), expiry=date(), optional=word(MRZ_CHARS + "<", 0, 14))


def inked(page: Image.Image, dpi: int, rng: random.Random) -> Image.Image:
    """Heavier or lighter print: strokes a pixel thicker, or thinner where the scan's
    resolution leaves a stroke to thin."""
    weight = rng.random()
    if weight < 0.2:
        return page.filter(ImageFilter.MinFilter(3))  # the dark ink spreads
    if weight < 0.35 and dpi >= 250:
        return page.filter(ImageFilter.MaxFilter(3))
    return page


def degraded(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-3, 3), expand=True, fillcolor=255, resample=Image.BILINEAR)
    if rng.random() < 0.6:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.2, 1.6)))
    pixels = np.asarray(page, dtype=np.float32)
    if rng.random() < 0.5:  # faded: dark grey on light grey
        low, high = rng.uniform(40, 130), rng.uniform(215, 255)
        pixels = low + pixels * (high - low) / 255
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 20), pixels.shape)
    page = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    scanned = Image.open(io.BytesIO(samples.jpeg(page, quality=rng.randint(35, 95))))
    scanned.load()
    return scanned


if __name__ == "__main__":
    main()
