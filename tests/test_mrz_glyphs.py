"""The MRZ glyph model: O and 0 told apart by shape where check digits cannot, state codes
read as states, a damaged model file refused with its remedy, training that learns."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractors import mrz_glyphs, mrz_reader
from extractors.mrz import check_digit, read_mrz
from extractors.mrz_reader import TD3_ALLOWED, _naming_a_state, read_mrz_band
from mailroom import samples
from mailroom.errors import ConfigurationError
from tests.test_mrz import td3

ROOT = Path(__file__).resolve().parent.parent


def scanned(lines: list[str], dpi: int, blur: float, quality: int) -> Image.Image:
    page = samples.passport_page(lines, dpi=dpi).rotate(1.2, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(blur))
    image = Image.open(io.BytesIO(samples.jpeg(page, quality=quality)))
    image.load()
    return image


@pytest.mark.parametrize("number", ["OO7341258", "007341258"])
@pytest.mark.parametrize(("dpi", "blur"), [(200, 0.9), (300, 1.2)])
def test_o_and_0_that_check_digits_cannot_tell_apart_are_read_by_their_shape(
        number: str, dpi: int, blur: float) -> None:
    lines = td3(number, "KOR", "850412", "F", "310930", "", "KIM", "MINJI")
    other = number.translate(str.maketrans("O0", "0O"))
    # O at the positions weighted 7 and 3 moves the sum by 240: every check digit still holds
    assert check_digit(number) == check_digit(other)
    assert read_mrz([lines[0], lines[1].replace(number, other)]).valid

    readings = read_mrz_band(scanned(lines, dpi, blur, quality=55))

    assert readings and readings[0].lines == lines
    assert not readings[0].ambiguous
    assert read_mrz(readings[0].lines).valid


def test_state_codes_are_chosen_among_the_shapes_so_that_they_name_a_state() -> None:
    def scores(**log_probabilities: float) -> np.ndarray:
        row = np.full(len(mrz_glyphs.ALPHABET), mrz_glyphs.IMPOSSIBLE)
        for char, value in log_probabilities.items():
            row[mrz_glyphs.ALPHABET.index(char)] = value
        return row

    filler = scores(**{"<": 0.0})
    line1 = [scores(P=0.0), filler, scores(O=0.0, D=-30.0), filler, filler] + [filler] * 39
    # "O" names no state, "D" does, even far behind
    assert _naming_a_state("P<O<<" + "<" * 39, line1, 2, TD3_ALLOWED[0])[:5] == "P<D<<"

    line2 = [filler] * 10 + [scores(K=0.0), scores(D=0.0, O=-8.0, Q=-9.0), scores(R=0.0)]
    line2 += [filler] * 31
    text = "E12345678" + "0" + "KDR" + "<" * 31
    assert _naming_a_state(text, line2, 10, TD3_ALLOWED[1])[10:13] == "KOR"
    # a code that names a state is left as read, and one no shape can make a state stays too
    assert _naming_a_state(text.replace("KDR", "KEN"), line2, 10, TD3_ALLOWED[1]) == (
        text.replace("KDR", "KEN"))
    line2[11] = scores(D=0.0)
    assert _naming_a_state(text, line2, 10, TD3_ALLOWED[1]) == text


def test_a_damaged_glyph_model_is_refused_with_its_remedy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "mrz_glyphs.npz"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setattr(mrz_glyphs, "MODEL", damaged)
    mrz_glyphs.shipped_model.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match=r"scripts/train_mrz_glyphs\.py"):
            mrz_glyphs.log_posteriors(np.zeros(800, dtype=np.float32))
    finally:
        mrz_glyphs.shipped_model.cache_clear()


def test_training_on_rendered_lines_learns_to_read_unseen_ones() -> None:
    spec = importlib.util.spec_from_file_location("train_mrz_glyphs",
                                                  ROOT / "scripts" / "train_mrz_glyphs.py")
    assert spec and spec.loader
    training = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(training)

    model = mrz_glyphs.train(training.training_cells(pages=60, seed=1))
    held_out = list(training.training_cells(pages=10, seed=2))
    read = [model.read(cell) for cell, _ in held_out]

    assert np.mean([got == char for got, (_, char) in zip(read, held_out, strict=True)]) > 0.98
    with pytest.raises(ValueError, match="no training cells"):
        mrz_glyphs.train([(cell, char) for cell, char in held_out if char != "Q"])


def test_a_passport_laid_on_an_a4_flatbed_is_read_where_it_lies(tmp_path: Path) -> None:
    from extractors.extract import extract_file

    lines = td3("X4O0R7T21", "FRA", "910305", "M", "330712", "", "DUBOIS", "LUC")
    a4 = Image.new("L", (2480, 3508), 255)  # 300 dpi
    a4.paste(samples.passport_page(lines, dpi=300), (120, 150))  # the top of the glass
    scan = a4.rotate(-1.0, fillcolor=255).filter(ImageFilter.GaussianBlur(0.7))
    path = tmp_path / "flatbed.jpg"
    path.write_bytes(samples.jpeg(scan, quality=70))

    mrz = extract_file(path)["mrz"]

    assert mrz is not None and mrz["valid"]
    assert [mrz["line1"], mrz["line2"]] == lines


def test_a_600_dpi_band_is_levelled_from_a_shrunk_copy() -> None:
    # a band 7016 pixels wide (A4 across at 600 dpi) shrunk only by three took a second to
    # turn through every angle; shrunk to 1200 pixels it still shows its lines' tilt
    band = Image.new("L", (7016, 700), 255)
    draw = ImageDraw.Draw(band)
    font = ImageFont.truetype(samples.OCR_B, size=60)
    for row in range(2):
        draw.text((100, 250 + row * 100), "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<" * 5, fill=0, font=font)
    tilted = band.rotate(1.5, fillcolor=255)

    rows = mrz_reader._text_rows(mrz_reader._ink(
        np.asarray(mrz_reader._deskew(tilted), dtype=np.float32) / 255.0))

    assert len(rows) == 2 and all(bottom - top < 90 for top, bottom in rows)
