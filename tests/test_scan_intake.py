"""Scan intake against a real folder and both databases."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PIL import Image

from intake.folders import ScanFolders
from intake.scans import intake_scans, stable_files
from mailroom import samples
from mailroom.runtime import Runtime
from storage.enums import SubmissionStatus
from storage.submissions import list_submissions
from tests.helpers import counts, drop


def _intake(runtime: Runtime, settle: float = 0) -> list:
    return intake_scans(
        folders=runtime.scan_folders(),
        blobs=runtime.blobs,
        session_factory=runtime.session_factory,
        settle_seconds=settle,
        limits=runtime.limits,
    )


def test_good_and_bad_files_are_stored_and_sorted(runtime: Runtime) -> None:
    scans = runtime.scan_folders().root
    good = samples.application_form(samples.APPLICANTS[0])
    drop(scans, "form.pdf", good)
    drop(scans, "empty.pdf", b"")
    drop(scans, "truncated.pdf", samples.corrupt_pdf())
    drop(scans, "locked.pdf", samples.encrypted_pdf())
    drop(scans, "really-a-zip.pdf", b"PK\x03\x04 a zip archive")
    drop(scans, "notes.docx", b"PK\x03\x04 an office document")

    outcomes = {o.filename: o for o in _intake(runtime)}

    assert outcomes["form.pdf"].status is SubmissionStatus.RECEIVED
    assert outcomes["form.pdf"].moved_to.parent.parent == scans / "processed"
    expected_reasons = {
        "empty.pdf": "empty (0 bytes)",
        "truncated.pdf": "damaged",
        "locked.pdf": "protected by a password",
        "really-a-zip.pdf": "named as a PDF document but its contents are a ZIP archive",
        "notes.docx": "only PDF, TIFF, JPEG, PNG",
    }
    for name, words in expected_reasons.items():
        outcome = outcomes[name]
        assert outcome.status is SubmissionStatus.QUARANTINED
        assert outcome.moved_to == scans / "quarantine" / name
        note = (scans / "quarantine" / f"{name}.reason.txt").read_text()
        assert words in note and words in (outcome.reason or "")
    # Nothing deleted: every byte of every file is somewhere a clerk can find it.
    assert (scans / "quarantine" / "truncated.pdf").read_bytes() == samples.corrupt_pdf()
    assert not list((scans / "processing").iterdir())
    with runtime.session_factory.begin() as session:
        stored = list_submissions(session=session)
        assert len(stored) == 6
        for submission in stored:
            assert runtime.blobs.exists(submission.sha256)  # raw bytes kept, even for bad files


def test_running_intake_twice_creates_nothing_twice(runtime: Runtime) -> None:
    scans = runtime.scan_folders().root
    data = samples.application_form(samples.APPLICANTS[1])
    drop(scans, "form.pdf", data)
    first = _intake(runtime)
    _intake(runtime)  # nothing new in the folder
    drop(scans, "form.pdf", data)  # the same paper scanned again under the same name
    again = _intake(runtime)
    assert [o.new for o in first] == [True]
    assert [o.new for o in again] == [False]
    assert again[0].submission_id == first[0].submission_id
    assert counts(runtime)["submissions"] == 1
    processed = sorted(p.name for p in (scans / "processed").rglob("*.pdf"))
    assert processed == ["form (2).pdf", "form.pdf"]  # the second copy kept, not overwritten


def test_part_files_and_files_still_growing_are_left_alone(runtime: Runtime, tmp_path: Path) -> None:
    folders = ScanFolders(tmp_path / "drop")
    folders.ensure()
    (folders.root / "batch.pdf.part").write_bytes(b"%PDF-1.7 half")
    growing = folders.root / "growing.tiff"
    growing.write_bytes(b"II*\x00")

    def keep_writing() -> None:
        for _ in range(6):
            time.sleep(0.1)
            with growing.open("ab") as out:
                out.write(b"more")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    stable = stable_files(folders, settle_seconds=0.3)
    writer.join()
    assert stable == []
    assert stable_files(folders, settle_seconds=0.05) == [growing]


def test_image_over_the_pixel_limit_is_quarantined(runtime: Runtime) -> None:
    runtime.settings.max_image_pixels = 1_000_000
    scans = runtime.scan_folders().root
    big = Image.new("1", (2000, 1000), 1)  # 2 megapixels, a few hundred bytes as PNG
    drop(scans, "huge.png", samples.png(big))
    [outcome] = _intake(runtime)
    assert outcome.status is SubmissionStatus.QUARANTINED
    assert "2000×1000 pixels" in (outcome.reason or "")


def test_multipage_tiff_and_jpeg_are_accepted(runtime: Runtime) -> None:
    scans = runtime.scan_folders().root
    pages = [samples.text_page(f"page {n}", []) for n in range(3)]
    drop(scans, "batch.tif", samples.multipage_tiff(pages))
    drop(scans, "photo.jpeg", samples.jpeg(pages[0]))
    outcomes = _intake(runtime)
    assert sorted((o.filename, o.status.value) for o in outcomes) == [
        ("batch.tif", "received"), ("photo.jpeg", "received"),
    ]
