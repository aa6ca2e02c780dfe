"""Where PP-OCR looks for an MRZ (#18): lines whose faint filler runs the detector loses on the
page scaled down are found again on the lines' region looked at closer, and a line whose
optional data leaves no room for a filler is still an MRZ line."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extractors.mrz_ppocr import (
    _detected,
    _in_mrz_like_pairs,
    _joined,
    _mrz_like,
    _ordered,
    read_mrz_ppocr,
)
from mailroom import samples

LINES = samples.td3_lines(surname="NOWAK", given_names="EWA", nationality="POL",
                          number="EA1234567", birth="850101", sex="F", expiry="300101")


def passport_with_faint_fillers(dpi: int = 300, filler_grey: int = 200) -> Image.Image:
    """A data page laid on an A4 flatbed, turned 90 degrees, whose filler runs printed faint
    (worn ink): the names line is mostly fillers."""
    document = Image.new("L", (int(125 / 25.4 * dpi), int(88 / 25.4 * dpi)), 255)
    draw = ImageDraw.Draw(document)
    pitch = 111.8 / 44 / 25.4 * dpi
    font = ImageFont.truetype(samples.OCR_B, size=int(pitch * 1.55))
    for row, line in enumerate(LINES):
        y = document.height - int(0.55 * dpi) + int(row * 0.2 * dpi)
        for column, char in enumerate(line):
            faint = char == "<" and column > 8
            draw.text((int(dpi * 0.25 + column * pitch), y), char,
                      fill=filler_grey if faint else 0, font=font)
    a4 = Image.new("L", (int(8.27 * dpi), int(11.69 * dpi)), 250)
    a4.paste(document, (int(1.5 * dpi), int(5 * dpi)))
    return a4.rotate(90, expand=True).convert("RGB")


def test_lines_whose_fillers_the_scaled_page_loses_are_found_on_a_closer_look() -> None:
    page = passport_with_faint_fillers()
    bgr = np.asarray(page)[:, :, ::-1].copy()
    assert _in_mrz_like_pairs(_joined(_detected(bgr))) == []  # the page scaled down: no pair

    readings = read_mrz_ppocr(page)

    assert readings and readings[0].lines == LINES


def test_a_steep_box_keeps_its_corners_in_turn() -> None:
    # a line of a page turned 90 degrees, its corners in any order: sorted by x alone, two
    # sides crossed, and the line was cut out as a twisted strip that read as nothing
    corners = np.array([[1485, 1206], [1679, 2910], [1568, 1206], [1596, 2915]], dtype=float)

    ordered = _ordered(corners)

    edges = [ordered[(k + 1) % 4] - ordered[k] for k in range(4)]
    turns = [float(np.cross(edges[k], edges[(k + 1) % 4])) for k in range(4)]
    assert all(turn > 0 for turn in turns)  # every corner turns the same way: no crossing
    assert ordered[0].tolist() == [1485, 1206]  # from the top left


def test_a_line_with_no_filler_is_an_mrz_line_by_its_dates() -> None:
    assert _mrz_like("M1I884X2K6CAN6212081F3404218Y3NUBGA9")  # TD2, optional data to the end
    assert not _mrz_like("THE HOLDER OF THIS PASSPORT IS EMPLOYED BY US")
    assert not _mrz_like("INVOICE 20241101 TOTAL 3304218 PAID IN FULL")
