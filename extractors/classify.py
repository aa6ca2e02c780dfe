"""Document kinds from wording (English and Chinese) and layout cues, with a confidence.

Contract: ``classify(text, cues)`` returns ``(kind, confidence)``; a weak or ambiguous match is
``other`` with the best score's confidence, so a clerk decides. The wording is data
(``document_kinds.yaml``), validated on load.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from PIL import Image, ImageStat

from mailroom.errors import ConfigurationError
from storage.enums import DocumentKind

KINDS_FILE = Path(__file__).with_name("document_kinds.yaml")
MIN_SCORE = 1.0
MIN_MARGIN = 1.0  # the winner must lead the runner-up by this much
TITLE_LINES = 2
TITLE_WEIGHT = 2


@dataclass(frozen=True)
class LayoutCues:
    has_mrz: bool = False
    has_form_fields: bool = False
    has_cover_qr: bool = False
    has_linear_barcode: bool = False
    is_photo_sized: bool = False  # a portrait picture with next to no text (see looks_like_photo)


# Passport photos are 33 x 48 mm (China) or 35 x 45 mm (ICAO): portrait, ratio 0.69-0.78.
PHOTO_RATIO = (0.6, 0.85)
PHOTO_MAX_TEXT = 25  # letters and digits: a photo carries none (a caption at most)
PHOTO_MAX_BRIGHTNESS = 215  # mean grey level: a blank or sparse page of paper is brighter


def looks_like_photo(image: Image.Image, text: str | None) -> bool:
    """A portrait picture, mostly not paper-white, with next to no text: a passport photo."""
    letters = sum(ch.isalnum() for ch in text or "")
    ratio = image.width / max(image.height, 1)
    if not (PHOTO_RATIO[0] <= ratio <= PHOTO_RATIO[1]) or letters > PHOTO_MAX_TEXT:
        return False
    return ImageStat.Stat(image.convert("L").reduce(4)).mean[0] <= PHOTO_MAX_BRIGHTNESS


@cache
def phrases(path: Path = KINDS_FILE) -> dict[DocumentKind, tuple[str, ...]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table: dict[DocumentKind, tuple[str, ...]] = {}
    for kind, words in raw.items():
        try:
            known = DocumentKind(kind)
        except ValueError as e:
            raise ConfigurationError(f"{path}: unknown document kind {kind!r}") from e
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise ConfigurationError(f"{path}: {kind} must list non-empty phrases")
        table[known] = tuple(w.lower() for w in words)
    return table


def classify(text: str, cues: LayoutCues | None = None) -> tuple[DocumentKind, float]:
    cues = cues or LayoutCues()
    if cues.has_cover_qr:
        return DocumentKind.COVER_SHEET, 1.0
    if cues.has_form_fields:
        return DocumentKind.APPLICATION_FORM, 1.0
    if cues.is_photo_sized and not cues.has_mrz:
        return DocumentKind.PHOTO, 0.9
    lowered = text.lower()
    title = "\n".join([line for line in lowered.splitlines() if line.strip()][:TITLE_LINES])
    # A document names itself in its title: wording there counts more than a mention below.
    # Each phrase counts once however often it recurs: a statement that names the certificate
    # it replaces three times is still a statement.
    scores = {kind: float(sum((word in lowered) + TITLE_WEIGHT * (word in title)
                              for word in words))
              for kind, words in phrases().items()}
    if cues.has_mrz:
        scores[DocumentKind.PASSPORT] = scores.get(DocumentKind.PASSPORT, 0) + 5
    if cues.has_linear_barcode:
        scores[DocumentKind.WAYBILL] = scores.get(DocumentKind.WAYBILL, 0) + 2
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    confidence = round(top / (top + runner_up + 1.0), 2)
    if top < MIN_SCORE or top - runner_up < MIN_MARGIN:
        return DocumentKind.OTHER, confidence
    return best, confidence
