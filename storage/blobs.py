"""Content-addressed blob store: raw submissions, documents and page images, keyed by sha256.

``BlobStore`` is the interface; ``LocalBlobStore`` keeps blobs under a folder as
``ab/cd/<sha256>``. An fsspec/S3 store can implement the same four methods later.
Writes are atomic (temp file, fsync, rename), and identical bytes are stored once.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

CHUNK = 1024 * 1024


class BlobStore(Protocol):
    def put_bytes(self, data: bytes) -> str:
        """Store ``data``; return its sha256 (hex). Storing the same bytes again is a no-op."""
        ...

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        """Store a stream without holding it whole in memory; return (sha256, size)."""
        ...

    def read_bytes(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self.put_stream(io.BytesIO(data))
        return sha256

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="in-")
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            self._publish(Path(tmp_name), sha256)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return sha256, size

    def put_file(self, path: Path) -> tuple[str, int]:
        with path.open("rb") as stream:
            return self.put_stream(stream)

    def read_bytes(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def _publish(self, tmp: Path, sha256: str) -> None:
        target = self.path_for(sha256)
        if target.is_file():
            return  # same bytes already stored (content addressing makes this safe)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)  # the rename itself must survive a power cut
        finally:
            os.close(dir_fd)
