"""Kill a real `mailroom` process mid-way, re-run it, and prove nothing is lost or doubled."""

from __future__ import annotations

import signal

import pytest
from sqlalchemy import select

from mailroom import samples
from mailroom.runtime import Runtime
from storage.enums import SubmissionStatus
from storage.models import Submission
from tests.helpers import counts, drop, files_under, run_cli


@pytest.mark.slow
def test_killed_between_storing_and_moving(runtime: Runtime, cli_env: dict[str, str]) -> None:
    scans = runtime.scan_folders().root
    data = samples.application_form(samples.APPLICANTS[0])
    drop(scans, "form.pdf", data)

    crashed = run_cli(["intake", "scans", "--once"], {**cli_env, "MAILROOM_CRASH_AT": "scan.after_store"})
    assert crashed.returncode == -signal.SIGKILL
    # Stored and recorded, but the file was never moved: it waits in processing/.
    assert counts(runtime)["submissions"] == 1
    [left] = (scans / "processing").iterdir()
    assert left.read_bytes() == data

    rerun = run_cli(["intake", "scans", "--once", "--json"], cli_env)
    assert rerun.returncode == 0, rerun.stderr
    assert counts(runtime)["submissions"] == 1  # nothing twice
    assert [p for p in files_under(scans) if not p.startswith("processed/")] == []
    [moved] = (scans / "processed").rglob("form.pdf")
    assert moved.read_bytes() == data  # nothing lost


@pytest.mark.slow
def test_killed_right_after_claiming(runtime: Runtime, cli_env: dict[str, str]) -> None:
    scans = runtime.scan_folders().root
    drop(scans, "letter.png", samples.png(samples.text_page("letter", [])))
    crashed = run_cli(["intake", "scans", "--once"], {**cli_env, "MAILROOM_CRASH_AT": "scan.after_claim"})
    assert crashed.returncode == -signal.SIGKILL
    assert counts(runtime)["submissions"] == 0
    assert run_cli(["intake", "scans", "--once"], cli_env).returncode == 0
    assert counts(runtime)["submissions"] == 1
    assert [p.name for p in (scans / "processed").rglob("*.png")] == ["letter.png"]


@pytest.mark.slow
def test_killed_while_processing(runtime: Runtime, cli_env: dict[str, str]) -> None:
    drop(runtime.scan_folders().root, "form.pdf", samples.application_form(samples.APPLICANTS[1]))
    assert run_cli(["intake", "scans", "--once"], cli_env).returncode == 0
    crashed = run_cli(["process", "--once"], {**cli_env, "MAILROOM_CRASH_AT": "process.after_pages"})
    assert crashed.returncode == -signal.SIGKILL
    after_crash = counts(runtime)
    assert after_crash == {"submissions": 1, "documents": 0, "pages": 0, "cases": 0}

    assert run_cli(["process", "--once"], cli_env).returncode == 0
    assert run_cli(["process", "--once"], cli_env).returncode == 0
    assert counts(runtime) == {"submissions": 1, "documents": 1, "pages": 1, "cases": 1}
    with runtime.session_factory.begin() as session:
        assert session.scalars(select(Submission.status)).all() == [SubmissionStatus.PROCESSED]


@pytest.mark.slow
def test_two_workers_on_one_folder_take_each_file_once(runtime: Runtime, cli_env: dict[str, str]) -> None:
    import subprocess

    from tests.helpers import MAILROOM

    scans = runtime.scan_folders().root
    for n in range(12):
        drop(scans, f"scan-{n:02}.png", samples.png(samples.text_page(f"page {n}", [])))
    workers = [
        subprocess.Popen([*MAILROOM, "intake", "scans", "--once"], env=cli_env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    assert counts(runtime)["submissions"] == 12
    moved = sorted(p.name for p in (scans / "processed").rglob("*.png"))
    assert moved == [f"scan-{n:02}.png" for n in range(12)]  # each once, none left, none doubled
