"""Settings from ``MAILROOM_*`` environment variables and an optional settings file.

The settings file is ``$MAILROOM_SETTINGS_FILE`` or ``mailroom.env`` in the working directory
(``KEY=value`` lines, the same names as the environment variables).
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mailroom.errors import ConfigurationError

OFFICE_TIME_ZONE = ZoneInfo("Asia/Shanghai")  # the office's days: deadlines, letter batches, pages


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "mailroom"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MAILROOM_",
        env_file=os.environ.get("MAILROOM_SETTINGS_FILE", "mailroom.env"),
        extra="ignore",
    )

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    # Blobs in an S3-compatible bucket instead of data_dir/blobs: "s3://bucket/prefix", with
    # credentials from AWS_* variables or blob_storage_options (JSON: endpoint_url, key, secret).
    blob_url: str | None = None
    blob_storage_options: dict[str, Any] = Field(default_factory=dict)
    scan_dir: Path | None = None
    # A scan counts as fully written when its size and mtime are unchanged this long.
    scan_settle_seconds: float = Field(default=2.0, ge=0, le=600)
    # Decompression-bomb guard for scans: more pixels than this per page is refused.
    max_image_pixels: int = Field(default=80_000_000, ge=1_000_000, le=1_000_000_000)
    max_pages_per_file: int = Field(default=500, ge=1, le=10_000)
    page_image_dpi: int = Field(default=150, ge=72, le=400)
    poll_interval_seconds: int = Field(default=60, ge=5, le=86_400)
    serve_limit: int = Field(default=4, ge=1, le=64)
    prefect_port: int = Field(default=4200, ge=1, le=65_535)  # the local Prefect server of `serve`
    # Submissions read at once by one process (their pages too are read in parallel).
    processing_workers: int = Field(default=2, ge=1, le=64)
    # A submission being read is leased to its worker this long (then another may take it).
    processing_lease_minutes: int = Field(default=30, ge=1, le=1440)
    # Submissions being read at once across every worker (Prefect limit "mailroom-ocr").
    ocr_concurrency: int = Field(default=4, ge=1, le=1024)
    task_runner: str = "threads"  # threads | dask (processing fan-out; dask needs PostgreSQL)
    dask_address: str | None = None  # an existing Dask scheduler, e.g. tcp://10.0.0.5:8786
    dask_workers: int = Field(default=2, ge=1, le=256)  # processes of a local Dask cluster

    imap_host: str | None = None
    imap_port: int | None = None
    imap_user: str | None = None
    imap_password: str | None = None
    imap_ssl: str = "ssl"
    imap_folder: str = "INBOX"
    imap_processed_folder: str = "Processed"
    imap_quarantine_folder: str = "Quarantine"
    imap_auth: str = "password"  # password | oauth2 (XOAUTH2, for Gmail and Microsoft 365)
    imap_oauth_token_url: str | None = None
    imap_oauth_client_id: str | None = None
    imap_oauth_client_secret: str | None = None
    imap_oauth_refresh_token: str | None = None  # the first one; rotated ones live in the database
    imap_timeout_seconds: float = Field(default=60, ge=1, le=3600)
    # Larger messages are not fetched: they are moved whole to the quarantine folder.
    imap_max_message_bytes: int = Field(default=50_000_000, ge=1_000, le=2_000_000_000)
    # Bodies are fetched in batches of at most this many bytes, to bound memory.
    imap_batch_bytes: int = Field(default=20_000_000, ge=100_000, le=1_000_000_000)
    # Larger messages are fetched in 1 MB pieces straight into the blob store.
    imap_stream_threshold_bytes: int = Field(default=4_000_000, ge=100_000, le=1_000_000_000)
    # A claim older than this whose poller never finished is taken over (the poller died).
    imap_claim_timeout_seconds: int = Field(default=900, ge=10, le=86_400)
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_ssl: str = "starttls"
    smtp_from: str | None = None
    # oauth2: XOAUTH2 with the mailbox's token store (the same account's OAuth2 settings and
    # refresh token as MAILROOM_IMAP_*), for mail services that refuse passwords
    smtp_auth: str = "password"
    # Acknowledgements to one address per hour at most (a loop with another robot stops here).
    acknowledgements_per_sender_per_hour: int = Field(default=3, ge=0, le=100)
    alert_webhook: str | None = None  # operators' alerts (failures, quarantines, deadlines)
    carrier: str = "manual"  # kuaidi100 | manual
    carrier_url: str | None = None  # e.g. https://poll.kuaidi100.com/poll/query.do
    carrier_customer: str | None = None
    carrier_key: str | None = None
    carrier_push_salt: str | None = None  # the salt of subscription pushes' signatures
    carrier_timeout_seconds: float = Field(default=15, gt=0, le=120)
    carrier_min_poll_minutes: int = Field(default=30, ge=30)  # the service locks faster polls
    default_return_carrier: str = "ems"
    shipping_stall_days: int = Field(default=3, ge=1)
    office_name: str = "出入境管理局 Exit-Entry Administration Office"
    office_address: str = "1 Office Road, Hangzhou 310000"
    office_phone: str = "0571-00000000"
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8000, ge=1, le=65_535)
    # HTTPS served by mailroom itself; both or neither (behind a reverse proxy: neither).
    web_tls_cert: Path | None = None
    web_tls_key: Path | None = None
    # Addresses (comma-separated) whose X-Forwarded-For/-Proto are believed: a reverse proxy.
    trusted_proxies: str = ""
    # An uploaded file larger than this is refused while it streams in.
    upload_max_mb: int = Field(default=100, ge=1, le=2_000)

    @field_validator("imap_ssl", "smtp_ssl")
    @classmethod
    def _known_tls_mode(cls, value: str) -> str:
        if value not in {"ssl", "starttls", "none"}:
            raise ValueError("must be one of ssl, starttls, none")
        return value

    @field_validator("task_runner")
    @classmethod
    def _known_task_runner(cls, value: str) -> str:
        if value not in {"threads", "dask"}:
            raise ValueError("must be threads or dask")
        return value

    @field_validator("imap_auth", "smtp_auth")
    @classmethod
    def _known_auth(cls, value: str) -> str:
        if value not in {"password", "oauth2"}:
            raise ValueError("must be password or oauth2")
        return value

    @model_validator(mode="after")
    def _cert_and_key_together(self) -> Settings:
        if (self.web_tls_cert is None) != (self.web_tls_key is None):
            raise ValueError("MAILROOM_WEB_TLS_CERT and MAILROOM_WEB_TLS_KEY go together")
        return self

    @property
    def trusted_proxy_addresses(self) -> list[str]:
        return [a.strip() for a in self.trusted_proxies.split(",") if a.strip()]

    @cached_property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mailroom.sqlite3'}"

    @property
    def mail_domain(self) -> str:
        """The domain of our Message-IDs: the sender address's, or a local name."""
        return (self.smtp_from or "").rpartition("@")[2].strip(" >") or "mailroom.invalid"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def resolved_scan_dir(self) -> Path:
        return self.scan_dir or self.data_dir / "scans"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValueError as e:  # pydantic's ValidationError is a ValueError
        raise ConfigurationError(f"The mailroom settings are not valid: {e}") from e
