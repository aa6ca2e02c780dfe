"""Reminders flow (daily): promises falling due and broken, permits expiring, provisional
deadlines recomputed once the office adds a year's holiday schedule."""

from __future__ import annotations

from dataclasses import asdict

from prefect import flow, get_run_logger, task

from mailroom.runtime import Runtime
from notices.operators import alert, flow_failed_hook
from processing.reminders import run_reminders


@task(name="run-reminders")
def remind() -> dict[str, int]:
    runtime = Runtime.from_environment()
    with runtime.session_factory.begin() as session:
        report = run_reminders(session=session, context=runtime.validation())
    if report.newly_overdue:  # references only: no names
        alert(runtime.settings, "deadline_passed", cases=report.newly_overdue)
    summary = asdict(report)
    summary["newly_overdue"] = len(report.newly_overdue)
    return summary


@flow(name="reminders", on_failure=[flow_failed_hook],
      on_crashed=[flow_failed_hook])
def reminders() -> dict[str, int]:
    summary = remind()
    get_run_logger().info("reminders: %s", summary)  # counts only: no names, no numbers
    return summary
