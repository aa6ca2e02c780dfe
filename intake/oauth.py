"""OAuth2 for mailboxes that refuse passwords (Gmail, Microsoft 365): XOAUTH2 with an access
token obtained from a refresh token, which the provider may rotate on every use.

Contract: ``current_access_token(session=, settings=, account=)`` returns a valid access token,
refreshing it (and persisting the newest refresh token) when it is missing or about to expire.
Raises ``ConfigurationError`` when OAuth2 is not set up, ``MailboxError`` when the provider
refuses or cannot be reached.
"""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.config import Settings
from mailroom.errors import ConfigurationError, MailroomError
from storage.models import OAuthToken, utcnow

EARLY_REFRESH = dt.timedelta(seconds=120)


class OAuthError(MailroomError):
    exit_code = 8


def current_access_token(*, session: Session, settings: Settings, account: str) -> str:
    token = session.scalar(select(OAuthToken).where(OAuthToken.account == account))
    if token is None:
        if not settings.imap_oauth_refresh_token:
            raise ConfigurationError(
                "OAuth2 is selected (MAILROOM_IMAP_AUTH=oauth2) but no refresh token is known: "
                "set MAILROOM_IMAP_OAUTH_REFRESH_TOKEN once; later ones are kept in the database."
            )
        token = OAuthToken(account=account, refresh_token=settings.imap_oauth_refresh_token)
        session.add(token)
    expires = token.expires_at.replace(tzinfo=dt.UTC) if token.expires_at and \
        token.expires_at.tzinfo is None else token.expires_at
    if token.access_token and expires and expires - EARLY_REFRESH > utcnow():
        return token.access_token
    _refresh(token, settings)
    session.flush()
    assert token.access_token is not None
    return token.access_token


def _refresh(token: OAuthToken, settings: Settings) -> None:
    if not settings.imap_oauth_token_url or not settings.imap_oauth_client_id:
        raise ConfigurationError(
            "OAuth2 needs MAILROOM_IMAP_OAUTH_TOKEN_URL and MAILROOM_IMAP_OAUTH_CLIENT_ID."
        )
    form = {
        "grant_type": "refresh_token",
        "refresh_token": token.refresh_token,
        "client_id": settings.imap_oauth_client_id,
    }
    if settings.imap_oauth_client_secret:
        form["client_secret"] = settings.imap_oauth_client_secret
    try:
        response = httpx.post(settings.imap_oauth_token_url, data=form, timeout=30)
    except httpx.HTTPError as e:
        raise OAuthError(f"The OAuth2 token service cannot be reached: {e}") from e
    try:
        body = response.json()
    except ValueError as e:
        raise OAuthError(f"The OAuth2 token service answered {response.status_code} "
                         "without JSON.") from e
    if response.status_code != 200 or "access_token" not in body:
        detail = body.get("error_description") or body.get("error") or response.status_code
        raise OAuthError(f"The OAuth2 token service refused the refresh token ({detail}); "
                         "a new consent may be needed.")
    token.access_token = str(body["access_token"])
    token.expires_at = utcnow() + dt.timedelta(seconds=int(body.get("expires_in", 3600)))
    if body.get("refresh_token"):
        token.refresh_token = str(body["refresh_token"])  # rotated: the old one is now dead
