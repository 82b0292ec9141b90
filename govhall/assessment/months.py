"""Months and periods of the assessment (周清月结年考核): a month is named by its first day."""

from __future__ import annotations

import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    first = month_start(month)
    return (first + datetime.timedelta(days=32)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def quarter_months(year: int, quarter: int) -> list[datetime.date]:
    first = 3 * (quarter - 1) + 1
    return [datetime.date(year, first + i, 1) for i in range(3)]


def year_months(year: int) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in range(1, 13)]


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the ISO week of `day`."""
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)
