"""Split a stored file into page images (for the UI and barcode reading) and text layers.

Contract: ``iter_pages(data, file_type, dpi)`` yields ``RenderedPage`` one at a time, so a
500-page scan never sits in memory whole. Raises ``RenderError`` when a page cannot be drawn.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

import pypdfium2 as pdfium
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from extractors.images import normalised, open_image
from mailroom.errors import RenderError

# Page images for the reviewer's screen; a 300-dpi A4 scan is shrunk to this on its long side.
MAX_PAGE_IMAGE_SIDE = 1800
# Fewer non-blank characters than this and the page is treated as having no text layer.
MIN_TEXT_LAYER_CHARS = 20


@dataclass
class RenderedPage:
    number: int  # 1-based
    image: Image.Image  # full resolution, for OCR and barcode reading
    text: str | None  # from the PDF text layer, when it has a usable one

    # The display image is made only when asked for: `mailroom extract` never stores pages,
    # and encoding a 300-dpi page as PNG costs as much as a fifth of its OCR.
    @cached_property
    def display(self) -> Image.Image:
        display = self.image.copy()
        display.thumbnail((MAX_PAGE_IMAGE_SIDE, MAX_PAGE_IMAGE_SIDE))
        return display

    @cached_property
    def png(self) -> bytes:
        buffer = io.BytesIO()
        # the fastest zlib level: a fifth of the default's time, 15% larger; kept once per page
        self.display.save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()

    @property
    def width(self) -> int:
        return self.display.width

    @property
    def height(self) -> int:
        return self.display.height


def iter_pages(data: bytes, file_type: str, dpi: int = 150) -> Iterator[RenderedPage]:
    if file_type == "pdf":
        yield from _pdf_pages(data, dpi)
    else:
        yield from _image_pages(data)


# PDFium is not thread-safe: every call into it, from any thread, goes through this lock.
_pdfium = threading.Lock()


def _pdf_pages(data: bytes, dpi: int) -> Iterator[RenderedPage]:
    try:
        with _pdfium:
            document = pdfium.PdfDocument(data)
            document.init_forms()  # draw filled-in form values, as a reviewer expects to see them
    except pdfium.PdfiumError as e:
        raise RenderError(f"The PDF cannot be drawn ({e}).") from e
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
    try:
        with _pdfium:
            count = len(document)
        for index in range(count):
            try:
                with _pdfium:
                    bitmap = document[index].render(scale=dpi / 72, may_draw_forms=True)
                    image = bitmap.to_pil().convert("RGB")
            except pdfium.PdfiumError as e:
                raise RenderError(f"Page {index + 1} of the PDF cannot be drawn ({e}).") from e
            yield _page(index + 1, image, _text_layer(reader, index))
    finally:
        with _pdfium:
            document.close()


def _text_layer(reader: PdfReader, index: int) -> str | None:
    try:
        text = reader.pages[index].extract_text() or ""
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        # A broken content stream loses the text layer only; the page is still OCRed later.
        warnings.warn(f"text layer of page {index + 1} unreadable: {e}", stacklevel=2)
        return None
    usable = sum(1 for c in text if not c.isspace()) >= MIN_TEXT_LAYER_CHARS
    return text if usable else None


def _image_pages(data: bytes) -> Iterator[RenderedPage]:
    try:
        with open_image(data) as source:
            for index in range(getattr(source, "n_frames", 1)):
                source.seek(index)
                yield _page(index + 1, normalised(source), None)
    except (OSError, ValueError, EOFError, SyntaxError) as e:
        raise RenderError(f"The image cannot be read ({e}).") from e


def _page(number: int, image: Image.Image, text: str | None) -> RenderedPage:
    return RenderedPage(number=number, image=image, text=text)


def extract_part(data: bytes, file_type: str, page_numbers: Sequence[int]) -> bytes:
    """The bytes of a document made of some pages of a file (1-based numbers, in order)."""
    if file_type == "pdf":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                reader.decrypt("")
            writer = PdfWriter()
            for number in page_numbers:
                writer.add_page(reader.pages[number - 1])
            buffer = io.BytesIO()
            writer.write(buffer)
        return buffer.getvalue()
    with open_image(data) as source:
        frames = []
        for number in page_numbers:
            source.seek(number - 1)
            frames.append(normalised(source))
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", save_all=True, append_images=frames[1:],
                   compression="tiff_deflate")
    return buffer.getvalue()
