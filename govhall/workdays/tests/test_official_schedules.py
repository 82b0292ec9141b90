"""The calendar against the State Council notices (国务院办公厅关于…部分节假日安排的通知).

Tables below are copied from the notices for 2024 (国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕
12号) and 2026 (国办发明电〔2025〕7号), not derived from the package, so a wrong package update
or a wrong engine both fail here.
"""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from govhall.workdays.queries.work_calendar import (
    CalendarRangeError,
    DayKind,
    WorkCalendar,
    naive_add_workdays,
    package_schedule,
)

D = datetime.date


def days(first: str, last: str) -> list[datetime.date]:
    a, b = D.fromisoformat(first), D.fromisoformat(last)
    return [a + datetime.timedelta(n) for n in range((b - a).days + 1)]


# Every day off listed by the notice (holidays with the weekends joined to them).
HOLIDAYS = {
    2024: [
        ("元旦", days("2024-01-01", "2024-01-01")),
        ("春节", days("2024-02-10", "2024-02-17")),
        ("清明节", days("2024-04-04", "2024-04-06")),
        ("劳动节", days("2024-05-01", "2024-05-05")),
        ("端午节", days("2024-06-10", "2024-06-10")),
        ("中秋节", days("2024-09-15", "2024-09-17")),
        ("国庆节", days("2024-10-01", "2024-10-07")),
    ],
    2025: [
        ("元旦", days("2025-01-01", "2025-01-01")),
        ("春节", days("2025-01-28", "2025-02-04")),
        ("清明节", days("2025-04-04", "2025-04-06")),
        ("劳动节", days("2025-05-01", "2025-05-05")),
        ("端午节", days("2025-05-31", "2025-06-02")),
        ("国庆节、中秋节", days("2025-10-01", "2025-10-08")),
    ],
    2026: [
        ("元旦", days("2026-01-01", "2026-01-03")),
        ("春节", days("2026-02-15", "2026-02-23")),
        ("清明节", days("2026-04-04", "2026-04-06")),
        ("劳动节", days("2026-05-01", "2026-05-05")),
        ("端午节", days("2026-06-19", "2026-06-21")),
        ("中秋节", days("2026-09-25", "2026-09-27")),
        ("国庆节", days("2026-10-01", "2026-10-07")),
    ],
}

# 上班 days of the notices: Saturdays and Sundays that are working days.
MAKEUP_DAYS = {
    2024: ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
           "2024-09-29", "2024-10-12"],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}  # fmt: skip


@pytest.fixture(scope="module")
def national() -> WorkCalendar:
    return WorkCalendar(package_schedule())


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_every_notice_holiday_is_a_day_off(national, year):
    for name, off_days in HOLIDAYS[year]:
        for day in off_days:
            assert not national.is_workday(day), f"{name} {day}"
            if day.weekday() < 5:
                assert national.day_fact(day).kind == DayKind.HOLIDAY, f"{name} {day}"


@pytest.mark.parametrize("year", sorted(MAKEUP_DAYS))
def test_every_notice_makeup_day_is_a_working_weekend_day(national, year):
    for text in MAKEUP_DAYS[year]:
        day = D.fromisoformat(text)
        assert day.weekday() >= 5, day
        assert national.is_workday(day), day
        assert national.day_fact(day).kind == DayKind.MAKEUP, day
        assert chinese_calendar.is_workday(day), day


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_every_other_day_follows_the_weekend_rule(national, year):
    """Nothing but the notice changes the weekend rule: the full year matches the tables."""
    off = {day for _name, listed in HOLIDAYS[year] for day in listed}
    makeup = {D.fromisoformat(text) for text in MAKEUP_DAYS[year]}
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        expected = day in makeup or (day.weekday() < 5 and day not in off)
        assert national.is_workday(day) == expected, day


def test_new_years_eve_2024_was_a_working_day(national):
    # The 2024 notice only *encouraged* rest on 除夕 (2月9日); officially it was a working day.
    assert national.is_workday(D(2024, 2, 9))


def test_agrees_with_chinesecalendar_for_every_day_it_covers(national):
    for day in days("2004-01-01", "2026-12-31"):
        assert national.is_workday(day) == chinese_calendar.is_workday(day), day


