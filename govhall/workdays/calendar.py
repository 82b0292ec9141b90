"""The working-day calendar (SPEC §4).

A `WorkCalendar` holds, for every date from EPOCH to END, whether it is a working day and the
running count of working days up to it (a working-day ordinal). With those two arrays every
question is answered by index arithmetic, never by walking day by day:

- is a day a working day: one array read;
- the N-th working day after a start day (start day not counted): one read of the running
  count at the start, one read of the list of working-day positions;
- working days in a closed range: the difference of two running counts.

National holidays and make-up working days (调休) come from the chinesecalendar package, or
from a schedule an administrator imported (which wins for its year). Years neither covers are
weekends-only, and `uncovered_years` lets the pages warn about them. Per-center overrides
(closures, extra working days) are applied on top, one calendar per center, cached per process
and dropped when the calendar revision changes.
"""

from __future__ import annotations

import datetime
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import chinese_calendar
import chinese_calendar.constants as cc_constants

EPOCH = datetime.date(2000, 1, 1)
END = datetime.date(2099, 12, 31)
_EPOCH_ORDINAL = EPOCH.toordinal()
_DAYS = END.toordinal() - _EPOCH_ORDINAL + 1


class CalendarRangeError(ValueError):
    """A date or a count falls outside the calendar's range."""


def package_years() -> frozenset[int]:
    """Years the installed chinesecalendar package has official data for."""
    years = {d.year for d in cc_constants.holidays} | {d.year for d in cc_constants.workdays}
    return frozenset(years)


@dataclass(frozen=True)
class NationalSchedule:
    """Exceptions to the weekend rule per date, and the years they cover."""

    exceptions: Mapping[datetime.date, bool]
    covered_years: frozenset[int]


def package_schedule() -> NationalSchedule:
    exceptions: dict[datetime.date, bool] = {}
    for day in cc_constants.holidays:
        if day.weekday() < 5:
            exceptions[day] = False
    for day in cc_constants.workdays:
        if day.weekday() >= 5:
            exceptions[day] = True
    return NationalSchedule(exceptions=exceptions, covered_years=package_years())


def merge_imported(
    base: NationalSchedule, imported: Mapping[int, Mapping[datetime.date, bool]]
) -> NationalSchedule:
    """Replace whole years of `base` by imported schedules (an import wins for its year)."""
    exceptions = {d: w for d, w in base.exceptions.items() if d.year not in imported}
    for days in imported.values():
        exceptions.update(days)
    return NationalSchedule(
        exceptions=exceptions, covered_years=base.covered_years | frozenset(imported)
    )


class WorkCalendar:
    __slots__ = ("_count", "_flags", "_positions", "covered_years")

    def __init__(
        self,
        national: NationalSchedule,
        overrides: Mapping[datetime.date, bool] | None = None,
    ) -> None:
        flags = bytearray(_DAYS)
        # 2000-01-01 was a Saturday: weekday of index i is (i + 5) % 7.
        for i in range(_DAYS):
            flags[i] = 1 if (i + 5) % 7 < 5 else 0
        for day, is_workday in national.exceptions.items():
            i = day.toordinal() - _EPOCH_ORDINAL
            if 0 <= i < _DAYS:
                flags[i] = 1 if is_workday else 0
        for day, is_workday in (overrides or {}).items():
            i = day.toordinal() - _EPOCH_ORDINAL
            if 0 <= i < _DAYS:
                flags[i] = 1 if is_workday else 0
        count = array("q", bytes(8 * _DAYS))
        positions = array("q")
        running = 0
        for i in range(_DAYS):
            if flags[i]:
                running += 1
                positions.append(i)
            count[i] = running
        self._flags = bytes(flags)
        self._count = count
        self._positions = positions
        self.covered_years = national.covered_years

    @staticmethod
    def _index(day: datetime.date) -> int:
        i = day.toordinal() - _EPOCH_ORDINAL
        if not 0 <= i < _DAYS:
            raise CalendarRangeError(f"{day.isoformat()} is outside {EPOCH.year}–{END.year}")
        return i

    def is_workday(self, day: datetime.date) -> bool:
        return self._flags[self._index(day)] == 1

    def add_workdays(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start`; the start day itself is not counted.

        With days == 0 the answer is `start` itself.
        """
        if days < 0:
            raise CalendarRangeError("a working-day count must not be negative")
        i = self._index(start)
        if days == 0:
            return start
        k = self._count[i] + days - 1
        if k >= len(self._positions):
            raise CalendarRangeError(
                f"{days} working days after {start.isoformat()} is past {END.year}"
            )
        return datetime.date.fromordinal(self._positions[k] + _EPOCH_ORDINAL)

    def count_workdays(self, first: datetime.date, last: datetime.date) -> int:
        """Working days in the closed range [first, last]; 0 when last is before first."""
        a, b = self._index(first), self._index(last)
        if b < a:
            return 0
        return self._count[b] - (self._count[a - 1] if a > 0 else 0)

    def next_workday(self, day: datetime.date) -> datetime.date:
        """The first working day on or after `day`."""
        i = self._index(day)
        if self._flags[i]:
            return day
        return self.add_workdays(day, 1)

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        return sorted(y for y in set(years) if y not in self.covered_years)


def naive_add_workdays(start: datetime.date, days: int) -> datetime.date:
    """Day-by-day reference used by the benchmark and the tests (package years only)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if chinese_calendar.is_workday(day):
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

    def clear(self) -> None:
        with self._lock:
            self._calendars.clear()
            self._revision = None
            self._checked_at = 0.0

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
        calendar = self._calendars.get(center_id)
        if calendar is None:
            calendar = builder(center_id)
            with self._lock:
                self._calendars[center_id] = calendar
        return calendar
