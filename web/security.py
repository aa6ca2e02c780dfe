"""Sign-in, sessions, CSRF and roles for the web app.

- Passwords: ``web/passwords.py`` (12 characters, zxcvbn score 3, argon2id).
- Sessions: a random token in a cookie (HttpOnly, Secure, SameSite=Strict; browsers treat
  127.0.0.1 as secure), only its SHA-256 in the database; 8 hours.
- CSRF: every state-changing form carries the session's token (``csrf``); the sign-in form a
  double-submit token from its own cookie.
- Throttling: ``web/throttle.py`` (an address is locked out, an account only slowed down).
- Roles: ``roles.yaml`` maps each capability to roles; ``require(capability)`` guards a route.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from fastapi import Depends, HTTPException, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mailroom.errors import ConfigurationError
from storage.enums import Role
from storage.models import User, WebSession, as_utc, utcnow

COOKIE = "mailroom_session"
LOGIN_COOKIE = "mailroom_login_csrf"
SESSION_HOURS = 8
ROLES_FILE = Path(__file__).with_name("roles.yaml")


class LoginRequired(Exception):
    pass


def open_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.execute(delete(WebSession).where(WebSession.expires_at < utcnow()))
    session.add(WebSession(token_hash=_digest(token), user_id=user.id,
                           csrf_token=secrets.token_urlsafe(32),
                           expires_at=utcnow() + dt.timedelta(hours=SESSION_HOURS)))
    return token


def close_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def web_session(session: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    found = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if found is None:
        return None
    return found if as_utc(found.expires_at) > utcnow() else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@cache
def capabilities() -> dict[str, frozenset[Role]]:
    raw = yaml.safe_load(ROLES_FILE.read_text(encoding="utf-8"))
    table: dict[str, frozenset[Role]] = {}
    for capability, roles in raw.items():
        try:
            table[capability] = frozenset(Role(r) for r in roles)
        except ValueError as e:
            raise ConfigurationError(f"{ROLES_FILE}: {capability}: {e}") from e
    return table


def allowed(user: User, capability: str) -> bool:
    return user.role in capabilities()[capability]


def current(request: Request) -> tuple[User, WebSession]:
    """The signed-in user (set by the app's middleware), or LoginRequired."""
    found = getattr(request.state, "auth", None)
    if found is None:
        raise LoginRequired()
    return found


def require(capability: str) -> Callable[..., User]:
    if capability not in capabilities():
        raise ConfigurationError(f"Unknown capability {capability!r}.")

    def dependency(request: Request) -> User:
        user, _ = current(request)
        if not allowed(user, capability):
            raise HTTPException(status_code=403, detail="Your role does not allow this.")
        return user

    return dependency


async def csrf_checked(request: Request) -> None:
    """Every state-changing request must carry the session's CSRF token."""
    _, web = current(request)
    form = await request.form()
    sent = str(form.get("csrf", ""))
    if not sent or not secrets.compare_digest(sent, web.csrf_token):
        raise HTTPException(status_code=403, detail="The form has expired or did not come from "
                                                    "this site (CSRF check). Reload the page.")


CSRF = Depends(csrf_checked)


LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def cookies_reach_us(request: Request) -> bool:
    """Whether the browser will send our Secure cookies back: over HTTPS always, over plain HTTP
    only to a loopback name (browsers count those as secure). Behind a trusted reverse proxy
    the scheme is the one the proxy was reached by."""
    host = (request.url.hostname or "").lower()
    return request.url.scheme == "https" or host in LOOPBACK_HOSTS or host.endswith(".localhost")


def template_globals(request: Request) -> dict[str, Any]:
    auth = getattr(request.state, "auth", None)
    return {"user": auth[0] if auth else None, "csrf": auth[1].csrf_token if auth else ""}
