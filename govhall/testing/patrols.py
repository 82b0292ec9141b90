"""Patrol tests: a hall with windows whose posts have an A and a B, photos by content, moments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Window
from govhall.staffing.models import Leave
from govhall.staffing.models.leave import LeaveStatus
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for, drop_cached_calendars

TZ = datetime.timezone(datetime.timedelta(hours=8))
# Tuesday 14 October 2025, a working day; Sunday 19 October 2025 is not.
DAY = datetime.date(2025, 10, 14)
SUNDAY = datetime.date(2025, 10, 19)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"\x00" * 64


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def photo(content: bytes = PNG, name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@dataclass
class Desk:
    window: Window
    post: Post
    a: User
    b: User


def make_desk(center: Center, department: Department, number: int, tag: str) -> Desk:
    """A window of `department` at `center` with one post: A and B clerks."""
    window = WindowFactory(center=center, number=number, name=f"窗口{number}")
    window.departments.add(department)
    a = make_staff(Role.CLERK, center, department, username=f"a{tag}", window_staff=True)
    b = make_staff(Role.CLERK, center, department, username=f"b{tag}", window_staff=True)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    # Both at their posts on the fixed test day and today (pages and the API use the clock).
    signed_in(a, b, at=timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(8))))
    signed_in(a, b)
    return Desk(window=window, post=post, a=a, b=b)


def on_leave(user: User, center: Center, day: datetime.date) -> Leave:
    """An approved whole-day leave of `user` on `day`."""
    return Leave.objects.create(
        user=user,
        center=center,
        kind="personal",
        starts_at=at(day, 0),
        ends_at=at(day, 23, 59),
        reason="事假",
        status=LeaveStatus.APPROVED,
    )


def workday_today(center: Center) -> datetime.date:
    """Make today a working day of `center` (pages use the clock), and return it."""
    today = timezone.localdate()
    if not calendar_for(center.pk).is_workday(today):
        CenterDay.objects.create(
            center_id=center.pk, date=today, kind=CenterDay.Kind.EXTRA_WORKDAY, reason="巡查测试"
        )
        drop_cached_calendars()
    return today
