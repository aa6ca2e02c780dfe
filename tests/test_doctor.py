"""`mailroom doctor` against real parts: a migrated database, tesseract, Dovecot, aiosmtpd."""

from __future__ import annotations

from imapclient import IMAPClient

from mailroom.config import Settings
from servers.postgres import free_port
from servers.smtp import RecordingHandler
from tests.helpers import run_cli


def _lines(output: str) -> dict[str, str]:
    return {line[5:22].strip(): line[:4].strip() for line in output.splitlines()}


def test_doctor_passes_on_what_is_configured_and_says_what_is_not(
    cli_env: dict[str, str], runtime: object
) -> None:
    result = run_cli(["doctor"], cli_env)
    assert result.returncode == 0, result.stdout
    states = _lines(result.stdout)
    assert states["tesseract"] == states["database"] == states["office policy"] == "ok"
    assert states["MRZ glyph model"] == states["MRZ text reader"] == "ok"
    assert states["mailbox"] == states["outgoing mail"] == "--"


def test_doctor_checks_a_real_mailbox_and_smtp_server_and_fails_when_one_is_down(
    cli_env: dict[str, str], runtime: object, mailbox: IMAPClient,
    smtp_server: RecordingHandler, settings: Settings,
) -> None:
    env = {**cli_env, "MAILROOM_SMTP_HOST": "127.0.0.1", "MAILROOM_SMTP_PORT": str(settings.smtp_port),
           "MAILROOM_SMTP_SSL": "none", "MAILROOM_SMTP_FROM": "intake@office.example",
           "MAILROOM_IMAP_HOST": str(settings.imap_host), "MAILROOM_IMAP_PORT": str(settings.imap_port),
           "MAILROOM_IMAP_USER": str(settings.imap_user),
           "MAILROOM_IMAP_PASSWORD": str(settings.imap_password), "MAILROOM_IMAP_SSL": "none",
           "MAILROOM_IMAP_FOLDER": settings.imap_folder}
    result = run_cli(["doctor"], env)
    assert result.returncode == 0, result.stdout
    assert _lines(result.stdout)["mailbox"] == _lines(result.stdout)["outgoing mail"] == "ok"
    down = run_cli(["doctor"], {**env, "MAILROOM_IMAP_PORT": str(free_port())})
    assert down.returncode == 1 and _lines(down.stdout)["mailbox"] == "FAIL"
    assert "Cannot log in to the mailbox" in down.stdout
