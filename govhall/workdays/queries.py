"""Reading the calendar: the cached `WorkCalendar` for a center (or the nation)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings

from govhall.workdays.calendar import CalendarCache, WorkCalendar, merge_imported, package_schedule
from govhall.workdays.models import CalendarRevision, CenterDay, ScheduleDay

_cache = CalendarCache()
_package = package_schedule()


def _revision() -> int:
    row = CalendarRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return row or 0


def _build(center_id: int | None) -> WorkCalendar:
    imported: dict[int, dict[datetime.date, bool]] = defaultdict(dict)
    for year, day, is_workday in ScheduleDay.objects.values_list(
        "schedule__year", "date", "is_workday"
    ):
        imported[year][day] = is_workday
    # An imported year with no exceptions at all is still "covered".
    from govhall.workdays.models import ScheduleYear

    for year in ScheduleYear.objects.values_list("year", flat=True):
        imported.setdefault(year, {})
    national = merge_imported(_package, imported)
    overrides: dict[datetime.date, bool] = {}
    if center_id is not None:
        for day, kind in CenterDay.objects.filter(center_id=center_id).values_list("date", "kind"):
            overrides[day] = kind == CenterDay.Kind.EXTRA_WORKDAY
    return WorkCalendar(national, overrides)


def calendar_for(center_id: int | None) -> WorkCalendar:
    """The calendar of one center (its overrides on top of the national schedule)."""
    return _cache.get(
        center_id,
        refresh_seconds=settings.GOVHALL_CALENDAR_REFRESH_SECONDS,
        revision_reader=_revision,
        builder=_build,
    )


def drop_cached_calendars() -> None:
    """Forget every cached calendar in this process (after a change, and between tests)."""
    _cache.clear()
