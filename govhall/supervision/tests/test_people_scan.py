"""The people and front-desk scans: empty posts, late sign-in, early leave, absence, overdue
inquiry follow-ups and off-hours requests. Each rule fires exactly when it should, never twice,
is withdrawn when its record is corrected, and a scan costs the same number of queries however
many records there are."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.frontdesk.models import Appointment
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.inquiries import inquiry_finish, inquiry_log
from govhall.org.models import Center, Department
from govhall.staffing.models import Attendance, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.services.attendance import (
    attendance_close_day,
    attendance_sign_in,
    attendance_sign_out,
)
from govhall.staffing.services.presence import absence_return, absence_start, vacancies_scan
from govhall.supervision.models import Alert, AlertRule, ScanState, WithdrawalReason
from govhall.supervision.services.frontdesk_scan import scan_front_desk
from govhall.supervision.services.people_scan import scan_people
from govhall.supervision.services.rules import alert_rule_update
from govhall.supervision.services.scans import SCANS
from govhall.testing.appointments import MONDAY, SAT, group, id_number
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.parallel import run_at_once
from govhall.testing.sign_in import signed_in
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
__all__ = ["group"]  # the fixture, imported for the off-hours tests

WORKDAY = datetime.date(2026, 11, 24)  # a Tuesday; the county's hours are 8:30–17:30


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def workday(n: int) -> datetime.date:
    return calendar_for(None).add_workdays(WORKDAY, n)


def rule(code: str, **changes: Any) -> AlertRule:
    found = AlertRule.objects.get(code=code)
    for name, value in changes.items():
        setattr(found, name, value)
    if changes:
        found.save()
    return found


def live(code: str) -> dict[str, Alert]:
    return {a.subject_key: a for a in Alert.objects.live().filter(rule__code=code)}


def ever(code: str) -> list[str]:
    return list(Alert.objects.filter(rule__code=code).values_list("subject_key", flat=True))


def test_the_scans_are_registered():
    assert SCANS["people"].run is scan_people
    assert SCANS["front_desk"].run is scan_front_desk


# --- attendance timelines ------------------------------------------------------------------------

day_plan = st.one_of(
    st.none(),  # never signed in: a missed sign-in once the day is closed
    st.tuples(st.integers(-20, 45), st.integers(-40, 20)),  # (in, out) minutes vs 8:20 / 17:30
)


@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    plans=st.lists(day_plan, min_size=1, max_size=4),
    late_threshold=st.integers(0, 30),
    early_threshold=st.integers(0, 30),
)
def test_attendance_rules_fire_exactly_above_their_thresholds(
    county, clerk, plans, late_threshold, early_threshold
):
    Alert.objects.all().delete()
    Attendance.objects.all().delete()
    ScanState.objects.all().delete()
    rule("late_sign_in.yellow", threshold_minutes=late_threshold)
    rule("early_leave.yellow", threshold_minutes=early_threshold)
    expected: dict[str, set[str]] = {"late": set(), "early": set(), "absent": set()}
    for n, plan in enumerate(plans):
        day = workday(n)
        if plan is not None:
            in_minutes, out_minutes = plan
            row = attendance_sign_in(actor=clerk, at=at(day, 8, 20) + _minutes(in_minutes))
            row = attendance_sign_out(actor=clerk, at=at(day, 17, 30) + _minutes(out_minutes))
            assert row.late_minutes == max(0, in_minutes)
            assert row.early_leave_minutes == max(0, -out_minutes)
            if row.late_minutes > late_threshold:
                expected["late"].add(f"attendance:{row.pk}:late")
            if row.early_leave_minutes > early_threshold:
                expected["early"].add(f"attendance:{row.pk}:early")
        attendance_close_day(actor=clerk, center=county, day=day, at=at(day, 18, 0))
        if plan is None:
            row = Attendance.objects.get(user=clerk, date=day)
            expected["absent"].add(f"attendance:{row.pk}:absent")
        # Scanned during the day and after it: incremental after the first.
        scan_people(now=at(day, 12, 0))
        scan_people(now=at(day, 18, 5))
    for code, kind in [
        ("late_sign_in.yellow", "late"),
        ("early_leave.yellow", "early"),
        ("absent.red", "absent"),
    ]:
        assert set(live(code)) == expected[kind]
        assert sorted(ever(code)) == sorted(expected[kind])  # never twice, never withdrawn
    again = scan_people(now=at(workday(len(plans)), 9, 0), full=True)
    assert (again.raised, again.withdrawn) == (0, 0)


def _minutes(n: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def test_late_alert_names_the_person_window_and_department(county, clerk, department):
    window = WindowFactory(center=county)
    PostFactory(window=window, a_staff=clerk)
    clerk.full_name = "张三"
    clerk.save()
    row = attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 35))
    result = scan_people(now=at(WORKDAY, 9, 0))
    assert result.raised == 1
    alert = live("late_sign_in.yellow")[f"attendance:{row.pk}:late"]
    assert alert.responsible_id == clerk.pk
    assert (alert.window_id, alert.department_id, alert.center_id) == (
        window.pk,
        department.pk,
        county.pk,
    )
    assert alert.occurred_on == WORKDAY
    assert "张三" in alert.detail and "15" in alert.detail
    assert Event.objects.filter(action="alert.raise", object_id=str(alert.pk)).count() == 1
    assert scan_people(now=at(WORKDAY, 9, 5)).raised == 0


def test_a_threshold_raised_by_a_manager_withdraws_what_no_longer_holds(county, clerk, admin_user):
    row = attendance_sign_in(actor=clerk, at=at(WORKDAY, 8, 35))  # 15 minutes late
    scan_people(now=at(WORKDAY, 9, 0))
    assert set(live("late_sign_in.yellow")) == {f"attendance:{row.pk}:late"}
    alert_rule_update(actor=admin_user, rule=rule("late_sign_in.yellow"), threshold_minutes=15)
    result = scan_people(now=at(WORKDAY, 9, 5))
    assert (result.full, result.withdrawn, result.raised) == (True, 1, 0)
    assert Alert.objects.get().withdrawal_reason == WithdrawalReason.NO_LONGER_HOLDS
    alert_rule_update(actor=admin_user, rule=rule("late_sign_in.yellow"), threshold_minutes=14)
    assert scan_people(now=at(WORKDAY, 9, 10)).raised == 1


def test_missed_sign_in_withdrawn_when_leave_is_approved_afterwards(county, clerk):
    attendance_close_day(actor=clerk, center=county, day=WORKDAY, at=at(WORKDAY, 18, 0))
    row = Attendance.objects.get(user=clerk, date=WORKDAY)
    assert scan_people(now=at(WORKDAY, 18, 5)).raised == 1
    key = f"attendance:{row.pk}:absent"
    assert key in live("absent.red")
    # The leave is approved the next day and the day closed again (a bulk update of the rows).
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.PERSONAL,
        starts_at=at(WORKDAY, 8, 0),
        ends_at=at(WORKDAY, 18, 0),
        reason="事",
        status=LeaveStatus.APPROVED,
    )
    attendance_close_day(actor=clerk, center=county, day=WORKDAY, at=at(workday(1), 9, 0))
    result = scan_people(now=at(workday(1), 9, 5))
    assert not result.full and result.withdrawn == 1
    gone = Alert.objects.get(subject_key=key)
    assert gone.withdrawal_reason == WithdrawalReason.CORRECTED
    assert scan_people(now=at(workday(1), 9, 10)).raised == 0


def test_a_day_closed_again_is_seen_by_the_incremental_scan(county, clerk):
    """Closing a day again changes its rows in bulk: their `updated_at` moves, so the next
    incremental scan looks at them (here a leave cancelled after the first close)."""
    leave = Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.PERSONAL,
        starts_at=at(WORKDAY, 8, 0),
        ends_at=at(WORKDAY, 18, 0),
        reason="事",
        status=LeaveStatus.APPROVED,
    )
    long_ago = timezone.now() - datetime.timedelta(hours=1)  # older than any scan's margin
    with mock.patch("django.utils.timezone.now", return_value=long_ago):
        attendance_close_day(actor=clerk, center=county, day=WORKDAY, at=at(WORKDAY, 18, 0))
    assert scan_people(now=at(WORKDAY, 18, 5)).raised == 0  # on leave: not absent
    Leave.objects.filter(pk=leave.pk).update(status=LeaveStatus.CANCELLED)
    attendance_close_day(actor=clerk, center=county, day=WORKDAY, at=at(workday(1), 9, 0))
    result = scan_people(now=at(workday(1), 9, 5))
    assert not result.full and result.raised == 1
    row = Attendance.objects.get(user=clerk, date=WORKDAY)
    assert set(live("absent.red")) == {f"attendance:{row.pk}:absent"}


def test_missed_sign_in_withdrawn_by_a_later_sign_in(county, clerk):
    attendance_close_day(actor=clerk, center=county, day=WORKDAY, at=at(WORKDAY, 9, 0))
    scan_people(now=at(WORKDAY, 9, 1))
    assert len(live("absent.red")) == 1
    row = attendance_sign_in(actor=clerk, at=at(WORKDAY, 9, 30))
    result = scan_people(now=at(WORKDAY, 9, 31))
    assert result.withdrawn == 1 and not live("absent.red")
    assert set(live("late_sign_in.yellow")) == {f"attendance:{row.pk}:late"}


def test_unapproved_absence_over_two_hours_is_absent_once(county, clerk):
    absence = absence_start(
        actor=clerk, whereabouts="银行", until=at(WORKDAY, 10, 30), at=at(WORKDAY, 10, 0)
    )
    absence_return(actor=clerk, at=at(WORKDAY, 12, 1))
    assert scan_people(now=at(WORKDAY, 12, 5)).raised == 1
    alert = live("absent.red")[f"absence:{absence.pk}"]
    assert alert.responsible_id == clerk.pk and alert.occurred_on == WORKDAY
    assert scan_people(now=at(WORKDAY, 12, 10)).raised == 0
    # Corrected: the head's approval recorded afterwards.
    absence.refresh_from_db()
    absence.approved_by = clerk
    absence.save()
    assert scan_people(now=at(WORKDAY, 12, 15)).withdrawn == 1
    assert not live("absent.red")


def test_short_absence_raises_nothing(county, clerk):
    absence_start(
        actor=clerk, whereabouts="洗手间", until=at(WORKDAY, 10, 10), at=at(WORKDAY, 10, 0)
    )
    absence_return(actor=clerk, at=at(WORKDAY, 11, 59))
    assert scan_people(now=at(WORKDAY, 12, 5)).raised == 0


# --- empty posts -------------------------------------------------------------------------------


@pytest.fixture
def post(county: Center, clerk: User):
    signed_in(clerk, at=at(WORKDAY, 8, 0))  # at the post unless away
    return PostFactory(window=WindowFactory(center=county), a_staff=clerk)


def test_empty_post_fires_after_the_tolerated_minutes_on_a(county, clerk, department, post):
    absence_start(actor=clerk, whereabouts="外出", until=at(WORKDAY, 11, 0), at=at(WORKDAY, 10, 0))
    opened, _closed = vacancies_scan(center=county, at=at(WORKDAY, 10, 0))
    vacancy = opened[0]
    assert scan_people(now=at(WORKDAY, 10, 10)).raised == 0  # 10 minutes tolerated
    assert scan_people(now=at(WORKDAY, 10, 11)).raised == 1
    alert = live("post_empty.red")[f"vacancy:{vacancy.pk}"]
    assert alert.responsible_id == clerk.pk  # away without approval: A answers for it
    assert (alert.window_id, alert.department_id) == (post.window_id, department.pk)
    assert scan_people(now=at(WORKDAY, 10, 30)).raised == 0
    assert scan_people(now=at(WORKDAY, 10, 31), full=True).raised == 0
    # The record is removed (a wrong vacancy): the alert is withdrawn.
    PostVacancy.objects.filter(pk=vacancy.pk).delete()
    assert scan_people(now=at(WORKDAY, 10, 40)).withdrawn == 1
    assert Alert.objects.get().withdrawal_reason == WithdrawalReason.CORRECTED


def test_empty_post_ended_in_time_raises_nothing(county, clerk, post):
    absence_start(actor=clerk, whereabouts="外出", until=at(WORKDAY, 11, 0), at=at(WORKDAY, 10, 0))
    vacancies_scan(center=county, at=at(WORKDAY, 10, 0))
    scan_people(now=at(WORKDAY, 10, 2))
    absence_return(actor=clerk, at=at(WORKDAY, 10, 8))
    vacancies_scan(center=county, at=at(WORKDAY, 10, 8))
    assert scan_people(now=at(WORKDAY, 14, 0)).raised == 0
    assert scan_people(now=at(WORKDAY, 14, 0), full=True).raised == 0


def test_empty_post_while_a_is_on_leave_is_on_the_cover(county, department, clerk):
    b = make_staff(Role.CLERK, county, department, username="b1", window_staff=True)
    post = PostFactory(window=WindowFactory(center=county), a_staff=clerk, b_staff=b)
    Leave.objects.create(
        user=clerk,
        center=county,
        kind=LeaveKind.SICK,
        starts_at=at(WORKDAY, 8, 0),
        ends_at=at(WORKDAY, 18, 0),
        reason="病",
        status=LeaveStatus.APPROVED,
    )
    absence_start(actor=b, whereabouts="外出", until=at(WORKDAY, 11, 0), at=at(WORKDAY, 10, 0))
    opened, _closed = vacancies_scan(center=county, at=at(WORKDAY, 10, 0))
    assert [v.post_id for v in opened] == [post.pk]
    scan_people(now=at(WORKDAY, 10, 30))
    assert live("post_empty.red")[f"vacancy:{opened[0].pk}"].responsible_id == b.pk


# --- front desk ----------------------------------------------------------------------------------

FRIDAY = datetime.date(2026, 11, 20)


def test_transferred_inquiry_overdue_once_on_the_first_responder(
    county, guide, other_department: Department
):
    inquiry = inquiry_log(
        actor=guide,
        center=county,
        channel="visit",
        matter="营业执照怎么办",
        outcome="transferred",
        transferred_department=other_department,
        transferred_contact="王五",
        at=at(FRIDAY, 16, 0),
    )
    # One working day tolerated: Monday 23 is the day; overdue from Tuesday 24.
    assert scan_front_desk(now=at(datetime.date(2026, 11, 23), 17, 0)).raised == 0
    result = scan_front_desk(now=at(datetime.date(2026, 11, 24), 8, 0))
    assert (result.full, result.raised) == (False, 1)
    alert = live("inquiry_overdue.yellow")[f"inquiry:{inquiry.pk}"]
    assert alert.responsible_id == guide.pk
    assert alert.due_on == datetime.date(2026, 11, 23)
    assert scan_front_desk(now=at(datetime.date(2026, 11, 25), 8, 0)).raised == 0
    # Finished late: the lateness stays on record.
    inquiry_finish(actor=make_receiver(county, other_department), inquiry=inquiry, result="办结")
    assert scan_front_desk(now=at(datetime.date(2026, 11, 25), 9, 0)).withdrawn == 0
    assert ever("inquiry_overdue.yellow") == [f"inquiry:{inquiry.pk}"]


def make_receiver(county: Center, department: Department) -> User:
    return make_staff(Role.CLERK, county, department, username="receiver", window_staff=True)


def test_answered_or_finished_in_time_raises_nothing(county, guide, other_department):
    inquiry = inquiry_log(
        actor=guide,
        center=county,
        channel="phone",
        matter="咨询",
        outcome="transferred",
        transferred_department=other_department,
        transferred_contact="王五",
        at=at(FRIDAY, 16, 0),
    )
    inquiry_finish(actor=make_receiver(county, other_department), inquiry=inquiry, result="好")
    assert scan_front_desk(now=at(datetime.date(2026, 11, 30), 9, 0)).raised == 0


def test_unanswered_off_hours_request_on_the_director(hall_open, county, director, group):
    request = appointment_request_off_hours(
        actor=director,
        group=group,
        date=SAT,
        starts=datetime.time(9, 0),
        name="李四",
        id_number=id_number(5),
        phone="13900000005",
        matter="急需办理营业执照",
        channel="phone",
        at=MONDAY,
    )
    made = at(datetime.date(2026, 6, 8), 10, 0)  # Monday 8 June 2026
    Appointment.objects.filter(pk=request.pk).update(created_at=made)
    assert scan_front_desk(now=at(datetime.date(2026, 6, 9), 17, 0)).raised == 0
    assert scan_front_desk(now=at(datetime.date(2026, 6, 10), 8, 0)).raised == 1
    alert = live("off_hours_overdue.yellow")[f"off_hours:{request.pk}"]
    assert alert.responsible_id == director.pk and alert.center_id == county.pk
    appointment_decide(actor=director, appointment=request, approve=False, note="人手不足", at=made)
    assert scan_front_desk(now=at(datetime.date(2026, 6, 10), 9, 0)).raised == 0
    assert len(ever("off_hours_overdue.yellow")) == 1


# --- cost --------------------------------------------------------------------------------------


def _people_records(county: Center, department: Department, director: User, n: int, start: int):
    """n staff, each late, leaving early, with an empty post and an absence of half a day."""
    for i in range(start, start + n):
        user = make_staff(Role.CLERK, county, department, username=f"p{i}", window_staff=True)
        PostFactory(window=WindowFactory(center=county, number=100 + i), a_staff=user)
        attendance_sign_in(actor=user, at=at(WORKDAY, 8, 40))
        absence_start(
            actor=user, whereabouts="外出", until=at(WORKDAY, 11, 0), at=at(WORKDAY, 9, 0)
        )
        absence_return(actor=user, at=at(WORKDAY, 11, 30))
        attendance_sign_out(actor=user, at=at(WORKDAY, 17, 0))


def _queries(**kwargs: Any) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        result = scan_people(**kwargs)
    return len(captured), result.raised


def test_query_count_does_not_grow_with_the_records(county, department, director):
    window = WindowFactory(center=county, number=99)
    PostFactory(window=window)  # nobody: empty from the first scan
    vacancies_scan(center=county, at=at(WORKDAY, 9, 0))
    _people_records(county, department, director, 2, 0)
    attendance_close_day(actor=director, center=county, day=WORKDAY, at=at(WORKDAY, 18, 0))
    ScanState.objects.create(name="people")  # as after any first scan
    small, raised_small = _queries(now=at(WORKDAY, 18, 5), full=True)
    assert raised_small == 2 * 3 + 2  # and the empty post, and the director's missed day
    incremental_small, _ = _queries(now=at(WORKDAY, 18, 6))

    Alert.objects.all().delete()
    _people_records(county, department, director, 10, 2)
    big, raised_big = _queries(now=at(WORKDAY, 18, 5), full=True)
    assert raised_big == 12 * 3 + 2
    incremental_big, _ = _queries(now=at(WORKDAY, 18, 6))
    assert (big, incremental_big) == (small, incremental_small)


# --- two workers at once -------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
@pytest.mark.django_db(transaction=True)
def test_two_people_scans_at_once_alert_each_subject_once(county, department, guide):
    _people_records(county, department, guide, 4, 0)
    inquiry_log(
        actor=guide,
        center=county,
        channel="visit",
        matter="咨询",
        outcome="transferred",
        transferred_department=department,
        transferred_contact="王五",
        at=at(FRIDAY, 16, 0),
    )
    moment = at(WORKDAY, 18, 5)

    def worker() -> Any:
        return scan_people(now=moment).raised + scan_front_desk(now=moment).raised

    results = run_at_once([worker, worker, worker])
    assert not [r for r in results if isinstance(r, Exception)], results
    # Each person late, early and away; the inquiry; every empty post (the staffing scan ran
    # after each commit here, at the moments the services were given).
    vacancies = PostVacancy.objects.count()
    assert vacancies >= 4
    assert sum(results) == Alert.objects.count() == 4 * 3 + 1 + vacancies
    assert Alert.objects.values("rule", "subject_key").distinct().count() == Alert.objects.count()
    assert Event.objects.filter(action="alert.raise").count() == Alert.objects.count()
