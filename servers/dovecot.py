"""A real Dovecot IMAP server on a free loopback port with a throwaway mail home.

Plain-text login without TLS is allowed only because it listens on 127.0.0.1 in a test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers.postgres import free_port


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    user: str
    password: str


def _mail_owner() -> tuple[int, int]:
    # Dovecot refuses to deliver mail as root; when tests run as root the mail belongs to nobody.
    if os.geteuid() == 0:
        return 65534, 65534
    return os.getuid(), os.getgid()


@contextmanager
def dovecot_server(introspection_url: str | None = None) -> Iterator[ImapServer]:
    # Its own folder directly under /tmp: Dovecot's unprivileged processes must reach the files,
    # which they cannot inside pytest's private (0700) temporary folders.
    root = Path(tempfile.mkdtemp(prefix="mailroom-dovecot-"))
    try:
        with _dovecot(root, introspection_url) as server:
            yield server
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def _dovecot(root: Path, introspection_url: str | None) -> Iterator[ImapServer]:
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(dovecot).exists():
        raise RuntimeError("dovecot not found: run `make setup` (installs dovecot-imapd)")
    uid, gid = _mail_owner()
    root.mkdir(parents=True, exist_ok=True)
    os.chmod(root, 0o755)
    home = root / "home"
    home.mkdir()
    os.chown(home, uid, gid)
    run_dir = root / "run"
    port = free_port()
    user, password = "office", "intake-test-password"
    (root / "passwd").write_text(f"{user}:{{PLAIN}}{password}::::::\n")
    oauth_passdb = ""
    if introspection_url:
        # XOAUTH2 logins are checked by token introspection (RFC 7662) at the test's provider.
        (root / "oauth2.conf.ext").write_text(
            f"introspection_mode = post\nintrospection_url = {introspection_url}\n"
            "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
        )
        oauth_passdb = f"""
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {root / "oauth2.conf.ext"}
}}
"""
    config = root / "dovecot.conf"
    login_user = "dovenull" if os.geteuid() == 0 else os.environ.get("USER", "nobody")
    internal_user = "dovecot" if os.geteuid() == 0 else login_user
    config.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {run_dir}
state_dir = {root / "state"}
log_path = {root / "dovecot.log"}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2 oauthbearer" if introspection_url else ""}
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:{home}/%u/Maildir
mail_uid = {uid}
mail_gid = {gid}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN {root / "passwd"}
}}
{oauth_passdb}userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
"""
    )
    process = subprocess.Popen([dovecot, "-F", "-c", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, root)
        server = ImapServer("127.0.0.1", port, user, password)
        _wait_for_login(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], root: Path) -> None:
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
            raise RuntimeError(f"dovecot exited at start: {output}\n{log}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("dovecot did not listen within 30 s")


def _wait_for_login(server: ImapServer) -> None:
    import imaplib

    deadline = time.monotonic() + 30
    while True:
        try:
            connection = imaplib.IMAP4(server.host, server.port, timeout=5)
            connection.login(server.user, server.password)
            connection.logout()
            return
        except (imaplib.IMAP4.error, OSError):
            # "Temporary authentication failure" while the auth process starts up
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
