"""The development set: synthetic documents of every kind, with the truth beside each file.

    .venv/bin/python bench/devset.py OUT_DIR [--passports 40] [--seed 7]

writes passport scans (OCR-B MRZ at 200-300 dpi, tilted, blurred, low contrast, noisy, JPEG
artefacts) and, for every other document kind, an English and a Chinese document both
born-digital (PDF with a text layer) and scanned (JPEG), plus `truth.jsonl`: one line per file
with its kind and, for passports, the MRZ lines. bench/extraction.py measures on it.
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.cover_sheet import make_cover_sheet
from mailroom import sample_letters as letters
from mailroom import samples
from training.drafts import noise_image

NATIONALITIES = ["D", "CHN", "JPN", "FRA", "USA", "GBR", "KOR", "RUS", "BRA", "ITA"]
COMPANIES = {"en": "Hangzhou Example Technology Co., Ltd.", "zh": "杭州示例科技有限公司"}
SCHOOLS = {"en": "Zhejiang Example University", "zh": "浙江示例大学"}


def random_td3(rng: random.Random) -> list[str]:
    number = "".join(rng.choice(string.ascii_uppercase + string.digits) for _ in range(9))
    birth = f"{rng.randint(50, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    expiry = f"{rng.randint(27, 35):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    surname = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 10)))
    given = "".join(rng.choice(string.ascii_uppercase) for _ in range(rng.randint(3, 8)))
    return samples.td3_lines(surname=surname, given_names=given,
                             nationality=rng.choice(NATIONALITIES), number=number, birth=birth,
                             sex=rng.choice("MF"), expiry=expiry)


def degrade(page: Image.Image, rng: random.Random) -> Image.Image:
    page = page.rotate(rng.uniform(-2.5, 2.5), expand=True, fillcolor=255)
    if rng.random() < 0.5:
        page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    if rng.random() < 0.5:  # low contrast
        page = page.point(lambda v: 90 + v * 0.55)
    return Image.blend(page.convert("L"), noise_image(page.size, rng.uniform(5, 25), rng), 0.12)


def random_person(rng: random.Random) -> letters.Person:
    lines = random_td3(rng)
    surname, given = lines[0][5:].split("<<", 1)
    return letters.Person(surname.strip("<"), given.strip("<"), lines[0][2:5].strip("<"),
                          lines[1][:9])


def documents(rng: random.Random) -> Iterator[tuple[str, letters.Letter]]:
    """Every kind other than passport, photo, form and cover sheet, in both languages."""
    for language in ("en", "zh"):
        person = random_person(rng)
        yield "personal_statement", letters.personal_statement(
            person, rng.choice(["health_certificate", "kinship_notarization"]), language,
            promised_by=rng.choice([None, "2026-12-20"]))
        yield "personnel_list_letter", letters.personnel_list(
            COMPANIES[language], [random_person(rng) for _ in range(rng.randint(2, 6))], language)
        yield "employment_letter", letters.organization_letter(
            "employment_letter", COMPANIES[language], person, language)
        yield "school_letter", letters.organization_letter(
            "school_letter", SCHOOLS[language], person, language)
        yield "authorization_letter", letters.authorization_letter(
            person, COMPANIES[language], rng.choice(["employer", "school", "relative"]), language)
        yield "waybill", letters.waybill("sf", f"SF{rng.randrange(10**11, 10**12)}", language)
        for kind in ("health_certificate", "kinship_notarization", "work_permit",
                     "residence_permit", "supporting_document"):
            yield kind, letters.certificate(kind, person, language)


def write(folder: Path, passports: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    truth: list[dict] = []

    def add(name: str, data: bytes, kind: str, **extra: object) -> None:
        (folder / name).write_bytes(data)
        truth.append({"file": name, "kind": kind, **extra})

    for n in range(passports):
        lines = random_td3(rng)
        page = degrade(samples.passport_page(lines, dpi=rng.choice([200, 250, 300])), rng)
        add(f"passport-{n:03}.jpg", samples.jpeg(page, quality=rng.randint(45, 90)), "passport",
            mrz=lines)
    for n, (kind, letter) in enumerate(documents(rng)):
        pdf = letters.letter_pdf(letter)
        add(f"{kind}-{letter.language}-{n:02}.pdf", pdf, kind)
        scan = letters.scan_of(pdf, dpi=rng.choice([200, 300]), seed=n,
                               angle=rng.uniform(-1.5, 1.5))
        add(f"{kind}-{letter.language}-{n:02}-scan.jpg", samples.jpeg(scan), kind)
    for n, applicant in enumerate(samples.APPLICANTS):
        form = samples.application_form(applicant)
        add(f"form-{n}.pdf", form, "application_form")
        add(f"form-{n}-scan.jpg", samples.jpeg(letters.scan_of(form, seed=n, angle=0.7)),
            "application_form")
    for n in range(3):
        add(f"photo-{n}.jpg", samples.jpeg(samples.passport_photo(seed=n).convert("L")), "photo")
    add("cover-sheet.pdf", make_cover_sheet("MR-2026-000042"), "cover_sheet")
    add("cover-sheet-scan.jpg", samples.jpeg(samples.pdf_page_image(
        make_cover_sheet("MR-2026-000043"))), "cover_sheet")
    unrelated = samples.text_page("RECEIPT - Lakeside Noodle House", [
        "2 x beef noodles 36.00", "1 x tea 8.00", "Total 44.00", "Thank you!"])
    add("receipt-scan.jpg", samples.jpeg(unrelated), "other")
    (folder / "truth.jsonl").write_text("".join(json.dumps(t) + "\n" for t in truth))
    return truth


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--passports", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    truth = write(args.folder, args.passports, args.seed)
    print(f"{len(truth)} files in {args.folder}")


if __name__ == "__main__":
    main()
