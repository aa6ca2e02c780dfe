"""Sending through a mail service that refuses passwords: SMTP AUTH XOAUTH2 with the mailbox's
token store, against a real SMTP server (aiosmtpd) that checks every token with the OAuth2
provider (RFC 7662 introspection), as Gmail or Microsoft 365 would."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from mailroom.config import Settings
from mailroom.runtime import Runtime
from notices.sender import send_outbox
from servers.postgres import free_port
from servers.smtp import RecordingHandler
from storage.cases import open_case
from storage.models import OAuthToken
from storage.outbox import add_to_outbox
from tests.oauth_server import Provider


class OAuthCheckingHandler(RecordingHandler):
    """Accepts XOAUTH2 only with a token the provider says is active for this user."""

    def __init__(self, provider: Provider) -> None:
        super().__init__()
        self.provider = provider
        self.logins: list[str] = []

    async def auth_XOAUTH2(self, server, args):  # type: ignore[no-untyped-def]
        raw = args[1] if len(args) > 1 else await server.challenge_auth("")
        text = base64.b64decode(raw).decode() if isinstance(raw, str) else raw.decode()
        fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
        token = fields.get("auth", "").removeprefix("Bearer ")
        answer = httpx.post(f"{self.provider.url}/introspect", data={"token": token}).json()
        ok = answer.get("active") and answer.get("username") == fields.get("user")
        self.logins.append("ok" if ok else "refused")
        return AuthResult(success=bool(ok), handled=False)


@pytest.fixture
def oauth_smtp(settings: Settings, oauth: Provider) -> Iterator[OAuthCheckingHandler]:
    handler = OAuthCheckingHandler(oauth)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            auth_require_tls=False, auth_exclude_mechanism=["LOGIN", "PLAIN"])
    controller.start()
    settings.smtp_host, settings.smtp_port, settings.smtp_ssl = "127.0.0.1", controller.port, "none"
    settings.smtp_from = "Exit-Entry Office <intake@office.example>"
    settings.smtp_auth, settings.smtp_user = "oauth2", oauth.username
    settings.imap_user, settings.imap_host = oauth.username, "mail.office.example"
    settings.imap_oauth_token_url = f"{oauth.url}/token"
    settings.imap_oauth_client_id = oauth.client_id
    settings.imap_oauth_refresh_token = oauth.issue_refresh_token()
    yield handler
    controller.stop()


def test_letters_go_out_over_xoauth2_with_the_mailboxes_rotated_token(
    runtime: Runtime, oauth_smtp: OAuthCheckingHandler, oauth: Provider
) -> None:
    first_refresh = runtime.settings.imap_oauth_refresh_token
    with runtime.session_factory.begin() as session:
        case = open_case(session=session, actor="test")
        add_to_outbox(session=session, case=case, kind="decision", to_address="erika@example.org",
                      subject=f"[{case.reference}] decision", body="approved", domain="x.example")
    report = send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                         blobs=runtime.blobs)
    assert report.sent == 1
    assert oauth_smtp.logins == ["ok"]
    assert [to for _, to, _ in oauth_smtp.messages] == [["erika@example.org"]]
    with runtime.session_factory() as session:
        stored = session.scalars(select(OAuthToken)).one()
        assert stored.refresh_token != first_refresh and stored.refresh_token in oauth.refresh_tokens


def test_a_token_the_provider_no_longer_accepts_keeps_the_letter_for_later(
    runtime: Runtime, oauth_smtp: OAuthCheckingHandler, oauth: Provider
) -> None:
    with runtime.session_factory.begin() as session:
        case = open_case(session=session, actor="test")
        add_to_outbox(session=session, case=case, kind="decision", to_address="erika@example.org",
                      subject=f"[{case.reference}] decision", body="approved", domain="x.example")
    send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                blobs=runtime.blobs)
    oauth.access_tokens.clear()  # the provider revoked every access token it issued
    with runtime.session_factory.begin() as session:
        add_to_outbox(session=session, case=case, kind="reminder", to_address="erika@example.org",
                      subject=f"[{case.reference}] reminder", body="later", domain="x.example")
    report = send_outbox(settings=runtime.settings, session_factory=runtime.session_factory,
                         blobs=runtime.blobs)
    assert report.sent == 0 and oauth_smtp.logins[-1] == "refused"
    assert len(oauth_smtp.messages) == 1  # the second letter waits, pending, for a later try
