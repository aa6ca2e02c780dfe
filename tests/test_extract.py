"""`mailroom extract`: real rendering, real tesseract, nothing stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.classify import classify
from extractors.cover_sheet import make_cover_sheet
from mailroom import samples
from storage.enums import DocumentKind
from tests.helpers import run_cli

SPECIMEN = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
            "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("本人承诺在一个月内补交健康证明。个人承诺书", DocumentKind.PERSONAL_STATEMENT),
        ("Employment certificate: Example GmbH employs Ms Erika Mustermann", DocumentKind.EMPLOYMENT_LETTER),
        ("顺丰速运 运单号 SF1234567890", DocumentKind.WAYBILL),
        ("a shopping list with nothing official", DocumentKind.OTHER),
    ],
)
def test_wording_decides_the_kind_and_weak_matches_stay_other(text: str, kind: DocumentKind) -> None:
    assert classify(text)[0] is kind


@pytest.mark.slow
def test_extract_prints_one_json_object_per_file(tmp_path: Path) -> None:
    passport = tmp_path / "passport.png"
    samples.passport_page(SPECIMEN).save(passport)
    form = tmp_path / "form.pdf"
    form.write_bytes(samples.application_form(samples.APPLICANTS[1]))
    cover = tmp_path / "cover.pdf"
    cover.write_bytes(make_cover_sheet("MR-2026-000007"))
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(samples.corrupt_pdf())

    result = run_cli(["extract", str(passport), str(form), str(cover), str(broken), "--json"],
                     {"PATH": "/usr/bin:/bin", "MAILROOM_DATA_DIR": str(tmp_path / "unused")})
    assert result.returncode == 0, result.stderr
    rows = {Path(row["file"]).name: row for row in map(json.loads, result.stdout.splitlines())}
    for row in rows.values():
        assert set(row) >= {"file", "kind", "confidence", "fields", "mrz", "error"}

    mrz = rows["passport.png"]["mrz"]
    assert rows["passport.png"]["kind"] == "passport"
    assert mrz["valid"] is True and mrz["line2"] == SPECIMEN[1]
    assert mrz["fields"]["document_number"] == "L898902C3"
    assert mrz["fields"]["date_of_birth"] == "1974-08-12"
    assert mrz["fields"]["names_confirmed"] is None  # line 1 has no check digit

    assert rows["form.pdf"]["kind"] == "application_form"
    assert rows["form.pdf"]["fields"]["passport_number"] == "TZ0000001"
    assert rows["cover.pdf"]["kind"] == "cover_sheet"
    assert rows["broken.pdf"]["kind"] is None and "damaged" in rows["broken.pdf"]["error"]
    assert not (tmp_path / "unused").exists()  # nothing stored


def test_the_ocr_b_glyph_reader_reads_a_tilted_blurred_jpeg_passport() -> None:
    import io

    from PIL import Image, ImageFilter

    from extractors.mrz import read_mrz
    from extractors.mrz_reader import read_mrz_band
    from tests.test_mrz import td3

    lines = td3("E12345678", "CHN", "800101", "M", "300101", "", "ZHANG", "SAN")
    page = samples.passport_page(lines, dpi=250).rotate(1.5, expand=True, fillcolor=255)
    page = page.filter(ImageFilter.GaussianBlur(0.8))
    buffer = io.BytesIO()
    page.save(buffer, format="JPEG", quality=60)
    scanned = Image.open(buffer)
    found = [read_mrz(c.lines) for c in read_mrz_band(scanned)]
    assert found and found[0].valid and found[0].lines == lines
