"""A local OAuth2 provider speaking the real wire protocol: the token endpoint (refresh grant,
rotating refresh tokens: each works once) and RFC 7662 token introspection, which Dovecot's
oauth2 passdb calls to check an XOAUTH2 login."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Provider:
    username: str
    client_id: str = "mailroom-test"
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry
    refreshes: int = 0
    port: int = 0

    def issue_refresh_token(self) -> str:
        token = secrets.token_urlsafe(16)
        self.refresh_tokens.add(token)
        return token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/token":
                self._token(form)
            elif self.path == "/introspect":
                expiry = provider.access_tokens.get(form.get("token", ""), 0)
                active = expiry > time.time()
                self._json(200, {"active": active, "username": provider.username} if active
                           else {"active": False})
            else:
                self._json(404, {"error": "not_found"})

        def _token(self, form: dict[str, str]) -> None:
            refresh = form.get("refresh_token", "")
            if form.get("grant_type") != "refresh_token" or form.get("client_id") != provider.client_id:
                self._json(400, {"error": "invalid_request"})
                return
            if refresh not in provider.refresh_tokens:
                self._json(400, {"error": "invalid_grant",
                                 "error_description": "refresh token expired or already used"})
                return
            provider.refresh_tokens.discard(refresh)  # rotation: each refresh token works once
            provider.refreshes += 1
            access = secrets.token_urlsafe(24)
            provider.access_tokens[access] = time.time() + 3600
            self._json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 3600,
                             "refresh_token": provider.issue_refresh_token()})

        def _json(self, status: int, body: dict[str, object]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


@contextmanager
def oauth_provider(username: str) -> Iterator[Provider]:
    provider = Provider(username=username)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
