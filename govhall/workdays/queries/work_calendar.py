"""The working-day calendar (SPEC §4).

A `WorkCalendar` holds, for every date from EPOCH to END, whether it is a working day and the
running count of working days up to it (a working-day ordinal). With those arrays every
question is answered by index arithmetic, never by walking day by day:

- is a day a working day: one array read;
- the N-th working day after a start day (start day not counted): one read of the running
  count at the start, one read of the list of working-day positions;
- working days in a closed range: the difference of two running counts.

National holidays and make-up working days (调休) come from the chinesecalendar package, or
from a schedule an administrator imported (which wins for its year). Years neither covers are
weekends-only, and `uncovered_years` lets the pages warn about them. Per-center overrides
(closures, extra working days) are applied on top, one calendar per center, cached per process
and dropped when the calendar revision changes (see queries/calendar.py).

This module needs no database, so the benchmark and the property tests can use it directly.
"""

from __future__ import annotations

import datetime
import enum
import itertools
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import chinese_calendar
import chinese_calendar.constants as cc_constants
from django.utils.translation import gettext as _

EPOCH = datetime.date(2000, 1, 1)
END = datetime.date(2099, 12, 31)
# A limit longer than ten years is a typing mistake, not a deadline.
MAX_DEADLINE_DAYS = 2500
_EPOCH_ORDINAL = EPOCH.toordinal()
_DAYS = END.toordinal() - _EPOCH_ORDINAL + 1
# 2000-01-01 was a Saturday: the weekday pattern of the calendar starts with two days off.
_WEEK_FROM_EPOCH = b"\x00\x00\x01\x01\x01\x01\x01"


class CalendarRangeError(ValueError):
    """A date or a count falls outside the calendar's range."""


class DayKind(enum.StrEnum):
    """What a day is, for pages and the API (the CSS class is `day-<value>`)."""

    WORKDAY = "workday"
    WEEKEND = "off"
    HOLIDAY = "holiday"
    MAKEUP = "makeup"  # a weekend day made a working day by the national schedule (调休)
    CLOSED = "closed"  # a center's closure on a day that would be a working day
    EXTRA = "extra"  # a center's extra working day


@dataclass(frozen=True)
class ScheduleEntry:
    """One day listed by a national schedule: a holiday, or a make-up working day."""

    date: datetime.date
    is_workday: bool
    name: str = ""


@dataclass(frozen=True)
class DayOverride:
    """A center's own exception: closed (is_workday False) or an extra working day."""

    is_workday: bool
    reason: str = ""


@dataclass(frozen=True)
class DayFact:
    date: datetime.date
    kind: DayKind
    is_workday: bool
    # Holiday name (package names are English: queries.calendar.holiday_label) or override reason.
    note: str = ""


@dataclass(frozen=True)
class NationalSchedule:
    """The listed days of the national schedule, and which years are covered and by whom.

    `days` holds every listed day, holidays on weekends included (pages show them), keyed by
    date. Only the ones that change the weekend rule matter for counting.
    """

    days: Mapping[datetime.date, ScheduleEntry]
    package_years: frozenset[int]
    imported_years: frozenset[int] = field(default_factory=frozenset)

    @property
    def covered_years(self) -> frozenset[int]:
        return self.package_years | self.imported_years


def package_years() -> frozenset[int]:
    """Years the installed chinesecalendar package has official data for."""
    years = {d.year for d in cc_constants.holidays} | {d.year for d in cc_constants.workdays}
    return frozenset(years)


_PACKAGE_YEARS = package_years()


def package_schedule() -> NationalSchedule:
    days: dict[datetime.date, ScheduleEntry] = {}
    for day, name in cc_constants.holidays.items():
        days[day] = ScheduleEntry(day, False, str(name))
    for day, name in cc_constants.workdays.items():
        days[day] = ScheduleEntry(day, True, str(name))
    return NationalSchedule(days=days, package_years=_PACKAGE_YEARS)


def merge_imported(
    base: NationalSchedule, imported: Mapping[int, Iterable[ScheduleEntry]]
) -> NationalSchedule:
    """Replace whole years of `base` by imported schedules (an import wins for its year)."""
    days = {d: e for d, e in base.days.items() if d.year not in imported}
    for entries in imported.values():
        for entry in entries:
            days[entry.date] = entry
    return NationalSchedule(
        days=days,
        package_years=base.package_years,
        imported_years=base.imported_years | frozenset(imported),
    )


def _outside(day: datetime.date) -> CalendarRangeError:
    return CalendarRangeError(
        _("%(date)s is outside the calendar (%(first)s–%(last)s).")
        % {"date": day.isoformat(), "first": EPOCH.year, "last": END.year}
    )


def _index(day: datetime.date) -> int:
    i = day.toordinal() - _EPOCH_ORDINAL
    if not 0 <= i < _DAYS:
        raise _outside(day)
    return i


def _negative() -> CalendarRangeError:
    return CalendarRangeError(_("The number of working days cannot be negative."))


