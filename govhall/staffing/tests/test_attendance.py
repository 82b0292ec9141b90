"""Sign-in and sign-out judgments, hall networks, working days and closing a day."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.org.models import Center
from govhall.staffing.models import Attendance, HallNetwork, Leave
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.services.attendance import (
    attendance_close_day,
    attendance_sign_in,
    attendance_sign_out,
    late_minutes_for,
)
from govhall.testing.factories import CenterFactory, make_staff

pytestmark = pytest.mark.django_db

WORKDAY = datetime.date(2026, 11, 24)  # a Tuesday
MAKEUP_SATURDAY = datetime.date(2026, 10, 10)  # 调休: a Saturday worked in 2026
NATIONAL_DAY = datetime.date(2026, 10, 1)


def at(day: datetime.date, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute, second)))


CLOSING = at(WORKDAY, 18, 0)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "late"),
    [
        (7, 55, 0, 0),
        (8, 20, 0, 0),
        (8, 20, 59, 0),  # judged by the whole minute: still the on-time minute
        (8, 21, 0, 1),
        (8, 30, 0, 10),
        (9, 5, 30, 45),
    ],
)
def test_sign_in_late_minutes_at_the_boundary(clerk, hour, minute, second, late):
    attendance = attendance_sign_in(actor=clerk, at=at(WORKDAY, hour, minute, second))
    assert attendance.late_minutes == late
    assert attendance.date == WORKDAY
    assert attendance.missed_sign_in is False


def test_early_arrival_minutes_come_from_the_center(county, clerk):
    county.early_arrival_minutes = 0
    county.morning_opens = datetime.time(9, 0)
    county.save()
    assert attendance_sign_in(actor=clerk, at=at(WORKDAY, 9, 0, 59)).late_minutes == 0
    other = make_staff(Role.CLERK, county, username="clerk2")
    assert attendance_sign_in(actor=other, at=at(WORKDAY, 9, 1)).late_minutes == 1


@given(minute_of_day=st.integers(min_value=0, max_value=24 * 60 - 1))
def test_late_minutes_property(minute_of_day):
    center = Center(morning_opens=datetime.time(8, 30), early_arrival_minutes=10)
    moment = datetime.time(minute_of_day // 60, minute_of_day % 60, 59)
    late = late_minutes_for(center, moment)
    assert late == max(0, minute_of_day - (8 * 60 + 20))
    assert (late == 0) == (minute_of_day <= 8 * 60 + 20)


@pytest.mark.parametrize(
    ("hour", "minute", "second", "early"),
    [(17, 29, 59, 1), (17, 29, 0, 1), (17, 30, 0, 0), (18, 5, 0, 0), (15, 0, 0, 150)],
)
def test_sign_out_early_leave_minutes(clerk, hour, minute, second, early):
    attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 0))
    attendance = attendance_sign_out(actor=clerk, at=at(WORKDAY, hour, minute, second))
    assert attendance.early_leave_minutes == early
    assert attendance.signed_out_at == at(WORKDAY, hour, minute, second)


def test_sign_in_twice_is_refused_and_keeps_the_first(clerk):
    first = attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 10))
    with pytest.raises(Conflict, match="already signed in today at 08:10"):
        attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 40))
    first.refresh_from_db()
    assert first.signed_in_at == at(WORKDAY, 8, 10)
    assert first.late_minutes == 0
    assert Attendance.objects.count() == 1


def test_sign_out_twice_is_refused(clerk):
    attendance_sign_out(actor=clerk, at=at(WORKDAY, 17, 40))
    with pytest.raises(Conflict, match="already signed out"):
        attendance_sign_out(actor=clerk, at=at(WORKDAY, 17, 50))


def test_signing_writes_events(clerk, county):
    attendance = attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 25))
    attendance_sign_out(actor=clerk, at=at(WORKDAY, 17, 0))
    events = list(
        Event.objects.filter(
            object_type="staffing.attendance", object_id=str(attendance.pk)
        ).order_by("id")
    )
    assert [e.action for e in events] == ["attendance.sign_in", "attendance.sign_out"]
    assert events[0].data["late_minutes"] == 5
    assert events[1].data["early_leave_minutes"] == 30
    assert events[0].center_id == county.pk


def test_sign_in_on_a_make_up_working_day_is_accepted(clerk):
    attendance = attendance_sign_in(actor=clerk, at=at(MAKEUP_SATURDAY, 8, 15))
    assert attendance.date == MAKEUP_SATURDAY
    assert attendance.late_minutes == 0


def test_sign_in_on_a_national_holiday_is_refused(clerk):
    with pytest.raises(ValidationError, match="not a working day"):
        attendance_sign_in(actor=clerk, at=at(NATIONAL_DAY, 8, 15))
    with pytest.raises(ValidationError, match="not a working day"):
        attendance_sign_out(actor=clerk, at=at(NATIONAL_DAY, 17, 45))
    assert not Attendance.objects.exists()


def test_sign_in_on_an_ordinary_weekend_is_refused(clerk):
    with pytest.raises(ValidationError, match="not a working day"):
        attendance_sign_in(actor=clerk, at=at(datetime.date(2026, 11, 28), 8, 15))


def test_without_a_workplace_signing_is_refused(db):
    from govhall.testing.factories import UserFactory

    nobody = UserFactory(username="nobody")
    with pytest.raises(ValidationError, match="not registered as staff"):
        attendance_sign_in(actor=nobody, at=at(WORKDAY, 8, 0))


def test_hall_network_restricts_signing(clerk, county, other_county):
    HallNetwork.objects.create(center=county, cidr="10.20.0.0/16")
    HallNetwork.objects.create(center=county, cidr="2001:db8::/32")
    # Another center's networks do not matter.
    HallNetwork.objects.create(center=other_county, cidr="192.168.0.0/16")
    for address in ("192.168.1.5", None, "not-an-address", "10.21.0.1"):
        with pytest.raises(ValidationError, match="hall's network"):
            attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 0), address=address)
    assert not Attendance.objects.filter(signed_in_at__isnull=False).exists()
    attendance = attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 0), address="10.20.3.4")
    assert attendance.sign_in_address == "10.20.3.4"
    other = make_staff(Role.CLERK, county, username="clerk6")
    assert attendance_sign_in(actor=other, at=at(WORKDAY, 8, 0), address="2001:db8::1").pk


def test_any_address_is_fine_without_hall_networks(clerk):
    assert attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 0), address="203.0.113.9").pk


def _leave(user, center: Center, first: datetime.date, days: int, status: str) -> Leave:
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.ANNUAL,
        starts_at=at(first, 8, 30),
        ends_at=at(first + datetime.timedelta(days=days - 1), 17, 30),
        reason="年休",
        status=status,
    )


def test_close_day_marks_missed_and_on_leave(
    county, director, clerk, window_head, guide, other_county
):
    on_leave = make_staff(Role.CLERK, county, username="on-leave")
    pending = make_staff(Role.CLERK, county, username="pending")
    inactive = make_staff(Role.CLERK, county, username="gone")
    inactive.is_active = False
    inactive.save()
    stranger = make_staff(Role.CLERK, other_county, username="stranger")
    _leave(on_leave, county, WORKDAY - datetime.timedelta(days=1), 2, LeaveStatus.APPROVED)
    _leave(pending, county, WORKDAY, 1, LeaveStatus.PENDING)
    attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 40))
    attendance_sign_out(actor=window_head, at=at(WORKDAY, 17, 40))  # out, but never in

    result = attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)

    rows = {
        a.user.username: a for a in Attendance.objects.filter(date=WORKDAY).select_related("user")
    }
    assert rows["clerk"].missed_sign_in is False
    assert rows["clerk"].late_minutes == 20
    assert rows["head"].missed_sign_in is True
    assert rows["on-leave"].on_leave is True and rows["on-leave"].missed_sign_in is False
    assert rows["pending"].missed_sign_in is True and rows["pending"].on_leave is False
    assert rows["director"].missed_sign_in is True
    assert rows["guide"].missed_sign_in is True
    assert "gone" not in rows and "stranger" not in rows
    assert result == {"missed": 4, "on_leave": 1}
    assert stranger.pk
    assert Event.objects.filter(action="attendance.close_day", object_id=str(county.pk)).exists()


def test_close_day_is_idempotent_and_follows_changes(
    county, director, clerk, django_assert_max_num_queries
):
    attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)
    leave = _leave(clerk, county, WORKDAY, 1, LeaveStatus.APPROVED)
    with django_assert_max_num_queries(12):
        second = attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)
    assert second == {"missed": 1, "on_leave": 1}
    assert Attendance.objects.filter(date=WORKDAY).count() == 2
    leave.status = LeaveStatus.CANCELLED
    leave.save()
    assert attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING) == {
        "missed": 2,
        "on_leave": 0,
    }


def test_closing_a_day_again_moves_updated_at_of_its_rows(county, director, clerk):
    """The rows are updated in bulk (no auto_now): closing sets `updated_at` itself, so readers
    of "changed since" (the people scan) see a day closed again."""
    attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Attendance.objects.update(updated_at=long_ago)
    before = timezone.now()
    attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)
    stamps = list(Attendance.objects.filter(date=WORKDAY).values_list("updated_at", flat=True))
    assert len(stamps) == 2 and all(stamp >= before for stamp in stamps)


def test_close_day_query_count_does_not_grow_with_staff(
    county, director, django_assert_max_num_queries
):
    for number in range(30):
        make_staff(Role.CLERK, county, username=f"many{number}")
    with django_assert_max_num_queries(12):
        result = attendance_close_day(actor=director, center=county, day=WORKDAY, at=CLOSING)
    assert result["missed"] == 31


def test_close_day_refuses_holidays_and_future_days(county, director):
    with pytest.raises(ValidationError, match="not a working day"):
        attendance_close_day(actor=director, center=county, day=NATIONAL_DAY)
    with pytest.raises(ValidationError, match="once it has begun"):
        attendance_close_day(
            actor=director, center=county, day=WORKDAY, at=at(WORKDAY - datetime.timedelta(1), 9, 0)
        )
    assert not Attendance.objects.exists()


def test_other_centers_hours_judge_their_staff(db):
    town = CenterFactory(code="999", name="镇", morning_opens=datetime.time(9, 0))
    person = make_staff(Role.CLERK, town, username="towner")
    assert attendance_sign_in(actor=person, at=at(WORKDAY, 8, 50)).late_minutes == 0
