"""Scan intake: from the drop folder to a stored, recorded submission, losing nothing.

Order of work for each file, chosen so that a crash at any point loses nothing and duplicates
nothing on the next run:
    1. claim it by renaming into processing/ (two workers never take the same file);
    2. hold an exclusive lock on it while working (a dead worker's lock is released by the OS,
       which is how the next run knows an orphan in processing/ is free to finish);
    3. store the raw bytes (content-addressed) and record the submission in one transaction;
    4. only then move it to processed/ or quarantine/ (with a reason a clerk can read).
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from extractors.filetypes import FileFacts, Limits, inspect_file
from intake.folders import (
    ScanFolders,
    claim,
    move_without_overwrite,
    original_name,
    processed_folder,
    write_reason,
)
from mailroom.errors import BadInputError
from mailroom.faults import crash_point
from storage.blobs import BlobStore
from storage.enums import Channel, SubmissionStatus
from storage.submissions import record_submission

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanOutcome:
    filename: str
    submission_id: int
    new: bool  # False: the same bytes had arrived before (nothing recorded twice)
    status: SubmissionStatus
    reason: str | None
    moved_to: Path


def stable_files(folders: ScanFolders, settle_seconds: float) -> list[Path]:
    """Drop-folder files whose size and mtime did not change across two looks."""
    first = {p: _signature(p) for p in folders.drop_candidates()}
    if settle_seconds > 0 and first:
        time.sleep(settle_seconds)
    return [p for p, sig in first.items() if sig is not None and _signature(p) == sig]


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def intake_scans(
    *,
    folders: ScanFolders,
    blobs: BlobStore,
    session_factory: sessionmaker[Session],
    settle_seconds: float,
    limits: Limits,
) -> list[ScanOutcome]:
    """Take every complete file in the drop folder, and finish any a dead worker left behind."""
    folders.ensure()
    outcomes: list[ScanOutcome] = []
    for orphan in folders.claimed():
        outcome = _admit_if_free(orphan, folders, blobs, session_factory, limits)
        if outcome:
            outcomes.append(outcome)
    for path in stable_files(folders, settle_seconds):
        claimed = claim(path, folders)
        if claimed is None:
            continue  # another worker took it
        crash_point("scan.after_claim")
        outcome = _admit_if_free(claimed, folders, blobs, session_factory, limits)
        if outcome:
            outcomes.append(outcome)
    return outcomes


def _admit_if_free(
    claimed: Path,
    folders: ScanFolders,
    blobs: BlobStore,
    session_factory: sessionmaker[Session],
    limits: Limits,
) -> ScanOutcome | None:
    with _exclusive(claimed) as locked:
        if not locked:
            return None  # a live worker holds it
        return _admit(claimed, folders, blobs, session_factory, limits)


@contextmanager
def _exclusive(path: Path) -> Iterator[bool]:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        yield False  # finished and moved by another worker meanwhile
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield path.exists()
    finally:
        os.close(fd)


def _admit(
    claimed: Path,
    folders: ScanFolders,
    blobs: BlobStore,
    session_factory: sessionmaker[Session],
    limits: Limits,
) -> ScanOutcome:
    name = original_name(claimed)
    data = claimed.read_bytes()
    facts: FileFacts | None = None
    refusal: BadInputError | None = None
    try:
        facts = inspect_file(data, name, limits)
    except BadInputError as e:
        refusal = e
    sha256 = blobs.put_bytes(data)
    with session_factory.begin() as session:
        recorded = record_submission(
            session=session,
            channel=Channel.SCAN,
            source=f"scan:{name}",
            filename=name,
            sha256=sha256,
            size=len(data),
            media_type=facts.media_type if facts else None,
            quarantine=(refusal.reason.value, refusal.message) if refusal else None,
        )
        submission = recorded.submission
        submission_id, status, reason = submission.id, submission.status, submission.reason
    crash_point("scan.after_store")
    if status == SubmissionStatus.QUARANTINED:
        moved = move_without_overwrite(claimed, folders.quarantine, name)
        write_reason(moved, reason or "Refused at intake.")
    else:
        moved = move_without_overwrite(claimed, processed_folder(folders), name)
    # File names often carry applicants' names: the log names the submission, not the file.
    log.info(
        "scan intake: submission %s %s (%s)",
        submission_id, status.value, "new" if recorded.created else "seen before",
    )
    return ScanOutcome(
        filename=name,
        submission_id=submission_id,
        new=recorded.created,
        status=status,
        reason=reason,
        moved_to=moved,
    )
