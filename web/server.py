"""How uvicorn serves the app, the one configuration for ``mailroom web``, ``serve`` and the
tests: HTTPS when the office gives a certificate, forwarded headers believed only from the
office's own reverse proxy (``MAILROOM_TRUSTED_PROXIES``; none by default)."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from mailroom.config import Settings


def uvicorn_config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    proxies = settings.trusted_proxy_addresses
    return uvicorn.Config(
        app, host=settings.web_host, port=settings.web_port, log_level="warning",
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None,
        ssl_certfile=str(settings.web_tls_cert) if settings.web_tls_cert else None,
        ssl_keyfile=str(settings.web_tls_key) if settings.web_tls_key else None)
