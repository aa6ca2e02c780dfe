"""Prefect's global concurrency limits and the Dask task runner, under the test harness."""

from __future__ import annotations

import contextlib

import pytest
from imapclient import IMAPClient

from mailroom import samples
from mailroom.config import Settings
from mailroom.errors import ConfigurationError
from mailroom.runtime import Runtime
from tests.helpers import application_mail, counts, drop


def _environment(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    for name in ("data_dir", "database_url", "imap_host", "imap_port", "imap_user",
                 "imap_password", "imap_ssl", "imap_folder", "imap_processed_folder",
                 "imap_quarantine_folder"):
        value = getattr(settings, name)
        if value is not None:
            monkeypatch.setenv(f"MAILROOM_{name.upper()}", str(value))
    monkeypatch.setenv("MAILROOM_SCAN_SETTLE_SECONDS", "0")


@pytest.mark.slow
def test_a_mailbox_has_one_poller_at_a_time_across_workers(
    prefect_harness: None, settings: Settings, runtime: Runtime, mailbox: IMAPClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.concurrency.sync import concurrency

    from flows.email_intake import email_intake
    from flows.limits import ensure_limit, mailbox_limit

    _environment(monkeypatch, settings)
    mailbox.append(settings.imap_folder, application_mail())
    ensure_limit(mailbox_limit(settings), 1)
    with concurrency(mailbox_limit(settings), occupy=1):  # another worker's poll is running
        assert email_intake() == {"messages": 0, "new": 0, "quarantined": 0, "skipped": 1}
        assert counts(runtime)["submissions"] == 0
        assert mailbox.folder_status(settings.imap_folder, [b"MESSAGES"])[b"MESSAGES"] == 1
    assert email_intake() == {"messages": 1, "new": 1, "quarantined": 0}
    assert counts(runtime)["submissions"] == 1


@pytest.mark.slow
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_processing_fans_out_on_dask_and_creates_the_ocr_limit(
    prefect_harness: None, settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound
    from prefect_dask import DaskTaskRunner

    from flows.limits import OCR_LIMIT
    from flows.process_submissions import process_submissions
    from flows.scan_intake import scan_intake
    from flows.task_runners import processing_task_runner

    _environment(monkeypatch, settings)
    monkeypatch.setenv("MAILROOM_TASK_RUNNER", "dask")
    monkeypatch.setenv("MAILROOM_OCR_CONCURRENCY", "3")
    for n, surname in enumerate(["ADLER", "BRANDT", "CORVO"]):
        applicant = {**samples.APPLICANTS[0], "surname": surname, "passport_number": f"C01X00T4{n}"}
        drop(settings.resolved_scan_dir, f"{surname}.pdf", samples.application_form(applicant))
    scan_intake(str(settings.resolved_scan_dir))
    with get_client(sync_client=True) as client, contextlib.suppress(ObjectNotFound):
        client.delete_global_concurrency_limit_by_name(OCR_LIMIT)  # made by an earlier test

    runner = processing_task_runner()
    assert isinstance(runner, DaskTaskRunner)
    on_dask = process_submissions.with_options(task_runner=runner)
    assert on_dask() == {"submissions": 3, "documents": 3, "to_triage": 0}
    assert on_dask() == {"submissions": 0, "documents": 0, "to_triage": 0}
    assert counts(runtime) == {"submissions": 3, "documents": 3, "pages": 3, "cases": 3}
    with get_client(sync_client=True) as client:
        assert client.read_global_concurrency_limit_by_name(OCR_LIMIT).limit == 3


def test_dask_is_refused_on_sqlite_with_a_reason(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from flows.task_runners import check_task_runner

    settings = Settings(data_dir=tmp_path, task_runner="dask")
    with pytest.raises(ConfigurationError, match="needs PostgreSQL"):
        check_task_runner(settings)
    check_task_runner(Settings(data_dir=tmp_path, task_runner="threads"))  # no complaint
