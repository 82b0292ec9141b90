"""The bad-rating inbox (overdue first, scoped) and the month's targets: 实名差评回访率 and 整改率
(issue 15 item 1)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from govhall.core.models import User
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.feedback.queries.rating_follow_up import (
    BadRatingViewer,
    bad_rating_inbox,
    follow_up_targets,
)
from govhall.org.models import Center, Department, Window
from govhall.testing.factories import DepartmentFactory
from govhall.testing.rating_follow_up import bad_rating, rated_case, rated_window

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
OCTOBER = datetime.date(2025, 10, 1)


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2025, month, day, hour, tzinfo=TZ)


@pytest.fixture
def window(county: Center, department: Department, window_head: User) -> Window:
    return rated_window(county, department, window_head)


def _rate(window: Window, department: Department, clerk: User, **fields: object) -> Rating:
    rated_at = fields.pop("rated_at", at(10, 13))
    return bad_rating(rated_case(window, department, clerk), rated_at=rated_at, **fields)


def test_targets_of_a_month(
    county: Center,
    other_county: Center,
    department: Department,
    window: Window,
    clerk: User,
    director: User,
    dept_leader: User,
) -> None:
    due = at(10, 14, 17)
    in_time, late = at(10, 14, 9), at(10, 15, 9)
    # real-name, called back in time, justified and rectified
    _rate(window, department, clerk, called_back_at=in_time, justified=True, rectified_at=late)
    # real-name, called back late, justified, not rectified
    _rate(window, department, clerk, called_back_at=late, justified=True)
    # anonymous (no phone): not in the call-back rate; justified and rectified
    _rate(
        window,
        department,
        clerk,
        rater_phone="",
        called_back_at=in_time,
        justified=True,
        rectified_at=late,
    )
    # real-name, not called back yet
    _rate(window, department, clerk)
    # excluded on appeal: never counts
    _rate(
        window,
        department,
        clerk,
        follow_up=FollowUpStatus.EXCLUDED,
        excluded=True,
        justified=True,
    )
    # a good rating, a bad one of November, and one of another county
    _rate(window, department, clerk, level=5, follow_up=FollowUpStatus.NONE)
    _rate(window, department, clerk, rated_at=at(11, 3))
    far = rated_window(other_county, DepartmentFactory(center=other_county), None)
    _rate(far, department, None)
    for rating in Rating.objects.filter(call_back_due_at__isnull=False):
        Rating.objects.filter(pk=rating.pk).update(call_back_due_at=due)

    targets = follow_up_targets(director, OCTOBER)
    assert (targets.call_back.done, targets.call_back.total) == (1, 3)
    assert targets.call_back.percent == Decimal("33.3") and targets.call_back.met is False
    assert (targets.rectification.done, targets.rectification.total) == (2, 3)
    assert targets.rectification.percent == Decimal("66.7")
    assert targets.target == 100
    # the department leader sees the same department; another department's leader nothing
    assert follow_up_targets(dept_leader, OCTOBER).call_back.total == 3
    empty = follow_up_targets(director, datetime.date(2025, 9, 1))
    assert empty.call_back.percent is None and empty.rectification.met is None


def test_inbox_overdue_first_and_scoped(
    county: Center,
    department: Department,
    other_department: Department,
    window: Window,
    clerk: User,
    director: User,
    dept_leader: User,
    supervisor: User,
    reviewer: User,
    outsider: User,
) -> None:
    now = at(10, 20, 12)
    fresh = _rate(window, department, clerk, rated_at=at(10, 20, 9))
    overdue = _rate(window, department, clerk, rated_at=at(10, 16, 9))
    closed = _rate(window, department, clerk, follow_up=FollowUpStatus.CLOSED)
    other_window = rated_window(county, other_department, None)
    elsewhere = _rate(other_window, other_department, None, rated_at=at(10, 20, 10))

    rows = list(bad_rating_inbox(director, now=now))
    assert rows[0] == overdue and rows[0].is_overdue == 1
    assert set(rows) == {fresh, overdue, elsewhere}
    assert set(bad_rating_inbox(director, now=now, show="all")) == {
        fresh,
        overdue,
        closed,
        elsewhere,
    }
    assert list(bad_rating_inbox(director, now=now, show="overdue")) == [overdue]
    assert set(bad_rating_inbox(supervisor, now=now)) == {fresh, overdue, elsewhere}
    assert set(bad_rating_inbox(dept_leader, now=now)) == {fresh, overdue}
    for user in (reviewer, clerk, outsider):
        assert list(bad_rating_inbox(user, now=now)) == []
    assert not BadRatingViewer(supervisor).sees_rater(overdue)
    assert BadRatingViewer(dept_leader).sees_rater(overdue)
