"""The API names the matter (issue 17 item 1): a ticket or a booking may carry the item the
citizen came for; one the group does not serve, or no such item, is a 422 with nothing made."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.frontdesk.models import Appointment, Ticket
from govhall.testing.phone_codes import phone_code
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
QUEUE = "/api/v1/frontdesk/queue"
APPOINTMENTS = "/api/v1/frontdesk/appointments"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client, url: str, body: dict):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json", **EN)


def test_kiosk_and_desk_tickets_carry_the_item(client, client_as, guide, queue_matters):
    group, mortgage = queue_matters["B"], queue_matters["mortgage"]
    taken = post(client, f"{QUEUE}/tickets/kiosk", {"group": group.pk, "item": mortgage.pk})
    assert taken.status_code == 201, taken.content
    assert Ticket.objects.get().item == mortgage
    desk = post(client_as(guide), f"{QUEUE}/tickets", {"group": group.pk, "item": mortgage.pk})
    assert desk.status_code == 201, desk.content
    assert desk.json()["ticket"]["item_id"] == mortgage.pk
    assert desk.json()["ticket"]["matter"] == "抵押登记"


def test_an_item_the_group_does_not_serve_is_422(client, queue_groups, queue_matters):
    wrong = post(
        client,
        f"{QUEUE}/tickets/kiosk",
        {"group": queue_groups["A"].pk, "item": queue_matters["mortgage"].pk},
    )
    assert wrong.status_code == 422 and "item" in wrong.json()["errors"]
    unknown = post(client, f"{QUEUE}/tickets/kiosk", {"group": queue_groups["A"].pk, "item": 99999})
    assert unknown.status_code == 422 and "item" in unknown.json()["errors"]
    assert not Ticket.objects.exists()


def test_a_public_booking_carries_the_item(client, queue_groups, queue_matters):
    first17 = "11010119900307001"
    phone = "13900000001"
    day = calendar_for(None).add_workdays(timezone.localdate(), 1)
    body = {
        "center": queue_groups["B"].center.code,
        "group": "B",
        "date": day.isoformat(),
        "starts": "09:00",
        "name": "张三丰",
        "id_number": first17 + id_check_character(first17),
        "phone": phone,
        "phone_code": phone_code(phone, at=timezone.now() - datetime.timedelta(minutes=1)),
    }
    wrong = post(
        client,
        f"{APPOINTMENTS}/public/book",
        {**body, "group": "A", "item": queue_matters["mortgage"].pk},
    )
    assert wrong.status_code == 422 and "item" in wrong.json()["errors"]
    booked = post(
        client, f"{APPOINTMENTS}/public/book", {**body, "item": queue_matters["lookup"].pk}
    )
    assert booked.status_code == 201, booked.content
    appointment = Appointment.objects.get()
    assert appointment.item == queue_matters["lookup"] and appointment.matter == "不动产查询"
