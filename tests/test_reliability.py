"""The reliability suite: a real `mailroom` killed at every stage boundary, the database going
away mid-run, the blob store's disk full. Each ends in a clear error, and a re-run ends with
everything stored once (the README's reliability table lists what was tried)."""

from __future__ import annotations

import email
import email.policy
import os
import random
import signal
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from imapclient import IMAPClient
from PIL import Image
from sqlalchemy import func, select

from mailroom import samples
from mailroom.config import Settings
from mailroom.faults import CRASH_POINTS
from mailroom.runtime import Runtime
from servers.postgres import _as_owner, pg_bin, postgres_cluster
from servers.smtp import RecordingHandler
from storage.enums import SubmissionStatus
from storage.migrate import upgrade_to_head
from storage.models import Document, MailboxClaim, SentMessage, Submission
from tests.helpers import (
    MAILROOM,
    application_mail,
    counts,
    deliver_mail,
    drop,
    files_under,
    intake_and_process_scans,
    run_cli,
)

PIPELINE = [["intake", "scans", "--once"], ["intake", "email", "--once"], ["process", "--once"],
            ["outbox", "send", "--once"]]


def _smtp_env(cli_env: dict[str, str], settings: Settings) -> dict[str, str]:
    return {**cli_env, "MAILROOM_SMTP_HOST": "127.0.0.1", "MAILROOM_SMTP_PORT": str(settings.smtp_port),
            "MAILROOM_SMTP_SSL": "none", "MAILROOM_SMTP_FROM": "intake@office.example"}


def _folder_count(mailbox: IMAPClient, folder: str) -> int:
    return int(mailbox.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"])


@pytest.mark.slow
@pytest.mark.parametrize("point", sorted(CRASH_POINTS))
def test_killed_at_every_stage_boundary_loses_nothing_and_doubles_nothing(
    point: str, runtime: Runtime, mailbox: IMAPClient, smtp_server: RecordingHandler,
    settings: Settings, cli_env: dict[str, str],
) -> None:
    env = _smtp_env(cli_env, settings)
    form = samples.application_form(samples.APPLICANTS[1])
    drop(runtime.scan_folders().root, "form.pdf", form)
    mailbox.append(settings.imap_folder, application_mail())

    # The whole pipeline once with the crash armed: exactly the stage holding the point dies.
    died = [args for args in PIPELINE
            if run_cli(args, {**env, "MAILROOM_CRASH_AT": point}).returncode == -signal.SIGKILL]
    assert len(died) == 1, f"{point} did not kill exactly one stage: {died}"
    # The re-run, as an operator types it, finishes the work ...
    for args in PIPELINE:
        result = run_cli(args, env)
        assert result.returncode == 0, f"{args}: {result.stderr}"
    # ... and a second one finds nothing left to do (the same stages, run in this process to
    # spare four command start-ups per crash point: what it must not do is checked below)
    _pipeline_in_process(runtime, mailbox)

    assert counts(runtime) == {**counts(runtime), "submissions": 2, "documents": 3}
    with runtime.session_factory.begin() as session:
        assert set(session.scalars(select(Submission.status))) == {SubmissionStatus.PROCESSED}
        per_submission = session.execute(
            select(Document.submission_id, func.count()).group_by(Document.submission_id)).all()
        assert sorted(n for _, n in per_submission) == [1, 2]  # the scan; the e-mail + form
        claims = session.scalars(select(MailboxClaim.state)).all()
        letters = session.scalars(select(SentMessage)).all()
    # (killed between the MOVE and the ledger's update, the ledger keeps "stored": harmless)
    assert claims == ["stored" if point == "email.after_move" else "acknowledged"]
    # the scan was moved out intact; the e-mail left the inbox for Processed
    [moved] = [p for p in files_under(runtime.scan_folders().root) if p.startswith("processed/")]
    assert (runtime.scan_folders().root / moved).read_bytes() == form
    assert [p for p in files_under(runtime.scan_folders().root) if not p.startswith("processed/")] == []
    assert _folder_count(mailbox, settings.imap_folder) == 0
    assert _folder_count(mailbox, settings.imap_processed_folder) == 1
    # every letter went out; only a kill between the server's "accepted" and our record can
    # send one twice, and then with the same Message-ID
    assert letters and all(letter.status == "sent" for letter in letters)
    delivered = Counter(email.message_from_bytes(content, policy=email.policy.default)["Message-ID"]
                        for _, _, content in smtp_server.messages)
    assert set(delivered) == {letter.message_id for letter in letters}
    doubled = [message_id for message_id, n in delivered.items() if n > 1]
    assert len(doubled) == (1 if point == "outbox.after_send" else 0)
    assert max(delivered.values()) <= 2


def _pipeline_in_process(runtime: Runtime, mailbox: IMAPClient) -> None:
    from notices.sender import send_outbox

    assert intake_and_process_scans(runtime) == []
    assert deliver_mail(runtime, mailbox) == []
    assert send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                       blobs=runtime.blobs).sent == 0


