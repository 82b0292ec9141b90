"""Signing people in for a test day: cover treats a window person who has not signed in (after
the grace period from a session's opening) as away, so fixtures that expect A at the post during
service hours sign A in first (`govhall.staffing.queries.cover`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Staff
from govhall.staffing.models import Attendance


def signed_in(*users: User | None, at: datetime.datetime | None = None) -> None:
    """Record a sign-in for each user on the local day of `at` (default now), at the start of
    that day, so that cover counts them present for the whole day. Users without a Staff row
    are skipped (an attendance row needs their center); signing in twice is harmless."""
    moment = timezone.localtime(at or timezone.now())
    day = moment.date()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    wanted = {user.pk for user in users if user is not None}
    centers = dict(Staff.objects.filter(user_id__in=wanted).values_list("user_id", "center_id"))
    for user_id, center_id in centers.items():
        Attendance.objects.update_or_create(
            user_id=user_id,
            date=day,
            defaults={"center_id": center_id, "signed_in_at": start},
        )


def cover_ignores_sign_in(settings: Any) -> None:
    """For the shared halls of tests written before sign-in counted (`case_hall.hall_window`,
    `queue_hall.second_window`): their staff are at their posts on whatever day a test picks,
    as in a hall without sign-in terminals (GOVHALL_COVER_NEEDS_SIGN_IN off). Tests of the
    sign-in rule sign people in with `signed_in` and leave the setting on."""
    settings.GOVHALL_COVER_NEEDS_SIGN_IN = False
