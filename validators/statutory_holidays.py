"""The statutory public holidays of any year, computed from the lunar calendar and the solar
terms, for the years whose official schedule is not published yet.

The national rules (全国年节及纪念日放假办法, as revised in 2024, in force from 2025) fix the days
off; each year the State Council only adds the bridging days and the weekends worked instead
(调休), which cannot be computed. So a provisional deadline never lands on one of these days, and
only the adjusted weekends remain unknown until the office adds the year's schedule.

- New Year's Day: 1 January
- Spring Festival: the eve (the last day of the twelfth lunar month) and the first three days
- Qingming: the day of the solar term 清明
- Labour Day: 1 and 2 May
- Dragon Boat Festival: the fifth day of the fifth lunar month
- Mid-Autumn Festival: the fifteenth day of the eighth lunar month
- National Day: 1 to 3 October
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from lunar_python import Lunar, Solar

FIRST_YEAR_OF_THESE_RULES = 2025


@cache
def statutory_holidays(year: int) -> frozenset[dt.date]:
    new_year = _date(Lunar.fromYmd(year, 1, 1).getSolar())
    qingming = _date(Solar.fromYmd(year, 4, 20).getLunar().getJieQiTable()["清明"])
    days = {
        dt.date(year, 1, 1),
        new_year - dt.timedelta(days=1), new_year, new_year + dt.timedelta(days=1),
        new_year + dt.timedelta(days=2),
        qingming,
        dt.date(year, 5, 1), dt.date(year, 5, 2),
        _date(Lunar.fromYmd(year, 5, 5).getSolar()),
        _date(Lunar.fromYmd(year, 8, 15).getSolar()),
        dt.date(year, 10, 1), dt.date(year, 10, 2), dt.date(year, 10, 3),
    }
    return frozenset(days)


def _date(solar: Solar) -> dt.date:
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
