"""An upload is cut off while it streams: past the limit nothing more is written, and nothing
of it is kept (the clerk's page, in Chromium, is in test_web_browser.py)."""

from __future__ import annotations

import contextlib
import re
import threading
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
    largest_on_disk = 0
    body_sent = threading.Event()

    def body() -> Iterator[bytes]:
        nonlocal largest_on_disk
        boundary = b"--XyZ"
        yield (boundary + b'\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n'
               + csrf.encode() + b"\r\n")
        yield (boundary + b'\r\nContent-Disposition: form-data; name="files"; '
               b'filename="endless.tif"\r\nContent-Type: image/tiff\r\n\r\nII*\x00')
        for _ in range(8 * 1024 * 1024 // CHUNK):  # 8 MB against a 1 MB limit
            yield bytes(CHUNK)
            largest_on_disk = max(largest_on_disk, _largest_partial(scans))
        yield b"\r\n" + boundary + b"--\r\n"
        body_sent.set()

    response = httpx.post(f"{web_server}/upload", content=body(), timeout=60, headers={
        "Content-Type": "multipart/form-data; boundary=XyZ",
        "Cookie": f"mailroom_session={session}"})
    assert body_sent.is_set()
    assert response.status_code == 413
    assert "endless.tif is larger than the upload limit of 1 MB" in response.text
    # never more than the limit (and one chunk in flight) on disk, and nothing left at the end
    assert 0 < largest_on_disk <= 1_000_000 + 2 * CHUNK
    assert list(Path(scans).iterdir()) == []


def _largest_partial(folder: Path) -> int:
    sizes = [0]
    for partial in folder.glob(".upload-*.part"):
        with contextlib.suppress(FileNotFoundError):  # the server may drop it as we look
            sizes.append(partial.stat().st_size)
    return max(sizes)


def test_an_upload_without_the_forms_token_keeps_nothing(runtime: Runtime, web_server: str) -> None:
    session, _ = _signed_in_clerk(runtime, web_server)
    response = httpx.post(f"{web_server}/upload", files={"files": ("a.pdf", b"%PDF-1.4 x")},
                          data={"csrf": "forged"}, timeout=20,
                          headers={"Cookie": f"mailroom_session={session}"})
    assert response.status_code == 403
    assert list(runtime.scan_folders().root.glob("*")) == []
