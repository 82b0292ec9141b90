"""Kiosk limits (issue 12 item 3): the kiosk page gives its device a signed cookie; priority
tickets (elderly, disabled) are limited per device and day, beyond which the ticket is issued
normal with the priority asked, and the guide confirms it on today's line; all kiosk tickets are
limited per device and address a day (429, nothing issued)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govhall.core.models import Event
from govhall.frontdesk.models import Ticket, TicketPriority
from govhall.frontdesk.queries.queue import allowed_actions
from govhall.frontdesk.services.tickets import (
    ticket_call_next,
    ticket_confirm_priority,
    ticket_take,
)
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.portal.queue.views import KIOSK_COOKIE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]


def kiosk_device(county) -> Client:  # type: ignore[no-untyped-def]
    """A kiosk that showed its first page (and so holds its device cookie)."""
    device = Client(REMOTE_ADDR="10.0.0.50")
    response = device.get(f"/kiosk/{county.code}/")
    assert response.status_code == 200 and KIOSK_COOKIE in response.cookies
    return device


def take(device, county, **data):  # type: ignore[no-untyped-def]
    return device.post(f"/kiosk/{county.code}/take/A/", data)


def test_the_kiosk_page_gives_a_lasting_signed_device_cookie(client, county, queue_groups):
    response = client.get(f"/kiosk/{county.code}/")
    cookie = response.cookies[KIOSK_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) > 365 * 24 * 3600
    assert ":" in cookie.value  # signed
    # Shown again, the kiosk keeps its cookie.
    assert KIOSK_COOKIE not in client.get(f"/kiosk/{county.code}/").cookies


def test_priority_beyond_the_device_limit_awaits_the_guide(
    county, queue_groups, guide, client_as, settings
):
    settings.GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY = 2
    device = kiosk_device(county)
    for _n in range(2):
        assert take(device, county, elderly_disabled="on").status_code == 302
    third = take(device, county, elderly_disabled="on")
    assert third.status_code == 302
    asked = Ticket.objects.order_by("-id").first()
    assert asked is not None
    assert asked.priority == TicketPriority.NORMAL and asked.priority_requested
    page = device.get(third["Location"]).content.decode()
    assert 'id="kiosk-priority-asked"' in page
    # Another kiosk still gives the priority.
    other = kiosk_device(county)
    assert take(other, county, elderly_disabled="on").status_code == 302
    assert Ticket.objects.order_by("-id")[0].priority == TicketPriority.ELDERLY_DISABLED

    # The guide sees it on today's line and confirms it.
    staff = client_as(guide)
    line = staff.get(reverse("workbench:queue_line"), {"center": county.pk}).content.decode()
    assert f'data-priority-asked="{asked.pk}"' in line and 'data-action="confirm_priority"' in line
    url = reverse(
        "workbench:queue_ticket_action",
        kwargs={"ticket_id": asked.pk, "action": "confirm_priority"},
    )
    done = staff.post(url, {"from": "line", "expected_status": "waiting"})
    assert done.status_code == 302
    asked.refresh_from_db()
    assert asked.priority == TicketPriority.ELDERLY_DISABLED and not asked.priority_requested
    assert Event.objects.filter(action="ticket.confirm_priority", object_id=str(asked.pk)).exists()
    # Confirmed once: the button is gone and a second confirmation is refused.
    line = staff.get(reverse("workbench:queue_line"), {"center": county.pk}).content.decode()
    assert f'data-priority-asked="{asked.pk}"' not in line
    staff.post(url, {"from": "line", "expected_status": "waiting"})
    assert Event.objects.filter(action="ticket.confirm_priority").count() == 1


def test_plain_kiosk_tickets_are_limited_per_device(county, queue_groups, settings):
    settings.GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY = 2
    device = kiosk_device(county)
    for _n in range(2):
        assert take(device, county).status_code == 302
    refused = take(device, county)
    assert refused.status_code == 429
    assert "导引" in refused.content.decode() and 'id="kiosk-error"' in refused.content.decode()
    assert Ticket.objects.count() == 2
    assert take(kiosk_device(county), county).status_code == 302  # another kiosk


def test_the_kiosk_api_limits_per_address(client, county, queue_groups, settings):
    settings.GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY = 1
    settings.GOVHALL_RATE_KIOSK_TICKETS_PER_DEVICE_DAY = 2
    url = "/api/v1/frontdesk/queue/tickets/kiosk"
    data = {"group": queue_groups["A"].pk, "priority": "elderly_disabled"}

    def post(address: str):  # type: ignore[no-untyped-def]
        return client.post(url, data, content_type="application/json", REMOTE_ADDR=address)

    first, second = post("10.0.0.1"), post("10.0.0.1")
    assert first.json()["priority"] == "elderly_disabled" and not first.json()["priority_requested"]
    assert second.json()["priority"] == "normal" and second.json()["priority_requested"]
    third = post("10.0.0.1")
    assert third.status_code == 429 and int(third["Retry-After"]) > 0
    assert post("10.0.0.2").status_code == 201
    assert Ticket.objects.count() == 3


def test_confirmed_priority_moves_up_the_line(
    county, queue_groups, guide, clerk, hall_window, settings
):
    settings.GOVHALL_RATE_KIOSK_PRIORITY_PER_DEVICE_DAY = 0
    group = queue_groups["A"]
    first = ticket_take(group=group, device="kiosk:1", client="10.0.0.1")
    asked = ticket_take(
        group=group, priority=TicketPriority.ELDERLY_DISABLED, device="kiosk:1", client="10.0.0.1"
    )
    assert asked.priority_requested and asked.priority == TicketPriority.NORMAL
    assert TicketAction.CONFIRM_PRIORITY in {row.action for row in allowed_actions(guide, asked)}
    assert TicketAction.CONFIRM_PRIORITY not in {
        row.action for row in allowed_actions(guide, first)
    }
    ticket_confirm_priority(actor=guide, ticket=asked)
    called = ticket_call_next(actor=clerk, window=hall_window)
    assert called is not None and called.pk == asked.pk


def test_wrong_booking_codes_at_a_kiosk_are_limited(county, queue_groups, settings):
    settings.GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR = 2
    device = kiosk_device(county)
    url = f"/kiosk/{county.code}/appointment/"
    for _n in range(2):
        assert device.post(url, {"code": "NOPE2345"}).status_code == 422
    limited = device.post(url, {"code": "NOPE2345"})
    assert limited.status_code == 429 and "导引" in limited.content.decode()
    assert kiosk_device(county).post(url, {"code": "NOPE2345"}).status_code == 422
