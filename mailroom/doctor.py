"""``mailroom doctor``: is everything this machine is configured to use actually working?

Contract: ``run_checks(runtime)`` returns one ``Check`` per part: ``ok``, ``fail`` (with what to
do) or ``not configured`` (a part the settings leave out is not a failure). Nothing is changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from mailroom.errors import MailroomError
from mailroom.runtime import Runtime
from storage.blobs import FsspecBlobStore
from validators.working_days import WorkCalendar

REQUIRED_LANGUAGES = ("eng", "chi_sim", "osd")


@dataclass(frozen=True)
class Check:
    part: str
    state: str  # ok | warn | fail | not configured
    detail: str


def run_checks(runtime: Runtime) -> list[Check]:
    checks: list[Callable[[Runtime], Check]] = [
        _tesseract, _mrz_glyph_model, _mrz_text_reader, _database,
        _folder("scan folder", lambda r: r.scan_folders().root), _blob_store, _policy,
        _holiday_schedules, _mailbox,
        _smtp, _carrier,
    ]
    return [check(runtime) for check in checks]


def _tesseract(runtime: Runtime) -> Check:
    from extractors.tesseract import probe

    try:
        info = probe()
    except MailroomError as e:
        return Check("tesseract", "fail", e.message)
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in info.languages]
    if missing:
        return Check("tesseract", "fail", f"version {info.version}, missing language data "
                     f"{', '.join(missing)}: run `make setup`.")
    return Check("tesseract", "ok", f"version {info.version}, languages "
                 f"{', '.join(REQUIRED_LANGUAGES)}")


def _mrz_glyph_model(runtime: Runtime) -> Check:
    from extractors import mrz_glyphs

    try:
        mrz_glyphs.shipped_model()
    except MailroomError as e:
        return Check("MRZ glyph model", "fail", e.message)
    return Check("MRZ glyph model", "ok", str(mrz_glyphs.MODEL.name))


def _mrz_text_reader(runtime: Runtime) -> Check:
    from extractors import mrz_ppocr

    try:
        return Check("MRZ text reader", "ok", mrz_ppocr.load_models())
    except Exception as e:  # any failure to load is the check's answer
        return Check("MRZ text reader", "fail", f"PP-OCR models do not load ({e}): run "
                     "`make setup`.")


def _database(runtime: Runtime) -> Check:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    url = runtime.settings.resolved_database_url
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = MigrationContext.configure(connection).get_current_revision()
    except Exception as e:  # any driver error: the point is to say it, not to crash
        return Check("database", "fail", f"cannot connect ({type(e).__name__}): check "
                     "MAILROOM_DATABASE_URL.")
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    if current != head:
        return Check("database", "fail", f"schema {current or 'empty'}, newest {head}: run "
                     "`mailroom init`.")
    return Check("database", "ok", f"{url.split('://')[0]}, schema {head}")


def _folder(part: str, where: Callable[[Runtime], Path]) -> Callable[[Runtime], Check]:
    def check(runtime: Runtime) -> Check:
        folder = where(runtime)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
                pass
        except OSError as e:
            return Check(part, "fail", f"{folder} is not writable ({e.strerror}).")
        free = os.statvfs(folder)
        gigabytes = free.f_bavail * free.f_frsize / 1e9
        if gigabytes < 1:
            return Check(part, "fail", f"{folder}: only {gigabytes:.2f} GB free.")
        return Check(part, "ok", f"{folder} ({gigabytes:.0f} GB free)")

    return check


def _blob_store(runtime: Runtime) -> Check:
    url = runtime.settings.blob_url
    if not url:
        return _folder("blob store", lambda r: r.settings.blob_dir)(runtime)
    try:
        store = FsspecBlobStore(url, runtime.settings.blob_storage_options)
        reachable = store.fs.exists(store.root)
    except Exception as e:  # any client error: the point is to say it, not to crash
        return Check("blob store", "fail", f"{url} cannot be reached ({type(e).__name__}): check "
                     "MAILROOM_BLOB_URL and the store's credentials.")
    if not reachable:
        return Check("blob store", "fail", f"{url} does not exist: create the bucket first.")
    return Check("blob store", "ok", url)


def _holiday_schedules(runtime: Runtime) -> Check:
    from validators.working_days import office_calendar

    try:
        calendar = office_calendar()
    except MailroomError as e:
        return Check("holidays", "fail", e.message)
    return holiday_schedule_check(calendar, runtime.validation().today)


def holiday_schedule_check(calendar: WorkCalendar, today: dt.date) -> Check:
    """Warn while this year's, or from 1 November next year's, official schedule is missing:
    deadlines reaching into it are provisional (statutory holidays computed, adjusted weekends
    unknown) until the office adds it."""
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    missing = [year for year in wanted if not calendar.knows(year)]
    if not missing:
        return Check("holidays", "ok", f"official schedules known through {max(wanted)}")
    years = ", ".join(map(str, missing))
    return Check("holidays", "warn",
                 f"the official holiday schedule of {years} is not known yet: deadlines reaching "
                 "into it are provisional (statutory holidays computed from the lunar calendar, "
                 "the adjusted working weekends unknown). When the State Council publishes it, "
                 "add it to validators/holiday_schedules.yaml (or upgrade chinese-calendar) and "
                 "run `mailroom cases revalidate`.")


def _policy(runtime: Runtime) -> Check:
    from validators.policy import office_policy
    from validators.working_days import office_calendar

    try:
        office_policy()
        calendar = office_calendar()
    except MailroomError as e:
        return Check("office policy", "fail", e.message)
    return Check("office policy", "ok", f"policy and holiday schedules valid; {calendar.version}")


def _mailbox(runtime: Runtime) -> Check:
    from intake.mailbox import connect

    settings = runtime.settings
    if not settings.imap_host:
        return Check("mailbox", "not configured", "MAILROOM_IMAP_HOST is not set")
    try:
        client = connect(settings, runtime.session_factory)
    except MailroomError as e:
        return Check("mailbox", "fail", e.message)
    try:
        selected = client.select_folder(settings.imap_folder, readonly=True)
        return Check("mailbox", "ok", f"{settings.imap_user}@{settings.imap_host}, "
                     f"{selected.get(b'EXISTS', 0)} message(s) in {settings.imap_folder}")
    except Exception as e:  # IMAP errors of any kind are the finding
        return Check("mailbox", "fail", f"logged in, but cannot open {settings.imap_folder}: {e}")
    finally:
        with contextlib.suppress(Exception):
            client.logout()


def _smtp(runtime: Runtime) -> Check:
    settings = runtime.settings
    if not settings.smtp_host or not settings.smtp_from:
        return Check("outgoing mail", "not configured", "MAILROOM_SMTP_HOST / _FROM are not set")
    from notices.sender import _connect

    try:
        connection = _connect(settings, runtime.session_factory)
        connection.noop()
        connection.quit()
    except (OSError, smtplib.SMTPException) as e:
        return Check("outgoing mail", "fail", f"{settings.smtp_host}: {e}")
    except MailroomError as e:  # OAuth2 not set up, or its token refused
        return Check("outgoing mail", "fail", e.message)
    return Check("outgoing mail", "ok", f"{settings.smtp_host} accepts us as {settings.smtp_from}")


def _carrier(runtime: Runtime) -> Check:
    from shipping.adapters import carrier_from_settings

    if runtime.settings.carrier == "manual":
        return Check("courier tracking", "not configured", "manual: clerks record events")
    try:
        carrier_from_settings(runtime.settings)
    except MailroomError as e:
        return Check("courier tracking", "fail", e.message)
    return Check("courier tracking", "ok", f"{runtime.settings.carrier} at "
                 f"{runtime.settings.carrier_url}")
