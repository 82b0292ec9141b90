"""Queue and windows agree, on the clerk's pages (issue 17 item 1): the console shows the
ticket's matter, says why a window cannot take it and offers the windows that can; call-next
says why nobody is called; the groups page lists groups whose windows disagree with their
items; the appointment day sheet shows the booked matter."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.catalog.models import ItemWindow
from govhall.frontdesk.models import Appointment, AppointmentStatus, Ticket
from govhall.frontdesk.services.appointment_slots import slots_ensure
from govhall.frontdesk.services.tickets import ticket_call_next, ticket_take
from govhall.testing.factories import ItemWindowFactory, WindowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
PANEL = reverse("workbench:queue_console_panel")


def test_call_next_says_why_nobody_is_called(client_as, clerk, hall_window, queue_matters):
    ticket_take(group=queue_matters["B"], item=queue_matters["mortgage"])
    url = reverse("workbench:queue_call_next", kwargs={"window_id": hall_window.pk})
    html = client_as(clerk).post(url, **HTMX).content.decode()
    assert "1 waiting ticket(s) of its groups are for matters other windows take" in html
    assert Ticket.objects.get().status == "waiting"


def test_console_warns_and_offers_the_window_that_accepts(
    client_as, clerk, hall_window, second_window, queue_matters
):
    ticket = ticket_take(group=queue_matters["B"], item=queue_matters["lookup"])
    assert ticket_call_next(actor=clerk, window=hall_window) == ticket
    client = client_as(clerk)
    html = client.get(PANEL, **HTMX).content.decode()
    assert f'id="ticket-matter-{ticket.pk}"' in html and "不动产查询" in html
    assert "data-not-accepted" not in html
    # The catalog changes: window 1 no longer accepts 不动产查询.
    ItemWindow.objects.filter(window=hall_window, item=queue_matters["lookup"]).delete()
    html = client.get(PANEL, **HTMX).content.decode()
    assert f'data-not-accepted="{ticket.pk}"' in html
    assert "does not accept 不动产查询; windows that do: 2" in html
    assert f'data-to-window="{second_window.pk}"' in html
    moved = client.post(
        reverse(
            "workbench:queue_ticket_action", kwargs={"ticket_id": ticket.pk, "action": "transfer"}
        ),
        {
            "prefix": f"t{ticket.pk}",
            f"t{ticket.pk}-to": f"window:{second_window.pk}",
            f"t{ticket.pk}-expected_status": "called",
        },
        **HTMX,
    )
    assert moved.status_code == 200
    ticket.refresh_from_db()
    assert ticket.status == "waiting" and ticket.target_window == second_window


def test_groups_page_lists_mismatches(client_as, director, county, queue_matters):
    client = client_as(director)
    html = client.get(reverse("workbench:queue_groups"), {"center": county.pk}, **HTMX)
    assert 'id="group-mismatches"' not in html.content.decode()
    extra = WindowFactory(center=county, number=7, name="新窗口")
    ItemWindowFactory(item=queue_matters["mortgage"], window=extra)
    html = client.get(reverse("workbench:queue_groups"), {"center": county.pk}, **HTMX)
    text = html.content.decode()
    assert 'id="group-mismatches"' in text and f'data-mismatch="{queue_matters["B"].pk}"' in text
    assert "7号窗口" in text


def test_day_sheet_shows_the_booked_matter(client_as, guide, queue_matters):
    group = queue_matters["B"]
    day = timezone.localdate() + datetime.timedelta(days=1)
    slots_ensure(group, day)
    slot = group.slots.filter(date=day).order_by("starts").first()
    assert slot is not None
    Appointment.objects.create(
        center=group.center,
        group=group,
        slot=slot,
        date=day,
        starts=slot.starts,
        ends=slot.ends,
        name="张三",
        id_number="110101199003070019",
        phone="13800000001",
        matter="抵押登记",
        item=queue_matters["mortgage"],
        channel="phone",
        status=AppointmentStatus.BOOKED,
        code="ABC123",
    )
    html = (
        client_as(guide)
        .get(reverse("workbench:appointments"), {"group": group.pk, "date": day.isoformat()})
        .content.decode()
    )
    assert '<span class="appt-matter">抵押登记</span>' in html


def test_the_desk_issues_a_ticket_for_an_item_of_the_group(
    client_as, guide, queue_groups, queue_matters
):
    client = client_as(guide)
    line = reverse("workbench:queue_line")
    mortgage = queue_matters["mortgage"]
    assert f'value="{mortgage.pk}"' in client.get(line).content.decode()
    refused = client.post(
        line, {"group": queue_groups["A"].pk, "priority": "normal", "item": mortgage.pk}, **HTMX
    )
    assert refused.status_code == 400 and "does not serve 抵押登记" in refused.content.decode()
    assert not Ticket.objects.exists()
    taken = client.post(
        line, {"group": queue_matters["B"].pk, "priority": "normal", "item": mortgage.pk}
    )
    assert taken.status_code == 302
    assert Ticket.objects.get().item == mortgage
