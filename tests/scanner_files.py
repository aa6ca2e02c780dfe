"""Files as office scanners and phones make them, written by the tests from a page image:
TIFF in every compression scanners use, images in every pixel mode, JPEG variants, PDFs whose
page images are CCITT, JBIG2, JPEG 2000 or JPEG, rotated PDF pages, HEIC, BMP and WebP.

Each maker takes an upright grey page and returns ``(file name, bytes)``.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable

import img2pdf
import numpy as np
from PIL import Image, ImageOps
from pillow_heif import from_pillow
from pypdf import PdfReader, PdfWriter

Maker = Callable[[Image.Image], tuple[str, bytes]]
ORIENTATION = 0x0112


def _save(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def _at_300_dpi(page: Image.Image) -> Image.Image:
    # the samples are drawn at 150 dpi; office scanners send bilevel pages at 300
    return page.resize((page.width * 2, page.height * 2), Image.Resampling.LANCZOS)


def bilevel(page: Image.Image) -> Image.Image:
    return _at_300_dpi(page).point(lambda v: 255 if v > 160 else 0).convert("1")


def tiff(compression: str, pages: int = 1, mode: str = "L") -> Maker:
    def make(page: Image.Image) -> tuple[str, bytes]:
        image = bilevel(page) if mode == "1" else page.convert(mode)
        dpi = (300, 300) if mode == "1" else (150, 150)
        return (f"scan-{compression}.tif",
                _save(image, "TIFF", compression=compression, dpi=dpi, save_all=True,
                      append_images=[image] * (pages - 1)))
    return make


def tiff_mixed_modes(page: Image.Image) -> tuple[str, bytes]:
    """One scan job: a bilevel page, a grey page and a colour page, LZW-compressed."""
    frames = [bilevel(page), page.convert("L"), page.convert("RGB")]
    return "mixed.tif", _save(frames[0], "TIFF", compression="tiff_lzw", save_all=True,
                              append_images=frames[1:])


def sixteen_bit(format: str) -> Maker:
    def make(page: Image.Image) -> tuple[str, bytes]:
        wide = Image.fromarray(np.asarray(page, dtype=np.uint16) * 257)  # mode I;16
        return f"grey16.{format.lower()}", _save(wide, format)
    return make


def png_mode(mode: str) -> Maker:
    def make(page: Image.Image) -> tuple[str, bytes]:
        return f"page-{mode}.png", _save(page.convert(mode), "PNG")
    return make


def png_text_on_transparent(page: Image.Image) -> tuple[str, bytes]:
    """Black text on a transparent background (a phone app's "scan"): on black it would vanish."""
    ink = ImageOps.invert(page)
    rgba = Image.new("RGBA", page.size, (0, 0, 0, 0))
    rgba.putalpha(ink)
    return "transparent.png", _save(rgba, "PNG")


def cmyk(format: str) -> Maker:
    def make(page: Image.Image) -> tuple[str, bytes]:
        return f"cmyk.{format.lower()}", _save(page.convert("RGB").convert("CMYK"), format)
    return make


def progressive_jpeg(page: Image.Image) -> tuple[str, bytes]:
    return "progressive.jpg", _save(page.convert("RGB"), "JPEG", progressive=True, quality=85)


def sideways(page: Image.Image, format: str = "JPEG", name: str = "phone.jpg") -> tuple[str, bytes]:
    """Stored turned 90° counter-clockwise, with the EXIF tag (6) that says turn it clockwise."""
    stored = page.convert("RGB").rotate(90, expand=True)
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    return name, _save(stored, format, exif=exif.tobytes(), quality=90)


def heic(page: Image.Image) -> tuple[str, bytes]:
    buffer = io.BytesIO()
    from_pillow(page.convert("RGB")).save(buffer, quality=90)
    return "IMG_0001.HEIC", buffer.getvalue()


def plain(format: str, name: str) -> Maker:
    def make(page: Image.Image) -> tuple[str, bytes]:
        return name, _save(page.convert("RGB") if format != "BMP" else page, format)
    return make


def pdf_of(kind: str) -> Maker:
    """A PDF whose page is one embedded image in its own compression, as scanners write."""
    def make(page: Image.Image) -> tuple[str, bytes]:
        if kind == "ccitt":
            source = _save(bilevel(page), "TIFF", compression="group4", dpi=(300, 300),
                           strip_size=1 << 30)
        elif kind == "jpeg":
            source = _save(page.convert("RGB"), "JPEG", quality=80, dpi=(150, 150))
        elif kind == "jpeg2000":
            source = _save(page.convert("RGB"), "JPEG2000", quality_mode="dB",
                           quality_layers=[40])
        else:
            source = jbig2(bilevel(page))
        return f"scan-{kind}.pdf", img2pdf.convert(source)
    return make


def rotated_pdf(page: Image.Image) -> tuple[str, bytes]:
    """The page image lies sideways; the page's /Rotate turns it upright on screen."""
    sideways_page = page.rotate(90, expand=True)  # counter-clockwise: /Rotate 90 turns it back
    reader = PdfReader(io.BytesIO(img2pdf.convert(_save(sideways_page, "PNG"))))
    writer = PdfWriter()
    writer.add_page(reader.pages[0])
    writer.pages[0].rotate(90)
    buffer = io.BytesIO()
    writer.write(buffer)
    return "rotated.pdf", buffer.getvalue()


def jbig2(image: Image.Image) -> bytes:
    """A JBIG2 file (jbig2enc's layout: one page, generic region) coded with MMR. MMR is CCITT
    Group 4, so a G4 TIFF strip is the region's data; no JBIG2 encoder is packaged here."""
    # JBIG2 counts 1 as ink; this TIFF (MinIsBlack) counts 0 as ink: invert before coding
    inverted = ImageOps.invert(image.convert("L")).convert("1")
    coded = _save(inverted, "TIFF", compression="group4", strip_size=1 << 30)
    with Image.open(io.BytesIO(coded)) as tif:
        [offset], [length] = tif.tag_v2[273], tif.tag_v2[279]
    mmr = coded[offset:offset + length]
    width, height = image.size

    def segment(number: int, kind: int, data: bytes) -> bytes:
        return struct.pack(">IBBBI", number, kind, 0, 1, len(data)) + data

    page_information = struct.pack(">IIIIBH", width, height, 11811, 11811, 0, 0)  # 300 dpi
    generic_region = struct.pack(">IIIIB", width, height, 0, 0, 0) + b"\x01" + mmr  # MMR on
    return (b"\x97JB2\r\n\x1a\n\x01" + struct.pack(">I", 1) + segment(0, 48, page_information)
            + segment(1, 39, generic_region) + segment(2, 49, b"") + segment(3, 51, b""))


MAKERS: dict[str, Maker] = {
    "tiff-ccitt-g4-2-pages": tiff("group4", pages=2, mode="1"),
    "tiff-ccitt-g3": tiff("group3", mode="1"),
    "tiff-lzw": tiff("tiff_lzw"),
    "tiff-jpeg": tiff("jpeg", mode="RGB"),
    "tiff-packbits": tiff("packbits"),
    "tiff-mixed-modes": tiff_mixed_modes,
    "tiff-16-bit-grey": sixteen_bit("TIFF"),
    "png-16-bit-grey": sixteen_bit("PNG"),
    "png-1-bit": png_mode("1"),
    "png-8-bit-grey": png_mode("L"),
    "png-palette": png_mode("P"),
    "png-rgba-transparent": png_text_on_transparent,
    "jpeg-cmyk": cmyk("JPEG"),
    "tiff-cmyk": cmyk("TIFF"),
    "jpeg-progressive": progressive_jpeg,
    "jpeg-exif-orientation": sideways,
    "heic-phone-photo": heic,
    "bmp": plain("BMP", "scan.bmp"),
    "bmp-named-jpg": plain("BMP", "from-the-card-reader.jpg"),
    "webp": plain("WEBP", "shared-from-chat.webp"),
    "pdf-ccitt": pdf_of("ccitt"),
    "pdf-jbig2": pdf_of("jbig2"),
    "pdf-jpeg2000": pdf_of("jpeg2000"),
    "pdf-jpeg": pdf_of("jpeg"),
    "pdf-rotate": rotated_pdf,
}
