"""The day's letters by post in one PDF: each letter on its own A4 page(s), the applicant's
address where a window envelope (DL, window on the left, DIN 5008 form B) shows it, the office
as sender above it, then the date, the subject and the letter; an attachment (the acceptance
receipt) follows its letter.

Contract: ``render_letters(day, letters, office, attachments)`` returns the PDF bytes;
``letters`` are ``PostedLetter`` values, ``attachments`` PDF bytes by letter id.
``print_day(runtime, day)`` prints the day's batch and records each letter as sent by post.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from sqlalchemy import select

from mailroom.runtime import Runtime
from shipping.labels import Office
from storage.models import Case
from storage.outbox import letters_to_print, mark_printed

FONT = "STSong-Light"  # an Adobe CID font every PDF reader has (Chinese and Latin)
WINDOW_LEFT_MM, WINDOW_TOP_MM, WINDOW_WIDTH_MM = 20, 45, 85  # DIN 5008 form B address field
TEXT_LEFT_MM, TEXT_RIGHT_MM, BOTTOM_MM = 25, 190, 20


@dataclass(frozen=True)
class PostedLetter:
    id: int
    reference: str
    address: str  # lines
    subject: str
    body: str


def render_letters(day: dt.date, letters: Sequence[PostedLetter], office: Office,
                   attachments: Mapping[int, bytes]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    writer = PdfWriter()
    for letter in letters:
        for page in PdfReader(io.BytesIO(_letter_pdf(day, letter, office))).pages:
            writer.add_page(page)
        if letter.id in attachments:
            for page in PdfReader(io.BytesIO(attachments[letter.id])).pages:
                writer.add_page(page)
    if not letters:  # an empty batch still prints a page that says so
        writer.add_page(PdfReader(io.BytesIO(_nothing(day))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _letter_pdf(day: dt.date, letter: PostedLetter, office: Office) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle(f"{letter.reference} {day.isoformat()}")
    _, height = A4
    top = height - WINDOW_TOP_MM * mm
    page.setFont(FONT, 7)  # the sender's line, small, at the top of the window
    page.drawString(WINDOW_LEFT_MM * mm, top, f"{office.name} · {office.address}"[:90])
    page.setFont(FONT, 11)
    y = top - 7 * mm
    for line in letter.address.splitlines():
        for part in simpleSplit(line, FONT, 11, WINDOW_WIDTH_MM * mm):
            page.drawString(WINDOW_LEFT_MM * mm, y, part)
            y -= 5 * mm
    y = height - 105 * mm
    page.setFont(FONT, 10)
    page.drawRightString(TEXT_RIGHT_MM * mm, y, f"{day.isoformat()} · {letter.reference}")
    y -= 10 * mm
    page.setFont(FONT, 11)
    for part in simpleSplit(letter.subject, FONT, 11, (TEXT_RIGHT_MM - TEXT_LEFT_MM) * mm):
        page.drawString(TEXT_LEFT_MM * mm, y, part)
        y -= 6 * mm
    y -= 4 * mm
    page.setFont(FONT, 10)
    for paragraph in letter.body.splitlines():
        for part in simpleSplit(paragraph, FONT, 10, (TEXT_RIGHT_MM - TEXT_LEFT_MM) * mm) or [""]:
            if y < BOTTOM_MM * mm:
                page.showPage()
                page.setFont(FONT, 10)
                y = height - 25 * mm
            page.drawString(TEXT_LEFT_MM * mm, y, part)
            y -= 5 * mm
    page.showPage()
    page.save()
    return buffer.getvalue()


def _nothing(day: dt.date) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setFont(FONT, 12)
    page.drawString(TEXT_LEFT_MM * mm, A4[1] - 40 * mm,
                    f"{day.isoformat()}: 今日无邮寄信件 / no letters by post today")
    page.showPage()
    page.save()
    return buffer.getvalue()


def print_day(runtime: Runtime, day: dt.date) -> tuple[int, bytes]:
    """Print ``day``'s batch and record each letter as sent by post (in one transaction)."""
    settings = runtime.settings
    office = Office(settings.office_name, settings.office_address, settings.office_phone)
    with runtime.session_factory.begin() as session:
        due = letters_to_print(session=session, day=day)
        references = dict(session.execute(select(Case.id, Case.reference).where(
            Case.id.in_({m.case_id for m in due}))).all())
        letters = [PostedLetter(m.id, references[m.case_id], m.to_address, m.subject, m.body)
                   for m in due]
        attachments = {m.id: runtime.blobs.read_bytes(m.attachment_sha256) for m in due
                       if m.attachment_sha256}
        pdf = render_letters(day, letters, office, attachments)
        mark_printed(messages=due, day=day)
    return len(letters), pdf
