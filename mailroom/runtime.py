"""What a process needs to do work, built once from settings: database, blobs, folders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from extractors.filetypes import Limits
from intake.folders import ScanFolders
from mailroom.config import OFFICE_TIME_ZONE, Settings, load_settings
from notices.policy import NoticePolicy
from processing.validation import ValidationContext
from storage.blobs import BlobStore, open_blob_store
from storage.db import make_engine, make_session_factory
from validators.policy import office_policy
from validators.working_days import office_calendar


@dataclass
class Runtime:
    settings: Settings

    @classmethod
    def from_environment(cls) -> Runtime:
        return cls(load_settings())

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.resolved_database_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return make_session_factory(self.engine)

    @cached_property
    def blobs(self) -> BlobStore:
        return open_blob_store(self.settings.blob_dir, self.settings.blob_url,
                               self.settings.blob_storage_options)

    def scan_folders(self, scan_dir: Path | None = None) -> ScanFolders:
        return ScanFolders(scan_dir or self.settings.resolved_scan_dir)

    @property
    def notices(self) -> NoticePolicy:
        return NoticePolicy(domain=self.settings.mail_domain,
                            per_sender_per_hour=self.settings.acknowledgements_per_sender_per_hour)

    def validation(self, today: dt.date | None = None) -> ValidationContext:
        """Policy, calendar and today's date in the office's time zone (Asia/Shanghai)."""
        return ValidationContext(
            policy=office_policy(), calendar=office_calendar(),
            today=today or dt.datetime.now(OFFICE_TIME_ZONE).date(), blobs=self.blobs,
            notices=self.notices)

    @property
    def limits(self) -> Limits:
        return Limits(
            max_image_pixels=self.settings.max_image_pixels,
            max_pages=self.settings.max_pages_per_file,
            render_dpi=self.settings.page_image_dpi,
        )
