"""The one home of "after closing" (issue 21 item 6): the hall's closing moment of a day and
whether a moment is past it, from the center's hours (`Center.closing_time`) and its working
calendar (`govhall.workdays`). Tickets are not issued after it (`services.tickets`); a window
may still finish its line then, recorded as overtime (`services.overtime`)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError


def closing_moment(center: Center, day: datetime.date) -> datetime.datetime:
    """The aware moment `center` closes on `day` (its afternoon closing time)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, center.closing_time), timezone.get_current_timezone()
    )


def is_workday(center: Center, day: datetime.date) -> bool:
    """A working day of the center's calendar; False outside the years the calendar knows."""
    try:
        return calendar_for(center.pk).is_workday(day)
    except CalendarRangeError:
        return False


def after_closing(center: Center, at: datetime.datetime) -> bool:
    """On a working day of `center`, at or after its closing time (local)."""
    local = timezone.localtime(at)
    return local.time() >= center.closing_time and is_workday(center, local.date())
