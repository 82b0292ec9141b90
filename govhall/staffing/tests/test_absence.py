"""Temporary absence (去向牌): one sign at a time, 20 minutes needs approval and a cover, over
2 hours unapproved is half a day's absenteeism; leave approval opens cover records."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.staffing.models import Absence, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus, DelegationReason
from govhall.staffing.queries.cover import who_serves
from govhall.staffing.services.presence import (
    absence_approve,
    absence_needs_approval,
    absence_return,
    absence_start,
    delegation_open_for_leave,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.sign_in import signed_in

pytestmark = pytest.mark.django_db
NINE = timezone.make_aware(datetime.datetime(2025, 11, 3, 9, 0))  # Monday, service hours


def minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


@pytest.fixture
def post(county, clerk, window_head, department):
    b = make_staff(Role.CLERK, county, department, username="bstaff", window_staff=True)
    window = WindowFactory(center=county, head=window_head)
    signed_in(clerk, b, window_head, at=NINE)
    return PostFactory(window=window, a_staff=clerk, b_staff=b)


def test_start_puts_up_one_sign(post, clerk):
    away = absence_start(actor=clerk, whereabouts="档案室", until=NINE + minutes(10), at=NINE)
    assert (away.window, away.center, away.status) == (post.window, post.window.center, "away")
    assert not absence_needs_approval(away, NINE)
    assert absence_needs_approval(away, NINE + minutes(21))  # overdue past 20 minutes
    assert who_serves(post, NINE + minutes(1)).user == post.b_staff
    with pytest.raises(Conflict, match="already away"):
        absence_start(actor=clerk, whereabouts="食堂", until=NINE + minutes(30), at=NINE)
    assert Absence.objects.filter(user=clerk).count() == 1
    assert Event.objects.filter(action="absence.start").count() == 1


@pytest.mark.parametrize("until", [0, -5])
def test_until_must_be_later(post, clerk, until):
    with pytest.raises(ValidationError) as caught:
        absence_start(actor=clerk, whereabouts="档案室", until=NINE + minutes(until), at=NINE)
    assert "until" in caught.value.message_dict
    assert not Absence.objects.exists()


def test_whereabouts_required(post, clerk):
    with pytest.raises(ValidationError) as caught:
        absence_start(actor=clerk, whereabouts="  ", until=NINE + minutes(5), at=NINE)
    assert "whereabouts" in caught.value.message_dict


def test_twenty_minutes_is_the_boundary(post, clerk):
    short = absence_start(actor=clerk, whereabouts="a", until=NINE + minutes(20), at=NINE)
    assert not absence_needs_approval(short, NINE)
    absence_return(actor=clerk, at=NINE + minutes(5))
    longer = absence_start(
        actor=clerk, whereabouts="a", until=NINE + minutes(31), at=NINE + minutes(10)
    )
    assert absence_needs_approval(longer, NINE + minutes(10))


def test_return_after_two_hours_unapproved_is_half_day(post, clerk):
    absence_start(actor=clerk, whereabouts="外出", until=NINE + minutes(30), at=NINE)
    back = absence_return(actor=clerk, at=NINE + minutes(121))
    assert back.status == AbsenceStatus.RETURNED and back.counted_as_half_day_absenteeism
    event = Event.objects.get(action="absence.mark_half_day_absenteeism")
    assert event.data["minutes"] == 121
    with pytest.raises(ValidationError, match="not away"):
        absence_return(actor=clerk, at=NINE + minutes(130))


def test_exactly_two_hours_or_approved_is_not_absenteeism(
    post, clerk, window_head, department, county
):
    absence_start(actor=clerk, whereabouts="外出", until=NINE + minutes(30), at=NINE)
    assert not absence_return(actor=clerk, at=NINE + minutes(120)).counted_as_half_day_absenteeism
    later = NINE + minutes(180)
    away = absence_start(actor=clerk, whereabouts="外出", until=later + minutes(60), at=later)
    cover = make_staff(Role.CLERK, county, department, username="cover", window_staff=True)
    absence_approve(actor=window_head, absence=away, cover=cover, at=later + minutes(1))
    back = absence_return(actor=clerk, at=later + minutes(200))
    assert not back.counted_as_half_day_absenteeism
    assert not Event.objects.filter(action="absence.mark_half_day_absenteeism").exists()


def test_approve_names_cover_and_opens_delegation(post, clerk, window_head, county, department):
    cover = make_staff(Role.CLERK, county, department, username="cover", window_staff=True)
    signed_in(cover, at=NINE)
    away = absence_start(actor=clerk, whereabouts="开会", until=NINE + minutes(45), at=NINE)
    approved = absence_approve(actor=window_head, absence=away, cover=cover, at=NINE + minutes(2))
    assert (approved.approved_by, approved.cover) == (window_head, cover)
    delegation = Delegation.objects.get(absence=away)
    assert (delegation.post, delegation.absent_user, delegation.cover_user) == (post, clerk, cover)
    assert delegation.reason == DelegationReason.ABSENCE and delegation.ends_at is None
    assert who_serves(post, NINE + minutes(3)).user == cover
    absence_return(actor=clerk, at=NINE + minutes(40))
    delegation.refresh_from_db()
    assert delegation.ends_at == NINE + minutes(40)
    assert who_serves(post, NINE + minutes(41)).user == clerk


def test_approve_rules(post, clerk, window_head, director, county, department, other_county):
    away = absence_start(actor=clerk, whereabouts="开会", until=NINE + minutes(45), at=NINE)
    colleague = make_staff(Role.CLERK, county, department, username="col", window_staff=True)
    not_window = make_staff(Role.REVIEWER, county, department, username="rev")
    stranger = make_staff(Role.CLERK, other_county, username="far", window_staff=True)
    for actor, cover, message in [
        (clerk, colleague, "Only the window head"),
        (colleague, window_head, "Only the window head"),
        (window_head, clerk, "someone other"),
        (window_head, not_window, "window staff"),
        (window_head, stranger, "window staff"),
    ]:
        with pytest.raises(ValidationError, match=message):
            absence_approve(actor=actor, absence=away, cover=cover, at=NINE)
    absence_start(actor=colleague, whereabouts="x", until=NINE + minutes(5), at=NINE)
    with pytest.raises(ValidationError, match="on leave or away"):
        absence_approve(actor=window_head, absence=away, cover=colleague, at=NINE + minutes(1))
    assert not Delegation.objects.exists()
    away.refresh_from_db()
    assert away.approved_by is None
    # A hall manager of the center may approve too, once.
    absence_approve(actor=director, absence=away, cover=window_head, at=NINE + minutes(1))
    with pytest.raises(ValidationError, match="already approved"):
        absence_approve(actor=director, absence=away, cover=window_head, at=NINE + minutes(2))


def test_scan_runs_on_commit(post, clerk, county, django_capture_on_commit_callbacks):
    b, head = post.b_staff, post.window.head
    absence_start(actor=b, whereabouts="x", until=NINE + minutes(60), at=NINE)
    absence_start(actor=head, whereabouts="y", until=NINE + minutes(60), at=NINE)
    with django_capture_on_commit_callbacks(execute=True):
        absence_start(actor=clerk, whereabouts="z", until=NINE + minutes(60), at=NINE + minutes(1))
    vacancy = PostVacancy.objects.get(post=post, ended_at__isnull=True)
    assert vacancy.started_at == NINE + minutes(1)
    with django_capture_on_commit_callbacks(execute=True):
        absence_return(actor=clerk, at=NINE + minutes(9))
    vacancy.refresh_from_db()
    assert vacancy.ended_at == NINE + minutes(9)


def make_leave(user, center, start, end, status=LeaveStatus.APPROVED) -> Leave:
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.ANNUAL,
        starts_at=start,
        ends_at=end,
        reason="年休",
        status=status,
    )


def test_leave_opens_delegation_to_b_once(post, clerk, county):
    leave = make_leave(clerk, county, NINE, NINE + datetime.timedelta(days=2))
    (opened,) = delegation_open_for_leave(actor=None, leave=leave)
    assert (opened.post, opened.absent_user, opened.cover_user) == (post, clerk, post.b_staff)
    assert (opened.starts_at, opened.ends_at, opened.reason) == (
        leave.starts_at,
        leave.ends_at,
        DelegationReason.LEAVE,
    )
    assert delegation_open_for_leave(actor=None, leave=leave) == []
    assert Delegation.objects.count() == 1
    assert Event.objects.filter(action="delegation.open").count() == 1


def test_leave_with_b_away_goes_to_head(post, clerk, county, window_head):
    make_leave(post.b_staff, county, NINE - minutes(60), NINE + minutes(600))
    leave = make_leave(clerk, county, NINE, NINE + datetime.timedelta(days=1))
    (opened,) = delegation_open_for_leave(actor=None, leave=leave)
    assert (opened.cover_user, opened.reason) == (window_head, DelegationReason.BOTH_AWAY)


def test_leave_with_everyone_away_opens_nothing_and_pending_is_refused(
    post, clerk, county, window_head
):
    for user in (post.b_staff, window_head):
        make_leave(user, county, NINE - minutes(60), NINE + minutes(600))
    leave = make_leave(clerk, county, NINE, NINE + minutes(300))
    assert delegation_open_for_leave(actor=None, leave=leave) == []
    pending = make_leave(clerk, county, NINE, NINE + minutes(30), LeaveStatus.PENDING)
    with pytest.raises(ValidationError):
        delegation_open_for_leave(actor=None, leave=pending)
