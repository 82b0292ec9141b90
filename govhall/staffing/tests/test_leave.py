"""Leave rules (SPEC §8): asking, working days, who decides, the concurrency guard, queries."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connections
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.staffing.access.leave import access_leave
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.queries.leave import (
    leaves_to_decide,
    may_decide,
    team_calendar,
    team_staff,
    users_on_leave,
    users_on_leave_on_day,
)
from govhall.staffing.services.errors import StaleDecision
from govhall.staffing.services.leave import (
    leave_approve,
    leave_cancel,
    leave_reject,
    leave_request,
    leave_working_days,
)
from govhall.testing.factories import PostFactory, UserFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=TZ)


def moment(day: str, clock: str = "08:30") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


@pytest.fixture
def window(county, department, window_head, clerk):
    window = WindowFactory(center=county, head=window_head, name="市场监管综合窗口")
    window.departments.add(department)
    PostFactory(window=window, name="登记受理岗", a_staff=clerk)
    return window


def ask(user, first: str, last: str | None = None, **kw) -> Leave:
    return leave_request(
        actor=user,
        kind=kw.pop("kind", LeaveKind.PERSONAL),
        starts_at=moment(first, kw.pop("start_clock", "08:30")),
        ends_at=moment(last or first, kw.pop("end_clock", "17:30")),
        reason=kw.pop("reason", "家中有事"),
        at=kw.pop("at", NOW),
    )


# ---- asking ------------------------------------------------------------------------------


def test_one_day_leave_is_for_the_window_head(clerk, county, window):
    leave = ask(clerk, "2026-09-02")
    assert leave.user == clerk and leave.center == county
    assert leave.status == LeaveStatus.PENDING
    assert leave.working_days == 1
    assert leave.needs_management is False
    assert Event.objects.filter(action="leave.request", object_id=str(leave.pk)).exists()


def test_working_days_skip_the_national_day_holiday(clerk, window):
    # 2026-09-30 (Wed) … 2026-10-09 (Fri): 9-30, 10-08 and 10-09 are working days.
    leave = ask(clerk, "2026-09-30", "2026-10-09")
    assert leave.working_days == 3
    assert leave.needs_management is True


def test_a_leave_inside_the_holiday_has_no_working_days(clerk, window):
    leave = ask(clerk, "2026-10-02", "2026-10-05")
    assert leave.working_days == 0 and leave.needs_management is False


def test_leave_ending_at_midnight_does_not_count_the_next_day(clerk, county):
    days = leave_working_days(
        county.pk, moment("2026-09-02", "00:00"), moment("2026-09-04", "00:00")
    )
    assert days == 2  # Wednesday and Thursday, not Friday


def test_two_working_days_need_management(clerk, window):
    assert ask(clerk, "2026-09-02", "2026-09-03").needs_management is True


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"start_clock": "17:30", "end_clock": "08:30"}, "ends_at"),
        ({"at": moment("2026-09-03", "09:00")}, "starts_at"),  # starts before today
        ({"kind": "holiday"}, "kind"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_saved(clerk, window, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        ask(clerk, "2026-09-02", **kwargs)
    assert field in caught.value.message_dict
    assert not Leave.objects.exists()


def test_leave_may_start_earlier_today(clerk, window):
    leave = ask(clerk, "2026-09-01", start_clock="08:30", at=moment("2026-09-01", "11:00"))
    assert leave.pk


def test_overlap_with_pending_or_approved_leave_is_refused(clerk, window, window_head):
    first = ask(clerk, "2026-09-02")
    with pytest.raises(ValidationError) as caught:
        ask(clerk, "2026-09-02", start_clock="14:30")
    assert "starts_at" in caught.value.message_dict
    leave_approve(actor=window_head, leave=first)
    with pytest.raises(ValidationError):
        ask(clerk, "2026-09-01", "2026-09-03")
    # Adjacent is fine; a cancelled or rejected leave no longer blocks.
    ask(clerk, "2026-09-02", start_clock="17:30", end_clock="18:00")
    second = ask(clerk, "2026-09-07")
    leave_reject(actor=window_head, leave=second, note="人手不足")
    assert ask(clerk, "2026-09-07").pk


def test_someone_without_a_workplace_cannot_ask(db):
    with pytest.raises(ValidationError):
        ask(UserFactory(), "2026-09-02")


# ---- who decides ---------------------------------------------------------------------------


def test_window_head_approves_a_short_leave(clerk, window_head, window):
    leave = ask(clerk, "2026-09-02")
    assert may_decide(window_head, leave)
    assert list(leaves_to_decide(window_head)) == [leave]
    leave_approve(actor=window_head, leave=leave, note="同意", at=moment("2026-09-01", "11:00"))
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert leave.decided_by == window_head
    assert leave.decided_at == moment("2026-09-01", "11:00")
    assert Event.objects.filter(action="leave.approve", object_id=str(leave.pk)).exists()


def test_window_head_approves_b_staff_too(county, department, window_head, window):
    b_person = make_staff(Role.CLERK, county, department, username="bclerk", window_staff=True)
    post = window.posts.get()
    post.b_staff = b_person
    post.save()
    leave = ask(b_person, "2026-09-02")
    assert may_decide(window_head, leave)


def test_two_days_are_endorsed_by_the_head_then_decided_by_management(
    clerk, window_head, director, window
):
    leave = ask(clerk, "2026-09-02", "2026-09-03")
    assert may_decide(window_head, leave)
    leave_approve(actor=window_head, leave=leave, at=moment("2026-09-01", "10:00"))
    leave.refresh_from_db()
    # The head's approval is an endorsement: the leave waits for center management.
    assert leave.status == LeaveStatus.PENDING and leave.head_approved_by == window_head
    assert not Delegation.objects.filter(leave=leave).exists()
    assert list(leaves_to_decide(window_head)) == []
    # The head's second click is a conflict (decided already on their part), not a refusal.
    with pytest.raises(StaleDecision, match="already endorsed"):
        leave_approve(actor=window_head, leave=leave)
    assert leave in leaves_to_decide(director)
    leave_approve(actor=director, leave=leave)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == director
    assert list(
        Event.objects.for_object(leave).order_by("at", "id").values_list("action", flat=True)
    ) == ["leave.request", "leave.endorse", "leave.approve"]


def test_head_of_another_window_may_not_approve(county, department, clerk, window):
    other_head = make_staff(Role.WINDOW_HEAD, county, department, username="head2")
    WindowFactory(center=county, head=other_head)
    leave = ask(clerk, "2026-09-02")
    assert not may_decide(other_head, leave)
    with pytest.raises(ValidationError):
        leave_approve(actor=other_head, leave=leave)
    with pytest.raises(Http404):
        access_leave(other_head, leave.pk)


@pytest.mark.parametrize("days", [("2026-09-02", "2026-09-02"), ("2026-09-02", "2026-09-04")])
def test_director_approves_short_and_long_leave(clerk, director, window, days):
    leave = ask(clerk, *days)
    leave_approve(actor=director, leave=leave)
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_director_of_a_parent_center_approves_a_town_leave(town, director):
    town_clerk = make_staff(Role.CLERK, town, username="townclerk", window_staff=True)
    leave = ask(town_clerk, "2026-09-02", "2026-09-04")
    assert leave in leaves_to_decide(director)


def test_outsider_cannot_see_or_decide(clerk, outsider, window):
    leave = ask(clerk, "2026-09-02")
    assert list(leaves_to_decide(outsider)) == []
    with pytest.raises(Http404):
        access_leave(outsider, leave.pk)
    with pytest.raises(ValidationError):
        leave_approve(actor=outsider, leave=leave)


def test_nobody_approves_their_own_leave(county, department, director, window_head, window):
    own = ask(window_head, "2026-09-02")
    with pytest.raises(ValidationError, match="own"):
        leave_approve(actor=window_head, leave=own)
    boss_leave = ask(director, "2026-09-02", "2026-09-04")
    with pytest.raises(ValidationError, match="own"):
        leave_approve(actor=director, leave=boss_leave)
    assert boss_leave not in leaves_to_decide(director)


def test_clerk_and_dept_leader_cannot_decide(clerk, dept_leader, county, department, window):
    colleague = make_staff(Role.CLERK, county, department, username="colleague")
    leave = ask(colleague, "2026-09-02")
    for user in (clerk, dept_leader):
        with pytest.raises(ValidationError):
            leave_approve(actor=user, leave=leave)


def test_reject_needs_a_note(clerk, window_head, window):
    leave = ask(clerk, "2026-09-02")
    with pytest.raises(ValidationError) as caught:
        leave_reject(actor=window_head, leave=leave, note=" ")
    assert "note" in caught.value.message_dict
    leave_reject(actor=window_head, leave=leave, note="窗口人手不足")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED and leave.decision_note == "窗口人手不足"
    assert Event.objects.filter(action="leave.reject").count() == 1


def test_deciding_twice_is_refused(clerk, window_head, director, window):
    leave = ask(clerk, "2026-09-02")
    stale = Leave.objects.get(pk=leave.pk)
    leave_approve(actor=window_head, leave=leave)
    with pytest.raises(ValidationError, match="already decided"):
        leave_reject(actor=director, leave=stale, note="不同意")
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED
    assert Event.objects.filter(action__in=["leave.approve", "leave.reject"]).count() == 1


# ---- cancelling ----------------------------------------------------------------------------


def test_requester_cancels_pending_and_unstarted_approved_leave(clerk, window_head, window):
    pending = ask(clerk, "2026-09-02")
    leave_cancel(actor=clerk, leave=pending, at=NOW)
    assert Leave.objects.get(pk=pending.pk).status == LeaveStatus.CANCELLED
    approved = ask(clerk, "2026-09-03")
    leave_approve(actor=window_head, leave=approved)
    leave_cancel(actor=clerk, leave=approved, at=NOW)
    assert Leave.objects.get(pk=approved.pk).status == LeaveStatus.CANCELLED
    assert Event.objects.filter(action="leave.cancel").count() == 2


def test_started_rejected_or_foreign_leave_cannot_be_cancelled(clerk, window_head, window):
    approved = ask(clerk, "2026-09-02")
    leave_approve(actor=window_head, leave=approved)
    with pytest.raises(ValidationError, match="started"):
        leave_cancel(actor=clerk, leave=approved, at=moment("2026-09-02", "09:00"))
    with pytest.raises(ValidationError, match="requester"):
        leave_cancel(actor=window_head, leave=approved, at=NOW)
    rejected = ask(clerk, "2026-09-03")
    leave_reject(actor=window_head, leave=rejected, note="否")
    with pytest.raises(ValidationError):
        leave_cancel(actor=clerk, leave=rejected, at=NOW)


# ---- who is away ----------------------------------------------------------------------------


def test_users_on_leave_counts_only_approved_leave_in_one_query(
    clerk, window_head, director, window, django_assert_num_queries
):
    approved = ask(clerk, "2026-09-02")
    leave_approve(actor=window_head, leave=approved)
    ask(window_head, "2026-09-02")  # pending: not away
    ids = [clerk.pk, window_head.pk, director.pk]
    with django_assert_num_queries(1):
        away = users_on_leave(ids, moment("2026-09-02", "10:00"))
    assert away == {clerk.pk}
    assert users_on_leave(ids, moment("2026-09-02", "17:30")) == set()  # end is exclusive
    assert users_on_leave(ids, moment("2026-09-02", "08:30")) == {clerk.pk}
    assert users_on_leave_on_day(ids, datetime.date(2026, 9, 2)) == {clerk.pk}
    assert users_on_leave_on_day(ids, datetime.date(2026, 9, 3)) == set()


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(
    start_minute=st.integers(min_value=0, max_value=3 * 24 * 60),
    length=st.integers(min_value=1, max_value=3 * 24 * 60),
    probe=st.integers(min_value=0, max_value=7 * 24 * 60),
)
def test_users_on_leave_matches_the_period(clerk, window, start_minute, length, probe):
    base = moment("2026-09-02", "00:00")
    starts_at = base + datetime.timedelta(minutes=start_minute)
    leave = Leave.objects.create(
        user=clerk,
        center_id=window.center_id,
        kind=LeaveKind.SICK,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=length),
        reason="病",
        status=LeaveStatus.APPROVED,
    )
    at = base + datetime.timedelta(minutes=probe)
    expected = leave.starts_at <= at < leave.ends_at
    assert (clerk.pk in users_on_leave([clerk.pk], at)) is expected
    leave.delete()


# ---- team calendar ---------------------------------------------------------------------------


def test_team_calendar_marks_days_and_prefers_approved(clerk, window_head, director, window):
    approved = ask(clerk, "2026-09-30", "2026-10-09", kind=LeaveKind.ANNUAL)
    leave_approve(actor=director, leave=approved)
    pending = ask(window_head, "2026-10-12")
    grid = team_calendar(
        window.center, None, 2026, 10, team_staff(window.center, None), viewer=director
    )
    rows = {row.staff.user_id: row for row in grid.rows}
    assert sorted(rows[clerk.pk].days) == list(range(1, 10))  # Oct 1..9 (Sep 30 is outside)
    assert rows[clerk.pk].days[5] == approved
    assert rows[window_head.pk].days == {12: pending}
    assert rows[director.pk].days == {}


def test_team_staff_of_a_department_only(county, department, other_department, clerk, director):
    other = make_staff(Role.CLERK, county, other_department, username="other")
    users = {member.user_id for member in team_staff(county, department.pk)}
    assert clerk.pk in users and other.pk not in users and director.pk not in users


# ---- two approvers at once (real transactions) ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_once_only_one_decides(county, department, clerk, window_head, director):
    window = WindowFactory(center=county, head=window_head)
    PostFactory(window=window, a_staff=clerk)
    leave = ask(clerk, "2026-09-02")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(actor, action):
        barrier.wait()
        try:
            # SQLite's shared in-memory test database refuses a second writer at BEGIN instead
            # of waiting: retry like a busy server would; PostgreSQL waits on the row lock.
            for _attempt in range(100):
                try:
                    fresh = Leave.objects.get(pk=leave.pk)
                    if action == "approve":
                        leave_approve(actor=actor, leave=fresh)
                    else:
                        leave_reject(actor=actor, leave=fresh, note="不同意")
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
                    continue
                outcomes.append("ok")
                break
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(window_head, "approve")),
        threading.Thread(target=decide, args=(director, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert Event.objects.filter(action__in=["leave.approve", "leave.reject"]).count() == 1


def test_approval_opens_the_cover_record_after_commit(
    county, department, clerk, window_head, window, django_capture_on_commit_callbacks
):
    from govhall.staffing.models import Delegation

    b_person = make_staff(Role.CLERK, county, department, username="bclerk", window_staff=True)
    post = window.posts.get()
    post.b_staff = b_person
    post.save()
    leave = ask(clerk, "2026-09-02")
    with django_capture_on_commit_callbacks(execute=True):
        leave_approve(actor=window_head, leave=leave)
    assert Delegation.objects.filter(leave=leave, post=post).exists()
