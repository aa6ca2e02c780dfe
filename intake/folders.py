"""The scan drop folder and its sub-folders; moving files without ever overwriting one.

Layout (all under the scan folder):
    <scan folder>/              clerks and scanners drop files here (``*.part`` = still writing)
    processing/<token>~<name>   claimed by a worker (the rename is the claim)
    processed/<date>/<name>     stored and recorded
    quarantine/<name>           refused, with <name>.reason.txt beside it
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".reason.txt")


@dataclass(frozen=True)
class ScanFolders:
    root: Path

    @property
    def processing(self) -> Path:
        return self.root / "processing"

    @property
    def processed(self) -> Path:
        return self.root / "processed"

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"

    def ensure(self) -> None:
        for folder in (self.root, self.processing, self.processed, self.quarantine):
            folder.mkdir(parents=True, exist_ok=True)

    def drop_candidates(self) -> list[Path]:
        """Files in the drop folder that may be complete (not hidden, not ``.part``)."""
        return sorted(
            p
            for p in self.root.iterdir()
            if p.is_file() and not p.name.startswith(".") and not p.name.endswith(IGNORED_SUFFIXES)
        )

    def claimed(self) -> list[Path]:
        return sorted(p for p in self.processing.iterdir() if p.is_file() and "~" in p.name)


def claim(path: Path, folders: ScanFolders) -> Path | None:
    """Rename a dropped file into ``processing/``; None if another worker took it first."""
    target = folders.processing / f"{uuid.uuid4().hex[:12]}~{path.name}"
    try:
        os.rename(path, target)  # atomic: exactly one worker's rename succeeds
    except FileNotFoundError:
        return None
    return target


def original_name(claimed_path: Path) -> str:
    return claimed_path.name.split("~", 1)[1]


def move_without_overwrite(source: Path, folder: Path, name: str) -> Path:
    """Move ``source`` into ``folder`` as ``name``, or ``name (2)``… if that is taken."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = Path(name).stem, Path(name).suffix
    for attempt in range(1, 10_000):
        candidate = name if attempt == 1 else f"{stem} ({attempt}){suffix}"
        target = folder / candidate
        try:
            os.link(source, target)  # fails if the name exists: never overwrites a clerk's file
        except FileExistsError:
            continue
        source.unlink()
        return target
    raise FileExistsError(f"no free name for {name} in {folder}")


def processed_folder(folders: ScanFolders, today: dt.date | None = None) -> Path:
    return folders.processed / (today or dt.date.today()).isoformat()


def write_reason(quarantined: Path, reason: str) -> Path:
    note = quarantined.with_name(quarantined.name + ".reason.txt")
    tmp = note.with_name(note.name + ".tmp")
    tmp.write_text(reason.rstrip() + "\n", encoding="utf-8")
    os.replace(tmp, note)
    return note
