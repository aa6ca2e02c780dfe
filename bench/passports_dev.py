"""Training-side passport pages: the set the MRZ reader's thresholds are tuned on (#18).

Data pages and cards of every MRZ format (TD3 booklets, TD1 and TD2 cards, MRV-A and MRV-B
visa stickers) on security backgrounds — guilloche rosettes, wave lines, a rainbow tint,
microprint, and sometimes a pattern running under the MRZ — placed anywhere on an A4 flatbed
scan (single page or booklet spread) or photographed (perspective, uneven light, colour), in
all four orientations, at 150-600 dpi, blurred up to 2.5 px, faded or over-inked, JPEG quality
25-95. ``bench/passports_heldout.py`` is a separate generator whose pages this one never sees.

    draw(rng) -> Page(jpeg, lines, conditions)
"""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.passport_truth import SIZES_MM, Page, random_mrz
from mailroom import samples

PITCH_MM = 2.54  # OCR-B at 10 characters per inch: 44 over 111.8 mm
LINE_MM = 4.3
SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def draw(rng: random.Random) -> Page:
    kind = rng.choices(["TD3", "TD1", "TD2", "MRVA", "MRVB"], weights=[6, 2, 1, 1, 1])[0]
    lines = random_mrz(rng, kind)
    dpi = rng.choice([150, 200, 300, 300, 400, 600])
    background = rng.choice(["plain", "guilloche", "waves", "tint", "microprint"])
    under_mrz = background != "plain" and rng.random() < 0.4
    document = _document(kind, lines, dpi, background, under_mrz, rng)
    capture = rng.choices(["flatbed", "spread", "photo"], weights=[4, 2, 2])[0]
    image = _placed(document, dpi, capture, rng)
    turn = rng.choice([0, 0, 90, 180, 270])
    image = image.rotate(turn, expand=True) if turn else image
    blur = rng.choice([0.0, 0.0, rng.uniform(0.3, 1.2), rng.uniform(1.2, 2.5)])
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur * dpi / 300))
    ink = rng.choice(["normal", "normal", "faded", "over-inked"])
    image = _inked(image, ink)
    quality = rng.randint(25, 95)
    conditions = {
        "format": kind, "background": f"{background}{'+under_mrz' if under_mrz else ''}",
        "capture": capture, "orientation": str(turn), "dpi": str(dpi),
        "blur": "none" if not blur else "<=1.2" if blur <= 1.2 else "<=2.5",
        "ink": ink, "jpeg": "25-39" if quality < 40 else "40-69" if quality < 70 else "70-95",
    }
    return Page(samples.jpeg(image.convert("RGB"), quality), lines, conditions)


def _document(kind: str, lines: list[str], dpi: int, background: str, under_mrz: bool,
              rng: random.Random) -> Image.Image:
    width_mm, height_mm = SIZES_MM[kind]
    px = dpi / 25.4
    size = (round(width_mm * px), round(height_mm * px))
    page = Image.new("RGB", size, _paper(rng))
    mrz_top = height_mm - 4 - len(lines) * LINE_MM  # the MRZ sits at the foot
    pattern = _pattern(background, size, px, rng)
    if pattern is not None:
        if not under_mrz:  # keep the MRZ's clear zone clear
            pattern[round((mrz_top - 1) * px):] = 0
        colour = np.array(rng.choice([(150, 90, 160), (90, 140, 170), (120, 160, 110),
                                      (190, 120, 90)]), dtype=np.float32)
        base = np.asarray(page, dtype=np.float32)
        strength = rng.uniform(0.25, 0.6)
        mixed = base * (1 - strength * pattern[..., None]) + colour * strength * pattern[..., None]
        page = Image.fromarray(mixed.clip(0, 255).astype(np.uint8))
    pen = ImageDraw.Draw(page)
    label = ImageFont.truetype(SANS, max(8, round(2.2 * px)))
    value = ImageFont.truetype(SANS, max(9, round(3.0 * px)))
    names = lines[-1 if kind == "TD1" else 0]
    surname, _, given = (names if kind == "TD1" else names[5:]).partition("<<")
    x0 = round((30 if kind in ("TD3", "MRVA") else 22) * px)
    for row, (caption, text) in enumerate([
            ("Surname / Nom", surname.replace("<", " ").strip()),
            ("Given names / Prénoms", given.replace("<", " ").strip()),
            ("Nationality", lines[1][10:13].strip("<") if kind != "TD1" else lines[1][15:18]),
            ("Date of birth", "12 MAR 1980")]):
        y = round((8 + row * 9) * px)
        if y + 6 * px > mrz_top * px:
            break
        pen.text((x0, y), caption, fill=(70, 70, 90), font=label)
        pen.text((x0, y + round(2.6 * px)), text, fill=(20, 20, 30), font=value)
    if kind in ("TD3", "MRVA", "TD2", "MRVB"):  # the holder's photo
        pen.rectangle((round(4 * px), round(8 * px), round(24 * px), round(34 * px)),
                      fill=(200, 190, 180), outline=(120, 110, 100))
    ocr_b = ImageFont.truetype(samples.OCR_B, round(PITCH_MM * px * rng.uniform(1.45, 1.62)))
    ink = (rng.randint(0, 40),) * 3
    for row, line in enumerate(lines):
        y = round((mrz_top + row * LINE_MM) * px)
        for column, char in enumerate(line):
            pen.text((round((width_mm - len(line) * PITCH_MM) / 2 * px + column * PITCH_MM * px),
                      y), char, fill=ink, font=ocr_b)
    return page