@contextmanager
def _own_postgres() -> Iterator[tuple[str, Path]]:
    """A cluster of this test's own, so stopping it mid-run disturbs no other test."""
    import psycopg

    with (
        tempfile.TemporaryDirectory(prefix="mailroom-pg-away-") as root,
        postgres_cluster(Path(root) / "cluster") as server,
    ):
        with psycopg.connect(server.replace("+psycopg", "") + "/postgres",
                             autocommit=True) as connection:
            connection.execute('CREATE DATABASE "mailroom"')
        yield f"{server}/mailroom", Path(root) / "cluster" / "pgdata"


def _pg_ctl(data: Path, action: str, url: str = "") -> None:
    port = url.rsplit(":", 1)[1].split("/")[0] if url else ""
    extra = ["-o", f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1 -c fsync=off",
             "-l", str(data.parent / "server.log"), "-w"] if action == "start" else ["-m", "immediate"]
    subprocess.run(_as_owner([pg_bin("pg_ctl"), "-D", str(data), *extra, action]),
                   check=True, capture_output=True, timeout=90)


@pytest.mark.slow
def test_the_database_going_away_mid_run_stops_it_clearly_and_the_rerun_finishes(
    tmp_path: Path,
) -> None:
    with _own_postgres() as (url, data):
        upgrade_to_head(url)
        settings = Settings(data_dir=tmp_path / "data", database_url=url,
                            scan_dir=tmp_path / "scans", scan_settle_seconds=0)
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
        env.update(MAILROOM_DATA_DIR=str(settings.data_dir), MAILROOM_DATABASE_URL=url,
                   MAILROOM_SCAN_DIR=str(settings.resolved_scan_dir),
                   MAILROOM_SCAN_SETTLE_SECONDS="0")
        # scanned letters: each takes OCR time, so the database can go while one is read
        for n in range(6):
            page = samples.text_page(f"Letter {n}", ["To the Exit-Entry Administration Office,",
                                                     "I confirm my employment.", "Signed"])
            drop(settings.resolved_scan_dir, f"letter-{n}.png", samples.png(page))
        assert run_cli(["intake", "scans", "--once"], env).returncode == 0
        runtime = Runtime(settings)
        processing = subprocess.Popen([*MAILROOM, "process", "--once"], env=env, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _wait_until(lambda: _processed(runtime) >= 1)
        runtime.engine.dispose()
        _pg_ctl(data, "stop")
        _, stderr = processing.communicate(timeout=300)
        assert processing.returncode == 7, stderr
        assert "The database cannot be reached" in stderr or "database cannot be used" in stderr
        assert "Nothing was lost" in stderr or "Nothing was" in stderr

        _pg_ctl(data, "start", url)
        assert run_cli(["process", "--once"], env).returncode == 0
        runtime = Runtime(settings)
        with runtime.session_factory.begin() as session:
            statuses = session.scalars(select(Submission.status)).all()
        assert statuses == [SubmissionStatus.PROCESSED] * 6
        assert counts(runtime)["documents"] == 6  # the one cut off was rolled back, not doubled
        runtime.engine.dispose()


def _processed(runtime: Runtime) -> int:
    with runtime.session_factory.begin() as session:
        return int(session.scalar(select(func.count()).where(
            Submission.status == SubmissionStatus.PROCESSED)) or 0)


def _wait_until(condition, timeout: float = 120) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached")
        time.sleep(0.2)


@contextmanager
def _small_disk(path: Path, size: str) -> Iterator[Path]:
    """A real filesystem of ``size`` (tmpfs) mounted at ``path``: writes past it get ENOSPC."""
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                   check=True, capture_output=True, timeout=30)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True, timeout=30)


@pytest.mark.slow
def test_a_full_blob_store_stops_intake_clearly_and_nothing_is_lost(
    runtime: Runtime, mailbox: IMAPClient, settings: Settings, cli_env: dict[str, str],
) -> None:
    scans = runtime.scan_folders().root
    noise = Image.frombytes("L", (600, 600), random.Random(3).randbytes(600 * 600))
    big = samples.png(noise)  # 360 KB that do not compress
    with _small_disk(settings.blob_dir, "16k"):
        drop(scans, "photo.png", big)
        mailbox.append(settings.imap_folder, application_mail())
        scan = run_cli(["intake", "scans", "--once"], cli_env)
        mail = run_cli(["intake", "email", "--once"], cli_env)
        for result in (scan, mail):
            assert result.returncode == 7, result.stderr
            assert "cannot be written (No space left on device)" in result.stderr
            assert "Nothing was lost" in result.stderr
        # nothing acknowledged: the scan waits in processing/, the e-mail in the inbox
        [waiting] = files_under(scans)
        assert waiting.startswith("processing/") and waiting.endswith("photo.png")
        assert _folder_count(mailbox, settings.imap_folder) == 1
        assert counts(runtime)["submissions"] == 0
    # space freed (the small disk is gone): the next runs take both, once
    assert run_cli(["intake", "scans", "--once"], cli_env).returncode == 0
    assert run_cli(["intake", "email", "--once"], cli_env).returncode == 0
    assert counts(runtime)["submissions"] == 2
    assert _folder_count(mailbox, settings.imap_folder) == 0
    [kept] = [p for p in files_under(scans) if p.startswith("processed/")]
    assert (scans / kept).read_bytes() == big
