"""The case status state machine, loaded from ``case_workflow.yaml`` and validated on load."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from mailroom.errors import ConfigurationError, TransitionError
from storage.enums import CaseStatus

WORKFLOW_FILE = Path(__file__).with_name("case_workflow.yaml")


def load_transitions(path: Path = WORKFLOW_FILE) -> dict[CaseStatus, frozenset[CaseStatus]]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigurationError(f"Cannot read the case workflow file {path}: {e}") from e
    if not isinstance(raw, dict):
        raise ConfigurationError(f"{path}: expected a mapping of status to allowed next statuses")
    known = {s.value for s in CaseStatus}
    table: dict[CaseStatus, frozenset[CaseStatus]] = {}
    for source, targets in raw.items():
        if source not in known:
            raise ConfigurationError(f"{path}: unknown case status {source!r}")
        if not isinstance(targets, list) or any(t not in known for t in targets):
            raise ConfigurationError(
                f"{path}: the next statuses of {source!r} must be a list of known statuses"
            )
        table[CaseStatus(source)] = frozenset(CaseStatus(t) for t in targets)
    missing = known - {s.value for s in table}
    if missing:
        raise ConfigurationError(f"{path}: no entry for status(es) {', '.join(sorted(missing))}")
    return table


@cache
def transitions() -> dict[CaseStatus, frozenset[CaseStatus]]:
    return load_transitions()


def check_transition(current: CaseStatus, target: CaseStatus) -> None:
    if target not in transitions()[current]:
        allowed = ", ".join(sorted(transitions()[current])) or "none"
        raise TransitionError(
            f"A case that is {current.value} cannot become {target.value} "
            f"(allowed next: {allowed})."
        )
