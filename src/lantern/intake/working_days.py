"""Working days: Monday to Friday, less the bank holidays of England and Wales.

Bank holidays come from the `holidays` package (computed, never downloaded), for the
subdivision in LANTERN_BANK_HOLIDAYS_SUBDIV ("ENG" by default; England and Wales share their
bank holidays; "SCT" or "NIR" elsewhere in the UK).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(_subdiv(), day.year)


def add_working_days(start: datetime, days: int) -> datetime:
    """The moment `days` working days after `start`, at the same local time of day. Received
    on a weekend or bank holiday, the count starts at midnight before the next working day
    (so three working days from a Saturday end when Wednesday ends)."""
    local = timezone.localtime(start)
    day = local.date()
    if not is_working_day(day):
        while not is_working_day(day):
            day += timedelta(days=1)
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return timezone.make_aware(datetime.combine(day, local.time()), local.tzinfo)


def working_days_before(now: datetime, days: int) -> datetime:
    """The latest receipt time whose `days` working days have all passed by `now`: anything
    received before it is overdue (the inverse of add_working_days, for queries)."""
    local = timezone.localtime(now)
    day = local.date()
    if not is_working_day(day):
        local = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counted = 0
    while counted < days:
        day -= timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return timezone.make_aware(datetime.combine(day, local.time()), local.tzinfo)


def _subdiv() -> str:
    return settings.LANTERN_BANK_HOLIDAYS_SUBDIV


@lru_cache(maxsize=64)
def _bank_holidays(subdiv: str, year: int):
    return holidays.country_holidays("GB", subdiv=subdiv, years=year)
