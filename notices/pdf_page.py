"""A one-page bilingual PDF of labelled rows, as the office's receipts and notices are printed.

Contract: ``open_page(pagesize, title)`` gives a canvas (CJK font registered, bytes the same
every run) and ``close_page`` its PDF bytes; ``labelled_rows`` draws "label  value" rows
downwards from ``y`` and returns where the next line goes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"  # an Adobe CID font every PDF reader has; nothing to ship


def open_page(pagesize: tuple[float, float], title: str) -> tuple[canvas.Canvas, io.BytesIO]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=pagesize, invariant=True)
    page.setTitle(title)
    return page, buffer


def labelled_rows(page: canvas.Canvas, rows: Sequence[tuple[str, str]], *, y: float,
                  label_x: float, value_x: float, step: float, label_size: int,
                  value_size: int) -> float:
    for label, value in rows:
        page.setFont(FONT, label_size)
        page.drawString(label_x, y, label)
        page.setFont(FONT, value_size)
        page.drawString(value_x, y, value)
        y -= step
    return y


def close_page(page: canvas.Canvas, buffer: io.BytesIO) -> bytes:
    page.showPage()
    page.save()
    return buffer.getvalue()
