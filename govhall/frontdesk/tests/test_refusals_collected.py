"""Long front-desk services collect every refusal, then apply (govhall.core.validation): one
refused request names every wrong field at once and changes nothing (issue 13)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govhall.core.models import Event
from govhall.frontdesk.models import Appointment, Inquiry, ServiceGroup, Slot
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_outage import appointments_cancel_range
from govhall.frontdesk.services.groups import group_create
from govhall.frontdesk.services.inquiries import inquiry_log
from govhall.testing.appointments import MONDAY, SAT, TUE, group, id_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
__all__ = ["group"]  # the fixture, imported for this module's tests


def refused_fields(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return refused.value.message_dict


def test_a_booking_names_every_wrong_field_and_books_nothing(group: ServiceGroup, clerk: Any):
    events = Event.objects.count()
    errors = refused_fields(
        appointment_book,
        actor=clerk,
        group=group,
        date=SAT,  # not a working day
        starts=datetime.time(8, 30),
        name=" ",
        id_number="123",
        phone="12345",
        matter="事" * 201,
        channel="carrier-pigeon",
        at=MONDAY,
    )
    assert set(errors) == {"channel", "date", "name", "id_number", "phone", "matter"}
    assert errors["matter"] == ["This is too long (at most 200 characters)."]
    assert not Appointment.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()
    assert Event.objects.count() == events


def test_a_too_long_name_is_refused_not_cut(group: ServiceGroup, clerk: Any):
    errors = refused_fields(
        appointment_book,
        actor=clerk,
        group=group,
        date=TUE,
        starts=datetime.time(8, 30),
        name="名" * 101,
        id_number=id_number(1),
        phone="13800000001",
        channel="phone",
        at=MONDAY,
    )
    assert set(errors) == {"name"}


def test_an_off_hours_request_names_every_wrong_field(group: ServiceGroup, clerk: Any):
    errors = refused_fields(
        appointment_request_off_hours,
        actor=clerk,
        group=group,
        date=TUE,
        starts=datetime.time(9, 0),  # within service hours
        name="",
        id_number=id_number(2),
        phone="1",
        channel="phone",
        at=MONDAY,
    )
    assert set(errors) == {"starts", "name", "phone"}
    assert not Appointment.objects.exists()


def test_a_decision_names_the_missing_staff_and_a_too_long_note(
    group: ServiceGroup, clerk: Any, director: Any
):
    request = appointment_request_off_hours(
        actor=clerk,
        group=group,
        date=SAT,
        starts=datetime.time(10, 0),
        name="申请人",
        id_number=id_number(3),
        phone="13800000003",
        channel="phone",
        at=MONDAY,
    )
    errors = refused_fields(
        appointment_decide,
        actor=director,
        appointment=request,
        approve=True,
        assigned_to=None,
        note="注" * 2001,
        at=MONDAY,
    )
    assert set(errors) == {"assigned_to", "note"}
    request.refresh_from_db()
    assert request.status == "requested" and request.assigned_to is None


def test_an_outage_names_a_missing_reason_and_a_bad_end(county: Any, director: Any):
    start = MONDAY + datetime.timedelta(days=1)
    errors = refused_fields(
        appointments_cancel_range,
        actor=director,
        center=county,
        start=start,
        end=start - datetime.timedelta(hours=1),
        reason="  ",
        at=MONDAY,
    )
    assert set(errors) == {"reason", "end"}
    assert not Slot.objects.exclude(closed_reason="").exists()


def test_an_inquiry_names_every_wrong_field(guide: Any, county: Any):
    errors = refused_fields(
        inquiry_log,
        actor=guide,
        center=county,
        channel="pigeon",
        matter="问" * 2001,
        outcome="answered",
        answer="",
        contact_name="名" * 65,
    )
    assert set(errors) == {"channel", "matter", "answer", "contact_name"}
    assert errors["matter"] == ["This is too long (at most 2000 characters)."]
    assert not Inquiry.objects.exists()


def test_a_group_names_every_wrong_field(county: Any, director: Any):
    errors = refused_fields(
        group_create,
        actor=director,
        center=county,
        letter="a1",
        name="组" * 65,
        daily_limit=0,
        slot_minutes=1,
    )
    assert set(errors) == {"letter", "name", "daily_limit", "slot_minutes"}
