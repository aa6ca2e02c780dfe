"""Flow wiring under Prefect's test harness, and every deployment in prefect.yaml loads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from mailroom import samples
from mailroom.config import Settings
from tests.helpers import counts, drop

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_intake_and_processing_flows_run_end_to_end(
    prefect_harness: None, settings: Settings, runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.process_submissions import process_submissions
    from flows.scan_intake import scan_intake

    monkeypatch.setenv("MAILROOM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MAILROOM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("MAILROOM_SCAN_SETTLE_SECONDS", "0")
    scans = settings.resolved_scan_dir
    drop(scans, "form.pdf", samples.application_form(samples.APPLICANTS[0]))
    drop(scans, "broken.pdf", samples.corrupt_pdf())

    assert scan_intake(str(scans)) == {"files": 2, "new": 2, "quarantined": 1}
    assert process_submissions() == {"submissions": 1, "documents": 1, "to_triage": 0}
    # Running both again finds nothing to do and creates nothing.
    assert scan_intake(str(scans)) == {"files": 0, "new": 0, "quarantined": 0}
    assert process_submissions() == {"submissions": 0, "documents": 0, "to_triage": 0}
    assert counts(runtime) == {"submissions": 2, "documents": 1, "pages": 1, "cases": 1}


def test_every_deployment_entrypoint_loads_a_flow() -> None:
    from prefect.flows import Flow, load_flow_from_entrypoint

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    deployments = config["deployments"]
    assert {d["name"] for d in deployments} == {
        "scan-intake", "email-intake", "send-outbox", "process-submissions", "reminders",
        "shipping-tracking",
    }
    for deployment in deployments:
        path, _, name = deployment["entrypoint"].partition(":")
        flow = load_flow_from_entrypoint(f"{ROOT / path}:{name}")
        assert isinstance(flow, Flow)
        schedule = deployment["schedules"][0]
        assert schedule.get("interval", 0) > 0 or schedule["timezone"] == "Asia/Shanghai"
        # pollers one at a time; processing runs may overlap (leases keep them apart)
        overlapping = deployment["name"] == "process-submissions"
        assert deployment["concurrency_limit"]["limit"] == (4 if overlapping else 1)
        assert deployment["concurrency_limit"]["collision_strategy"] == "CANCEL_NEW"


@pytest.mark.slow
def test_no_passport_number_or_name_reaches_prefect_logs_artifacts_or_the_log(
    prefect_harness: None, settings: Settings, runtime, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from prefect.client.orchestration import get_client

    from flows.process_submissions import process_submissions
    from flows.reminders import reminders
    from flows.scan_intake import scan_intake
    from flows.shipping_tracking import shipping_tracking

    monkeypatch.setenv("MAILROOM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MAILROOM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("MAILROOM_SCAN_SETTLE_SECONDS", "0")
    secret = {**samples.APPLICANTS[0], "surname": "ZWEISTEIN", "given_names": "QUIRINA",
              "passport_number": "Q9Z8Y7X65"}
    # the applicant's name in the file name too, as clerks' scanners often write it
    drop(settings.resolved_scan_dir, "ZWEISTEIN-QUIRINA-Q9Z8Y7X65.pdf",
         samples.application_form(secret))
    caplog.set_level(logging.INFO)
    scan_intake(str(settings.resolved_scan_dir))
    process_submissions()
    reminders()
    shipping_tracking()

    from prefect.logging.handlers import APILogHandler

    APILogHandler().flush()  # logs travel to the API in the background
    with get_client(sync_client=True) as client:
        logs = " ".join(entry.message for entry in client.read_logs())
        artifacts = " ".join(f"{a.description} {a.data}" for a in client.read_artifacts())
    application_log = " ".join(record.getMessage() for record in caplog.records)
    assert "processing:" in logs  # the flows did log, and their artifacts exist
    assert "process-submissions-summary" in " ".join(
        a.key or "" for a in get_client(sync_client=True).read_artifacts())
    for text in (logs, artifacts, application_log):
        for value in ("ZWEISTEIN", "QUIRINA", "Q9Z8Y7X65", "zweistein"):
            assert value not in text


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    """A local HTTP endpoint standing in for the operators' chat webhook; it keeps each JSON."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from servers.postgres import free_port

    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_operators_are_alerted_of_quarantines_failures_and_passed_deadlines(
    prefect_harness: None, settings: Settings, runtime, monkeypatch: pytest.MonkeyPatch,
    webhook: tuple[str, list[dict]],
) -> None:
    import datetime as dt

    from sqlalchemy import select

    from flows.process_submissions import process_submissions
    from flows.reminders import reminders
    from flows.scan_intake import scan_intake
    from storage.cases import change_status, open_case
    from storage.enums import CaseStatus
    from storage.models import Case

    url, received = webhook
    monkeypatch.setenv("MAILROOM_ALERT_WEBHOOK", url)
    monkeypatch.setenv("MAILROOM_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MAILROOM_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("MAILROOM_SCAN_SETTLE_SECONDS", "0")

    drop(settings.resolved_scan_dir, "MUSTERMANN-passport.pdf", samples.corrupt_pdf())
    scan_intake(str(settings.resolved_scan_dir))
    [quarantined] = received
    assert quarantined["event"] == "quarantined" and quarantined["count"] == 1
    assert "MUSTERMANN" not in str(quarantined)

    # the 24-hour urgent service: the operators hear the moment such a case is stored
    drop(settings.resolved_scan_dir, "urgent.pdf", samples.application_form(
        {**samples.APPLICANTS[0], "urgency": "urgent_epidemic"}))
    scan_intake(str(settings.resolved_scan_dir))
    process_submissions()
    process_submissions()  # nothing left to process: no second alert
    [urgent] = [r for r in received if r["event"] == "urgent_case"]
    with runtime.session_factory() as session:
        [stored] = session.scalars(select(Case).where(Case.priority == "urgent")).all()
        assert urgent["cases"] == [stored.reference]  # before its materials are even complete
    assert samples.APPLICANTS[0]["surname"] not in str(urgent)

    with runtime.session_factory.begin() as session:
        case = open_case(session=session, actor="test", application_type="visa_extension")
        for status in (CaseStatus.VALIDATING, CaseStatus.READY_FOR_REVIEW):
            change_status(session=session, case=case, to=status, actor="test")
        case.due_date = dt.date(2026, 1, 5)
        reference = case.reference
    reminders()
    reminders()  # the next day's round: the same case is not alerted twice
    assert [r["cases"] for r in received if r["event"] == "deadline_passed"] == [[reference]]

    monkeypatch.setenv("MAILROOM_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises: the run fails
        process_submissions()
    failed = [r for r in received if r["event"] == "flow_run_failed"]
    assert failed and failed[0]["flow"] == "process-submissions"
