"""The content-addressed blob store: on a real folder, and in a bucket of a local S3 server."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intake.scans import intake_scans
from mailroom import samples
from mailroom.config import Settings
from mailroom.runtime import Runtime
from processing.queue import process_pending
from storage.blobs import BlobStore, FsspecBlobStore, LocalBlobStore
from storage.models import Page
from tests.helpers import drop, run_cli
from tests.s3 import S3Server

_buckets = itertools.count(1)
StoreFactory = Callable[[], BlobStore]


@pytest.fixture(params=["folder", "s3"])
def new_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> StoreFactory:
    if request.param == "folder":
        return lambda: LocalBlobStore(tmp_path_factory.mktemp("blobs"))
    s3: S3Server = request.getfixturevalue("s3")

    def bucket_store() -> BlobStore:
        bucket = f"blobs-{next(_buckets)}"
        s3.create_bucket(bucket)
        return FsspecBlobStore(f"s3://{bucket}/office", s3.storage_options)

    return bucket_store


def _stored_names(store: BlobStore) -> list[str]:
    if isinstance(store, LocalBlobStore):
        return [p.name for p in store.root.rglob("*") if p.is_file()]
    assert isinstance(store, FsspecBlobStore)
    return [key.rsplit("/", 1)[1] for key in store.fs.find(store.root)]


def test_identical_bytes_are_stored_once(new_store: StoreFactory) -> None:
    store = new_store()
    first = store.put_bytes(b"scan one")
    again = store.put_bytes(b"scan one")
    other = store.put_bytes(b"scan two")
    assert first == again == hashlib.sha256(b"scan one").hexdigest()
    assert other != first
    assert sorted(_stored_names(store)) == sorted([first, other])  # no temp files left behind
    assert store.read_bytes(first) == b"scan one"
    assert store.exists(first) and not store.exists(hashlib.sha256(b"never").hexdigest())


def test_streams_are_hashed_while_written(new_store: StoreFactory) -> None:
    store = new_store()
    payload = bytes(range(256)) * 60_000  # 15 MB: past the 8 MB in-memory spool, several chunks
    sha, size = store.put_stream(io.BytesIO(payload))
    assert (sha, size) == (hashlib.sha256(payload).hexdigest(), len(payload))
    assert store.read_bytes(sha) == payload
    assert store.put_stream(io.BytesIO(payload)) == (sha, size)
    assert _stored_names(store) == [sha]


def test_keys_that_are_not_digests_are_refused(new_store: StoreFactory) -> None:
    store = new_store()
    with pytest.raises(ValueError, match="not a sha256"):
        store.read_bytes("../../etc/passwd")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=2048), max_size=8))
def test_whatever_goes_in_comes_out(tmp_path_factory: pytest.TempPathFactory, items: list[bytes]) -> None:
    store = LocalBlobStore(tmp_path_factory.mktemp("blobs"))
    keys = [store.put_bytes(item) for item in items]
    assert [store.read_bytes(k) for k in keys] == items


def test_an_office_can_keep_its_blobs_in_an_s3_bucket(
    tmp_path: Path, s3: S3Server, cli_env: dict[str, str], settings: Settings
) -> None:
    bucket = f"office-{next(_buckets)}"
    s3.create_bucket(bucket)
    settings.blob_url = f"s3://{bucket}/mailroom"
    settings.blob_storage_options = s3.storage_options
    runtime = Runtime(settings)
    form = samples.application_form(samples.APPLICANTS[0])
    drop(runtime.scan_folders().root, "form.pdf", form)
    intake_scans(folders=runtime.scan_folders(), blobs=runtime.blobs,
                 session_factory=runtime.session_factory, settle_seconds=0, limits=runtime.limits)
    [outcome] = process_pending(runtime)
    assert len(outcome.case_references) == 1
    keys = s3.object_keys(bucket)
    assert f"mailroom/{hashlib.sha256(form).hexdigest()[:2]}" in {k[:11] for k in keys}
    with runtime.session_factory() as session:
        page_images = [p.image_sha256 for p in session.query(Page)]
    assert page_images and all(any(k.endswith(sha) for k in keys) for sha in page_images)
    assert not (settings.blob_dir).exists() or not any(settings.blob_dir.rglob("*/*/*"))
    runtime.engine.dispose()

    env = {**cli_env, "MAILROOM_BLOB_URL": f"s3://{bucket}/mailroom",
           "MAILROOM_BLOB_STORAGE_OPTIONS": json.dumps(s3.storage_options)}
    assert "ok   blob store" in run_cli(["doctor"], env).stdout
    missing = run_cli(["doctor"], {**env, "MAILROOM_BLOB_URL": "s3://no-such-bucket/x"})
    assert missing.returncode == 1 and "does not exist: create the bucket first" in missing.stdout
