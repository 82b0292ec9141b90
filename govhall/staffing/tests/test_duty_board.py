"""The duty board's 在岗 is what is true (issue 17 item 6): present means signed in and not away;
before opening the board shows who is expected; nobody is present at 06:00 or after closing.
Every moment is explicit (`at=`), so the tests do not depend on the clock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.queries.cover import posts_with_people
from govhall.staffing.queries.duty_board import duty_board, hall_phase
from govhall.staffing.services.attendance import attendance_sign_in
from govhall.staffing.services.presence import absence_start
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2025, 11, 3)  # county hours 8:30–12:00 and 14:30–17:30
SATURDAY = datetime.date(2025, 11, 8)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture(autouse=True)
def _grace(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GOVHALL_SIGN_IN_GRACE_MINUTES = 10
    settings.GOVHALL_COVER_NEEDS_SIGN_IN = True


@pytest.fixture
def pair(county, department):
    a = make_staff(Role.CLERK, county, department, username="a", window_staff=True)
    b = make_staff(Role.CLERK, county, department, username="b", window_staff=True)
    window = WindowFactory(center=county)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    return post, a, b


def row(post, moment):
    (answer,) = duty_board([posts_with_people().get(pk=post.pk)], moment)
    return answer.serving.user, answer.state


def test_nobody_is_present_at_six_even_signed_in_early(pair):
    post, a, _b = pair
    assert row(post, at(MONDAY, 6, 0)) == (a, "expected")
    attendance_sign_in(actor=a, at=at(MONDAY, 5, 50))
    assert row(post, at(MONDAY, 6, 0)) == (a, "expected")


def test_present_only_once_signed_in_and_not_away(pair):
    post, a, b = pair
    # Within the grace period nobody has signed in: A is expected, not present.
    assert row(post, at(MONDAY, 8, 35)) == (a, "expected")
    attendance_sign_in(actor=a, at=at(MONDAY, 8, 36))
    assert row(post, at(MONDAY, 8, 37)) == (a, "present")
    assert row(post, at(MONDAY, 12, 30)) == (a, "present")  # the midday break
    # A steps away (去向牌): B serves but has not signed in, so the post is empty.
    absence_start(actor=a, whereabouts="档案室", until=at(MONDAY, 9, 30), at=at(MONDAY, 9, 0))
    assert row(post, at(MONDAY, 9, 5)) == (None, "empty")
    attendance_sign_in(actor=b, at=at(MONDAY, 9, 6))
    assert row(post, at(MONDAY, 9, 10)) == (b, "present")


def test_after_closing_and_on_days_off_nobody_is_on_duty(pair, county):
    post, a, _b = pair
    attendance_sign_in(actor=a, at=at(MONDAY, 8, 20))
    assert row(post, at(MONDAY, 17, 30)) == (a, "closed")
    assert row(post, at(SATURDAY, 10, 0))[1] == "closed"
    assert hall_phase(county, at(MONDAY, 6, 0)) == "before"
    assert hall_phase(county, at(MONDAY, 10, 0)) == "open"
    assert hall_phase(county, at(MONDAY, 18, 0)) == "after"
    assert hall_phase(county, at(SATURDAY, 10, 0)) == "off"


def test_a_hall_without_sign_in_counts_whoever_serves_in_opening_hours(pair, settings):
    settings.GOVHALL_COVER_NEEDS_SIGN_IN = False
    post, a, _b = pair
    assert row(post, at(MONDAY, 6, 0)) == (a, "expected")
    assert row(post, at(MONDAY, 10, 0)) == (a, "present")
