"""Years whose official holiday schedule is not published yet: the statutory holidays are
computed from the lunar calendar and the solar terms, so a provisional deadline never lands on
one; only the State Council's adjusted weekends stay unknown. `mailroom doctor` says so from
1 November."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailroom.doctor import holiday_schedule_check
from validators.statutory_holidays import FIRST_YEAR_OF_THESE_RULES, statutory_holidays
from validators.working_days import WorkCalendar, add_working_days

PACKAGE_ONLY = WorkCalendar(office_years={}, version="test")
LAST_PUBLISHED = max(y for y in range(2020, 2040) if PACKAGE_ONLY.knows(y))


@pytest.mark.parametrize("year", range(FIRST_YEAR_OF_THESE_RULES, LAST_PUBLISHED + 1))
def test_the_computed_holidays_are_the_published_ones(year: int) -> None:
    # for every year published under the current rules, each computed day is a day off there
    computed = statutory_holidays(year)
    assert len(computed) == 13
    assert all(chinese_calendar.is_holiday(day) for day in computed), sorted(
        d for d in computed if not chinese_calendar.is_holiday(d))


def test_a_provisional_deadline_skips_the_spring_festival() -> None:
    year = LAST_PUBLISHED + 1
    assert not PACKAGE_ONLY.knows(year)
    if year == 2027:  # the case from the issue: seven working days from 28 January 2027
        deadline = add_working_days(dt.date(2027, 1, 28), 7, PACKAGE_ONLY)
        assert deadline.due == dt.date(2027, 2, 10) and deadline.provisional
    for day in statutory_holidays(year):
        assert not PACKAGE_ONLY.is_workday(day), day


@settings(max_examples=60, deadline=None)
@given(start=st.dates(dt.date(LAST_PUBLISHED + 1, 1, 1), dt.date(LAST_PUBLISHED + 8, 12, 31)),
       days=st.integers(0, 25))
def test_no_provisional_deadline_lands_on_a_statutory_holiday(start: dt.date, days: int) -> None:
    deadline = add_working_days(start, days, PACKAGE_ONLY)
    assert deadline.provisional
    assert deadline.due.weekday() < 5
    assert deadline.due not in statutory_holidays(deadline.due.year)


def test_doctor_warns_from_the_first_of_november_when_next_year_is_missing() -> None:
    year = LAST_PUBLISHED
    quiet = holiday_schedule_check(PACKAGE_ONLY, dt.date(year, 10, 31))
    assert quiet.state == "ok"
    warned = holiday_schedule_check(PACKAGE_ONLY, dt.date(year, 11, 1))
    assert warned.state == "warn"
    assert str(year + 1) in warned.detail and "holiday_schedules.yaml" in warned.detail
    office = WorkCalendar(office_years={year + 1: _schedule()}, version="office")
    assert holiday_schedule_check(office, dt.date(year, 11, 1)).state == "ok"
    behind = holiday_schedule_check(PACKAGE_ONLY, dt.date(year + 1, 3, 1))
    assert behind.state == "warn" and str(year + 1) in behind.detail


def _schedule():  # type: ignore[no-untyped-def]
    from validators.working_days import YearSchedule

    return YearSchedule(holidays=frozenset(), working_weekends=frozenset())
