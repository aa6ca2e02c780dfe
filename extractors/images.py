"""Opening any image a scanner or a phone makes, and turning each page of it into the 8-bit
grey or RGB picture the rest of the pipeline reads.

Scanners write bilevel CCITT G3/G4, LZW, PackBits or JPEG-in-TIFF, 16-bit grey, palette and
CMYK; phones write HEIC and JPEG turned by an EXIF tag. ``open_image(data)`` opens all of them
(HEIF through pillow-heif); ``normalised(frame)`` returns a fresh page turned upright, its
transparency laid on white paper, its depth brought to 8 bits, and none of the source's
encoder settings (a frame that remembers "group4" cannot be saved as grey).
"""

from __future__ import annotations

import io
import math

import numpy as np
from PIL import Image, ImageOps
from pillow_heif import register_heif_opener
from scipy import ndimage

register_heif_opener()

# A page larger than twice this many pixels is OCR'd shrunk to this many: A4 at 300 dpi
READING_PIXELS = 2480 * 3508
GREY_MODES = {"1", "L", "LA", "La", "I;16", "I;16L", "I;16B", "I;16N", "I", "F"}


def open_image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def normalised(frame: Image.Image) -> Image.Image:
    upright = ImageOps.exif_transpose(frame)
    if upright.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        page = _eight_bit(upright)
    elif upright.mode in ("LA", "La", "RGBA", "RGBa", "PA", "P"):
        page = _on_white(upright)
    elif upright.mode in ("1", "L"):
        page = upright.convert("L")
    else:  # RGB, CMYK, YCbCr, LAB, HSV
        page = upright.convert("RGB")
    page = page.copy() if page is upright else page
    page.info = {}
    return page


def shrunk_for_reading(image: Image.Image) -> tuple[Image.Image, float]:
    """The page as its whole-page OCR reads it, and the scale it was shrunk by: one with
    more than twice ``READING_PIXELS`` (a 500 or 600 dpi scan) is brought down to that many
    (300 dpi on A4), which reads as well in a third of the time; a page of 400 dpi or less,
    or a phone's photo, is read as it is. (Halved, a 500 dpi scan lost an MRZ's fillers.)"""
    pixels = image.width * image.height
    if pixels <= 2 * READING_PIXELS:
        return image, 1.0
    scale = math.sqrt(READING_PIXELS / pixels)
    size = (round(image.width * scale), round(image.height * scale))
    return image.resize(size, Image.Resampling.BOX), scale


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit (or 32-bit) grey to 8 bits by its real range: a 16-bit scan usually fills it."""
    values = np.asarray(image, dtype=np.float64)
    top = 65535.0 if values.max() > 255 else 255.0
    return Image.fromarray(np.clip(values * (255.0 / top), 0, 255).astype(np.uint8), mode="L")


def _on_white(image: Image.Image) -> Image.Image:
    """Transparency laid on white paper (a transparent PNG's text would vanish on black)."""
    grey = image.mode in ("LA", "La") or (image.mode in ("P", "PA") and _palette_is_grey(image))
    rgba = image.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(paper, rgba).convert("RGB")
    return flat.convert("L") if grey else flat


def _palette_is_grey(image: Image.Image) -> bool:
    palette = image.getpalette() or []
    triples = zip(palette[0::3], palette[1::3], palette[2::3], strict=False)
    return all(r == g == b for r, g, b in triples)


def dark_runs(dark: np.ndarray, length: int) -> np.ndarray:
    """Pixels on a run of at least ``length`` dark pixels along each row (a rule, not a glyph):
    an opening with a 1 x length line (running minimum, then maximum)."""
    as_bytes = dark.astype(np.uint8)
    opened = ndimage.maximum_filter1d(ndimage.minimum_filter1d(as_bytes, length, axis=1),
                                      length, axis=1)
    return opened.astype(bool)


def otsu_threshold(grey: np.ndarray, low: float, high: float, bins: int = 64) -> float:
    """The level that parts ``grey``'s values (between ``low`` and ``high``) into the two
    classes furthest apart, by Otsu's method."""
    histogram, edges = np.histogram(grey, bins=bins, range=(low, high))
    weights = histogram.astype(np.float64)
    centres = (edges[:-1] + edges[1:]) / 2
    best, threshold = -1.0, (low + high) / 2
    for i in range(1, bins):
        w0, w1 = weights[:i].sum(), weights[i:].sum()
        if w0 == 0 or w1 == 0:
            continue
        m0 = (weights[:i] * centres[:i]).sum() / w0
        m1 = (weights[i:] * centres[i:]).sum() / w1
        between = w0 * w1 * (m0 - m1) ** 2
        if between > best:
            best, threshold = between, float(edges[i])
    return threshold


SHEET_STEP = 8  # the sheet is told from what lies around it on the page shrunk this much
PAPER_REACH = 9  # shrunk pixels: the paper's light is the brightest this near (wider than a
# shaded row or a glyph, so neither is taken for shadow)
WHITE_PAPER = 235  # paper lighter than this everywhere is left as it is


def on_white_paper(grey: np.ndarray) -> np.ndarray:
    """A photographed sheet as a scanner gives it: what lies around the sheet painted white
    and the sheet's paper brought to white wherever the light falls on it. A desk around a
    sheet is one dark region touching the picture's edge (the sheet's own ink never does:
    its margins part it from there); light falling from one side leaves paper as dark as a
    rule, so the light is measured locally (the brightest paper near each place)."""
    small = np.asarray(Image.fromarray(grey).reduce(SHEET_STEP), dtype=np.float32)
    labels, _count = ndimage.label(small < otsu_threshold(small, 0.0, 256.0))
    edge = np.unique(np.r_[labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    # one shrunk pixel more: the sheet's blurred edge is the desk's, not a rule down the page
    around = ndimage.binary_dilation(np.isin(labels, edge[edge > 0]))
    if around.all():
        return grey
    light = ndimage.maximum_filter(np.where(around, 0, small), PAPER_REACH)
    if not around.any() and light.min() >= WHITE_PAPER:
        return grey
    size = (grey.shape[1], grey.shape[0])
    light_full = np.asarray(Image.fromarray(np.maximum(light, 1)).resize(size, Image.Resampling.BILINEAR))
    whitened = np.clip(grey.astype(np.float32) * (255.0 / light_full), 0, 255).astype(np.uint8)
    around_full = np.asarray(Image.fromarray(around.astype(np.uint8) * 255).resize(size)) > 127
    whitened[around_full] = 255
    return whitened
