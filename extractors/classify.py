"""Document kinds from what a document is: its layout first, then a text model.

Contract: ``classify(text, cues)`` returns ``(kind, confidence)``. Layout decides what layout
shows (a cover sheet's QR code, a form's fields, a passport's verified MRZ, a photo); the rest
is decided by the kind model (extractors/kind_model.py: character n-grams of the heading and
the whole text, trained on many wordings of every kind), so a word that occurs in a letter
("passport", "声明") no longer decides its kind. An employer's letter naming several people is
a personnel list, naming one an employment letter. A weak or close call is ``other`` with its
confidence, so a clerk decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PIL import Image, ImageStat

from extractors.kind_model import kind_scores
from extractors.letter_text import join_chinese, tidy, wording
from extractors.people_lists import read_people
from storage.enums import DocumentKind

MIN_PROBABILITY = 0.5
MIN_MARGIN = 0.15  # the winner must lead the runner-up by this much
# a list of one is still a list when its heading says so
_LIST_HEADING = re.compile(r"\blist\b|roster|名单|名册|花名册", re.IGNORECASE)
HEADING_CHARS = 300
BARCODE_WAYBILL = 0.2  # a printed barcode and some waybill wording
EMPLOYER_LETTERS = (DocumentKind.EMPLOYMENT_LETTER, DocumentKind.PERSONNEL_LIST_LETTER)
PEOPLE_LISTS = (DocumentKind.PERSONNEL_LIST_LETTER, DocumentKind.SCHOOL_LETTER)


@dataclass(frozen=True)
class LayoutCues:
    has_mrz: bool = False
    has_unverified_mrz: bool = False  # MRZ-shaped lines whose reading no two readers vouch for
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


def classify(text: str, cues: LayoutCues | None = None) -> tuple[DocumentKind, float]:
    cues = cues or LayoutCues()
    if cues.has_cover_qr:
        return DocumentKind.COVER_SHEET, 1.0
    if cues.has_form_fields:
        return DocumentKind.APPLICATION_FORM, 1.0
    if cues.has_mrz:
        return DocumentKind.PASSPORT, 1.0
    if cues.has_unverified_mrz:  # still the passport's page: a reviewer compares it by eye
        return DocumentKind.PASSPORT, 0.7
    if cues.is_photo_sized:
        return DocumentKind.PHOTO, 0.9
    if not text.strip():
        return DocumentKind.OTHER, 0.0
    scores = kind_scores(text)
    employer = sum(scores.get(k.value, 0.0) for k in EMPLOYER_LETTERS)
    people, unread = read_people(tidy(text)) if employer >= MIN_PROBABILITY else ([], [])
    if people or unread:
        # one family, an employer's letter: how many people it names tells which. A row whose
        # name OCR garbled ("jiwoo Choi") still counts where the model too sees a list; where
        # it sees one person's letter, a second number is that person's, read another way; one
        # name with two numbers is one person whose number OCR read two ways (a bilingual
        # letter prints it twice)
        leans_to_list = scores.get(DocumentKind.PERSONNEL_LIST_LETTER.value, 0.0) > scores.get(
            DocumentKind.EMPLOYMENT_LETTER.value, 0.0)
        joined = sum(scores.pop(k.value, 0.0) for k in EMPLOYER_LETTERS)
        several = _named_apart(people) + (len(unread) if leans_to_list else 0) >= 2 \
            or _LIST_HEADING.search(text[:HEADING_CHARS]) is not None
        family = DocumentKind.PERSONNEL_LIST_LETTER if several else DocumentKind.EMPLOYMENT_LETTER
        scores[family.value] = joined
    if (listed := _who_is_listed(text, scores)) is not None:
        scores = {**scores, listed.value: sum(scores.pop(k.value, 0.0) for k in PEOPLE_LISTS)}
    if cues.has_linear_barcode and scores.get(DocumentKind.WAYBILL.value, 0.0) >= BARCODE_WAYBILL:
        return DocumentKind.WAYBILL, round(scores[DocumentKind.WAYBILL.value], 2)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), runner_up = ranked[0], ranked[1][1] if len(ranked) > 1 else 0.0
    confidence = round(top, 2)
    if top < MIN_PROBABILITY or top - runner_up < MIN_MARGIN:
        return DocumentKind.OTHER, confidence
    return DocumentKind(best), confidence


def _named_apart(people: list[dict[str, object]]) -> int:
    """How many different names the rows give: "LEFEBVRE, HUGO" and "Hugo Lefebvre" are one."""
    return len({" ".join(sorted(re.findall(r"[A-Z]+", str(p["name"]).upper()))) or str(p["name"])
                for p in people})


def _who_is_listed(text: str, scores: dict[str, float]) -> DocumentKind | None:
    """When the model takes a letter for a list of people, the letter's own words about them
    decide whether they are an employer's staff or a school's students: the two lists share
    their tables, and the model's lean between them follows the table more than the words
    (a scanned school list at 0.48 staff / 0.33 students says 学生, 留学生, 在籍 and never
    employs anyone). None when the words do not tell."""
    staff, students = (scores.get(k.value, 0.0) for k in PEOPLE_LISTS)
    if staff + students < MIN_PROBABILITY:
        return None
    lowered = join_chinese(text).lower()
    employed = sum(lowered.count(w.lower()) for w in wording().employed)
    enrolled = sum(lowered.count(w.lower()) for w in wording().enrolled)
    if employed == enrolled:
        return None
    return DocumentKind.SCHOOL_LETTER if enrolled > employed else DocumentKind.PERSONNEL_LIST_LETTER
