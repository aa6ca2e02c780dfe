"""Prefect global concurrency limits that hold across every worker and host.

``mailroom-ocr`` bounds how many submissions are being read (OCR) at once in the whole office;
``mailroom-imap-<mailbox>`` (one slot) keeps a mailbox to one poller at a time. Each is created
with the office's setting the first time a flow needs it and never overwritten afterwards, so an
operator's ``prefect gcl update mailroom-ocr --limit 8`` stands.
"""

from __future__ import annotations

import contextlib
import re

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound

from mailroom.config import Settings

OCR_LIMIT = "mailroom-ocr"


def mailbox_limit(settings: Settings) -> str:
    # Limit names may not hold / % & > < : keep letters, digits, dots and dashes.
    mailbox = f"{settings.imap_user}-at-{settings.imap_host}-{settings.imap_folder}"
    return "mailroom-imap-" + re.sub(r"[^A-Za-z0-9.-]+", "-", mailbox).strip("-").lower()


def ensure_limit(name: str, slots: int) -> None:
    with get_client(sync_client=True) as client:
        try:
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            with contextlib.suppress(ObjectAlreadyExists):  # another worker was quicker
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=slots))
