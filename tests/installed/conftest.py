"""The installed tier: mailroom as a user gets it. The wheel is built from a copy of the
checkout, installed with its locked dependencies into a fresh virtual environment outside the
checkout, and every command runs from an empty folder, so nothing of the checkout is on
``sys.path``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_IN_THE_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", "tests", "bench", "mailroom-demo", "mailroom-data")


@dataclass
class Installed:
    venv: Path
    wheel: Path

    @property
    def mailroom(self) -> Path:
        return self.venv / "bin" / "mailroom"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed")
    source, dist, venv = root / "source", root / "dist", root / "venv"
    shutil.copytree(ROOT, source, ignore=NOT_IN_THE_SOURCE)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "--disable-pip-version-check",
          str(source), "-w", str(dist)])
    [wheel] = dist.glob("mailroom-*.whl")
    _run([sys.executable, "-m", "venv", str(venv)])
    _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
          "-c", str(ROOT / "requirements.lock"), str(wheel)])
    return Installed(venv=venv, wheel=wheel)


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """An empty folder to run from, and an environment that knows nothing of the checkout."""
    folder = tmp_path / "office"
    folder.mkdir()
    yield folder


def user_environment(folder: Path, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(MAILROOM_DATA_DIR=str(folder / "data"), DO_NOT_TRACK="1",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_HOME=str(folder / "prefect"))
    env.update(extra)
    return env


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