def _paper(rng: random.Random) -> tuple[int, int, int]:
    base = rng.randint(225, 252)
    return (base, base - rng.randint(0, 10), base - rng.randint(0, 18))


def _pattern(background: str, size: tuple[int, int], px: float, rng: random.Random
             ) -> np.ndarray | None:
    """Line-art intensity in 0..1 over the page, or None for plain paper."""
    if background == "plain":
        return None
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) / px  # millimetres
    if background == "guilloche":  # rosettes: rings modulated by a petal count
        cx, cy = rng.uniform(20, 80), rng.uniform(15, 60)
        r = np.hypot(x - cx, y - cy)
        theta = np.arctan2(y - cy, x - cx)
        petals = rng.randint(8, 24)
        field = r + rng.uniform(1.5, 4) * np.sin(petals * theta + r / rng.uniform(3, 8))
        return (np.abs(np.sin(field * math.pi / rng.uniform(0.6, 1.2))) < 0.18).astype(np.float32)
    if background == "waves":
        field = y + rng.uniform(1, 3) * np.sin(x / rng.uniform(2, 6)) \
            + rng.uniform(0.5, 2) * np.sin(x / rng.uniform(7, 15) + 1.3)
        return (np.abs(np.sin(field * math.pi / rng.uniform(0.7, 1.4))) < 0.2).astype(np.float32)
    if background == "tint":  # a smooth rainbow wash, no lines
        phase = x / width * px * 2 * math.pi + y / height * px
        return (0.35 + 0.3 * np.sin(phase * rng.uniform(0.8, 2))).astype(np.float32)
    # microprint: rows of tiny repeated text
    art = Image.new("L", size, 0)
    pen = ImageDraw.Draw(art)
    tiny = ImageFont.truetype(SANS, max(5, round(0.9 * px)))
    word = rng.choice(["SPECIMENREPUBLIC", "PASSPORTSECURITY", "UTOPIAUTOPIA"])
    for row in range(0, height, max(6, round(1.3 * px))):
        pen.text((-(row % 37), row), word * (width // max(1, round(len(word) * 0.6 * px)) + 2),
                 fill=255, font=tiny)
    return np.asarray(art, dtype=np.float32) / 255.0


def _placed(document: Image.Image, dpi: int, capture: str, rng: random.Random) -> Image.Image:
    if capture == "photo":
        return _photo(document, rng)
    if capture == "spread":  # the booklet open: the facing page above the data page
        facing = Image.new("RGB", document.size, _paper(rng))
        ImageDraw.Draw(facing).text((40, 40), "VISAS", fill=(150, 150, 150))
        spread = Image.new("RGB", (document.width, document.height * 2 + 6), (90, 60, 60))
        spread.paste(facing, (0, 0))
        spread.paste(document, (0, document.height + 6))
        document = spread
    a4 = Image.new("RGB", (round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)), (250, 250, 250))
    document = document.rotate(rng.uniform(-4, 4), expand=True, fillcolor=(250, 250, 250))
    left = rng.randint(0, max(0, a4.width - document.width))
    top = rng.randint(0, max(0, a4.height - document.height))
    a4.paste(document, (left, top))
    return a4


def _photo(document: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo: the page on a table, seen at an angle, lit unevenly, in colour."""
    margin = round(0.25 * document.width)
    canvas = Image.new("RGB", (document.width + 2 * margin, document.height + 2 * margin),
                       tuple(rng.randint(60, 160) for _ in range(3)))
    canvas.paste(document, (margin, margin))
    w, h = canvas.size
    skew = [rng.uniform(-0.08, 0.08) * w for _ in range(8)]
    quad = (skew[0], skew[1], skew[2], h + skew[3], w + skew[4], h + skew[5], w + skew[6],
            skew[7])
    canvas = canvas.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                              fillcolor=(80, 80, 80))
    light = np.linspace(rng.uniform(0.6, 0.9), rng.uniform(1.0, 1.15), w, dtype=np.float32)
    shade = np.asarray(canvas, dtype=np.float32) * light[None, :, None]
    return Image.fromarray(shade.clip(0, 255).astype(np.uint8))


def _inked(image: Image.Image, ink: str) -> Image.Image:
    if ink == "faded":
        return image.point(lambda v: 110 + v * 0.57)
    if ink == "over-inked":
        return image.filter(ImageFilter.MinFilter(3))
    return image
