"""The `mailroom` command as a user runs it: a subprocess, JSON parsed, errors read."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from PIL import Image

from extractors.barcodes import read_page_codes
from extractors.pages import iter_pages
from mailroom import samples
from mailroom.runtime import Runtime
from tests.helpers import drop, run_cli


@pytest.mark.slow
def test_intake_process_and_the_json_contract(runtime: Runtime, cli_env: dict[str, str]) -> None:
    scans = runtime.scan_folders().root
    drop(scans, "form.pdf", samples.application_form(samples.APPLICANTS[1]))
    drop(scans, "stray.jpg", samples.jpeg(samples.text_page("no cover", [])))
    drop(scans, "broken.pdf", samples.corrupt_pdf())
    assert run_cli(["init"], cli_env).returncode == 0  # idempotent on a migrated database
    assert run_cli(["intake", "scans", str(scans), "--once"], cli_env).returncode == 0
    assert run_cli(["process", "--once"], cli_env).returncode == 0

    submissions = json.loads(run_cli(["submissions", "list", "--json"], cli_env).stdout)
    by_source = {s["source"]: s for s in submissions}
    for row in submissions:
        assert {"id", "channel", "source", "sha256", "status", "reason", "case_reference"} <= row.keys()
    assert by_source["scan:broken.pdf"]["status"] == "quarantined"
    assert "damaged" in by_source["scan:broken.pdf"]["reason"]
    assert by_source["scan:stray.jpg"]["status"] == "processed"
    assert by_source["scan:stray.jpg"]["case_reference"] is None
    assert by_source["scan:stray.jpg"]["needs_triage"] is True
    reference = by_source["scan:form.pdf"]["case_reference"]
    assert reference and reference.startswith("MR-")

    quarantined = json.loads(
        run_cli(["submissions", "list", "--status", "quarantined", "--json"], cli_env).stdout
    )
    assert [q["source"] for q in quarantined] == ["scan:broken.pdf"]

    [listed] = json.loads(run_cli(["cases", "list", "--json"], cli_env).stdout)
    shown = json.loads(run_cli(["cases", "show", reference, "--json"], cli_env).stdout)
    keys = {"reference", "status", "application_type", "priority", "due_date", "applicant",
            "checklist", "flags", "shipments"}
    assert keys <= listed.keys() and "documents" not in listed
    assert keys | {"documents"} <= shown.keys()
    assert shown["applicant"]["passport_number"] == "TZ0000001"
    assert shown["documents"] == [
        {"id": shown["documents"][0]["id"], "kind": "application_form", "filename": "form.pdf",
         "pages": 1}
    ]


@pytest.mark.slow
def test_cover_sheet_command_writes_a_readable_qr(
    runtime: Runtime, cli_env: dict[str, str], tmp_path: Path
) -> None:
    from storage.cases import open_case

    with runtime.session_factory.begin() as session:
        reference = open_case(session=session, actor="clerk").reference
    target = tmp_path / "cover.pdf"
    result = run_cli(["cover-sheet", reference.lower(), "-o", str(target)], cli_env)
    assert result.returncode == 0, result.stderr
    [page] = iter_pages(target.read_bytes(), "pdf", dpi=150)
    assert read_page_codes(page.image).cover_reference == reference
    assert read_page_codes(Image.new("L", (400, 400), 255)).cover_reference is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["cases", "show", "MR-2026-424242"], "There is no case with reference MR-2026-424242", 3),
        (["cover-sheet", "MR-2026-424242"], "There is no case with reference", 3),
        (["cases", "list", "--status", "lost"], "Unknown status 'lost'", 1),
    ],
)
def test_errors_are_one_clear_line(
    cli_env: dict[str, str], args: list[str], message: str, code: int
) -> None:
    result = run_cli(args, cli_env)
    assert result.returncode == code
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_missing_database_is_explained_not_a_traceback(tmp_path: Path) -> None:
    env = {"MAILROOM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
           "MAILROOM_DATABASE_URL": f"sqlite:///{tmp_path}/never-initialised.sqlite3"}
    result = run_cli(["cases", "list"], env)
    assert result.returncode == 7
    assert "mailroom init" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help() -> None:
    commands = (["--help"], ["init", "--help"], ["intake", "scans", "--help"],
                ["process", "--help"], ["submissions", "list", "--help"],
                ["cases", "list", "--help"], ["cases", "show", "--help"],
                ["batches", "show", "--help"], ["cover-sheet", "--help"], ["serve", "--help"],
                ["demo", "--help"])
    with ThreadPoolExecutor(max_workers=4) as pool:  # each start-up waits on imports, not CPU
        results = list(pool.map(lambda command: run_cli(command, {"PATH": "/usr/bin:/bin"}),
                                commands))
    for command, result in zip(commands, results, strict=True):
        assert result.returncode == 0 and "Usage" in result.stdout, command
