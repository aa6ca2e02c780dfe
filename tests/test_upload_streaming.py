"""An upload is cut off while it streams: past the limit nothing more is written, and nothing
of it is kept (the clerk's page, in Chromium, is in test_web_browser.py)."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from mailroom.runtime import Runtime
from storage.enums import Role
from storage.users import add_user
from web.passwords import hash_password

PASSWORD = "correct horse battery"
CHUNK = 64 * 1024


def _signed_in_clerk(runtime: Runtime, base: str) -> tuple[str, str]:
    with runtime.session_factory.begin() as session:
        add_user(session=session, name="wu", role=Role.CLERK,
                 password_hash=hash_password(PASSWORD, user_name="wu"))
    with httpx.Client(base_url=base, timeout=20) as http:
        token = re.search(r'name="login_csrf" value="([^"]+)"', http.get("/login").text)
        assert token
        signed = http.post("/login", data={"name": "wu", "password": PASSWORD, "next": "/upload",
                                           "login_csrf": token.group(1)},
                           headers={"Cookie": f"mailroom_login_csrf={token.group(1)}"})
        cookie = re.search(r"mailroom_session=([^;]+)", signed.headers["set-cookie"])
        assert cookie
        page = http.get("/upload", headers={"Cookie": f"mailroom_session={cookie.group(1)}"})
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert csrf
    return cookie.group(1), csrf.group(1)


def test_an_oversized_upload_is_cut_off_while_it_streams(runtime: Runtime, web_server: str) -> None:
    runtime.settings.upload_max_mb = 1
    session, csrf = _signed_in_clerk(runtime, web_server)
    scans = runtime.scan_folders().root
    watcher = _PartialWatcher(scans)
    body_sent = threading.Event()

    def body() -> Iterator[bytes]:
        boundary = b"--XyZ"
        yield (boundary + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
               + csrf.encode() + b"\r\n")
        yield (boundary + b'\r\nContent-Disposition: form-data; name="files"; '
               b'filename="endless.tif"\r\nContent-Type: image/tiff\r\n\r\nII*\x00')
        for _ in range(8 * 1024 * 1024 // CHUNK):  # 8 MB against a 1 MB limit
            yield bytes(CHUNK)
            # Paced until the watcher has seen the partial file: on a loaded machine the socket
            # buffers would otherwise let the server write, refuse and delete it between looks.
            watcher.seen.wait(timeout=0 if watcher.seen.is_set() else 2)
        yield b"\r\n" + boundary + b"--\r\n"
        body_sent.set()

    with watcher:
        response = httpx.post(f"{web_server}/upload", content=body(), timeout=60, headers={
            "Content-Type": "multipart/form-data; boundary=XyZ",
            "Cookie": f"mailroom_session={session}"})
    assert body_sent.is_set()
    assert response.status_code == 413
    assert "endless.tif is larger than the upload limit of 1 MB" in response.text
    # never more than the limit (and one chunk in flight) on disk, and nothing left at the end
    assert 0 < watcher.largest <= 1_000_000 + 2 * CHUNK
    assert list(Path(scans).iterdir()) == []


class _PartialWatcher:
    """Looks at the upload's partial files in a thread of its own, as often as it can."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.largest = 0
        self.seen = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _PartialWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.is_set():
            for partial in self.folder.glob(".upload-*.part"):
                with contextlib.suppress(FileNotFoundError):  # the server may drop it as we look
                    size = partial.stat().st_size
                    self.largest = max(self.largest, size)
                    if size:
                        self.seen.set()
            time.sleep(0.0005)


def test_an_upload_without_the_forms_token_keeps_nothing(runtime: Runtime, web_server: str) -> None:
    session, _ = _signed_in_clerk(runtime, web_server)
    response = httpx.post(f"{web_server}/upload", files={"files": ("a.pdf", b"%PDF-1.4 x")},
                          data={"csrf": "forged"}, timeout=20,
                          headers={"Cookie": f"mailroom_session={session}"})
    assert response.status_code == 403
    assert list(runtime.scan_folders().root.glob("*")) == []
