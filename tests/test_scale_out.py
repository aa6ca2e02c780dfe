"""Scale-out as the README's recipe runs it: a Prefect server on PostgreSQL, prefect.yaml
deployed to a process work pool, and two workers draining one backlog of scans and e-mails."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
from imapclient import IMAPClient
from sqlalchemy import func, select

from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from storage.enums import SubmissionStatus
from storage.models import Document, Submission
from tests.helpers import application_mail, counts, drop
from tests.prefect_server import PREFECT, prefect_environment, prefect_server, prefect_worker

ROOT = Path(__file__).resolve().parent.parent
SCANS, MAILS = 6, 4


def _prefect_database(pg_server: str) -> str:
    name = f"prefect_{time.time_ns()}"
    with psycopg.connect(pg_server.replace("+psycopg", "") + "/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return pg_server.replace("+psycopg", "+asyncpg") + f"/{name}"


def _mailroom_environment(settings: Settings, api_url: str, home: Path) -> dict[str, str]:
    env = prefect_environment(home, api_url)
    env.update(MAILROOM_HOME=str(ROOT), MAILROOM_SCAN_SETTLE_SECONDS="0")
    for name in ("data_dir", "database_url", "scan_dir", "imap_host", "imap_port", "imap_user",
                 "imap_password", "imap_ssl", "imap_folder", "imap_processed_folder",
                 "imap_quarantine_folder"):
        env[f"MAILROOM_{name.upper()}"] = str(getattr(settings, name))
    return env


def _run_and_wait(client, names: list[str]) -> list:  # type: ignore[no-untyped-def]
    from prefect.deployments import run_deployment

    runs = [run_deployment(name, timeout=0, client=client) for name in names]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        runs = [client.read_flow_run(run.id) for run in runs]
        if all(run.state.is_final() for run in runs):
            return runs
        time.sleep(1)
    raise AssertionError(f"flow runs not finished: {[(r.name, r.state.name) for r in runs]}")


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_drain_one_backlog_and_do_nothing_twice(
    tmp_path: Path, pg_server: str, settings: Settings, runtime: Runtime, mailbox: IMAPClient,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    for n in range(SCANS):
        applicant = {**samples.APPLICANTS[n % 2], "passport_number": f"E{n:02d}X00T47"}
        drop(settings.resolved_scan_dir, f"form-{n}.pdf", samples.application_form(applicant))
    for n in range(MAILS):
        mailbox.append(settings.imap_folder, application_mail(subject=f"application {n}"))

    home = tmp_path / "prefect"
    home.mkdir()
    with prefect_server(_prefect_database(pg_server), home) as api_url:
        env = _mailroom_environment(settings, api_url, home)
        subprocess.run([*PREFECT, "work-pool", "create", "mailroom", "--type", "process"],
                       env=env, check=True, capture_output=True, timeout=120)
        deployed = subprocess.run([*PREFECT, "--no-prompt", "deploy", "--all"], cwd=ROOT,
                                  env=env, capture_output=True, text=True, timeout=300)
        assert deployed.returncode == 0, deployed.stdout + deployed.stderr
        with (
            prefect_worker("worker-a", "mailroom", env, tmp_path / "a.log") as log_a,
            prefect_worker("worker-b", "mailroom", env, tmp_path / "b.log") as log_b,
            temporary_settings(updates={PREFECT_API_URL: api_url}),
            get_client(sync_client=True) as client,
        ):
            _wait_for_workers(client, 2)
            intake = _run_and_wait(client, ["scan-intake/scan-intake",
                                            "email-intake/email-intake"])
            processing = _run_and_wait(client, ["process-submissions/process-submissions"] * 2)
            ran_by = {"a": _flow_runs_in(log_a), "b": _flow_runs_in(log_b)}

    runs = intake + processing
    assert [run.state.name for run in runs] == ["Completed"] * 4
    # each flow run went to exactly one worker, and both workers took part
    assert ran_by["a"] and ran_by["b"] and not ran_by["a"] & ran_by["b"]
    assert ran_by["a"] | ran_by["b"] == {str(run.id) for run in runs}
    # the two processing runs worked on the same backlog at the same time, one per worker
    processing_ids = {str(run.id) for run in processing}
    assert not processing_ids <= ran_by["a"] and not processing_ids <= ran_by["b"]

    with runtime.session_factory.begin() as session:
        statuses = session.scalars(select(Submission.status)).all()
        documents_per_submission = dict(session.execute(
            select(Document.submission_id, func.count()).group_by(Document.submission_id)).all())
    assert len(statuses) == SCANS + MAILS
    assert set(statuses) == {SubmissionStatus.PROCESSED}
    # a scan is one form; an e-mail its body and the attached form; nothing stored twice
    assert sorted(documents_per_submission.values()) == [1] * SCANS + [2] * MAILS
    assert counts(runtime)["documents"] == SCANS + 2 * MAILS


def _wait_for_workers(client, expected: int) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if len(client.read_workers_for_work_pool("mailroom")) >= expected:
            return
        time.sleep(0.5)
    raise AssertionError("the workers did not come online")


def _flow_runs_in(log: Path) -> set[str]:
    """The flow runs a worker started; the server refuses a second worker the same run."""
    text = log.read_text()
    offered = set(re.findall(r"submitting flow run '([0-9a-f-]{36})'", text))
    refused = set(re.findall(r"Aborted submission of flow run '([0-9a-f-]{36})'", text))
    return offered - refused
