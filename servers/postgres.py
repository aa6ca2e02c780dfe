"""A throwaway PostgreSQL 15 cluster for the tests (initdb + pg_ctl on a loopback port).

PostgreSQL refuses to run as root; when the tests run as root the cluster runs as the
``postgres`` system user (created by Debian's postgresql package, which `make setup` installs).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin")


def pg_bin(name: str) -> str:
    for folder in PG_BIN_CANDIDATES:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: run `make setup` (installs postgresql-15)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_cluster(root: Path) -> Iterator[str]:
    """Yields a server URL (no database part) for user ``postgres`` with trust auth."""
    data = root / "pgdata"
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        os.chmod(root.parent, 0o755)  # the postgres user must be able to reach its folder
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
    subprocess.run(
        _as_owner([pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                   "--no-sync", "-E", "UTF8", "--locale=C"]),
        check=True, capture_output=True, timeout=120,
    )
    port = free_port()
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_owner([pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l",
                   str(root / "server.log"), "-w", "-t", "60", "start"]),
        check=True, capture_output=True, timeout=90,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_owner([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True, timeout=60,
        )
