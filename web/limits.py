"""Request bodies are limited per route, before they are read: a body announced larger than
its route allows is refused with 413 at once, and one that grows past it while streaming is cut
off there. Nothing is spooled to disk for a request that will be refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KB, MB = 1024, 1024 * 1024
SMALL = 16 * KB  # sign-in, the status look-up, the courier's push: a few fields
FORM = 256 * KB  # reviewers' and clerks' forms
UPLOAD_FILES_PER_REQUEST = 10  # each file at most MAILROOM_UPLOAD_MAX_MB (checked as it streams)


def limits_for(upload_max_mb: int) -> Callable[[str], int]:
    def limit(path: str) -> int:
        if path in ("/login", "/status", "/carrier/kuaidi100/push"):
            return SMALL
        if path == "/upload":
            return upload_max_mb * 1_000_000 * UPLOAD_FILES_PER_REQUEST + MB
        return FORM
    return limit


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: Callable[[str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        allowed = self.limit(scope["path"])
        announced = _content_length(scope)
        if announced is not None and announced > allowed:
            await _refuse(send, allowed)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > allowed:
                    raise HTTPException(status_code=413, detail=_too_large(allowed))
            return message

        await self.app(scope, counted, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, allowed: int) -> None:
    body = _too_large(allowed).encode()
    headers: list[Any] = [(b"content-type", b"text/plain; charset=utf-8"),
                          (b"content-length", str(len(body)).encode()), (b"connection", b"close")]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _too_large(allowed: int) -> str:
    size = f"{allowed // MB} MB" if allowed >= MB else f"{allowed // KB} KB"
    return f"The request is larger than this page accepts ({size}): nothing of it was kept."
