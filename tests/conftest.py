from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from imapclient import IMAPClient
from playwright.sync_api import Browser, sync_playwright

from mailroom.config import Settings
from mailroom.runtime import Runtime
from servers.dovecot import ImapServer, dovecot_server
from servers.postgres import postgres_cluster
from servers.smtp import RecordingHandler
from storage.migrate import upgrade_to_head
from tests.oauth_server import Provider, oauth_provider
from tests.s3 import S3Server, s3_server

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    with (
        tempfile.TemporaryDirectory(prefix="mailroom-pg-") as root,
        postgres_cluster(Path(root) / "cluster") as url,
    ):
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database: each test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'mailroom.sqlite3'}"
    else:
        server = request.getfixturevalue("pg_server")
        name = f"test_{os.getpid()}_{next(_database_numbers)}"
        plain = server.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(f"{plain}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        url = f"{server}/{name}"
    upgrade_to_head(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        scan_dir=tmp_path / "scans",
        scan_settle_seconds=0,
    )


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime(settings)
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    """Environment for running the ``mailroom`` command against the test's database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
    env.update(
        MAILROOM_DATA_DIR=str(settings.data_dir),
        MAILROOM_DATABASE_URL=settings.resolved_database_url,
        MAILROOM_SCAN_DIR=str(settings.resolved_scan_dir),
        MAILROOM_SCAN_SETTLE_SECONDS="0",
    )
    for name in ("imap_host", "imap_port", "imap_user", "imap_password", "imap_ssl",
                 "imap_folder", "imap_processed_folder", "imap_quarantine_folder"):
        value = getattr(settings, name)
        if value is not None:
            env[f"MAILROOM_{name.upper()}"] = str(value)
    return env


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_HOME,
        temporary_settings,
    )
    from prefect.testing.utilities import prefect_test_harness

    with (
        tempfile.TemporaryDirectory(prefix="mailroom-prefect-") as home,
        temporary_settings(updates={PREFECT_HOME: home, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
        prefect_test_harness(server_startup_timeout=60),
    ):
        yield


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"  # Debian's, installed by make setup


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a browser Playwright downloads)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        yield server


@pytest.fixture(scope="session")
def oauth() -> Iterator[Provider]:
    with oauth_provider(username="office") as provider:
        yield provider


@pytest.fixture(scope="session")
def imap_server(oauth: Provider) -> Iterator[ImapServer]:
    with dovecot_server(introspection_url=f"{oauth.url}/introspect") as server:
        yield server


@pytest.fixture
def mailbox(imap_server: ImapServer, settings: Settings) -> Iterator[IMAPClient]:
    """A fresh, empty folder on the real Dovecot for each test, and the settings pointing at it."""
    folder = f"test{next(_database_numbers)}-{os.getpid()}"
    settings.imap_host, settings.imap_port = imap_server.host, imap_server.port
    settings.imap_user, settings.imap_password = imap_server.user, imap_server.password
    settings.imap_ssl = "none"
    settings.imap_folder = folder
    settings.imap_processed_folder = f"{folder}-processed"
    settings.imap_quarantine_folder = f"{folder}-quarantine"
    client = IMAPClient(imap_server.host, port=imap_server.port, ssl=False, timeout=30)
    client.login(imap_server.user, imap_server.password)
    client.create_folder(folder)
    yield client
    client.logout()


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[RecordingHandler]:
    from aiosmtpd.controller import Controller

    from servers.postgres import free_port

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.smtp_host, settings.smtp_port = "127.0.0.1", controller.port
    settings.smtp_ssl, settings.smtp_from = "none", "Exit-Entry Office <intake@office.example>"
    yield handler
    controller.stop()


@pytest.fixture
def web_server(runtime: Runtime) -> Iterator[str]:
    """The web app served by a real uvicorn on a loopback port, in a thread of the test."""
    with serving(runtime) as base:
        yield base


@contextmanager
def serving(runtime: Runtime) -> Iterator[str]:
    """Uvicorn configured as `mailroom web` configures it (web/server.py), on a free port."""
    import threading
    import time

    import uvicorn

    from servers.postgres import free_port
    from web.app import create_app
    from web.server import uvicorn_config

    runtime.settings.web_host, runtime.settings.web_port = "127.0.0.1", free_port()
    server = uvicorn.Server(uvicorn_config(create_app(runtime), runtime.settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{runtime.settings.web_port}"
    server.should_exit = True
    thread.join(timeout=10)
