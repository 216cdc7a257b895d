"""Indonesian working days, in a region's own time zone (WIB, WITA or WIT).

A working day is a local calendar date that is Monday to Friday and is neither a national holiday
nor a cuti bersama (joint leave) day, as listed by the ``holidays`` package for "ID" (categories
"public" and "government"). A deadline of N working days is the end (local midnight) of the Nth
working day after the local date of the start: the start's own day never counts ("H+N").
Working time is measured pro rata: each working day's local 00:00-24:00 is 1.0, other days 0.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

DEFAULT_TZ = "Asia/Jakarta"


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    """National holidays and cuti bersama of one year."""
    listed = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(listed.keys())


def holiday_name(day: date) -> str | None:
    """The holiday's name for a date, or None when it is not one."""
    listed = holidays.country_holidays("ID", years=day.year, categories=("public", "government"))
    return listed.get(day)


def is_working_day(day: date) -> bool:
    """True for Monday-Friday dates that are no national holiday or cuti bersama."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def is_working_time(at: datetime, tz: str) -> bool:
    """True when ``at`` falls on a working day in the time zone ``tz``."""
    return is_working_day(at.astimezone(ZoneInfo(tz)).date())


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a local date begins."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def add_working_days(start: datetime, days: int, tz: str) -> datetime:
    """The end (local midnight, as UTC) of the ``days``-th working day after ``start``'s date."""
    zone = ZoneInfo(tz)
    day = start.astimezone(zone).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return _local_midnight(day + timedelta(days=1), zone)


def working_days_between(a: datetime, b: datetime, tz: str) -> float:
    """Working time from ``a`` to ``b`` in working days (pro rata per local day; 0 if b <= a)."""
    if b <= a:
        return 0.0
    zone = ZoneInfo(tz)
    day, last = a.astimezone(zone).date(), b.astimezone(zone).date()
    total = 0.0
    while day <= last:
        if is_working_day(day):
            begin = max(a, _local_midnight(day, zone))
            end = min(b, _local_midnight(day + timedelta(days=1), zone))
            if end > begin:
                total += (end - begin) / timedelta(days=1)
        day += timedelta(days=1)
    return total
