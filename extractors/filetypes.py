"""Recognise what a submitted file really is, and refuse what cannot be used.

Contract: ``inspect_file(data, filename, limits)`` returns ``FileFacts`` or raises a
``BadInputError`` subclass whose message tells a clerk what is wrong. It reads headers only:
images are never decoded here, so a decompression bomb is refused before it can expand.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from extractors.images import open_image
from mailroom.errors import (
    CorruptImageError,
    CorruptPdfError,
    EmptyFileError,
    EncryptedPdfError,
    ImageTooLargeError,
    TooManyPagesError,
    TypeMismatchError,
    UnsupportedTypeError,
)

Image.MAX_IMAGE_PIXELS = None  # we enforce our own, clearer, limit below

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "bmp": "image/bmp",
    "webp": "image/webp",
    "gif": "image/gif",
    "heif": "image/heif",
    "jpeg2000": "image/jp2",
}
EXTENSIONS = {
    ".pdf": "pdf",
    ".tif": "tiff",
    ".tiff": "tiff",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".jpe": "jpeg",
    ".png": "png",
    ".bmp": "bmp",
    ".dib": "bmp",
    ".webp": "webp",
    ".gif": "gif",
    ".heic": "heif",
    ".heif": "heif",
    ".hif": "heif",
    ".jp2": "jpeg2000",
    ".j2k": "jpeg2000",
    ".jpx": "jpeg2000",
}
LABELS = {"pdf": "PDF document", "tiff": "TIFF image", "jpeg": "JPEG image", "png": "PNG image",
          "bmp": "BMP image", "webp": "WebP image", "gif": "GIF image",
          "heif": "HEIC/HEIF photo", "jpeg2000": "JPEG 2000 image"}
ACCEPTED = "PDF, TIFF, JPEG, PNG, BMP, WebP, GIF, HEIC/HEIF and JPEG 2000"
# HEIF brands phones write (iPhone: heic; others: mif1, heix, hevc ...), after "ftyp" at byte 4.
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif")


@dataclass(frozen=True)
class Limits:
    max_image_pixels: int = 80_000_000
    max_pages: int = 500
    render_dpi: int = 150  # a PDF page is refused when drawing it at this dpi passes the pixel limit


@dataclass(frozen=True)
class FileFacts:
    file_type: str  # a key of MEDIA_TYPES
    media_type: str
    page_count: int


def sniff(data: bytes) -> str | None:
    """The type the bytes themselves declare, from their magic numbers."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"BM") and len(data) > 26 and data[14:15] in (b"\x0c", b"(", b"@", b"l", b"|"):
        return "bmp"  # "BM" and a known DIB header size (12, 40, 64, 108, 124)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heif"
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return "jpeg2000"
    return None


def describe_unknown(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive or an Office document"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Microsoft Office document"
    if head.startswith(b"%!PS"):
        return "a PostScript file"
    if head.startswith(b"{\\rtf"):
        return "an RTF document"
    return "a file of unknown type"


def inspect_file(data: bytes, filename: str, limits: Limits | None = None) -> FileFacts:
    limits = limits or Limits()
    if not data:
        raise EmptyFileError("The file is empty (0 bytes): the scanner or the copy may have failed.")
    declared = EXTENSIONS.get(PurePath(filename).suffix.lower())
    actual = sniff(data)
    if actual is None:
        what = describe_unknown(data)
        if declared:
            raise TypeMismatchError(
                f"The file is named as a {LABELS[declared]} but its contents are {what}."
            )
        raise UnsupportedTypeError(f"The file is {what}; only {ACCEPTED} files are accepted.")
    # An image or PDF under another type's name (a BMP named .jpg, as some document readers
    # write, or no extension at all) is read by what its bytes are: the name is only a hint.
    pages = _count_pdf_pages(data, limits) if actual == "pdf" else _check_image(data, actual, limits)
    if pages > limits.max_pages:
        raise TooManyPagesError(
            f"The file has {pages} pages; at most {limits.max_pages} are accepted in one file. "
            "Split the scan into smaller batches."
        )
    return FileFacts(file_type=actual, media_type=MEDIA_TYPES[actual], page_count=pages)


def _count_pdf_pages(data: bytes, limits: Limits) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not _opens_without_password(reader):
                raise EncryptedPdfError(
                    "The PDF is protected by a password, so it cannot be read. Ask the sender "
                    "for a copy without a password."
                )
            count = len(reader.pages)
            for number, page in enumerate(reader.pages, 1):
                # touches every page object (broken trees fail here), and refuses a page drawn
                # larger than the pixel limit: a 5-metre "page" would take gigabytes to render
                _check_page_size(number, float(page.mediabox.width), float(page.mediabox.height),
                                 limits)
    except (EncryptedPdfError, ImageTooLargeError):
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError,
            RecursionError, OSError) as e:
        raise CorruptPdfError(
            f"The PDF is damaged and cannot be opened ({type(e).__name__}). Scan the "
            "document again or ask the sender for a new copy."
        ) from e
    if count == 0:
        raise CorruptPdfError("The PDF has no pages.")
    return count


def _check_page_size(number: int, width_pt: float, height_pt: float, limits: Limits) -> None:
    pixels = abs(width_pt * height_pt) * (limits.render_dpi / 72) ** 2
    if pixels > limits.max_image_pixels:
        raise ImageTooLargeError(
            f"Page {number} of the PDF is {abs(width_pt) / 72 * 2.54:.0f} × "
            f"{abs(height_pt) / 72 * 2.54:.0f} cm, far larger than any document; drawing it "
            f"would take {pixels / 1e6:.0f} megapixels (the limit is "
            f"{limits.max_image_pixels / 1e6:.0f}). Ask the sender for a normal-sized copy.")


def _opens_without_password(reader: PdfReader) -> bool:
    # Many PDFs are "encrypted" only with an owner password (no printing, say); they open freely.
    try:
        return bool(reader.decrypt(""))
    except (FileNotDecryptedError, PdfReadError, NotImplementedError, DependencyError):
        return False


def _check_image(data: bytes, file_type: str, limits: Limits) -> int:
    try:
        with open_image(data) as image:
            frames = getattr(image, "n_frames", 1)
            for index in range(frames):
                image.seek(index)
                width, height = image.size
                if width * height > limits.max_image_pixels:
                    raise ImageTooLargeError(
                        f"Page {index + 1} is {width}×{height} pixels "
                        f"({width * height / 1e6:.0f} megapixels); the limit is "
                        f"{limits.max_image_pixels / 1e6:.0f} megapixels. Scan at 300 dpi or less."
                    )
    except ImageTooLargeError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        raise CorruptImageError(
            f"The {LABELS[file_type]} is damaged and cannot be opened ({e}). Scan it again."
        ) from e
    return frames
