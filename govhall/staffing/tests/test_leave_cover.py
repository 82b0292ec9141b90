"""Issue 16 item 2: leave is granted only once a cover is fixed (seeds/000… 篇5 考勤 4), and leave
length counts half-day sessions of the center's service hours, which decides who approves."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.models.presence import DelegationReason
from govhall.staffing.queries.cover import posts_with_people, who_serves
from govhall.staffing.queries.leave_cover import leave_cover_plan
from govhall.staffing.services.leave import (
    leave_approve,
    leave_cancel,
    leave_half_days,
    leave_request,
)
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=TZ)  # a Tuesday
MONDAY, TUESDAY = "2026-09-07", "2026-09-08"


def moment(day: str, clock: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


def ask(user, first: str, start: str, last: str, end: str) -> Leave:
    return leave_request(
        actor=user,
        kind=LeaveKind.PERSONAL,
        starts_at=moment(first, start),
        ends_at=moment(last, end),
        reason="家中有事",
        at=NOW,
    )


@pytest.fixture
def headless_post(county, department, clerk):
    """A post whose window has no head: when A is away and there is no B, nobody serves."""
    window = WindowFactory(center=county, head=None, name="不动产窗口")
    window.departments.add(department)
    return PostFactory(window=window, name="登记岗", a_staff=clerk)


@pytest.fixture
def colleague(county, department):
    return make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)


# ---- half days decide who approves -------------------------------------------------------


def test_monday_afternoon_to_tuesday_morning_is_one_day_for_the_head(clerk, headless_post):
    leave = ask(clerk, MONDAY, "15:00", TUESDAY, "10:00")
    assert leave.working_days == 1
    assert leave.needs_management is False


@pytest.mark.parametrize(
    ("start", "end", "half_days"),
    [
        ((MONDAY, "08:30"), (MONDAY, "12:00"), 1),
        ((MONDAY, "10:00"), (MONDAY, "15:00"), 2),
        ((MONDAY, "12:10"), (MONDAY, "14:20"), 0),  # the lunch break only
        ((MONDAY, "15:00"), (TUESDAY, "10:00"), 2),
        ((MONDAY, "08:30"), (TUESDAY, "12:00"), 3),
        ((MONDAY, "14:30"), ("2026-09-09", "10:00"), 4),
        (("2026-09-04", "15:00"), (MONDAY, "10:00"), 2),  # Friday pm, the weekend, Monday am
    ],
)
def test_half_day_sessions_of_service_hours_are_counted(county, start, end, half_days):
    assert leave_half_days(county.pk, moment(*start), moment(*end)) == half_days


def test_three_half_days_stay_with_the_head_four_go_to_management(clerk, headless_post):
    short = ask(clerk, MONDAY, "08:30", TUESDAY, "12:00")
    assert short.working_days == Decimal("1.5") and short.needs_management is False
    long = ask(clerk, "2026-09-14", "14:30", "2026-09-16", "10:00")
    assert long.working_days == 2 and long.needs_management is True


# ---- a cover must be fixed before the leave is granted -----------------------------------


def test_approval_that_empties_a_post_is_refused_without_a_cover(clerk, director, headless_post):
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "17:30")
    plan = leave_cover_plan(leave)
    assert [row.post for row in plan] == [headless_post]
    assert plan[0].needs_cover and plan[0].serving is None
    with pytest.raises(ValidationError) as caught:
        leave_approve(actor=director, leave=leave, at=NOW)
    assert "covers" in caught.value.message_dict
    assert "登记岗" in " ".join(caught.value.message_dict["covers"])
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING
    assert not Delegation.objects.exists()


def test_naming_the_cover_grants_the_leave_and_the_cover_serves(
    clerk, director, colleague, county, headless_post
):
    # A day to come: who serves then is planned from leave and covers (sign-in is not due yet).
    day = calendar_for(county.pk).next_workday(timezone.localdate() + datetime.timedelta(7))
    leave = leave_request(
        actor=clerk,
        kind=LeaveKind.SICK,
        starts_at=moment(day.isoformat(), "08:30"),
        ends_at=moment(day.isoformat(), "17:30"),
        reason="看病",
    )
    leave_approve(actor=director, leave=leave, covers={headless_post.pk: colleague})
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED
    record = Delegation.objects.get(leave=leave)
    assert record.cover_user == colleague and record.reason == DelegationReason.NAMED
    post = posts_with_people().get(pk=headless_post.pk)
    serving = who_serves(post, moment(day.isoformat(), "10:00"))
    assert serving.user == colleague and serving.role == "cover"
    plan = leave_cover_plan(leave)
    assert plan[0].serving == colleague and plan[0].chosen == colleague


def test_one_cover_for_every_empty_post(clerk, director, colleague, headless_post):
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "12:00")
    leave_approve(actor=director, leave=leave, cover=colleague, at=NOW)
    assert Delegation.objects.get(leave=leave).cover_user == colleague


def test_the_plan_shows_b_serving_and_needs_no_cover(clerk, director, colleague, headless_post):
    headless_post.b_staff = colleague
    headless_post.save()
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "17:30")
    plan = leave_cover_plan(leave)
    assert plan[0].serving == colleague and plan[0].role == "b" and not plan[0].needs_cover
    leave_approve(actor=director, leave=leave, at=NOW)
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_b_on_leave_for_part_of_the_period_empties_the_post(
    clerk, director, colleague, headless_post
):
    headless_post.b_staff = colleague
    headless_post.save()
    b_leave = ask(colleague, TUESDAY, "14:30", TUESDAY, "17:30")
    leave_approve(actor=director, leave=b_leave, at=NOW)  # A (clerk) serves then
    leave = ask(clerk, MONDAY, "08:30", TUESDAY, "17:30")
    plan = leave_cover_plan(leave)
    assert plan[0].needs_cover and plan[0].empty_at == moment(TUESDAY, "14:30")
    with pytest.raises(ValidationError):
        leave_approve(actor=director, leave=leave, at=NOW)


def test_a_leave_outside_service_hours_needs_no_cover(clerk, director, headless_post):
    leave = ask(clerk, "2026-09-05", "08:30", "2026-09-06", "17:30")  # a weekend
    assert not leave_cover_plan(leave)[0].needs_cover
    leave_approve(actor=director, leave=leave, at=NOW)
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_a_cover_on_leave_or_the_requester_is_refused(clerk, director, colleague, headless_post):
    away = ask(colleague, MONDAY, "14:30", MONDAY, "17:30")
    leave_approve(actor=director, leave=away, at=NOW)
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "17:30")
    for cover in (colleague, clerk):
        with pytest.raises(ValidationError) as caught:
            leave_approve(actor=director, leave=leave, covers={headless_post.pk: cover}, at=NOW)
        assert "covers" in caught.value.message_dict
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING


def test_a_cover_for_a_post_not_affected_is_refused(clerk, director, colleague, headless_post):
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "17:30")
    other = PostFactory(window=headless_post.window, name="咨询岗")
    with pytest.raises(ValidationError) as caught:
        leave_approve(
            actor=director,
            leave=leave,
            covers={headless_post.pk: colleague, other.pk: colleague},
            at=NOW,
        )
    assert "covers" in caught.value.message_dict


def test_the_head_endorsing_a_long_leave_needs_no_cover_yet(
    clerk, window_head, director, colleague, county, department
):
    window = WindowFactory(center=county, head=window_head)
    post = PostFactory(window=window, a_staff=clerk)
    leave = ask(clerk, MONDAY, "08:30", TUESDAY, "17:30")
    assert leave.needs_management
    leave_approve(actor=window_head, leave=leave, at=NOW)  # endorses
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING
    # The head would cover it; the manager approves without naming anyone.
    assert leave_cover_plan(leave)[0].serving == window_head
    leave_approve(actor=director, leave=leave, at=NOW)
    assert Delegation.objects.get(leave=leave, post=post).cover_user == window_head


def test_cancelling_the_leave_ends_the_named_cover(clerk, director, colleague, headless_post):
    leave = ask(clerk, MONDAY, "08:30", MONDAY, "17:30")
    leave_approve(actor=director, leave=leave, cover=colleague, at=NOW)
    leave_cancel(actor=clerk, leave=leave, at=NOW)
    record = Delegation.objects.get(leave=leave)
    assert record.ends_at == record.starts_at