@pytest.mark.parametrize(
    ("start", "n", "end"),
    [
        # National Day 2025: 10月1日至8日放假, 10月11日(六)上班.
        ("2025-09-30", 5, "2025-10-14"),
        ("2025-09-30", 1, "2025-10-09"),
        ("2025-09-30", 3, "2025-10-11"),
        ("2025-09-26", 1, "2025-09-28"),
        # Spring Festival 2025: 1月28日至2月4日放假, 1月26日(日)、2月8日(六)上班.
        ("2025-01-24", 1, "2025-01-26"),
        ("2025-01-24", 3, "2025-02-05"),
        ("2025-02-07", 1, "2025-02-08"),
        # Labour Day 2025: 5月1日至5日放假, 4月27日(日)上班.
        ("2025-04-25", 1, "2025-04-27"),
        ("2025-04-30", 1, "2025-05-06"),
        # Spring Festival 2024: 2月10日至17日, 2月4日(日)、2月18日(日)上班.
        ("2024-02-08", 2, "2024-02-18"),
        ("2024-02-02", 1, "2024-02-04"),
        # Spring Festival 2026: 2月15日至23日, 2月14日(六)、2月28日(六)上班.
        ("2026-02-13", 1, "2026-02-14"),
        ("2026-02-13", 2, "2026-02-24"),
        ("2026-02-27", 1, "2026-02-28"),
        # New Year 2026: 1月1日至3日, 1月4日(日)上班.
        ("2025-12-31", 1, "2026-01-04"),
        # Labour Day 2026: 5月1日至5日, 5月9日(六)上班.
        ("2026-04-30", 1, "2026-05-06"),
        ("2026-05-08", 1, "2026-05-09"),
        # Mid-Autumn and National Day 2026: 9月25日至27日, 10月1日至7日;
        # 9月20日(日)、10月10日(六)上班.
        ("2026-09-18", 1, "2026-09-20"),
        ("2026-09-24", 1, "2026-09-28"),
        ("2026-09-30", 3, "2026-10-10"),
        # A 20-working-day legal limit across National Day 2025: 12 in September (with the
        # 28th), then 10月9日, 10日, 11日(六), 13日 … 17日.
        ("2025-09-15", 20, "2025-10-17"),
        # Zero days: the start day itself (immediate cases).
        ("2025-10-03", 0, "2025-10-03"),
    ],
)
def test_hand_computed_deadlines(national, start, n, end):
    start_day = D.fromisoformat(start)
    assert national.add_workdays(start_day, n) == D.fromisoformat(end)
    assert naive_add_workdays(start_day, n) == D.fromisoformat(end)


@pytest.mark.parametrize(
    ("first", "last", "count"),
    [
        ("2025-10-01", "2025-10-31", 18),
        # 261 weekdays − 18 weekday holidays + 5 make-up days.
        ("2025-01-01", "2025-12-31", 248),
        # 262 weekdays − 19 weekday holidays + 8 make-up days.
        ("2024-01-01", "2024-12-31", 251),
        # 28 days − 9 Spring Festival days − 3 other weekend days off (14th, 28th are 上班).
        ("2026-02-01", "2026-02-28", 16),
        # 261 weekdays − 19 weekday holidays + 6 make-up days.
        ("2026-01-01", "2026-12-31", 248),
        ("2025-10-01", "2025-10-08", 0),
        ("2025-09-28", "2025-09-28", 1),
    ],
)
def test_working_days_in_ranges(national, first, last, count):
    assert national.count_workdays(D.fromisoformat(first), D.fromisoformat(last)) == count


def test_end_of_2026_into_uncovered_2027_uses_weekends(national):
    assert national.uncovered_years([2026, 2027]) == [2027]
    assert national.coverage(2026) == "package"
    assert national.coverage(2027) is None
    # 2026-12-31 is a Thursday; 2027 has no data, so 2027-01-01 (Friday) counts as working.
    assert national.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert national.add_workdays(D(2026, 12, 30), 5) == D(2027, 1, 6)
    assert national.day_fact(D(2027, 1, 2)).kind == DayKind.WEEKEND


def test_outside_the_calendar_is_a_clear_error(national):
    with pytest.raises(CalendarRangeError):
        national.is_workday(D(1999, 12, 31))
    with pytest.raises(CalendarRangeError):
        national.add_workdays(D(2099, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        national.add_workdays(D(2025, 1, 1), -1)
    assert national.count_workdays(D(2025, 10, 31), D(2025, 10, 1)) == 0
