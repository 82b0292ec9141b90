"""How the staffing services refuse (issue 13): every error of the input at once, by field,
nothing changed (`govhall.core.validation.FieldErrors`); a decision on a leave or an absence
that changed since the page was drawn is a `StaleDecision`, told apart from a plain refusal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.staffing.models import Absence, Assignment, LeaderVisit, Leave, StaffFact
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.models.roster import DutyAssignment
from govhall.staffing.services.assignments import assignment_start, staff_fact_record
from govhall.staffing.services.errors import StaleDecision
from govhall.staffing.services.leave import (
    leave_approve,
    leave_cancel,
    leave_endorse,
    leave_reject,
    leave_request,
)
from govhall.staffing.services.presence import absence_approve, absence_return, absence_start
from govhall.staffing.services.rosters import duty_assign, leader_visit_record
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db
TZ = timezone.get_fixed_timezone(8 * 60)
NOW = datetime.datetime(2026, 9, 1, 10, 0, tzinfo=TZ)


def moment(day: str, clock: str = "08:30") -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{clock}").replace(tzinfo=TZ)


@pytest.fixture
def hall(county, department, window_head, clerk):
    b = make_staff(Role.CLERK, county, department, username="bstaff", window_staff=True)
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    return PostFactory(window=window, a_staff=clerk, b_staff=b), b


def fields(info: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(info.value.message_dict)


# --- every error at once ----------------------------------------------------------------------


def test_a_leave_request_names_every_bad_field(hall, clerk):
    with pytest.raises(ValidationError) as info:
        leave_request(
            actor=clerk,
            kind="holiday",
            starts_at=moment("2026-08-30"),
            ends_at=moment("2026-08-29"),
            reason="x" * 301,
            at=NOW,
        )
    assert fields(info) == {"kind", "reason", "ends_at", "starts_at"}
    assert not Leave.objects.exists()


def test_an_absence_names_every_bad_field(hall, clerk):
    now = timezone.now()
    absence_start(actor=clerk, whereabouts="档案室", until=now + datetime.timedelta(minutes=5))
    with pytest.raises(ValidationError) as info:
        absence_start(actor=clerk, whereabouts=" ", until=now - datetime.timedelta(minutes=5))
    assert fields(info) == {"whereabouts", "until", "__all__"}
    assert not isinstance(info.value, Conflict)  # refused input wins over "already away": 422
    with pytest.raises(ValidationError) as info:
        absence_start(actor=hall[1], whereabouts="x" * 101, until=now + datetime.timedelta(hours=1))
    assert fields(info) == {"whereabouts"}
    assert Absence.objects.count() == 1


def test_a_duty_names_every_bad_field(director, county, clerk, other_county):
    outside = WindowFactory(center=other_county)
    saturday = datetime.date(2026, 11, 21)
    with pytest.raises(ValidationError) as info:
        duty_assign(
            actor=director, center=county, date=saturday, kind="night", user=clerk, window=outside
        )
    assert fields(info) == {"kind", "date", "window"}
    assert not DutyAssignment.objects.exists()


def test_a_visit_names_every_bad_field(director, dept_leader, department, clerk):
    future = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        leader_visit_record(
            actor=director, department=department, visited_at=future, note="x" * 301, leader=clerk
        )
    assert fields(info) == {"leader", "visited_at", "note"}
    assert not LeaderVisit.objects.exists()


def test_an_assignment_names_every_bad_field(director, department, county, other_county):
    stranger = make_staff(Role.CLERK, other_county, username="far")
    outside = WindowFactory(center=other_county)
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=stranger,
            department=department,
            window=outside,
            starts_on=datetime.date(2026, 7, 1),
            override_reason="x" * 301,
        )
    assert fields(info) == {"user", "window", "override_reason"}
    assert not Assignment.objects.exists()


def test_a_staff_fact_names_every_bad_field(director, clerk):
    with pytest.raises(ValidationError) as info:
        staff_fact_record(
            actor=director,
            user=clerk,
            kind="rumour",
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            source="x" * 101,
            note="x" * 301,
        )
    assert fields(info) == {"kind", "occurred_on", "source", "note"}
    assert not StaffFact.objects.exists()


# --- a stale decision is told apart from a refusal ---------------------------------------------


def test_deciding_a_leave_someone_else_decided_is_stale(hall, clerk, window_head, director):
    leave = leave_request(
        actor=clerk,
        kind=LeaveKind.PERSONAL,
        starts_at=moment("2026-09-02"),
        ends_at=moment("2026-09-02", "17:30"),
        reason="家中有事",
        at=NOW,
    )
    with pytest.raises(ValidationError) as refused:
        leave_approve(actor=clerk, leave=leave, at=NOW)  # nobody approves their own
    assert not isinstance(refused.value, StaleDecision)
    leave_reject(actor=director, leave=leave, note="人手不足", at=NOW)
    for decide in (
        lambda: leave_approve(actor=window_head, leave=leave, at=NOW),
        lambda: leave_reject(actor=window_head, leave=leave, note="不同意", at=NOW),
        lambda: leave_cancel(actor=clerk, leave=leave, at=NOW),
    ):
        with pytest.raises(StaleDecision):
            decide()
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.REJECTED


def test_endorsing_twice_is_stale_but_a_short_leave_is_not_endorsed(
    hall, clerk, window_head, director
):
    long = leave_request(
        actor=clerk,
        kind=LeaveKind.ANNUAL,
        starts_at=moment("2026-09-07"),
        ends_at=moment("2026-09-09", "17:30"),
        reason="年休",
        at=NOW,
    )
    leave_endorse(actor=window_head, leave=long, at=NOW)
    with pytest.raises(StaleDecision):
        leave_endorse(actor=window_head, leave=long, at=NOW)
    short = leave_request(
        actor=clerk,
        kind=LeaveKind.PERSONAL,
        starts_at=moment("2026-09-02"),
        ends_at=moment("2026-09-02", "17:30"),
        reason="家中有事",
        at=NOW,
    )
    with pytest.raises(ValidationError) as refused:
        leave_endorse(actor=window_head, leave=short, at=NOW)
    assert not isinstance(refused.value, StaleDecision)


def test_an_absence_approved_or_ended_meanwhile_is_stale(hall, clerk, window_head, director):
    _post, b = hall
    absence = absence_start(
        actor=clerk, whereabouts="档案室", until=timezone.now() + datetime.timedelta(minutes=45)
    )
    with pytest.raises(ValidationError) as refused:
        absence_approve(actor=clerk, absence=absence, cover=b)
    assert not isinstance(refused.value, StaleDecision)
    absence_approve(actor=window_head, absence=absence, cover=b)
    with pytest.raises(StaleDecision):
        absence_approve(actor=director, absence=absence, cover=b)
    absence_return(actor=clerk)
    with pytest.raises(StaleDecision):
        absence_return(actor=clerk)
    with pytest.raises(StaleDecision):
        absence_return(actor=window_head, absence=absence)
    assert Absence.objects.get(pk=absence.pk).approved_by == window_head