class WorkCalendar:
    """Answers working-day questions for one center in constant time."""

    __slots__ = ("_before", "_flags", "_positions", "national", "overrides")

    def __init__(
        self,
        national: NationalSchedule,
        overrides: Mapping[datetime.date, DayOverride | bool] | None = None,
    ) -> None:
        self.national = national
        self.overrides: dict[datetime.date, DayOverride] = {
            day: value if isinstance(value, DayOverride) else DayOverride(bool(value))
            for day, value in (overrides or {}).items()
        }
        flags = bytearray((_WEEK_FROM_EPOCH * (_DAYS // 7 + 1))[:_DAYS])
        for day, entry in national.days.items():
            i = day.toordinal() - _EPOCH_ORDINAL
            if 0 <= i < _DAYS:
                flags[i] = entry.is_workday
        for day, override in self.overrides.items():
            i = day.toordinal() - _EPOCH_ORDINAL
            if 0 <= i < _DAYS:
                flags[i] = override.is_workday
        self._flags = bytes(flags)
        # _before[i]: working days strictly before index i (one extra entry at the end), built
        # with C-level loops so a center calendar takes milliseconds.
        self._before = array("i", itertools.accumulate(self._flags, initial=0))
        # _positions[k]: date ordinal of the (k+1)-th working day since EPOCH.
        self._positions = array(
            "i", itertools.compress(range(_EPOCH_ORDINAL, _EPOCH_ORDINAL + _DAYS), self._flags)
        )

    @property
    def covered_years(self) -> frozenset[int]:
        return self.national.covered_years

    def is_workday(self, day: datetime.date) -> bool:
        return self._flags[_index(day)] == 1

    def add_workdays(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start`; the start day itself is not counted.

        With days == 0 the answer is `start` itself.
        """
        i = start.toordinal() - _EPOCH_ORDINAL
        if not 0 <= i < _DAYS:
            raise _outside(start)
        if days <= 0:
            if days == 0:
                return start
            raise _negative()
        k = self._before[i + 1] + days - 1
        if k >= len(self._positions):
            raise CalendarRangeError(
                _("%(days)s working days after %(date)s reach past the end of %(last)s.")
                % {"days": days, "date": start.isoformat(), "last": END.year}
            )
        return datetime.date.fromordinal(self._positions[k])

    def subtract_workdays(self, day: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day before `day` (`day` itself not counted)."""
        i = _index(day)
        if days < 0:
            raise _negative()
        if days == 0:
            return day
        k = self._before[i] - days
        if k < 0:
            raise CalendarRangeError(
                _("%(days)s working days before %(date)s reach before %(first)s.")
                % {"days": days, "date": day.isoformat(), "first": EPOCH.year}
            )
        return datetime.date.fromordinal(self._positions[k])

    def count_workdays(self, first: datetime.date, last: datetime.date) -> int:
        """Working days in the closed range [first, last]; 0 when last is before first."""
        a, b = _index(first), _index(last)
        if b < a:
            return 0
        return self._before[b + 1] - self._before[a]

    def next_workday(self, day: datetime.date) -> datetime.date:
        """The first working day on or after `day`."""
        if self._flags[_index(day)]:
            return day
        return self.add_workdays(day, 1)

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        covered = self.national.covered_years
        return sorted(y for y in set(years) if y not in covered)

    def coverage(self, year: int) -> str | None:
        """Where the national schedule of `year` comes from: "imported", "package" or None."""
        if year in self.national.imported_years:
            return "imported"
        if year in self.national.package_years:
            return "package"
        return None

    def day_fact(self, day: datetime.date) -> DayFact:
        """What a day is and why, for pages and the API (not for counting)."""
        is_workday = self.is_workday(day)
        override = self.overrides.get(day)
        if override is not None:
            kind = DayKind.EXTRA if override.is_workday else DayKind.CLOSED
            return DayFact(day, kind, is_workday, override.reason)
        entry = self.national.days.get(day)
        weekend = day.weekday() >= 5
        if entry is not None and not entry.is_workday:
            return DayFact(day, DayKind.HOLIDAY, is_workday, entry.name)
        if entry is not None and weekend:
            return DayFact(day, DayKind.MAKEUP, is_workday, entry.name)
        return DayFact(day, DayKind.WEEKEND if weekend else DayKind.WORKDAY, is_workday)


def package_is_workday(day: datetime.date) -> bool:
    """The chinesecalendar answer, weekends only for the years it lacks (reference only)."""
    if day.year in _PACKAGE_YEARS:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


def naive_add_workdays(
    start: datetime.date,
    days: int,
    is_workday: Callable[[datetime.date], bool] = package_is_workday,
) -> datetime.date:
    """Day-by-day reference used by the benchmark and the tests (package years by default)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            days -= 1
    return day


class CalendarCache:
    """Per-process cache of calendars keyed by center id (None: national only).

    `revision_reader` returns the current calendar revision from the database; it is consulted
    at most every `refresh_seconds`, so a change made by another process shows up shortly,
    while a change made by this process drops the cache at once (`clear`).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calendars: dict[int | None, WorkCalendar] = {}
        self._revision: int | None = None
        self._checked_at = 0.0
        self._fresh_until = 0.0  # time.monotonic() until which the revision need not be read

    def clear(self) -> None:
        with self._lock:
            self._calendars.clear()
            self._revision = None
            self._checked_at = 0.0
            self._fresh_until = 0.0

    def fresh(self, center_id: int | None) -> WorkCalendar | None:
        """The cached calendar while the revision was checked recently enough, else None.

        This is the hot path: one clock read and one dict lookup.
        """
        if time.monotonic() < self._fresh_until:
            return self._calendars.get(center_id)
        return None

    def get(
        self,
        center_id: int | None,
        *,
        refresh_seconds: float,
        revision_reader: Callable[[], int],
        builder: Callable[[int | None], WorkCalendar],
    ) -> WorkCalendar:
        now = time.monotonic()
        if self._revision is None or now - self._checked_at >= refresh_seconds:
            revision = revision_reader()
            with self._lock:
                if revision != self._revision:
                    self._calendars.clear()
                    self._revision = revision
                self._checked_at = now
                self._fresh_until = now + refresh_seconds
        calendar = self._calendars.get(center_id)
        if calendar is None:
            calendar = builder(center_id)
            with self._lock:
                self._calendars[center_id] = calendar
        return calendar
