"""Reading the calendar: the cached `WorkCalendar` for a center (or the nation) and helpers.

Upper layers ask through `calendar_for(center_id)` or the helpers below; a calendar is built once
per process and calendar revision (a few milliseconds), so every answer afterwards is index
arithmetic without a database query.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

import chinese_calendar.constants as cc_constants
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.workdays.models import CalendarRevision, CenterDay, ScheduleDay, ScheduleYear
from govhall.workdays.queries.work_calendar import (
    CalendarCache,
    DayOverride,
    NationalSchedule,
    ScheduleEntry,
    WorkCalendar,
    merge_imported,
    package_schedule,
)

_cache = CalendarCache()
_package = package_schedule()

# The package names its holidays in English; show them in the user's language.
_PACKAGE_HOLIDAY_LABELS: dict[str, Promise] = {
    cc_constants.Holiday.new_years_day.value: _("New Year's Day"),
    cc_constants.Holiday.spring_festival.value: _("Spring Festival"),
    cc_constants.Holiday.tomb_sweeping_day.value: _("Qingming Festival"),
    cc_constants.Holiday.labour_day.value: _("Labour Day"),
    cc_constants.Holiday.dragon_boat_festival.value: _("Dragon Boat Festival"),
    cc_constants.Holiday.national_day.value: _("National Day"),
    cc_constants.Holiday.mid_autumn_festival.value: _("Mid-Autumn Festival"),
    cc_constants.Holiday.anti_fascist_70th_day.value: _("Victory Day (70th anniversary)"),
}


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the installation's time zone (where a day's records begin)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time.min), timezone.get_current_timezone()
    )


def holiday_label(name: str) -> str:
    """A holiday name for display: package names translated, imported names as written."""
    label = _PACKAGE_HOLIDAY_LABELS.get(name)
    return str(label) if label is not None else name


def current_revision() -> int:
    value = CalendarRevision.objects.filter(pk=1).values_list("value", flat=True).first()
    return value or 0


def national_schedule() -> NationalSchedule:
    """The package schedule with every imported year laid over it (two queries)."""
    imported: dict[int, list[ScheduleEntry]] = defaultdict(list)
    # An imported year with no listed days at all is still "covered".
    for year in ScheduleYear.objects.values_list("year", flat=True):
        imported[year] = []
    for year, day, is_workday, name in ScheduleDay.objects.values_list(
        "schedule__year", "date", "is_workday", "name"
    ):
        imported[year].append(ScheduleEntry(day, is_workday, name))
    return merge_imported(_package, imported)


def build_calendar(center_id: int | None) -> WorkCalendar:
    """Build (not cached) the calendar of a center, or the national one for None."""
    if center_id is None:
        return WorkCalendar(national_schedule())
    overrides = {
        day: DayOverride(kind == CenterDay.Kind.EXTRA_WORKDAY, reason)
        for day, kind, reason in CenterDay.objects.filter(center_id=center_id).values_list(
            "date", "kind", "reason"
        )
    }
    if not overrides:
        # Most centers have no overrides: they share the national arrays (memory, build time).
        return calendar_for(None)
    return WorkCalendar(calendar_for(None).national, overrides)


def calendar_for(center_id: int | None) -> WorkCalendar:
    """The calendar of one center (its overrides on top of the national schedule)."""
    calendar = _cache.fresh(center_id)
    if calendar is not None:
        return calendar
    return _cache.get(
        center_id,
        refresh_seconds=settings.GOVHALL_CALENDAR_REFRESH_SECONDS,
        revision_reader=current_revision,
        builder=build_calendar,
    )


def drop_cached_calendars() -> None:
    """Forget every cached calendar in this process (after a change, and between tests)."""
    _cache.clear()


def deadline_date(center_id: int | None, start: datetime.date, days: int) -> datetime.date:
    """The last day of a limit of `days` working days counted from `start` (not counted)."""
    return calendar_for(center_id).add_workdays(start, days)


def deadline_at(
    center_id: int | None, start: datetime.date, days: int, closing_time: datetime.time
) -> datetime.datetime:
    """When a limit of `days` working days ends: closing time of the N-th working day after
    `start` (SPEC §4), as an aware datetime in the current time zone. With 0 days (immediate
    cases) it is closing time of the start day itself."""
    end = deadline_date(center_id, start, days)
    return timezone.make_aware(
        datetime.datetime.combine(end, closing_time), timezone.get_current_timezone()
    )


def workdays_in_range(center_id: int | None, first: datetime.date, last: datetime.date) -> int:
    """Working days in the closed range [first, last] (0 when last is before first)."""
    return calendar_for(center_id).count_workdays(first, last)


def is_workday(center_id: int | None, day: datetime.date) -> bool:
    return calendar_for(center_id).is_workday(day)
