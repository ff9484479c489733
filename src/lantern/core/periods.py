"""Reporting periods: UK financial years, their quarters, and calendar months.

A financial year runs from 1 April to 31 March and is written `2014/15`; its quarters are
`2014/15-Q1` (April to June) to `2014/15-Q4` (January to March); months are written `2014-07`
for the tactical briefing. A Period is immutable, ordered within its kind, and knows its first
and last day. It lives in `core` because several apps (performance, children, tasking) report by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lantern.core.errors import LanternError

YEAR = "year"
QUARTER = "quarter"
MONTH = "month"

_YEAR_RE = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER_RE = re.compile(r"^(\d{4})/(\d{2})-Q([1-4])$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR = 1990
LAST_YEAR = 2200


class UnknownPeriod(LanternError):
    """A period string Lantern cannot read."""


@dataclass(frozen=True, order=True)
class Period:
    """A financial year (`index` unused), a quarter (`index` 1-4) or a month (`index` 1-12).

    `year` is the calendar year the financial year starts in (2014 for 2014/15), or for a
    month, the calendar year of the month.
    """

    kind: str
    year: int
    index: int = 0

    # --- reading and writing -----------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period a string names; UnknownPeriod saying what is expected otherwise."""
        text = (text or "").strip()
        if m := _QUARTER_RE.match(text):
            year = _check_year(int(m[1]), m[2], text)
            return cls(QUARTER, year, int(m[3]))
        if m := _YEAR_RE.match(text):
            return cls(YEAR, _check_year(int(m[1]), m[2], text))
        if m := _MONTH_RE.match(text):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
                return cls(MONTH, year, month)
        raise UnknownPeriod(
            f"“{text[:40]}” is not a period: write a financial year like 2014/15, a quarter like "
            "2014/15-Q2 or a month like 2014-07"
        )

    def __str__(self) -> str:
        if self.kind == MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        label = f"{self.year}/{(self.year + 1) % 100:02d}"
        return f"{label}-Q{self.index}" if self.kind == QUARTER else label

    @property
    def label(self) -> str:
        """How the period reads in a report heading."""
        if self.kind == QUARTER:
            ends = ("end of June", "end of September", "end of December", "end of March")
            return f"{self.financial_year()} Q{self.index} ({ends[self.index - 1]})"
        if self.kind == MONTH:
            return self.start.strftime("%B %Y")
        return str(self)

    # --- dates --------------------------------------------------------------------------------

    @property
    def start(self) -> date:
        if self.kind == YEAR:
            return date(self.year, 4, 1)
        if self.kind == QUARTER:
            month = 4 + 3 * (self.index - 1)
            return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)
        return date(self.year, self.index, 1)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return self.next().start - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def is_over(self, now: datetime | date) -> bool:
        """True once the period's last day has passed."""
        today = now.date() if isinstance(now, datetime) else now
        return today > self.end

    # --- arithmetic ---------------------------------------------------------------------------

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def shift(self, steps: int) -> Period:
        """The period `steps` of the same kind later (earlier when negative)."""
        if self.kind == YEAR:
            return Period(YEAR, self.year + steps)
        size = 4 if self.kind == QUARTER else 12
        ordinal = self.year * size + (self.index - 1) + steps
        return Period(self.kind, ordinal // size, ordinal % size + 1)

    def financial_year(self) -> Period:
        """The financial year a quarter or month falls in (a year is its own)."""
        if self.kind == MONTH:
            return Period(YEAR, self.year if self.index >= 4 else self.year - 1)
        return Period(YEAR, self.year)

    def quarters(self) -> list[Period]:
        """The four quarters of a year; a quarter is its own only quarter."""
        if self.kind == YEAR:
            return [Period(QUARTER, self.year, q) for q in range(1, 5)]
        if self.kind == QUARTER:
            return [self]
        return [quarter_of(self.start)]

    def months(self) -> list[Period]:
        """The calendar months the period covers, in order."""
        first = month_of(self.start)
        count = {YEAR: 12, QUARTER: 3, MONTH: 1}[self.kind]
        return [first.shift(i) for i in range(count)]

    def quarters_to_date(self) -> list[Period]:
        """For a quarter: the quarters of its year up to and including it."""
        return [Period(QUARTER, self.year, q) for q in range(1, self.index + 1)]


def quarter_of(day: date) -> Period:
    """The financial quarter a day falls in."""
    fy = day.year if day.month >= 4 else day.year - 1
    return Period(QUARTER, fy, (day.month - 4) % 12 // 3 + 1)


def month_of(day: date) -> Period:
    return Period(MONTH, day.year, day.month)


def year_of(day: date) -> Period:
    return quarter_of(day).financial_year()


def parse(text: str) -> Period:
    return Period.parse(text)


def _check_year(start: int, end_two_digits: str, text: str) -> int:
    if (start + 1) % 100 != int(end_two_digits) or not FIRST_YEAR <= start <= LAST_YEAR:
        raise UnknownPeriod(
            f"“{text[:40]}” is not a financial year: the second year must follow the first, "
            "as in 2014/15"
        )
    return start
