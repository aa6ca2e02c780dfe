"""Synthetic sample submissions for the demo and the tests. Every page says it is synthetic.

Bytes are deterministic (fixed seeds, reportlab's invariant mode), so writing a sample twice
gives the same sha256: intake must then recognise it as seen before.
"""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

from extractors.mrz import check_digit
from mailroom.forms import render_application_form

SYNTHETIC = "SYNTHETIC SAMPLE - NOT A REAL PERSON"

APPLICANTS: list[dict[str, str]] = [
    {
        "application_type": "visa_extension", "surname": "MUSTERMANN", "given_names": "ERIKA",
        "nationality": "D", "passport_number": "C01X00T47", "date_of_birth": "1984-08-12",
        "sex": "F", "email": "erika@example.org", "phone": "+86 138 0000 0001",
        "address_in_china": "1 Sample Road, Hangzhou", "employer_or_school": "Example GmbH",
        "requested_until": "2027-06-30", "urgency": "none", "return_carrier": "ems",
        "declaration_date": "2026-11-20", "signature": SYNTHETIC,
    },
    {
        "application_type": "residence_permit_work", "surname": "TANAKA", "given_names": "HANAKO",
        "nationality": "JPN", "passport_number": "TZ0000001", "date_of_birth": "1990-01-31",
        "sex": "F", "email": "hanako@example.org", "phone": "+86 138 0000 0002",
        "address_in_china": "2 Sample Road, Hangzhou", "employer_or_school": "Example KK",
        "requested_until": "2028-01-31", "urgency": "none", "return_carrier": "sf",
        "declaration_date": "2026-11-21", "signature": SYNTHETIC,
    },
]


def application_form(values: dict[str, str]) -> bytes:
    return render_application_form(values)


def text_page(title: str, lines: list[str], size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """A white A4 page at 150 dpi with some large text, like a scanned letter."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=36)
    small = ImageFont.load_default(size=26)
    draw.text((100, 120), title, fill=0, font=font)
    draw.text((100, 180), SYNTHETIC, fill=0, font=small)
    for index, line in enumerate(lines):
        draw.text((100, 280 + 44 * index), line, fill=0, font=small)
    return page


def pdf_page_image(pdf: bytes, dpi: int = 200) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    document.init_forms()  # a printed filled form shows its values
    try:
        return document[0].render(scale=dpi / 72, may_draw_forms=True).to_pil().convert("L")
    finally:
        document.close()


def multipage_tiff(pages: list[Image.Image]) -> bytes:
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:],
                  compression="tiff_deflate", dpi=(150, 150))
    return buffer.getvalue()


def jpeg(page: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def png(page: Image.Image) -> bytes:
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()


def encrypted_pdf(user_password: str = "secret") -> bytes:
    reader = PdfReader(io.BytesIO(application_form(APPLICANTS[0])))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def corrupt_pdf() -> bytes:
    """A PDF cut off part-way, as an interrupted copy leaves it."""
    whole = application_form(APPLICANTS[1])
    return whole[: len(whole) // 3]


OCR_B = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"  # Debian's fonts-ocr-b


def passport_page(mrz_lines: list[str], dpi: int = 300, glyph_scale: float = 1.0) -> Image.Image:
    """A synthetic passport data page: visual zone text and the MRZ in OCR-B at its real pitch
    (44 characters over 111.8 mm); ``glyph_scale`` makes the glyphs larger or smaller in their
    cells, as printers do."""
    width, height = int(125 / 25.4 * dpi), int(88 / 25.4 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    label = ImageFont.load_default(size=int(dpi / 10))
    draw.text((int(dpi * 0.3), int(dpi * 0.25)), "PASSPORT / PASSEPORT", fill=0, font=label)
    draw.text((int(dpi * 0.3), int(dpi * 0.5)), SYNTHETIC, fill=0, font=label)
    pitch = 111.8 / 44 / 25.4 * dpi
    font = ImageFont.truetype(OCR_B, size=int(pitch * 1.55 * glyph_scale))
    top = height - int(len(mrz_lines) * 0.2 * dpi) - int(0.15 * dpi)
    for row, line in enumerate(mrz_lines):
        y = top + int(row * 0.2 * dpi)
        for column, char in enumerate(line):
            draw.text((int(dpi * 0.25 + column * pitch), y), char, fill=0, font=font)
    return page


def td3_lines(*, surname: str, given_names: str, nationality: str, number: str, birth: str,
              sex: str, expiry: str, optional: str = "") -> list[str]:
    """The two MRZ lines of a passport (ICAO 9303 TD3) with every check digit computed;
    ``birth`` and ``expiry`` as YYMMDD, ``nationality`` the 3-character code (``D<<``)."""
    code = nationality.ljust(3, "<")
    line1 = f"P<{code}{_mrz_name(surname)}<<{_mrz_name(given_names)}"
    optional = optional.ljust(14, "<")
    body = (f"{number.ljust(9, '<')}{check_digit(number.ljust(9, '<'))}{code}{birth}"
            f"{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}{optional}"
            f"{check_digit(optional)}")
    composite = body[0:10] + body[13:20] + body[21:43]
    return [line1.ljust(44, "<")[:44], body + check_digit(composite)]


def _mrz_name(name: str) -> str:
    """A name as Doc 9303 part 3 writes it in an MRZ: apostrophes dropped (O'BRIEN → OBRIEN),
    spaces and hyphens as fillers."""
    return name.upper().replace("'", "").replace(" ", "<").replace("-", "<")


def passport_photo(seed: int = 0, dpi: int = 300) -> Image.Image:
    """A synthetic 33 x 48 mm visa photo: head and shoulders on a white background."""
    rng = random.Random(seed)
    width, height = int(33 / 25.4 * dpi), int(48 / 25.4 * dpi)
    photo = Image.new("RGB", (width, height), (250, 250, 250))
    draw = ImageDraw.Draw(photo)
    skin = tuple(rng.randint(150, 230) for _ in range(3))
    clothes = tuple(rng.randint(20, 90) for _ in range(3))
    draw.ellipse((width * 0.05, height * 0.62, width * 0.95, height * 1.3), fill=clothes)
    draw.rectangle((width * 0.42, height * 0.5, width * 0.58, height * 0.68), fill=skin)
    draw.ellipse((width * 0.27, height * 0.12, width * 0.73, height * 0.62), fill=skin)
    draw.ellipse((width * 0.25, height * 0.08, width * 0.75, height * 0.3),
                 fill=tuple(rng.randint(10, 80) for _ in range(3)))
    return photo
