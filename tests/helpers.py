"""Small helpers shared by the tests (real files, real commands; nothing mocked)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from mailroom.runtime import Runtime
from storage.models import Case, Document, Page, Submission

MAILROOM = [sys.executable, "-m", "mailroom.cli"]


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 120, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAILROOM, *args], env=env, capture_output=True, text=True, timeout=timeout,
        input=stdin if stdin is not None else "",
    )


def drop(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f"{name}.part"
    partial.write_bytes(data)
    return partial.rename(folder / name)


def counts(runtime: Runtime) -> dict[str, int]:
    with runtime.session_factory.begin() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Submission, Document, Page, Case)
        }


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
