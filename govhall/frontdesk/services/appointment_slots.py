"""Appointment slots (预约服务, SPEC §7): made on demand from the center's service hours on its
working days, the days that may be booked, and the place counter of a slot.

Capacity is a counter on the slot raised by a conditional UPDATE (… WHERE booked < capacity), so
concurrent bookings never overbook on either database.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from govhall.frontdesk.models import Appointment, ServiceGroup, Slot
from govhall.org.models import Center
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError

# --- local time ------------------------------------------------------------------------------


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """`time` on `day` in the hall's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(day, time), timezone.get_current_timezone()
    )


def local_text(moment: datetime.datetime) -> str:
    """A moment as the applicant reads it ("2026-12-07 08:30")."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def appointment_when(appointment: Appointment) -> str:
    """The day and times of an appointment as its SMS says them."""
    return f"{appointment.date:%Y-%m-%d} {appointment.starts:%H:%M}–{appointment.ends:%H:%M}"


# --- service hours and working days ----------------------------------------------------------


def service_periods(center: Center) -> list[tuple[datetime.time, datetime.time]]:
    return [
        (center.morning_opens, center.morning_closes),
        (center.afternoon_opens, center.afternoon_closes),
    ]


def slot_times(center: Center, minutes: int) -> list[tuple[datetime.time, datetime.time]]:
    """The (start, end) of every whole slot of `minutes` within the center's service hours."""
    times: list[tuple[datetime.time, datetime.time]] = []
    step = datetime.timedelta(minutes=minutes)
    for opens, closes in service_periods(center):
        moment = datetime.datetime.combine(datetime.date(2000, 1, 1), opens)
        end = datetime.datetime.combine(datetime.date(2000, 1, 1), closes)
        while moment + step <= end:
            times.append((moment.time(), (moment + step).time()))
            moment += step
    return times


def overlaps_hours(center: Center, starts: datetime.time, ends: datetime.time) -> bool:
    """Some of [starts, ends) falls within the center's service hours."""
    return any(opens < ends and starts < closes for opens, closes in service_periods(center))


def is_known_workday(center_id: int, day: datetime.date) -> bool:
    """A working day of the center's calendar; False outside the years the calendar knows
    (`workdays.queries.calendar.is_workday` raises there: nothing is booked on unknown days)."""
    try:
        return calendar_for(center_id).is_workday(day)
    except CalendarRangeError:
        return False


def booking_window(center_id: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """First and last day that may be booked on `today`: from MIN_DAYS_AHEAD calendar days to
    MAX_WORKDAYS_AHEAD working days ahead."""
    first = today + datetime.timedelta(days=settings.GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD)
    try:
        last = calendar_for(center_id).add_workdays(
            today, settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD
        )
    except CalendarRangeError:
        last = today
    return first, last


def bookable_days(group: ServiceGroup, today: datetime.date) -> list[datetime.date]:
    """The working days a person may book in `group` on `today`."""
    first, last = booking_window(group.center_id, today)
    days = []
    day = first
    while day <= last:
        if is_known_workday(group.center_id, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# --- slots and their places -------------------------------------------------------------------


def slots_ensure(group: ServiceGroup, day: datetime.date) -> None:
    """Make the slots of `group` on `day` from its center's service hours, when it is a working
    day and they do not exist yet (idempotent; concurrent callers are harmless)."""
    if not is_known_workday(group.center_id, day):
        return
    if Slot.objects.filter(group=group, date=day).exists():
        return
    center = group.center
    Slot.objects.bulk_create(
        [
            Slot(
                group=group,
                date=day,
                starts=starts,
                ends=ends,
                capacity=group.slot_capacity,
            )
            for starts, ends in slot_times(center, group.slot_minutes)
        ],
        ignore_conflicts=True,
    )


def slot_take_place(slot_id: int) -> bool:
    """The conditional UPDATE that never overbooks: False when the slot is full or closed."""
    return bool(
        Slot.objects.filter(pk=slot_id, booked__lt=F("capacity"), closed_reason="").update(
            booked=F("booked") + 1
        )
    )


def slot_free_place(slot_id: int | None) -> None:
    """Give a cancelled appointment's place back to its slot."""
    if slot_id is not None:
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
