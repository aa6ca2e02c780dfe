"""The content-addressed blob store on a real folder."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.blobs import LocalBlobStore


def test_identical_bytes_are_stored_once(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    first = store.put_bytes(b"scan one")
    again = store.put_bytes(b"scan one")
    other = store.put_bytes(b"scan two")
    assert first == again == hashlib.sha256(b"scan one").hexdigest()
    assert other != first
    blobs = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert sorted(p.name for p in blobs) == sorted([first, other])  # no temp files left behind
    assert store.read_bytes(first) == b"scan one"


def test_streams_are_hashed_while_written(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    payload = bytes(range(256)) * 20_000  # 5 MB, several chunks
    sha, size = store.put_stream(io.BytesIO(payload))
    assert (sha, size) == (hashlib.sha256(payload).hexdigest(), len(payload))
    assert store.path_for(sha).read_bytes() == payload


def test_keys_that_are_not_digests_are_refused(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    with pytest.raises(ValueError, match="not a sha256"):
        store.read_bytes("../../etc/passwd")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=2048), max_size=8))
def test_whatever_goes_in_comes_out(tmp_path_factory: pytest.TempPathFactory, items: list[bytes]) -> None:
    store = LocalBlobStore(tmp_path_factory.mktemp("blobs"))
    keys = [store.put_bytes(item) for item in items]
    assert [store.read_bytes(k) for k in keys] == items
