"""The card's generic package names must be this project's own, never a PyPI namesake."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "package",
    ["flows", "extractors", "validators", "storage", "intake", "processing", "notices", "shipping",
     "mailroom", "web"],
)
def test_packages_import_from_this_checkout(package: str) -> None:
    module = importlib.import_module(package)
    assert Path(module.__file__ or "").resolve().parent == ROOT / package


def test_no_installed_distribution_ships_a_module_named_like_ours() -> None:
    from importlib.metadata import packages_distributions

    owners = packages_distributions()
    for package in ("flows", "extractors", "validators", "storage", "intake", "processing"):
        assert set(owners.get(package, [])) <= {"mailroom"}, (package, owners.get(package))
