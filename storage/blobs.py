"""Content-addressed blob store: raw submissions, documents and page images, keyed by sha256.

``BlobStore`` is the interface; ``LocalBlobStore`` keeps blobs under a folder as
``ab/cd/<sha256>``, and ``FsspecBlobStore`` keeps the same layout under any fsspec URL (an
S3-compatible bucket: ``s3://bucket/prefix``). Writes are atomic (a local temp file, fsync and
rename; an object PUT is whole or absent), and identical bytes are stored once.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import fsspec

from mailroom.errors import StorageUnavailableError

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


def open_blob_store(folder: Path, url: str | None, storage_options: dict[str, Any]) -> BlobStore:
    """The office's blob store: an fsspec URL when one is configured, else the local folder."""
    if url:
        return FsspecBlobStore(url, storage_options)
    return LocalBlobStore(folder)


def _relative_key(sha256: str) -> str:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / "tmp"
        self._tmp.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        return self.root / _relative_key(sha256)

    def put_bytes(self, data: bytes) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256):
            self.put_stream(io.BytesIO(data))
        return sha256

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        try:
            return self._put_stream(stream)
        except OSError as e:
            if e.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
                raise
            raise StorageUnavailableError(
                f"The blob store {self.root} cannot be written ({e.strerror}). Nothing was "
                "lost: the source stays where it was and the next run takes it again once "
                "space is freed.") from e

    def _put_stream(self, stream: BinaryIO) -> tuple[str, int]:
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


class FsspecBlobStore:
    """Blobs under an fsspec URL such as ``s3://bucket/prefix`` (s3fs for S3-compatible stores).

    Credentials and the endpoint come from ``storage_options`` or the store's usual environment
    (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_ENDPOINT_URL``). A stream is hashed
    into a local spool first, because an object's key is its digest and must be known before
    the one PUT that makes it visible.
    """

    def __init__(self, url: str, storage_options: dict[str, Any] | None = None) -> None:
        self.fs, root = fsspec.core.url_to_fs(url, **(storage_options or {}))
        self.root = root.rstrip("/")
        self.url = url

    def key_for(self, sha256: str) -> str:
        return f"{self.root}/{_relative_key(sha256)}"

    def put_bytes(self, data: bytes) -> str:
        return self.put_stream(io.BytesIO(data))[0]

    def put_stream(self, stream: BinaryIO) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                spool.write(chunk)
            sha256 = digest.hexdigest()
            spool.seek(0)
            self._upload(sha256, spool)
        return sha256, size

    def _upload(self, sha256: str, spool: BinaryIO) -> None:
        try:
            if self.exists(sha256):
                return
            with self.fs.open(self.key_for(sha256), "wb") as out:
                while chunk := spool.read(CHUNK):
                    out.write(chunk)
        except OSError as e:  # s3fs reports a refused or failed PUT as an OSError
            raise StorageUnavailableError(
                f"The blob store {self.url} cannot be written ({e}). Nothing was lost: the "
                "source stays where it was and the next run takes it again.") from e

    def read_bytes(self, sha256: str) -> bytes:
        return bytes(self.fs.cat_file(self.key_for(sha256)))

    def exists(self, sha256: str) -> bool:
        return bool(self.fs.exists(self.key_for(sha256)))
