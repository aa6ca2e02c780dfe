"""Held-apart passport pages: drawn by a generator of their own, never used to tune (#18).

Nothing is shared with ``bench/passports_dev.py`` but the MRZ truth: other security
backgrounds (moiré rings, crosshatch, halftone dots, smooth mottling), another layout (photo
on the right, serif visual zone, the MRZ nearer the edge), the sharp OCR-B cut, other placements
(an ID card beside a letter on the glass, a booklet held in hand), other degradations (motion
blur, salt-and-pepper specks, gamma, a shadow across the page, vignetting), other resolutions
and seeds. Thresholds are tuned on the other set; this one only measures.

    draw(rng) -> Page(jpeg, lines, conditions)
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from bench.passport_truth import SIZES_MM, Page, random_mrz
from mailroom import samples

OCR_B_SHARP = "/usr/share/fonts/opentype/ocr-b/OCRBS.otf"
SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def draw(rng: random.Random) -> Page:
    kind = rng.choices(["TD3", "TD1", "TD2", "MRVA", "MRVB"], weights=[5, 2, 1, 1, 1])[0]
    lines = random_mrz(rng, kind)
    dpi = rng.choice([180, 240, 360, 500])
    background = rng.choice(["plain", "moire", "crosshatch", "halftone", "mottle"])
    under_mrz = background != "plain" and rng.random() < 0.5
    card = _card(kind, lines, dpi, background, under_mrz, rng)
    capture = rng.choices(["glass", "beside_letter", "in_hand"], weights=[3, 2, 3])[0]
    image = _captured(card, dpi, capture, rng)
    turn = rng.choice([0, 90, 180, 270])
    image = image.rotate(turn, expand=True) if turn else image
    damage = rng.choice(["none", "motion", "specks", "shadow", "gamma"])
    image = _damaged(image, damage, dpi, rng)
    quality = rng.randint(25, 95)
    conditions = {
        "format": kind, "background": f"{background}{'+under_mrz' if under_mrz else ''}",
        "capture": capture, "orientation": str(turn), "dpi": str(dpi), "damage": damage,
        "jpeg": "25-39" if quality < 40 else "40-69" if quality < 70 else "70-95",
    }
    return Page(samples.jpeg(image.convert("RGB"), quality), lines, conditions)


def _card(kind: str, lines: list[str], dpi: int, background: str, under_mrz: bool,
          rng: random.Random) -> Image.Image:
    width_mm, height_mm = SIZES_MM[kind]
    px = dpi / 25.4
    size = (round(width_mm * px), round(height_mm * px))
    paper = np.full((size[1], size[0], 3), (238, 236, 226), dtype=np.float32)
    art = _art(background, size, px, rng)
    mrz_top_mm = height_mm - 2.5 - len(lines) * 4.6
    if art is not None:
        if not under_mrz:
            art[round((mrz_top_mm - 0.5) * px):] = 0
        hue = np.array(rng.choice([(40, 110, 90), (160, 60, 60), (60, 60, 150), (150, 130, 40)]),
                       dtype=np.float32)
        amount = rng.uniform(0.2, 0.55) * art[..., None]
        paper = paper * (1 - amount) + hue * amount
    card = Image.fromarray(paper.clip(0, 255).astype(np.uint8))
    pen = ImageDraw.Draw(card)
    serif = ImageFont.truetype(SERIF, max(9, round(2.8 * px)))
    small = ImageFont.truetype(SERIF, max(7, round(1.8 * px)))
    pen.text((round(5 * px), round(3 * px)), "REPUBLIC OF UTOPIA  ·  PASSPORT", fill=(40, 40, 80),
             font=serif)
    pen.rectangle((round((width_mm - 30) * px), round(10 * px), round((width_mm - 6) * px),
                   round(40 * px)), fill=(170, 160, 150))
    for row, caption in enumerate(["Name", "Born", "Sex", "Expires"]):
        y = round((11 + row * 7) * px)
        if y > (mrz_top_mm - 6) * px:
            break
        pen.text((round(6 * px), y), caption, fill=(90, 60, 60), font=small)
        pen.text((round(6 * px), y + round(2 * px)), lines[0][5:20].replace("<", " "),
                 fill=(10, 10, 10), font=serif)
    pitch = 2.54 * px
    font = ImageFont.truetype(OCR_B_SHARP, round(pitch * rng.uniform(1.4, 1.65)))
    left = round(rng.uniform(3, max(3.1, width_mm - len(lines[0]) * 2.54 - 2)) * px)
    for row, line in enumerate(lines):
        y = round((mrz_top_mm + row * 4.6) * px)
        for column, char in enumerate(line):
            pen.text((left + round(column * pitch), y), char, fill=(25, 20, 30), font=font)
    return card


def _art(background: str, size: tuple[int, int], px: float, rng: random.Random
         ) -> np.ndarray | None:
    if background == "plain":
        return None
    width, height = size
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) / px
    if background == "moire":  # two sets of rings interfering
        a = np.hypot(x - rng.uniform(0, 60), y - rng.uniform(0, 40))
        b = np.hypot(x - rng.uniform(60, 120), y - rng.uniform(30, 80))
        return ((np.sin(a * rng.uniform(4, 7)) + np.sin(b * rng.uniform(4, 7))) > 1.2) \
            .astype(np.float32)
    if background == "crosshatch":
        step = rng.uniform(0.8, 1.6)
        return (((x + y) % step < 0.15) | ((x - y) % step < 0.15)).astype(np.float32)
    if background == "halftone":
        cell = rng.uniform(0.5, 1.0)
        radius = 0.25 * cell * (1 + np.sin(x / 9) * np.cos(y / 7))
        return (np.hypot(x % cell - cell / 2, y % cell - cell / 2) < radius).astype(np.float32)
    # mottle: smooth blotches, as a tinted watermark area
    coarse = np.asarray(Image.fromarray((np.random.default_rng(rng.randrange(10**6))
                                         .random((8, 12)) * 255).astype(np.uint8))
                        .resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32)
    return coarse / 255.0 * 0.8


def _captured(card: Image.Image, dpi: int, capture: str, rng: random.Random) -> Image.Image:
    if capture == "in_hand":  # a phone photo of the booklet held up: tilted in depth, vignetted
        pad = round(0.2 * max(card.size))
        scene = Image.new("RGB", (card.width + 2 * pad, card.height + 2 * pad),
                          (rng.randint(20, 90), rng.randint(20, 90), rng.randint(20, 90)))
        scene.paste(card, (pad, pad))
        w, h = scene.size
        lean = rng.uniform(0.03, 0.1)
        quad = (lean * w, 0, 0, h, w, h, (1 - lean) * w, 0) if rng.random() < 0.5 else \
            (0, lean * h, 0, (1 - lean) * h, w, h, w, 0)
        scene = scene.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BILINEAR)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        fall = 1 - 0.45 * (np.hypot((xx - w / 2) / w, (yy - h / 2) / h) ** 2) * 2
        return Image.fromarray((np.asarray(scene, dtype=np.float32) * fall[..., None])
                               .clip(0, 255).astype(np.uint8))
    glass = Image.new("RGB", (round(216 / 25.4 * dpi), round(279 / 25.4 * dpi)),
                      (245, 245, 240))  # a letter-size flatbed
    if capture == "beside_letter":
        pen = ImageDraw.Draw(glass)
        text = ImageFont.truetype(SERIF, max(9, round(dpi / 9)))
        for row in range(12):
            pen.text((round(dpi * 0.6), round(dpi * (0.6 + row * 0.3))),
                     "To whom it may concern: the holder applies for an extension.", fill=30,
                     font=text)
    card = card.rotate(rng.uniform(-8, 8), expand=True, fillcolor=(245, 245, 240))
    top = rng.randint(glass.height // 3 if capture == "beside_letter" else 0,
                      max(0, glass.height - card.height))
    glass.paste(card, (rng.randint(0, max(0, glass.width - card.width)), top))
    return glass


def _damaged(image: Image.Image, damage: str, dpi: int, rng: random.Random) -> Image.Image:
    if damage == "motion":
        size = 5
        kernel = [0.0] * (size * size)
        for i in range(size):
            kernel[size * (size // 2) + i] = 1 / size  # a horizontal smear
        return image.filter(ImageFilter.Kernel((size, size), kernel))
    pixels = np.asarray(image, dtype=np.float32)
    if damage == "specks":
        noise = np.random.default_rng(rng.randrange(10**6)).random(pixels.shape[:2])
        pixels[noise < 0.004] = 0
        pixels[noise > 0.996] = 255
    elif damage == "shadow":  # a band of shadow across the page (the scanner lid, a hand)
        w = pixels.shape[1]
        start = rng.randint(0, max(1, w - w // 3))
        pixels[:, start:start + w // 3] *= rng.uniform(0.55, 0.75)
    elif damage == "gamma":
        pixels = 255 * (pixels / 255) ** rng.uniform(0.5, 1.8)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
