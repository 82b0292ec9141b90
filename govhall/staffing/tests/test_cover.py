"""Who serves a post now: A, else the designated cover, B, the window head, or nobody."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.roles import Role
from govhall.staffing.models import Absence, Delegation, Leave
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus, DelegationReason
from govhall.staffing.queries.cover import (
    posts_served_by,
    posts_with_people,
    who_serves,
    who_serves_many,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db
BASE = timezone.make_aware(datetime.datetime(2025, 11, 3, 8, 0))  # a Monday


def at_minute(minute: int) -> datetime.datetime:
    return BASE + datetime.timedelta(minutes=minute)


@pytest.fixture
def trio(county, department):
    a = make_staff(Role.CLERK, county, department, username="a", window_staff=True)
    b = make_staff(Role.CLERK, county, department, username="b", window_staff=True)
    head = make_staff(Role.WINDOW_HEAD, county, department, username="h", window_staff=True)
    window = WindowFactory(center=county, head=head)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    signed_in(a, b, head, at=BASE)  # at their posts: only leave and absence take them away
    return post, a, b, head


def leave(user, center, start: int, end: int, status=LeaveStatus.APPROVED) -> Leave:
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.PERSONAL,
        starts_at=at_minute(start),
        ends_at=at_minute(end),
        reason="事",
        status=status,
    )


def absence(user, center, start: int, returned: int | None) -> Absence:
    return Absence.objects.create(
        user=user,
        center=center,
        whereabouts="档案室",
        starts_at=at_minute(start),
        until=at_minute(start + 15),
        returned_at=None if returned is None else at_minute(returned),
        status=AbsenceStatus.AWAY if returned is None else AbsenceStatus.RETURNED,
    )


interval = st.tuples(st.integers(0, 600), st.integers(1, 300))
person_pattern = st.fixed_dictionaries(
    {
        "active": st.booleans() | st.just(True),
        "leaves": st.lists(
            st.tuples(interval, st.sampled_from([LeaveStatus.APPROVED, LeaveStatus.PENDING])),
            max_size=2,
        ),
        "absences": st.lists(st.tuples(interval, st.booleans()), max_size=2),
    }
)


def available(pattern: dict, minute: int) -> bool:
    if not pattern["active"]:
        return False
    for (start, length), status in pattern["leaves"]:
        if status == LeaveStatus.APPROVED and start <= minute < start + length:
            return False
    for (start, length), returned in pattern["absences"]:
        if start <= minute and (not returned or minute < start + length):
            return False
    return True


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    patterns=st.tuples(person_pattern, person_pattern, person_pattern, person_pattern),
    designation=st.none() | interval,
    moments=st.lists(st.integers(0, 900), min_size=1, max_size=6),
)
def test_cover_order_over_generated_patterns(
    trio, county, department, patterns, designation, moments
):
    post, *people = trio
    cover = make_staff(None, county, department, window_staff=True)
    signed_in(cover, at=BASE)
    Delegation.objects.all().delete()
    Leave.objects.all().delete()
    Absence.objects.all().delete()
    a, b, head = people
    ordered = [(a, "a"), (cover, "cover"), (b, "b"), (head, "head")]
    for (user, _role), pattern in zip(ordered, patterns, strict=True):
        user.is_active = pattern["active"]
        user.save(update_fields=["is_active"])
        for (start, length), status in pattern["leaves"]:
            leave(user, county, start, start + length, status)
        for (start, length), returned in pattern["absences"]:
            absence(user, county, start, start + length if returned else None)
    if designation is not None:
        start, length = designation
        Delegation.objects.create(
            post=post,
            absent_user=a,
            cover_user=cover,
            reason=DelegationReason.ABSENCE,
            starts_at=at_minute(start),
            ends_at=at_minute(start + length),
        )
    post = posts_with_people().get(pk=post.pk)
    for minute in moments:
        serving = who_serves(post, at_minute(minute))
        designated = designation is not None and (
            designation[0] <= minute < designation[0] + designation[1]
        )
        expected = [
            (user, role)
            for (user, role), pattern in zip(ordered, patterns, strict=True)
            if available(pattern, minute) and (role != "cover" or designated)
        ]
        if expected:
            assert (serving.user, serving.role) == expected[0]
        else:
            # Nobody only when truly nobody: A, the designated cover, B and head all unavailable.
            assert serving.user is None and serving.role is None and serving.is_empty
        # Exactly one answer: the board agrees with the single answer.
        (many,) = who_serves_many([post], at_minute(minute))
        assert (many.user, many.role) == (serving.user, serving.role)


def test_leave_boundaries_are_half_open(trio, county):
    post, a, b, _head = trio
    leave(a, county, 60, 120)
    assert who_serves(post, at_minute(59)).user == a
    assert who_serves(post, at_minute(60)).role == "b"
    assert who_serves(post, at_minute(119)).user == b
    assert who_serves(post, at_minute(120)).user == a


def test_pending_or_rejected_leave_does_not_start_cover(trio, county):
    post, a, _b, _head = trio
    leave(a, county, 0, 600, LeaveStatus.PENDING)
    leave(a, county, 0, 600, LeaveStatus.REJECTED)
    assert who_serves(post, at_minute(30)).user == a


def test_overdue_absence_still_counts_until_return(trio, county):
    post, a, b, _head = trio
    absence(a, county, 0, None)  # back by minute 15, still away
    assert who_serves(post, at_minute(200)).user == b


def test_designated_cover_comes_before_b(trio, county, department):
    post, a, b, _head = trio
    other = make_staff(Role.CLERK, county, department, username="o", window_staff=True)
    away = absence(a, county, 0, None)
    Delegation.objects.create(
        post=post,
        absent_user=a,
        cover_user=other,
        reason=DelegationReason.ABSENCE,
        starts_at=at_minute(0),
        absence=away,
    )
    serving = who_serves(post, at_minute(10))
    assert (serving.user, serving.role, serving.is_cover) == (other, "cover", True)
    absence(other, county, 5, None)
    assert who_serves(post, at_minute(10)).user == b
    assert posts_served_by(b, at_minute(10)) == [post]
    assert posts_served_by(a, at_minute(10)) == []


def test_post_without_anyone_is_empty(county):
    post = PostFactory(window=WindowFactory(center=county))
    serving = who_serves(post, at_minute(0))
    assert serving.user is None and "Nobody" in serving.reason


def test_posts_served_by(trio, county):
    post, a, b, head = trio
    own_b_post = PostFactory(window=post.window, a_staff=head, b_staff=None)
    assert posts_served_by(a, at_minute(0)) == [post]
    assert posts_served_by(b, at_minute(0)) == []
    assert posts_served_by(head, at_minute(0)) == [own_b_post]
    leave(a, county, 0, 100)
    leave(b, county, 0, 100)
    assert {p.pk for p in posts_served_by(head, at_minute(1))} == {post.pk, own_b_post.pk}


def test_board_answer_costs_fixed_queries(county, department):
    window = WindowFactory(center=county)
    for n in range(12):
        a = make_staff(Role.CLERK, county, department, username=f"a{n}", window_staff=True)
        PostFactory(window=window, a_staff=a)
        if n % 2:
            leave(a, county, 0, 100)
    posts = posts_with_people().filter(window=window)
    with CaptureQueriesContext(connection) as queries:
        servings = who_serves_many(posts, at_minute(10))
    assert len(servings) == 12
    assert len(queries) <= 4
    assert sum(1 for s in servings if s.user is None) == 6
