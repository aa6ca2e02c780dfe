"""Scan intake flow: take every complete file from the scan drop folder into storage."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact

from intake.scans import ScanOutcome, intake_scans
from mailroom.runtime import Runtime
from notices.operators import alert_quarantined, flow_failed_hook


@task(name="admit-scans")
def admit_scans(scan_dir: str | None) -> list[ScanOutcome]:
    runtime = Runtime.from_environment()
    folders = runtime.scan_folders(Path(scan_dir) if scan_dir else None)
    return intake_scans(
        folders=folders,
        blobs=runtime.blobs,
        session_factory=runtime.session_factory,
        settle_seconds=runtime.settings.scan_settle_seconds,
        limits=runtime.limits,
    )


@flow(name="scan-intake", log_prints=False, on_failure=[flow_failed_hook],
      on_crashed=[flow_failed_hook])
def scan_intake(scan_dir: str | None = None) -> dict[str, int]:
    outcomes = admit_scans(scan_dir)
    summary = {
        "files": len(outcomes),
        "new": sum(o.new for o in outcomes),
        "quarantined": sum(o.status.value == "quarantined" for o in outcomes),
    }
    get_run_logger().info("scan intake: %s", summary)
    alert_quarantined(Runtime.from_environment().settings, "scan", outcomes)  # ids only
    # No personal data: file counts and reason codes only, never names or passport numbers.
    create_table_artifact(
        key="scan-intake-summary",
        table=[{"submission": o.submission_id, "status": o.status.value, "new": o.new}
               for o in outcomes],
        description=f"Scan intake: {summary}",
    )
    return summary
