"""Period arithmetic: UK financial years, their quarters, and months."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.core.periods import (
    MONTH,
    QUARTER,
    YEAR,
    Period,
    UnknownPeriod,
    month_of,
    quarter_of,
    year_of,
)

days = st.dates(min_value=date(1991, 1, 1), max_value=date(2190, 12, 31))
quarters = st.builds(Period, st.just(QUARTER), st.integers(1991, 2190), st.integers(1, 4))
years = st.builds(Period, st.just(YEAR), st.integers(1991, 2190))
months = st.builds(Period, st.just(MONTH), st.integers(1991, 2190), st.integers(1, 12))
periods = st.one_of(quarters, years, months)


def test_a_quarter_reads_and_writes_in_the_partnership_format():
    q2 = Period.parse("2014/15-Q2")

    assert (q2.start, q2.end) == (date(2014, 7, 1), date(2014, 9, 30))
    assert str(q2) == "2014/15-Q2"
    assert q2.label == "2014/15 Q2 (end of September)"


def test_the_first_quarter_is_april_to_june_and_the_fourth_ends_in_march():
    assert Period.parse("2014/15-Q1").start == date(2014, 4, 1)
    assert Period.parse("2014/15-Q1").end == date(2014, 6, 30)
    assert Period.parse("2014/15-Q4").start == date(2015, 1, 1)
    assert Period.parse("2014/15-Q4").end == date(2015, 3, 31)


def test_a_financial_year_runs_from_april_to_march():
    year = Period.parse("2013/14")

    assert (year.start, year.end) == (date(2013, 4, 1), date(2014, 3, 31))
    assert [str(q) for q in year.quarters()] == [f"2013/14-Q{i}" for i in range(1, 5)]


def test_the_quarter_before_the_first_is_the_last_of_the_previous_year():
    assert str(Period.parse("2014/15-Q1").previous()) == "2013/14-Q4"
    assert str(Period.parse("2013/14-Q4").next()) == "2014/15-Q1"


def test_a_month_knows_its_financial_year_and_quarter():
    march = Period.parse("2015-03")

    assert str(march.financial_year()) == "2014/15"
    assert str(march.quarters()[0]) == "2014/15-Q4"
    assert str(Period.parse("2014-12").previous().previous()) == "2014-10"


@pytest.mark.parametrize(
    "text",
    ["", "2014", "2014/16", "2014/15-Q5", "2014/15-Q0", "2014-13", "14/15", "2014/15 Q2", "Q2"],
)
def test_an_unknown_period_string_is_refused_saying_what_is_expected(text):
    with pytest.raises(UnknownPeriod, match="2014/15"):
        Period.parse(text)


def test_a_period_is_over_only_after_its_last_day():
    q2 = Period.parse("2014/15-Q2")

    assert not q2.is_over(datetime(2014, 9, 30, 23, 59))
    assert q2.is_over(date(2014, 10, 1))


@given(periods)
def test_every_period_survives_writing_and_reading(period):
    assert Period.parse(str(period)) == period


@given(periods)
def test_periods_of_a_kind_tile_time_without_gaps_or_overlaps(period):
    assert period.next().start == period.end + timedelta(days=1)
    assert period.next().previous() == period
    assert period.start <= period.end


@given(periods, st.integers(-200, 200))
def test_shifting_forward_then_back_returns_the_same_period(period, steps):
    assert period.shift(steps).shift(-steps) == period


@given(days)
def test_every_day_falls_in_exactly_one_quarter_of_its_financial_year(day):
    quarter = quarter_of(day)

    assert quarter.contains(day)
    assert not quarter.previous().contains(day) and not quarter.next().contains(day)
    assert year_of(day).contains(day)
    assert quarter in year_of(day).quarters()
    assert month_of(day).contains(day)
    assert month_of(day).financial_year() == year_of(day)


@given(st.one_of(years, quarters))
def test_the_months_of_a_period_cover_it_exactly(period):
    months_ = period.months()

    assert months_[0].start == period.start
    assert months_[-1].end == period.end
    assert all(a.next() == b for a, b in zip(months_, months_[1:], strict=False))
