"""Working days on the mainland China calendar, and the deadlines counted in them.

Contract: ``add_working_days(start, n, calendar)`` is the n-th working day after ``start`` (n = 0:
``start`` itself if it is a working day, else the next one). A deadline that reaches into a year
whose schedule is unpublished is counted on weekdays without the statutory holidays (computed
from the lunar calendar: ``statutory_holidays.py``) and marked ``provisional``, since the
State Council's adjusted weekends are still unknown; every
deadline records the calendar version it was computed with, so it can be recomputed when the
office adds the year (``holiday_schedules.yaml``).

Working days come from ``chinese_calendar.is_workday`` day by day: it counts adjusted working
weekends (调休), which its range helpers can leave out when asked for weekdays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import chinese_calendar
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from mailroom.errors import ConfigurationError
from validators.statutory_holidays import statutory_holidays

SCHEDULES_FILE = Path(__file__).with_name("holiday_schedules.yaml")
PACKAGE_VERSION = f"chinese-calendar {chinese_calendar.__version__}"


class YearSchedule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    holidays: frozenset[dt.date] = frozenset()
    working_weekends: frozenset[dt.date] = frozenset()


class _SchedulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    years: dict[int, YearSchedule] = {}


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    provisional: bool
    calendar_version: str


@dataclass(frozen=True)
class WorkCalendar:
    office_years: dict[int, YearSchedule]
    version: str

    def knows(self, year: int) -> bool:
        return year in self.office_years or _package_knows(year)

    def is_workday(self, day: dt.date) -> bool:
        schedule = self.office_years.get(day.year)
        if schedule is not None:
            if day in schedule.holidays:
                return False
            return day.weekday() < 5 or day in schedule.working_weekends
        if _package_knows(day.year):
            return chinese_calendar.is_workday(day)
        # unpublished year: the statutory holidays are known, the adjusted weekends are not
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


def add_working_days(start: dt.date, days: int, calendar: WorkCalendar) -> Deadline:
    if days < 0:
        raise ValueError("a time limit cannot be negative")
    day, provisional = start, not calendar.knows(start.year)
    if days == 0:
        while not calendar.is_workday(day):
            day += dt.timedelta(days=1)
            provisional |= not calendar.knows(day.year)
        return Deadline(day, provisional, calendar.version)
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        provisional |= not calendar.knows(day.year)
        counted += calendar.is_workday(day)
    return Deadline(day, provisional, calendar.version)


def working_days_between(start: dt.date, end: dt.date, calendar: WorkCalendar) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
    if end < start:
        return -working_days_between(end, start, calendar)
    return sum(calendar.is_workday(start + dt.timedelta(days=n))
               for n in range(1, (end - start).days + 1))


def load_calendar(path: Path = SCHEDULES_FILE) -> WorkCalendar:
    try:
        text = path.read_text(encoding="utf-8")
        parsed = _SchedulesFile.model_validate(yaml.safe_load(text) or {})
    except OSError as e:
        raise ConfigurationError(f"Cannot read the holiday schedules {path}: {e.strerror}.") from e
    except (yaml.YAMLError, ValidationError) as e:
        raise ConfigurationError(f"The holiday schedules in {path} are not valid: {e}") from e
    for year, schedule in parsed.years.items():
        stray = [d for d in schedule.holidays | schedule.working_weekends if d.year != year]
        if stray:
            raise ConfigurationError(f"{path}: year {year} lists {stray[0]}, a day of another year.")
    version = PACKAGE_VERSION
    if parsed.years:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        version += f" + office {','.join(map(str, sorted(parsed.years)))} ({digest})"
    return WorkCalendar(parsed.years, version)


@cache
def office_calendar() -> WorkCalendar:
    return load_calendar(Path(os.environ.get("MAILROOM_HOLIDAY_FILE") or SCHEDULES_FILE))


@cache
def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True
