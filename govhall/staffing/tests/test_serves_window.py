"""Who serves this window now: the one function family in staffing/queries/cover.py and its
one cache (`remembering_cover`), which the queue, the case intake and the inboxes all use."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Absence
from govhall.staffing.models.presence import AbsenceStatus
from govhall.staffing.queries.cover import (
    headed_window_ids,
    remembering_cover,
    served_window_ids,
    serves_window,
    window_ids_at_hand,
)
from govhall.testing.factories import PostFactory, UserFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
BASE = timezone.make_aware(datetime.datetime(2025, 11, 3, 8, 0))  # a Monday


def at_minute(minute: int) -> datetime.datetime:
    return BASE + datetime.timedelta(minutes=minute)


@pytest.fixture
def hall(county, department):
    a = make_staff(Role.CLERK, county, department, username="a", window_staff=True)
    b = make_staff(Role.CLERK, county, department, username="b", window_staff=True)
    head = make_staff(Role.WINDOW_HEAD, county, department, username="h", window_staff=True)
    window = WindowFactory(center=county, head=head)
    other = WindowFactory(center=county)
    post = PostFactory(window=window, a_staff=a, b_staff=b)
    return window, other, post, a, b, head


def away(user, center, start: int) -> Absence:
    return Absence.objects.create(
        user=user,
        center=center,
        whereabouts="档案室",
        starts_at=at_minute(start),
        until=at_minute(start + 30),
        status=AbsenceStatus.AWAY,
    )


def cover_queries(captured: CaptureQueriesContext) -> int:
    """Queries that compute cover (the candidate posts are read once per answer)."""
    return sum('FROM "org_post"' in q["sql"] for q in captured.captured_queries)


def test_serves_window_follows_cover(hall, county):
    window, other, _post, a, b, head = hall
    assert serves_window(a, window, at_minute(0))
    assert not serves_window(b, window, at_minute(0))
    assert not serves_window(a, other, at_minute(0))
    away(a, county, 5)
    assert not serves_window(a, window, at_minute(10))
    assert serves_window(b, window, at_minute(10))
    # The head serves the window they head, whoever is at the post.
    assert serves_window(head, window, at_minute(0))
    assert served_window_ids(head, at_minute(0)) == frozenset()


def test_serves_window_needs_a_window_role_but_not_for_a_superuser(hall, county, department):
    window, other, post, *_ = hall
    director = make_staff(Role.DIRECTOR, county, department, username="d")
    post.a_staff = director
    post.save()
    assert served_window_ids(director, at_minute(0)) == frozenset({window.pk})
    assert not serves_window(director, window, at_minute(0))
    root = UserFactory(is_superuser=True)
    assert serves_window(root, other, at_minute(0))
    assert not serves_window(None, window, at_minute(0))


def test_window_ids_at_hand_are_served_and_headed(hall, county):
    window, other, _post, a, b, head = hall
    other.head = b
    other.save()
    assert window_ids_at_hand(a, at_minute(0)) == [window.pk]
    assert window_ids_at_hand(b, at_minute(0)) == [other.pk]
    away(a, county, 5)
    assert window_ids_at_hand(b, at_minute(10)) == sorted([window.pk, other.pk])
    assert headed_window_ids(head) == frozenset({window.pk})
    other.is_active = False
    other.save()
    assert headed_window_ids(b) == frozenset()


def test_outside_a_scope_every_answer_is_fresh(hall, county):
    window, _other, _post, a, _b, _head = hall
    moment = at_minute(10)
    assert serves_window(a, window, moment)
    away(a, county, 5)
    assert not serves_window(a, window, moment)


def test_one_scope_computes_each_answer_once(hall, county):
    window, _other, _post, a, b, _head = hall
    moment = at_minute(10)
    with CaptureQueriesContext(connection) as captured, remembering_cover():
        for _ in range(3):
            assert serves_window(a, window, moment)
            assert served_window_ids(a, moment) == frozenset({window.pk})
        with remembering_cover():  # a nested scope shares the outer memo
            assert window_ids_at_hand(a, moment) == [window.pk]
        assert not serves_window(b, window, moment)
        # Inside the scope the answer for (a, moment) is remembered, even after a change...
        away(a, county, 5)
        assert serves_window(a, window, moment)
        # ...but another moment is another answer.
        assert not serves_window(a, window, at_minute(11))
    assert cover_queries(captured) == 3  # a at 10, b at 10, a at 11
    # The scope is over: fresh again.
    assert not serves_window(a, window, moment)


def test_scope_works_as_a_decorator(hall):
    window, _other, _post, a, _b, _head = hall

    @remembering_cover()
    def ask_twice() -> None:
        serves_window(a, window, at_minute(0))
        serves_window(a, window, at_minute(0))

    with CaptureQueriesContext(connection) as captured:
        ask_twice()
    assert cover_queries(captured) == 1
    with CaptureQueriesContext(connection) as captured:
        ask_twice()
    assert cover_queries(captured) == 1
