import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.models.roster import DutyAssignment, DutyKind, LeaderVisit
from govhall.staffing.queries.rosters import leader_visit_check, roster_month, visits_ok
from govhall.staffing.services.rosters import duty_assign, duty_remove, leader_visit_record
from govhall.testing.factories import DepartmentFactory, make_staff

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 11, 23)
SATURDAY = datetime.date(2026, 11, 21)


def aware(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), timezone.get_current_timezone())


def test_manager_assigns_lunch_duty_and_it_is_logged(director, county, clerk):
    duty = duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=clerk)
    assert (duty.kind, duty.user, duty.date) == (DutyKind.LUNCH, clerk, MONDAY)
    assert Event.objects.filter(action="duty.assign", object_id=str(duty.pk)).exists()
    [day] = [d for d in roster_month(county, 2026, 11) if d.date == MONDAY]
    assert day.lunch == [duty] and day.leader == [] and day.is_workday


def test_non_manager_cannot_assign(window_head, county, clerk):
    with pytest.raises(ValidationError, match="managers"):
        duty_assign(actor=window_head, center=county, date=MONDAY, kind="lunch", user=clerk)
    assert not DutyAssignment.objects.exists()


def test_outsider_manager_cannot_assign(outsider, county, clerk):
    with pytest.raises(ValidationError):
        duty_assign(actor=outsider, center=county, date=MONDAY, kind="lunch", user=clerk)


def test_user_must_be_staff_of_the_center(director, county, other_county):
    stranger = make_staff(Role.CLERK, other_county)
    with pytest.raises(ValidationError) as info:
        duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=stranger)
    assert "user" in info.value.message_dict


def test_no_duty_on_a_rest_day(director, county, clerk):
    with pytest.raises(ValidationError) as info:
        duty_assign(actor=director, center=county, date=SATURDAY, kind="lunch", user=clerk)
    assert "not a working day" in info.value.message_dict["date"][0]


@pytest.mark.parametrize("who", ["director", "dept_leader", "window_head"])
def test_leader_on_duty_roles_accepted(request, director, county, who):
    leader = request.getfixturevalue(who)
    duty = duty_assign(actor=director, center=county, date=MONDAY, kind="leader", user=leader)
    assert duty.kind == DutyKind.LEADER


def test_clerk_cannot_be_leader_on_duty(director, county, clerk):
    with pytest.raises(ValidationError) as info:
        duty_assign(actor=director, center=county, date=MONDAY, kind="leader", user=clerk)
    assert "leader on duty" in info.value.message_dict["user"][0]


def test_same_duty_twice_is_refused(director, county, clerk):
    duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=clerk)
    with pytest.raises(ValidationError, match="already"):
        duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=clerk)


def test_remove_duty(director, window_head, county, clerk):
    duty = duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=clerk)
    with pytest.raises(ValidationError):
        duty_remove(actor=window_head, duty=duty)
    duty_remove(actor=director, duty=duty)
    assert not DutyAssignment.objects.exists()
    assert Event.objects.filter(action="duty.remove").exists()


def test_leader_records_own_visit(dept_leader, department):
    visit = leader_visit_record(
        actor=dept_leader, department=department, visited_at=aware(2026, 11, 2, 10), note="查看"
    )
    assert visit.leader == dept_leader
    assert Event.objects.filter(action="leader_visit.record").exists()


def test_leader_of_another_department_cannot_record(county, department):
    other = DepartmentFactory(center=county)
    other_leader = make_staff(Role.DEPT_LEADER, county, other)
    with pytest.raises(ValidationError):
        leader_visit_record(
            actor=other_leader, department=department, visited_at=aware(2026, 11, 2, 10)
        )


def test_clerk_cannot_record_visit(clerk, department):
    with pytest.raises(ValidationError):
        leader_visit_record(actor=clerk, department=department, visited_at=aware(2026, 11, 2, 10))


def test_manager_records_on_behalf_of_leader(director, dept_leader, clerk, department):
    visit = leader_visit_record(
        actor=director, department=department, visited_at=aware(2026, 11, 2, 10), leader=dept_leader
    )
    assert visit.leader == dept_leader
    with pytest.raises(ValidationError) as info:
        leader_visit_record(
            actor=director, department=department, visited_at=aware(2026, 11, 2, 10), leader=clerk
        )
    assert "leader" in info.value.message_dict


def test_future_visit_refused(dept_leader, department):
    with pytest.raises(ValidationError):
        leader_visit_record(
            actor=dept_leader,
            department=department,
            visited_at=aware(2026, 11, 30, 10),
            at=aware(2026, 11, 23, 10),
        )


def test_monthly_check_counts_three_visits_in_the_month_in_one_query(
    county, department, other_department, dept_leader
):
    # Two visits inside November for `department`, one at the local month edges each side.
    for when in [
        aware(2026, 11, 1, 0, 0),
        aware(2026, 11, 30, 23, 59),
        aware(2026, 10, 31, 23, 59),
    ]:
        LeaderVisit.objects.create(department=department, leader=dept_leader, visited_at=when)
    LeaderVisit.objects.create(
        department=department, leader=dept_leader, visited_at=aware(2026, 12, 1, 0, 0)
    )
    departments = county.departments.all()
    with CaptureQueriesContext(connection) as queries:
        rows = list(leader_visit_check(departments, 2026, 11))
    assert len(queries) == 1
    counts = {d.pk: d.visit_count for d in rows}
    assert counts == {department.pk: 2, other_department.pk: 0}
    assert not any(visits_ok(d) for d in rows)
    LeaderVisit.objects.create(
        department=department, leader=dept_leader, visited_at=aware(2026, 11, 15, 9)
    )
    by_pk = {d.pk: d for d in leader_visit_check(departments, 2026, 11)}
    assert by_pk[department.pk].visit_count == 3 and visits_ok(by_pk[department.pk])
    assert not visits_ok(by_pk[other_department.pk])


def _approved_leave(user, center, starts, ends):
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.ANNUAL,
        starts_at=starts,
        ends_at=ends,
        reason="年休",
        status=LeaveStatus.APPROVED,
    )


def test_a_person_on_approved_leave_that_day_is_refused(director, county, clerk):
    """Issue 17 item 5: the roster refuses a person on approved leave that day, naming it."""
    _approved_leave(clerk, county, aware(2026, 11, 23, 8, 30), aware(2026, 11, 24, 17, 30))
    with pytest.raises(ValidationError) as info:
        duty_assign(actor=director, center=county, date=MONDAY, kind="lunch", user=clerk)
    message = info.value.message_dict["user"][0]
    assert "leave" in message and "2026-11-23" in message
    assert not DutyAssignment.objects.exists()
    # The day after the leave is fine.
    later = MONDAY + datetime.timedelta(days=2)
    duty_assign(actor=director, center=county, date=later, kind="lunch", user=clerk)
    assert DutyAssignment.objects.count() == 1
