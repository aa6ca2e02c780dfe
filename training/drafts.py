"""A letter before it is printed: heading, letterhead, paragraphs and tables, with its truth.

Both letter generators (training/letter_templates.py for training, bench/letters_heldout.py held
apart) write ``Draft``s; this module turns one into what the office receives: the text a PDF's
text layer or OCR yields (``as_text``), a born-digital PDF (``as_pdf``, reportlab platypus:
wrapped paragraphs, tables that run onto the next page, ruled in one of ``TABLE_STYLES``), a
scan (``as_scan``) and a phone's photo of the printed page (``as_photo``).
The truth follows ``../shared/corpus/letters/README.md``, so one bench scores every set.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PIL import Image, ImageFilter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mailroom.samples import SYNTHETIC, pdf_page_image

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]


@dataclass
class Draft:
    kind: str
    language: str  # en | zh | bi
    title: str
    blocks: list[str | Grid] = field(default_factory=list)
    letterhead: list[str] = field(default_factory=list)
    truth: dict[str, Any] = field(default_factory=dict)
    template: str = ""


def as_text(draft: Draft, rng: random.Random, *, ocr: bool) -> str:
    """What the extractors see: a text layer puts each table cell on its own line; OCR keeps a
    row on one line, spaces Chinese characters apart and confuses a few glyphs."""
    lines = [*draft.letterhead, draft.title]
    for block in draft.blocks:
        if isinstance(block, Grid):
            for row in [block.header, *block.rows]:
                lines += [" ".join(row)] if ocr else [cell for cell in row]
        else:
            lines += _wrap(block, rng.randint(45, 90))
    text = "\n".join(lines)
    return _ocr_noise(text, rng) if ocr else text


# how an office's word processor rules a table: every cell boxed; rows parted by lines only;
# a shaded header row over boxed cells; only the header ruled off (no rule between rows)
TABLE_STYLES = {
    "grid": [("GRID", (0, 0), (-1, -1), 0.5, colors.black)],
    "rows": [("LINEABOVE", (0, 0), (-1, -1), 0.5, colors.black),
             ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.black)],
    "shaded": [("GRID", (0, 0), (-1, -1), 0.5, colors.black),
               ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.82, 0.82, 0.82))],
    "open": [("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
             ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)],
    "three_line": [("LINEABOVE", (0, 0), (-1, 0), 1, colors.black),  # 三线表
                   ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                   ("LINEBELOW", (0, -1), (-1, -1), 1, colors.black)],
}


def as_pdf(draft: Draft, rng: random.Random, table_style: str = "grid") -> bytes:
    fonts = _fonts(draft, rng)
    size = rng.choice([10, 10.5, 11, 12])
    body = ParagraphStyle("body", fontName=fonts, fontSize=size, leading=size * 1.5,
                          wordWrap="CJK", spaceAfter=size * 0.6)
    head = ParagraphStyle("head", parent=body, fontSize=size + rng.choice([4, 6, 8]),
                          leading=(size + 8) * 1.3, alignment=TA_CENTER, spaceAfter=size)
    small = ParagraphStyle("small", parent=body, fontSize=size - 2, leading=(size - 2) * 1.3,
                           alignment=rng.choice([0, TA_CENTER]), spaceAfter=1)
    cell = ParagraphStyle("cell", parent=body, fontSize=size - 1, leading=(size - 1) * 1.3,
                          spaceAfter=0)
    story: list[Any] = [Paragraph(_escape(line), small) for line in draft.letterhead]
    story += [Spacer(1, 4 * mm), Paragraph(_escape(draft.title), head),
              Paragraph(SYNTHETIC, small)]
    for block in draft.blocks:
        if isinstance(block, Grid):
            data = [[Paragraph(_escape(c), cell) for c in row] for row in [block.header, *block.rows]]
            table = Table(data, repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([*TABLE_STYLES[table_style],
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [table, Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(_escape(block), body))
    buffer = io.BytesIO()
    margin = rng.choice([18, 22, 25]) * mm
    SimpleDocTemplate(buffer, pagesize=A4, leftMargin=margin, rightMargin=margin,
                      topMargin=margin, bottomMargin=margin, invariant=True).build(story)
    return buffer.getvalue()


def as_scan(pdf: bytes, rng: random.Random, page: int = 0) -> Image.Image:
    """One page as a flatbed scanner returns it: grey, tilted, soft, noisy."""
    image = pdf_page_image(_page_pdf(pdf, page), dpi=rng.choice([200, 250, 300]))
    image = image.rotate(rng.uniform(-1.5, 1.5), resample=Image.Resampling.BILINEAR,
                         expand=True, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    return Image.blend(image, noise_image(image.size, rng.uniform(8, 20), rng), 0.08)


def noise_image(size: tuple[int, int], sigma: float, rng: random.Random) -> Image.Image:
    """Grey Gaussian noise about mid-grey, drawn from ``rng``: PIL's ``effect_noise`` draws from
    the C library's generator, which whatever ran before in the process has moved, so the same
    seed gave another page from run to run (and another OCR reading of it)."""
    width, height = size
    pixels = np.random.default_rng(rng.randrange(2**32)).normal(128, sigma, (height, width))
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def as_photo(pdf: bytes, rng: random.Random, page: int = 0) -> Image.Image:
    """One page as a phone photographs it on a desk: seen at a slant, lit from one side, in
    warm indoor light, the desk around it, a little soft."""
    sheet = pdf_page_image(_page_pdf(pdf, page), dpi=rng.choice([150, 200])).convert("RGB")
    margin = round(0.08 * sheet.width)
    desk = tuple(rng.randint(70, 150) for _ in range(3))
    canvas = Image.new("RGB", (sheet.width + 2 * margin, sheet.height + 2 * margin), desk)
    canvas.paste(sheet, (margin, margin))
    w, h = canvas.size
    slant = [rng.uniform(-0.04, 0.04) * w for _ in range(8)]
    quad = (slant[0], slant[1], slant[2], h + slant[3], w + slant[4], h + slant[5],
            w + slant[6], slant[7])
    canvas = canvas.transform((w, h), Image.Transform.QUAD, quad, Image.Resampling.BICUBIC,
                              fillcolor=desk)
    side = Image.linear_gradient("L").rotate(rng.choice([0, 90, 180, 270])).resize((w, h))
    light = 1 - rng.uniform(0.2, 0.4) * np.asarray(side, dtype=np.float32)[:, :, None] / 255
    warmth = np.array([rng.uniform(0.9, 1.0), rng.uniform(0.85, 0.95), rng.uniform(0.75, 0.9)],
                      dtype=np.float32)
    lit = np.asarray(canvas, dtype=np.float32) * light * warmth
    return Image.fromarray(lit.clip(0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0)))


def _page_pdf(pdf: bytes, page: int) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(pdf)).pages[page])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _fonts(draft: Draft, rng: random.Random) -> str:
    if draft.language == "en":
        return rng.choice(["Helvetica", "Times-Roman", "Courier"])
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    try:
        pdfmetrics.registerFont(TTFont("WQY", WQY))
        return rng.choice(["STSong-Light", "WQY"])
    except Exception:
        return "STSong-Light"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wrap(paragraph: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in re.split(r"(\s+)", paragraph):
        if len(current) + len(word) > width and current.strip():
            lines.append(current.strip())
            current = ""
        current += word
    return [*lines, current.strip()] if current.strip() else lines


_CONFUSIONS = {"O": "0", "0": "O", "l": "1", "1": "l", "I": "l", "rn": "m", "S": "5", "B": "8",
               "e": "c", "，": ",", "：": ":", "。": "."}


def _ocr_noise(text: str, rng: random.Random) -> str:
    out = []
    for char in text:
        if CJK.match(char) and rng.random() < 0.5:
            out.append(char + " ")  # tesseract's chi_sim spaces characters apart
        elif char in _CONFUSIONS and rng.random() < 0.02:
            out.append(_CONFUSIONS[char])
        elif rng.random() < 0.003:
            continue
        else:
            out.append(char)
    return "".join(out)
