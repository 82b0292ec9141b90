"""A window for the leave tests (`clerk` on its post, `window_head` heading it) and leave asked
for through the service.

`window` is a pytest fixture: a test module that needs it imports it by name."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Center, Department, Window
from govhall.staffing.models.leave import Leave, LeaveKind
from govhall.staffing.services.leave import leave_request
from govhall.testing.factories import PostFactory, WindowFactory


@pytest.fixture
def window(county: Center, department: Department, window_head: User, clerk: User) -> Window:
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk)
    return window


def future_day(offset: int = 7) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def at(day: datetime.date, clock: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, clock))


def ask(
    user: User, day: datetime.date, last: datetime.date | None = None, kind: str = LeaveKind.SICK
) -> Leave:
    """`user` asks for leave from `day` 8:30 to `last` (or `day`) 17:30."""
    return leave_request(
        actor=user,
        kind=kind,
        starts_at=at(day, datetime.time(8, 30)),
        ends_at=at(last or day, datetime.time(17, 30)),
        reason="看病",
    )
