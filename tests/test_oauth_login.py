"""XOAUTH2 against a real Dovecot whose oauth2 passdb asks a local provider (RFC 7662)."""

from __future__ import annotations

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from sqlalchemy import select

from intake.mailbox import connect, intake_mailbox
from intake.oauth import OAuthError
from mailroom.config import Settings
from mailroom.runtime import Runtime
from servers.dovecot import ImapServer
from storage.models import OAuthToken
from tests.oauth_server import Provider


@pytest.fixture
def oauth_settings(settings: Settings, mailbox: IMAPClient, oauth: Provider) -> Settings:
    settings.imap_auth = "oauth2"
    settings.imap_password = None
    settings.imap_oauth_token_url = f"{oauth.url}/token"
    settings.imap_oauth_client_id = oauth.client_id
    settings.imap_oauth_refresh_token = oauth.issue_refresh_token()
    return settings


@pytest.mark.slow
def test_xoauth2_login_refreshes_and_keeps_the_rotated_token(
    runtime: Runtime, oauth_settings: Settings, oauth: Provider, mailbox: IMAPClient
) -> None:
    first_refresh = oauth_settings.imap_oauth_refresh_token
    mailbox.append(oauth_settings.imap_folder, b"From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n")
    client = connect(oauth_settings, runtime.session_factory)
    try:
        [outcome] = intake_mailbox(client=client, settings=oauth_settings, blobs=runtime.blobs,
                                   session_factory=runtime.session_factory)
    finally:
        client.logout()
    assert outcome.new
    with runtime.session_factory.begin() as session:
        stored = session.scalars(select(OAuthToken)).one()
        assert stored.refresh_token != first_refresh  # the rotated one was kept
        assert stored.refresh_token in oauth.refresh_tokens
    refreshes = oauth.refreshes
    connect(oauth_settings, runtime.session_factory).logout()  # access token still valid
    assert oauth.refreshes == refreshes
    with runtime.session_factory.begin() as session:
        session.scalars(select(OAuthToken)).one().expires_at = None  # expired: refresh again
    connect(oauth_settings, runtime.session_factory).logout()  # works only if rotation was kept
    assert oauth.refreshes == refreshes + 1


@pytest.mark.slow
def test_the_server_really_checks_the_token(imap_server: ImapServer) -> None:
    client = IMAPClient(imap_server.host, port=imap_server.port, ssl=False, timeout=30)
    with pytest.raises(LoginError):
        client.oauth2_login(imap_server.user, "a-token-the-provider-never-issued")


@pytest.mark.slow
def test_refused_refresh_token_is_a_clear_error(runtime: Runtime, oauth_settings: Settings) -> None:
    oauth_settings.imap_oauth_refresh_token = "revoked-by-the-user"
    with pytest.raises(OAuthError, match=r"refused the refresh token .*already used"):
        connect(oauth_settings, runtime.session_factory)
