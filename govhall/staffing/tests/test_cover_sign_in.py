"""A clerk who has not signed in does not serve (issue 16, item 3).

During service hours on a working day, once the session's opening plus the grace period
(GOVHALL_SIGN_IN_GRACE_MINUTES) has passed, cover treats a person without a sign-in that day as
away: B serves, then the window head, else the post is empty. Outside service hours, on days
off, within the grace period and for moments still to come nothing changes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Attendance, PostVacancy
from govhall.staffing.queries.cover import (
    posts_served_by,
    posts_with_people,
    serves_window,
    who_serves,
    who_serves_many,
)
from govhall.staffing.services.attendance import attendance_sign_in
from govhall.staffing.services.presence import vacancies_scan
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

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
def trio(county, department):
    a = make_staff(Role.CLERK, county, department, username="a", window_staff=True)
    b = make_staff(Role.CLERK, county, department, username="b", window_staff=True)
    head = make_staff(Role.WINDOW_HEAD, county, department, username="h", window_staff=True)
    window = WindowFactory(center=county, head=head)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    return post, a, b, head


def serving(post, moment):
    found = who_serves(posts_with_people().get(pk=post.pk), moment)
    return found.user, found.role


def test_after_the_grace_period_b_serves_for_a_who_has_not_signed_in(trio):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    assert serving(post, at(MONDAY, 8, 40)) == (a, "a")  # the last minute of grace
    assert serving(post, at(MONDAY, 8, 41)) == (b, "b")
    assert serving(post, at(MONDAY, 11, 59)) == (b, "b")
    assert serves_window(b, post.window, at(MONDAY, 9, 0))
    assert not serves_window(a, post.window, at(MONDAY, 9, 0))
    assert posts_served_by(b, at(MONDAY, 9, 0)) == [post]
    assert posts_served_by(a, at(MONDAY, 9, 0)) == []


def test_a_serves_again_from_the_sign_in(trio, county):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    attendance_sign_in(actor=a, at=at(MONDAY, 9, 5))
    assert serving(post, at(MONDAY, 9, 4)) == (b, "b")
    assert serving(post, at(MONDAY, 9, 5)) == (a, "a")
    assert serving(post, at(MONDAY, 15, 0)) == (a, "a")  # a day's sign-in holds for the afternoon


def test_the_afternoon_session_has_its_own_grace(trio):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    assert serving(post, at(MONDAY, 14, 40)) == (a, "a")
    assert serving(post, at(MONDAY, 14, 41)) == (b, "b")


@pytest.mark.parametrize(
    "moment",
    [
        at(MONDAY, 8, 0),  # before opening
        at(MONDAY, 12, 30),  # lunch
        at(MONDAY, 19, 0),  # evening
        at(SATURDAY, 10, 0),  # a day off
    ],
)
def test_outside_service_hours_nothing_changes(trio, moment):
    post, a, _b, _head = trio
    assert serving(post, moment) == (a, "a")


def test_a_moment_still_to_come_is_not_judged_by_sign_in(trio):
    post, a, _b, _head = trio
    tomorrow = timezone.localdate() + datetime.timedelta(days=7)
    while tomorrow.weekday() >= 5:
        tomorrow += datetime.timedelta(days=1)
    assert serving(post, at(tomorrow, 10, 0)) == (a, "a")


def test_head_serves_then_nobody_and_the_empty_post_alert_opens(trio, county):
    post, _a, b, head = trio
    signed_in(head, at=at(MONDAY, 8, 0))
    assert serving(post, at(MONDAY, 9, 0)) == (head, "head")
    Attendance.objects.all().delete()
    assert serving(post, at(MONDAY, 9, 0)) == (None, None)
    opened, _closed = vacancies_scan(center=county, at=at(MONDAY, 9, 0))
    assert [vacancy.post for vacancy in opened] == [post]
    # Someone signs in: the post is served again and the vacancy closes.
    attendance_sign_in(actor=b, at=at(MONDAY, 9, 20))
    _opened, closed = vacancies_scan(center=county, at=at(MONDAY, 9, 21))
    assert [vacancy.post for vacancy in closed] == [post]
    assert PostVacancy.objects.get().ended_at == at(MONDAY, 9, 21)


def test_the_grace_period_is_a_setting(trio, settings):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    settings.GOVHALL_SIGN_IN_GRACE_MINUTES = 30
    assert serving(post, at(MONDAY, 9, 0)) == (a, "a")
    assert serving(post, at(MONDAY, 9, 1)) == (b, "b")


def test_one_query_for_sign_ins_however_many_posts(county, department):
    def hall(n: int) -> list:
        posts = []
        for _ in range(n):
            a = make_staff(Role.CLERK, county, department, window_staff=True)
            b = make_staff(Role.CLERK, county, department, window_staff=True)
            posts.append(PostFactory(window=WindowFactory(center=county), a_staff=a, b_staff=b))
        return posts

    def cost(posts: list) -> int:
        loaded = list(posts_with_people().filter(pk__in=[p.pk for p in posts]))
        who_serves_many(loaded, at(MONDAY, 9, 0))  # the calendar is cached from here on
        with CaptureQueriesContext(connection) as captured:
            answers = who_serves_many(loaded, at(MONDAY, 9, 0))
        assert all(answer.role == "b" for answer in answers)
        return len(captured)

    few = hall(2)
    many = few + hall(6)
    signed_in(*[p.b_staff for p in many], at=at(MONDAY, 8, 0))
    assert cost(few) == cost(many)


def _row(user, county, **moments: datetime.datetime) -> Attendance:
    return Attendance.objects.create(user=user, center=county, date=MONDAY, **moments)


def test_a_midday_sign_out_needs_the_afternoon_sign_in(trio, county):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    row = _row(a, county, signed_in_at=at(MONDAY, 8, 15), morning_signed_out_at=at(MONDAY, 12, 0))
    assert serving(post, at(MONDAY, 11, 0)) == (a, "a")
    assert serving(post, at(MONDAY, 14, 41)) == (b, "b")
    row.afternoon_signed_in_at = at(MONDAY, 14, 50)
    row.save()
    assert serving(post, at(MONDAY, 14, 49)) == (b, "b")
    assert serving(post, at(MONDAY, 14, 50)) == (a, "a")


def test_an_afternoon_sign_in_alone_serves_the_afternoon(trio, county):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    _row(a, county, afternoon_signed_in_at=at(MONDAY, 14, 20))  # a morning on leave, say
    assert serving(post, at(MONDAY, 10, 0)) == (b, "b")
    assert serving(post, at(MONDAY, 15, 0)) == (a, "a")


def test_signed_out_for_the_day_no_longer_serves(trio, county):
    post, a, b, head = trio
    signed_in(b, head, at=at(MONDAY, 8, 0))
    _row(a, county, signed_in_at=at(MONDAY, 8, 15), signed_out_at=at(MONDAY, 16, 0))
    assert serving(post, at(MONDAY, 15, 59)) == (a, "a")
    assert serving(post, at(MONDAY, 16, 0)) == (b, "b")


def test_a_hall_without_sign_in_can_switch_the_rule_off(trio, settings):
    post, a, _b, _head = trio
    assert serving(post, at(MONDAY, 9, 0)) == (None, None)
    settings.GOVHALL_COVER_NEEDS_SIGN_IN = False
    assert serving(post, at(MONDAY, 9, 0)) == (a, "a")
