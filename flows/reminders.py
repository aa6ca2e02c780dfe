"""Reminders flow (daily): promises falling due and broken, permits expiring, provisional
deadlines recomputed once the office adds a year's holiday schedule."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from mailroom.runtime import Runtime
from processing.reminders import run_reminders


@task(name="run-reminders")
def remind() -> dict[str, int]:
    runtime = Runtime.from_environment()
    with runtime.session_factory.begin() as session:
        return asdict(run_reminders(session=session, context=runtime.validation()))


@flow(name="reminders")
def reminders() -> dict[str, int]:
    summary = remind()
    get_run_logger().info("reminders: %s", summary)  # counts only: no names, no numbers
    return summary
