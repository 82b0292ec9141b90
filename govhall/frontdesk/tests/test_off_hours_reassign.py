"""An approved off-hours appointment whose named staff member cannot serve is reassigned by the
leader of that person's department or the director (seeds/000… 篇1 六(四)); issue 21 item 6."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govhall.cli.demo.beyond_counter import load_demo_beyond_counter
from govhall.core.models import Event, OutboundMessage
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.frontdesk.models import (
    Appointment,
    AppointmentStatus,
    FollowUp,
    HomeVisit,
    Overtime,
)
from govhall.frontdesk.services.appointment_reassign import (
    appointment_declare_cannot_serve,
    appointment_reassign,
    cannot_serve_reasons,
    reassign_candidates,
)
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.testing.factories import make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 12, 8)  # a Tuesday; the appointment is at 18:00


def leave(user, county, day=DAY):  # type: ignore[no-untyped-def]
    return Leave.objects.create(
        user=user,
        center=county,
        kind=LeaveKind.SICK,
        starts_at=datetime.datetime.combine(day, datetime.time(8, 30), SHANGHAI),
        ends_at=datetime.datetime.combine(day, datetime.time(17, 30), SHANGHAI),
        reason="看病",
        status=LeaveStatus.APPROVED,
    )


@pytest.fixture
def appointment(queue_groups, county, clerk, director):  # type: ignore[no-untyped-def]
    clerk.phone = "13900000011"
    clerk.save(update_fields=["phone"])
    return Appointment.objects.create(
        center=county,
        group=queue_groups["A"],
        date=DAY,
        starts=datetime.time(18, 0),
        ends=datetime.time(19, 0),
        code="OFF001",
        name="王五",
        id_number="110101199003070011",
        phone="13900000099",
        channel="phone",
        status=AppointmentStatus.BOOKED,
        is_off_hours=True,
        assigned_to=clerk,
        decided_by=director,
    )


@pytest.fixture
def other_leader(county, other_department):  # type: ignore[no-untyped-def]
    return make_staff(Role.DEPT_LEADER, county, other_department, username="leader_two")


@pytest.mark.django_db
class TestReassign:
    def test_nothing_to_reassign_while_the_named_person_can_serve(
        self, appointment, dept_leader, window_head
    ):
        assert cannot_serve_reasons(appointment) == []
        with pytest.raises(Conflict):
            appointment_reassign(actor=dept_leader, appointment=appointment, to=window_head)

    def test_only_the_leader_of_that_department_or_the_director(
        self,
        appointment,
        county,
        clerk,
        dept_leader,
        other_leader,
        director,
        outsider,
        window_head,
        clerk_two,
    ):
        leave(clerk, county)
        assert cannot_serve_reasons(appointment)
        for stranger in (other_leader, outsider, clerk_two):
            with translation.override("en"), pytest.raises(ValidationError) as refused:
                appointment_reassign(actor=stranger, appointment=appointment, to=window_head)
            assert "Only the leader" in refused.value.messages[0]
        # Someone of another department is refused as the new person.
        with pytest.raises(ValidationError) as refused:
            appointment_reassign(actor=dept_leader, appointment=appointment, to=clerk_two)
        assert "to" in refused.value.message_dict
        assert Appointment.objects.get(pk=appointment.pk).assigned_to == clerk
        assert window_head in reassign_candidates(appointment)
        appointment_reassign(actor=director, appointment=appointment, to=window_head)
        assert Appointment.objects.get(pk=appointment.pk).assigned_to == window_head

    def test_reassigned_by_the_leader_the_old_person_told_not_the_applicant(
        self, appointment, clerk, dept_leader, window_head, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            appointment_declare_cannot_serve(actor=clerk, appointment=appointment, note="家中有事")
        appointment.refresh_from_db()
        assert any("家中有事" in reason for reason in cannot_serve_reasons(appointment))
        with django_capture_on_commit_callbacks(execute=True):
            done = appointment_reassign(actor=dept_leader, appointment=appointment, to=window_head)
        assert done.assigned_to == window_head and done.cannot_serve_at is None
        assert done.starts == datetime.time(18, 0)  # the time stays
        told = OutboundMessage.objects.filter(purpose="appointment.reassigned")
        assert [m.to for m in told] == ["13900000011"]  # the head has no phone on file
        assert not OutboundMessage.objects.filter(to="13900000099").exists()
        event = Event.objects.get(action="appointment.reassign")
        assert event.data == {"from": clerk.pk, "to": window_head.pk}

    def test_reassigning_to_someone_on_leave_that_day_is_refused(
        self, appointment, county, clerk, dept_leader, window_head
    ):
        leave(clerk, county)
        leave(window_head, county)
        assert window_head not in reassign_candidates(appointment)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            appointment_reassign(actor=dept_leader, appointment=appointment, to=window_head)
        assert "is on leave on 2026-12-08" in refused.value.message_dict["to"][0]
        assert Appointment.objects.get(pk=appointment.pk).assigned_to == clerk

    def test_only_the_named_person_says_they_cannot_serve(self, appointment, window_head):
        with pytest.raises(ValidationError):
            appointment_declare_cannot_serve(actor=window_head, appointment=appointment, note="x")


@pytest.mark.django_db
def test_the_demo_loads_once(queue_groups, county, department, clerk, dept_leader, director):
    """The demo's part (govhall/cli/demo/beyond_counter.py) on the test hall, whose center,
    department, window 1 and logins bear the demo's codes and names."""
    make_staff(Role.CLERK, county, department, username="clerk_x", window_staff=True)
    load_demo_beyond_counter()
    load_demo_beyond_counter()
    assert sorted(HomeVisit.objects.values_list("status", flat=True)) == ["done", "scheduled"]
    assert FollowUp.objects.count() == 2
    assert Overtime.objects.count() == 2
