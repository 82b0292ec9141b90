"""The steps of a case and their limits (每个环节的办理时限, issue 14 items 2 and 4).

Entry points:
def step_of(case) -> str | None
def step_cutoff(calendar, today, days) -> datetime | None
def step_over_limit(case, at) -> bool

A case is in one step per status (`STEP_OF_STATUS`); the step began at `Case.step_started_at`
(every status change sets it). Its limit is the item's own or the default
(`govhall.catalog.step_limits`), in working days of the center's calendar, the start day not
counted: a step begun on a Monday with a limit of 1 is over from Wednesday on. Supervision's
step scan and timeout default (超时默认) share these definitions.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus as S
from govhall.catalog.step_limits import Step, step_limit
from govhall.workdays.queries.calendar import calendar_for, day_start
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar

STEP_OF_STATUS: dict[str, str] = {
    S.SUBMITTED: Step.PREREVIEW,
    S.RECEIVED: Step.ACCEPTANCE,
    S.ACCEPTED: Step.REVIEW,  # the window routes, decides or reviews the accepted case
    S.IN_REVIEW: Step.REVIEW,
    S.AWAITING_APPROVAL: Step.APPROVAL,
    S.JOINT_REVIEW: Step.JOINT,
    S.APPROVED: Step.CERTIFICATE,
    S.CERTIFICATE_READY: Step.DELIVERY,
    S.DENIED: Step.DELIVERY,  # the decision still goes to the applicant
}
# The steps an overdue case of a flagged item passes by timeout default (超时默认).
TIMEOUT_DEFAULT_STATUSES = frozenset({S.IN_REVIEW, S.AWAITING_APPROVAL})


def step_of(case: Case) -> str | None:
    """The step the case is in, or None (a status without a limit of its own)."""
    return STEP_OF_STATUS.get(case.status)


def step_cutoff(
    calendar: WorkCalendar, today: datetime.date, days: int
) -> datetime.datetime | None:
    """A step with a limit of `days` working days is over on `today` when it started before
    this moment (more than `days` working days lie between its start day and today); None when
    the calendar does not reach back (nothing is over)."""
    try:
        return day_start(calendar.subtract_workdays(today, days))
    except CalendarRangeError:
        return None


def step_over_limit(case: Case, at: datetime.datetime) -> bool:
    """Is `case` at `at` in a step longer than that step's limit?"""
    step = step_of(case)
    if step is None:
        return False
    cutoff = step_cutoff(
        calendar_for(case.center_id), timezone.localdate(at), step_limit(case.item, step)
    )
    return cutoff is not None and case.step_started_at < cutoff
