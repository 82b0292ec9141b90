"""Properties of the working-day engine, checked with hypothesis against day-by-day loops."""

from __future__ import annotations

import datetime

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govhall.workdays.queries.work_calendar import (
    DayOverride,
    WorkCalendar,
    naive_add_workdays,
    package_is_workday,
    package_schedule,
)

NATIONAL = WorkCalendar(package_schedule())
# Keep clear of the calendar's ends so N days later is always inside it.
# (301 working days, the most any test asks for, are about 14 months.)
dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2097, 12, 31))
# Around the years with holiday data, where the interesting days are.
data_years = st.dates(min_value=datetime.date(2003, 12, 1), max_value=datetime.date(2027, 2, 1))
counts = st.integers(min_value=1, max_value=300)
ONE_DAY = datetime.timedelta(days=1)


@given(start=dates, n=counts)
def test_adding_n_then_counting_gives_n(start, n):
    end = NATIONAL.add_workdays(start, n)
    assert end > start
    assert NATIONAL.count_workdays(start + ONE_DAY, end) == n


@given(start=dates, n=counts)
def test_the_end_is_always_a_working_day(start, n):
    assert NATIONAL.is_workday(NATIONAL.add_workdays(start, n))


@given(start=dates, n=st.integers(min_value=0, max_value=300))
def test_monotonic_in_n(start, n):
    assert NATIONAL.add_workdays(start, n) < NATIONAL.add_workdays(start, n + 1)


@given(start=data_years, n=st.integers(min_value=0, max_value=60))
def test_same_as_the_day_by_day_loop_over_the_package(start, n):
    assert NATIONAL.add_workdays(start, n) == naive_add_workdays(start, n, package_is_workday)


@given(first=data_years, length=st.integers(min_value=-3, max_value=120))
def test_count_equals_a_loop_over_is_workday(first, length):
    last = first + datetime.timedelta(days=length)
    expected = sum(
        1 for k in range(length + 1) if NATIONAL.is_workday(first + datetime.timedelta(days=k))
    )
    assert NATIONAL.count_workdays(first, last) == expected


@given(start=data_years, n=st.integers(min_value=0, max_value=60))
def test_subtract_undoes_add_from_a_working_day(start, n):
    assume(NATIONAL.is_workday(start))
    assert NATIONAL.subtract_workdays(NATIONAL.add_workdays(start, n), n) == start


@given(day=data_years)
def test_next_workday_is_the_first_working_day_on_or_after(day):
    found = NATIONAL.next_workday(day)
    assert NATIONAL.is_workday(found)
    assert found >= day
    assert NATIONAL.count_workdays(day, found - ONE_DAY) == 0


@settings(max_examples=60)
@given(
    closed=data_years,
    before=st.integers(min_value=0, max_value=40),
    after=st.integers(min_value=0, max_value=40),
    outside=st.integers(min_value=1, max_value=40),
)
def test_a_closure_removes_exactly_one_working_day_from_ranges_containing_it(
    closed, before, after, outside
):
    assume(NATIONAL.is_workday(closed))
    center = WorkCalendar(NATIONAL.national, {closed: DayOverride(False, "停电")})
    first = closed - datetime.timedelta(days=before)
    last = closed + datetime.timedelta(days=after)
    assert center.count_workdays(first, last) == NATIONAL.count_workdays(first, last) - 1
    assert not center.is_workday(closed)
    # Ranges that do not contain it are unchanged.
    later = closed + datetime.timedelta(days=outside)
    assert center.count_workdays(closed + ONE_DAY, later) == NATIONAL.count_workdays(
        closed + ONE_DAY, later
    )
    # A deadline running across it ends one working day later.
    start = first - ONE_DAY
    n = NATIONAL.count_workdays(first, last)
    assert center.add_workdays(start, n) == NATIONAL.add_workdays(start, n + 1)


@settings(max_examples=60)
@given(extra=data_years, before=st.integers(0, 40), after=st.integers(0, 40))
def test_an_extra_working_day_adds_exactly_one(extra, before, after):
    assume(not NATIONAL.is_workday(extra))
    center = WorkCalendar(NATIONAL.national, {extra: True})
    first = extra - datetime.timedelta(days=before)
    last = extra + datetime.timedelta(days=after)
    assert center.count_workdays(first, last) == NATIONAL.count_workdays(first, last) + 1
    assert center.is_workday(extra)
