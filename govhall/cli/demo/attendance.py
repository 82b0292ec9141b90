"""The demo's sign-ins: every window staff member of the demo's centers signs in on time on each
working day the demo acts on (the last `DAYS` working days, and today once its morning has
begun). A clerk who has not signed in does not serve (issue 16 item 3), so without them the
demo's cases, tickets and ratings would find every post empty.

Made through `attendance_sign_in` at a moment before the opening (the center's preparation
time), never in the future. Idempotent: a day someone already signed in is skipped.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.org.models import Center, Staff
from govhall.staffing.models import Attendance
from govhall.staffing.services.attendance import attendance_sign_in
from govhall.workdays.queries.calendar import calendar_for

# Working days back: the demo's oldest cases and ratings lie within them.
DAYS = 45
# Minutes before the preparation time (early_arrival_minutes before the opening) they arrive.
MARGIN_MINUTES = 2


def _days(center: Center, today: datetime.date) -> list[datetime.date]:
    calendar = calendar_for(center.pk)
    last = today if calendar.is_workday(today) else calendar.subtract_workdays(today, 1)
    return [calendar.subtract_workdays(last, back) if back else last for back in range(DAYS)]


def _arrival(center: Center, day: datetime.date) -> datetime.datetime:
    opening = timezone.make_aware(
        datetime.datetime.combine(day, center.morning_opens), timezone.get_current_timezone()
    )
    return opening - datetime.timedelta(minutes=center.early_arrival_minutes + MARGIN_MINUTES)


def load_demo_attendance() -> int:
    """Sign the window staff in for the demo's days; returns how many sign-ins were made."""
    now = timezone.now()
    today = timezone.localdate(now)
    staff = list(
        Staff.objects.filter(is_window_staff=True, user__is_active=True).select_related(
            "center", "user"
        )
    )
    signed = set(
        Attendance.objects.filter(signed_in_at__isnull=False).values_list("user_id", "date")
    )
    days_of: dict[int, list[datetime.date]] = {}
    made = 0
    for member in staff:
        center = member.center
        if center.pk not in days_of:
            days_of[center.pk] = _days(center, today)
        for day in days_of[center.pk]:
            moment = _arrival(center, day)
            if moment > now or (member.user_id, day) in signed:
                continue
            try:
                attendance_sign_in(actor=member.user, at=moment)
            except ValidationError:
                continue  # not a working day of this center, or another reason to refuse
            made += 1
    return made
