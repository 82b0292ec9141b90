"""The clock of a case (SPEC §4), as pure functions of a working-day calendar.

Conventions:

- `clock_started_on` is the day the clock starts *after*: it is not counted, like the
  acceptance day (办理时限自受理之日的次日起计算). A limit of N working days ends on the N-th
  working day after it (`WorkCalendar.add_workdays`); 0 days (immediate cases) ends that day.
- A case that went through the one-time notice starts its clock on the day its materials were
  complete; but when the notice came more than `notice_days` working days after receipt, or
  never came while the case waited beyond them, the case counts as accepted on the day of
  receipt (行政许可法 §32).
- Suspension does not count (行政许可法 §45): both deadlines move by the working days in
  (suspension day, resumption day].
- One extension adds its working days to both deadlines (行政许可法 §42).

Nothing here reads the database; `days_left` and `urgency` look the calendar of the case's
center up only when no calendar is passed in.

At the app root, not in `queries/` or `services/`: pure rules of time, used alike by the engine
(`services/actions.py`, `services/clock.py`), the lists (`queries/`) and the faces.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from django.utils import timezone

from govhall.cases.case_transitions import OPEN_STATUSES, UNDECIDED_STATUSES
from govhall.cases.statuses import CaseStatus
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import WorkCalendar

date = datetime.date

# Share of the promised time after which a case shows yellow (预警).
YELLOW_SHARE_NUMERATOR = 4
YELLOW_SHARE_DENOMINATOR = 5
# Where pending materials are still awaited (as the step scan's pending condition).
OPEN_PENDING_STATUSES = OPEN_STATUSES


class Urgency:
    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    NEAR = "near"
    YELLOW = "yellow"
    OK = "ok"
    SUSPENDED = "suspended"
    NONE = ""


class ClockedCase(Protocol):
    """What the page helpers read from a case (a Case row or anything shaped like one)."""

    center_id: int
    status: str
    promised_days: int
    extension_days: int
    promised_due_on: datetime.date | None
    suspended_at: datetime.datetime | None


def notice_deadline(calendar: WorkCalendar, received_on: date, notice_days: int) -> date:
    """The last day on which a one-time notice is still timely (§32)."""
    return calendar.add_workdays(received_on, notice_days)


def clock_start(
    calendar: WorkCalendar,
    *,
    received_on: date,
    accepted_on: date,
    complete_on: date | None = None,
    notice_on: date | None = None,
    notice_days: int = 5,
) -> date:
    """The day after which the clock runs.

    `notice_on` is the day of the first one-time notice (None if there was none),
    `complete_on` the day the last missing material arrived (None: complete at acceptance).
    """
    late = notice_deadline(calendar, received_on, notice_days)
    if notice_on is not None:
        if notice_on > late:
            return received_on
        return min(complete_on or accepted_on, accepted_on)
    if accepted_on > late:
        return received_on
    return accepted_on


def due_on(
    calendar: WorkCalendar,
    start: date,
    days: int,
    *,
    extension_days: int = 0,
    suspended_days: int = 0,
) -> date:
    """The last day of a limit of `days` working days counted after `start`."""
    return calendar.add_workdays(start, days + extension_days + suspended_days)


def suspended_workdays(calendar: WorkCalendar, suspended_on: date, resumed_on: date) -> int:
    """Working days in (suspended_on, resumed_on]: what a suspension adds to the deadlines."""
    if resumed_on <= suspended_on:
        return 0
    return calendar.count_workdays(suspended_on + datetime.timedelta(days=1), resumed_on)


def workdays_between(calendar: WorkCalendar, today: date, due: date) -> int:
    """Working days from `today` to `due`: those in (today, due]; negative when `due` has
    passed (the working days in (due, today], at least one)."""
    if due >= today:
        return calendar.count_workdays(today + datetime.timedelta(days=1), due)
    return -max(1, calendar.count_workdays(due + datetime.timedelta(days=1), today))


def _calendar_of(case: ClockedCase, calendar: WorkCalendar | None) -> WorkCalendar:
    if calendar is not None:
        return calendar
    return calendar_for(case.center_id)


def _has_clock(case: ClockedCase) -> bool:
    return case.promised_due_on is not None and case.status in UNDECIDED_STATUSES


def days_left(case: ClockedCase, today: date, calendar: WorkCalendar | None = None) -> int | None:
    """Working days from `today` to the promised deadline (negative: overdue), None without a
    running clock. A suspended case shows what was left when it was suspended."""
    if not _has_clock(case):
        return None
    assert case.promised_due_on is not None
    cal = _calendar_of(case, calendar)
    if case.suspended_at is not None:
        today = min(today, timezone.localdate(case.suspended_at))
    return workdays_between(cal, today, case.promised_due_on)


def urgency(case: ClockedCase, today: date, calendar: WorkCalendar | None = None) -> str:
    """One of Urgency's values, for colouring lists and the case page."""
    left = days_left(case, today, calendar)
    if left is None:
        return Urgency.NONE
    if case.status == CaseStatus.SUSPENDED:
        return Urgency.SUSPENDED
    assert case.promised_due_on is not None
    if case.promised_due_on < today:
        return Urgency.OVERDUE
    if case.promised_due_on == today:
        return Urgency.DUE_TODAY
    if left <= 1:
        return Urgency.NEAR
    total = case.promised_days + case.extension_days
    used = total - left
    if total > 0 and used * YELLOW_SHARE_DENOMINATOR >= total * YELLOW_SHARE_NUMERATOR:
        return Urgency.YELLOW
    return Urgency.OK


def pending_overdue(case: ClockedCase, today: date) -> bool:
    """Materials accepted as pending (green channel, or attachments the applicant promised) are
    still missing after their due date (issue 16 item 5; the step scan raises the alert)."""
    due: date | None = getattr(case, "pending_due_on", None)
    return due is not None and today > due and case.status in OPEN_PENDING_STATUSES
