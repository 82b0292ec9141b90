"""Appointment personal data (issue 12 item 6): ID and phone numbers masked on every list and
page but the appointment's own, whose every view is logged; the same in the API."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.core.models import Event
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_off_hours import appointment_request_off_hours
from govhall.testing.appointments import MONDAY, SAT, TUE, group, id_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
__all__ = ["group"]  # the fixture, imported for this module's tests

API = "/api/v1/frontdesk/appointments"


def book(group, n, staff):  # type: ignore[no-untyped-def]
    """A phone booking by staff on Tue 9 June 2026 (the public door needs an SMS code)."""
    return appointment_book(
        actor=staff,
        group=group,
        date=TUE,
        starts=datetime.time(8, 30),
        name=f"申请人{n}",
        id_number=id_number(n),
        phone=f"138{n:08d}",
        channel="phone",
        at=MONDAY,
    )


def off_hours(group, n, staff):  # type: ignore[no-untyped-def]
    return appointment_request_off_hours(
        actor=staff,
        group=group,
        date=SAT,
        starts=datetime.time(9, 0),
        name="李四",
        id_number=id_number(n),
        phone=f"139{n:08d}",
        matter="急需办理营业执照",
        channel="phone",
        at=MONDAY,
    )


def views_of(appointment) -> int:  # type: ignore[no-untyped-def]
    return Event.objects.filter(
        action=FrontdeskEvent.APPOINTMENT_VIEW_PERSONAL_DATA,
        object_type="frontdesk.appointment",
        object_id=str(appointment.pk),
    ).count()


def test_lists_and_pages_show_the_numbers_masked(client_as, guide, director, group):
    booked = book(group, 1, guide)
    request = off_hours(group, 5, guide)
    client = client_as(guide)
    pages = [
        client.get(reverse("workbench:appointments"), {"group": group.pk, "date": "2026-06-09"}),
        client.get(reverse("workbench:appointment_list")),
        client_as(director).get(reverse("workbench:appointment_requests")),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        for appointment in (booked, request):
            assert appointment.phone not in html and appointment.id_number not in html
    assert booked.masked_phone in pages[1].content.decode()
    assert "138****0001" in pages[0].content.decode()
    assert request.masked_phone in pages[2].content.decode()
    assert not Event.objects.filter(action=FrontdeskEvent.APPOINTMENT_VIEW_PERSONAL_DATA).exists()


def test_the_appointment_page_shows_them_in_full_and_logs_each_view(client_as, guide, group):
    booked = book(group, 2, guide)
    client = client_as(guide)
    url = reverse("workbench:appointment", kwargs={"appointment_id": booked.pk})
    html = client.get(url).content.decode()
    assert booked.phone in html and booked.id_number in html
    client.get(url)
    assert views_of(booked) == 2
    event = Event.objects.filter(action=FrontdeskEvent.APPOINTMENT_VIEW_PERSONAL_DATA).latest("id")
    assert event.actor == guide and event.center_id == booked.center_id and event.note


def test_api_lists_mask_and_the_single_read_is_logged(client_as, guide, group):
    booked = book(group, 3, guide)
    client = client_as(guide)
    listed = client.get(f"{API}/", {"date_from": "2026-06-09"}).json()["items"]
    assert [(item["phone"], item["id_number"]) for item in listed] == [
        ("138****0003", booked.masked_id)
    ]
    assert views_of(booked) == 0
    one = client.get(f"{API}/{booked.pk}", {"purpose": "回电确认"})
    assert one.status_code == 200
    assert one.json()["phone"] == booked.phone and one.json()["id_number"] == booked.id_number
    event = Event.objects.get(action=FrontdeskEvent.APPOINTMENT_VIEW_PERSONAL_DATA)
    assert event.actor == guide and event.note == "回电确认"
    assert views_of(booked) == 1


def test_portal_pages_after_booking_never_show_the_numbers(client, guide, group):
    booked = book(group, 4, guide)
    response = client.get(
        reverse("portal:appointment_mine"),
        {"code": booked.code, "last4": booked.id_number[-4:]},
    )
    html = response.content.decode()
    assert response.status_code == 200 and booked.code in html
    assert booked.phone not in html and booked.id_number not in html
