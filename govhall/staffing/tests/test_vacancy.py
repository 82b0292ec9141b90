"""Empty-post alerts (空岗): opened when nobody can serve during service hours, closed when
somebody can again; idempotent; nothing outside service hours or on days off."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.staffing.models import Leave, PostVacancy
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.services.presence import (
    in_service_hours,
    vacancies_scan,
    vacancies_scan_all,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


MONDAY_TEN = local(2025, 11, 3, 10, 0)


@pytest.fixture
def posts(county, department):
    a = make_staff(Role.CLERK, county, department, username="a1", window_staff=True)
    window = WindowFactory(center=county)
    signed_in(a, at=MONDAY_TEN)
    return PostFactory(window=window, a_staff=a), PostFactory(window=window, name="空岗位")


def test_in_service_hours_boundaries(county):
    assert not in_service_hours(county, local(2025, 11, 3, 8, 29))
    assert in_service_hours(county, local(2025, 11, 3, 8, 30))
    assert in_service_hours(county, local(2025, 11, 3, 11, 59))
    assert not in_service_hours(county, local(2025, 11, 3, 12, 0))
    assert in_service_hours(county, local(2025, 11, 3, 14, 30))
    assert not in_service_hours(county, local(2025, 11, 3, 17, 30))
    assert not in_service_hours(county, local(2025, 11, 1, 10, 0))  # Saturday
    assert not in_service_hours(county, local(2025, 10, 3, 10, 0))  # National Day
    assert in_service_hours(county, local(2025, 9, 28, 10, 0))  # make-up working Sunday


def test_scan_opens_once_and_closes(posts, county):
    served, empty = posts
    opened, closed = vacancies_scan(center=county, at=MONDAY_TEN)
    assert [v.post for v in opened] == [empty] and closed == []
    event = Event.objects.get(action="post_vacancy.open")
    assert event.center_id == county.pk and event.data["post_id"] == empty.pk
    assert vacancies_scan(center=county, at=MONDAY_TEN + datetime.timedelta(minutes=5)) == ([], [])
    assert PostVacancy.objects.count() == 1
    Leave.objects.create(
        user=served.a_staff,
        center=county,
        kind=LeaveKind.SICK,
        starts_at=MONDAY_TEN,
        ends_at=MONDAY_TEN + datetime.timedelta(hours=3),
        reason="病",
        status=LeaveStatus.APPROVED,
    )
    opened, _ = vacancies_scan(center=county, at=MONDAY_TEN + datetime.timedelta(minutes=10))
    assert [v.post for v in opened] == [served]
    later = MONDAY_TEN + datetime.timedelta(hours=4, minutes=30)  # 14:30, leave over
    opened, closed = vacancies_scan(center=county, at=later)
    assert opened == [] and [v.post for v in closed] == [served]
    assert PostVacancy.objects.get(post=served).ended_at == later
    assert PostVacancy.objects.filter(ended_at__isnull=True).get().post == empty
    assert Event.objects.filter(action="post_vacancy.close").count() == 1


@pytest.mark.parametrize(
    "moment", [local(2025, 11, 3, 7, 0), local(2025, 11, 3, 13, 0), local(2025, 11, 2, 10, 0)]
)
def test_scan_ignores_out_of_hours(posts, county, moment):
    assert vacancies_scan(center=county, at=moment) == ([], [])
    assert not PostVacancy.objects.exists()
    assert not Event.objects.filter(action__startswith="post_vacancy.").exists()


def test_scan_ignores_other_centers_and_inactive_windows(posts, county, other_county):
    PostFactory(window=WindowFactory(center=other_county))
    PostFactory(window=WindowFactory(center=county, is_active=False))
    opened, _ = vacancies_scan(center=county, at=MONDAY_TEN)
    assert [v.post for v in opened] == [posts[1]]


def test_scan_all_covers_every_active_center(posts, county, other_county):
    PostFactory(window=WindowFactory(center=other_county))
    assert vacancies_scan_all(at=MONDAY_TEN) == 2
    assert vacancies_scan_all(at=MONDAY_TEN) == 0
    assert PostVacancy.objects.filter(center=other_county).count() == 1
