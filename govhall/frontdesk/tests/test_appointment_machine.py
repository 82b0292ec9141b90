"""The appointment state machine (frontdesk/appointment_transitions.py) walked through its
reachable states, the parties and the actions a person takes, at two moments (the day before,
and 5 minutes before the slot: past the cancel deadline, inside the check-in window). The
buttons `appointment_actions` offers are exactly what the services accept, a refused step
changes nothing and every accepted one follows a row of the table."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from govhall.core.roles import Role
from govhall.frontdesk.appointment_transitions import (
    APPOINTMENT_TRANSITIONS,
    AppointmentAction,
    AppointmentParty,
)
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.services.appointment_booking import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
)
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_mark_served,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_periodic import appointments_mark_no_shows
from govhall.frontdesk.services.appointment_rules import appointment_actions
from govhall.testing.appointments import id_number
from govhall.testing.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 6, 8, 10, 0, tzinfo=SHANGHAI)
TUE = datetime.date(2026, 6, 9)
SAT = datetime.date(2026, 6, 13)
BEFORE_SLOT = datetime.datetime(2026, 6, 9, 8, 25, tzinfo=SHANGHAI)
PERSON_ACTIONS = (
    AppointmentAction.APPROVE,
    AppointmentAction.DECLINE,
    AppointmentAction.CANCEL,
    AppointmentAction.SERVE,
    AppointmentAction.CHECK_IN,
)


def snapshot(pk: int) -> dict[str, Any]:
    return Appointment.objects.filter(pk=pk).values().get()


def test_offered_actions_are_what_the_services_accept(
    queue_groups, clerk, director, other_county, county
):
    group = queue_groups["A"]
    far = make_staff(Role.DIRECTOR, other_county, username="far_director")
    actors: dict[str, Any] = {"applicant": None, "clerk": clerk, "director": director, "far": far}

    def booked() -> Appointment:
        return appointment_book(
            actor=clerk,
            group=group,
            date=TUE,
            starts=datetime.time(8, 30),
            name="申请人",
            id_number=id_number(1),
            phone="13800000001",
            channel="phone",
            at=MONDAY,
        )

    def requested() -> Appointment:
        return appointment_request_off_hours(
            actor=clerk,
            group=group,
            date=SAT,
            starts=datetime.time(10, 0),
            name="李四",
            id_number=id_number(2),
            phone="13900000002",
            channel="phone",
            at=MONDAY,
        )

    def approved() -> Appointment:
        return appointment_decide(
            actor=director, appointment=requested(), approve=True, assigned_to=clerk, at=MONDAY
        )

    def checked_in() -> Appointment:
        appointment = booked()
        appointment_check_in(actor=clerk, code=appointment.code, at=BEFORE_SLOT)
        return Appointment.objects.get(pk=appointment.pk)

    def cancelled() -> Appointment:
        return appointment_cancel(actor=clerk, appointment=booked(), at=MONDAY)

    situations = {
        "booked": booked,
        "requested": requested,
        "approved": approved,
        "checked_in": checked_in,
        "cancelled": cancelled,
    }
    accepted: set[tuple[str, str, str, str]] = set()
    for situation, make in situations.items():
        for moment_name, moment in (("day_before", MONDAY), ("before_slot", BEFORE_SLOT)):
            for who, user in actors.items():
                for action in PERSON_ACTIONS:
                    with transaction.atomic():
                        appointment = make()
                        offered = {
                            row.action for row in appointment_actions(user, appointment, moment)
                        }
                        before = snapshot(appointment.pk)
                        try:
                            with transaction.atomic():
                                take(action, user, appointment, moment, clerk)
                        except ValidationError as refusal:
                            assert action not in offered, (situation, moment_name, who, action)
                            assert refusal.messages and all(refusal.messages)
                            assert snapshot(appointment.pk) == before
                        except _NotForThePublic:
                            assert action not in offered, (situation, who, action)
                        else:
                            assert action in offered, (situation, moment_name, who, action)
                            row = APPOINTMENT_TRANSITIONS.row(before["status"], action)
                            assert row is not None
                            assert snapshot(appointment.pk)["status"] == row.next_state
                            accepted.add((situation, moment_name, who, action))
                        transaction.set_rollback(True)
    # Both sides were reached.
    assert ("booked", "day_before", "applicant", AppointmentAction.CANCEL) in accepted
    assert ("booked", "day_before", "clerk", AppointmentAction.CANCEL) in accepted
    assert ("booked", "before_slot", "applicant", AppointmentAction.CHECK_IN) in accepted
    assert ("requested", "day_before", "director", AppointmentAction.APPROVE) in accepted
    assert ("approved", "day_before", "clerk", AppointmentAction.SERVE) in accepted
    # Past the cancel deadline of the Tuesday booking (the Saturday ones are not).
    assert ("booked", "before_slot", "clerk", AppointmentAction.CANCEL) not in accepted
    assert ("booked", "before_slot", "applicant", AppointmentAction.CANCEL) not in accepted
    assert not [row for row in accepted if row[2] == "far" and row[3] != "check_in"]
    assert not [row for row in accepted if row[0] in ("cancelled", "checked_in")]


class _NotForThePublic(Exception):
    """The service has no door for the public to take this action."""


def take(action: str, user: Any, appointment: Appointment, moment: Any, clerk: Any) -> None:
    if action == AppointmentAction.CANCEL:
        appointment_cancel(
            actor=user, appointment=appointment, last4=appointment.id_number[-4:], at=moment
        )
    elif action == AppointmentAction.CHECK_IN:
        appointment_check_in(actor=user, code=appointment.code, at=moment)
    elif user is None:
        raise _NotForThePublic
    elif action == AppointmentAction.SERVE:
        appointment_mark_served(actor=user, appointment=appointment, at=moment)
    else:
        appointment_decide(
            actor=user,
            appointment=appointment,
            approve=action == AppointmentAction.APPROVE,
            assigned_to=clerk,
            note="人手不足",
            at=moment,
        )


def test_the_worker_and_the_queue_take_the_system_rows(queue_groups, clerk):
    system = {
        (row.state, row.action)
        for row in APPOINTMENT_TRANSITIONS
        if AppointmentParty.SYSTEM in row.who
    }
    assert system == {
        (AppointmentStatus.BOOKED, AppointmentAction.NO_SHOW),
        (AppointmentStatus.CHECKED_IN, AppointmentAction.SERVE),
    }
    appointment = appointment_book(
        actor=clerk,
        group=queue_groups["A"],
        date=TUE,
        starts=datetime.time(8, 30),
        name="申请人",
        id_number=id_number(3),
        phone="13800000003",
        channel="phone",
        at=MONDAY,
    )
    assert appointments_mark_no_shows(at=BEFORE_SLOT) == 0
    assert appointments_mark_no_shows(at=BEFORE_SLOT + datetime.timedelta(hours=2)) == 1
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW


def test_the_table_names_every_status_and_action():
    assert {row.action for row in APPOINTMENT_TRANSITIONS} == set(AppointmentAction.values)
    states = {row.state for row in APPOINTMENT_TRANSITIONS}
    assert states <= set(AppointmentStatus.values)
    finals = {
        AppointmentStatus.SERVED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.CANCELLED,
        AppointmentStatus.REJECTED,
    }
    assert not states & finals
