"""Calling is forgiving, through the pages and the API (issue 17 item 4): 过号 asks to confirm
first, the console offers to undo it for a few minutes and to put the ticket back in line, and
the guide's line puts a late citizen back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CONSOLE = reverse("workbench:queue_console")
LINE = reverse("workbench:queue_line")
API = "/api/v1/frontdesk/queue"


def act_url(ticket, action: str) -> str:
    return reverse(
        "workbench:queue_ticket_action", kwargs={"ticket_id": ticket.pk, "action": action}
    )


def status_of(ticket) -> str:  # type: ignore[no-untyped-def]
    return Ticket.objects.get(pk=ticket.pk).status


@pytest.fixture
def called(queue_groups, clerk, hall_window):  # type: ignore[no-untyped-def]
    ticket_take(group=queue_groups["A"])
    ticket_take(group=queue_groups["A"])
    ticket = ticket_call_next(actor=clerk, window=hall_window)
    assert ticket is not None
    return ticket


def test_no_show_asks_to_confirm_then_can_be_undone(client_as, clerk, called):
    client = client_as(clerk)
    # First step: nothing changes, the console asks (and stops redrawing itself meanwhile).
    html = client.post(
        act_url(called, "no_show"), {"expected_status": "called"}, **HTMX
    ).content.decode()
    assert status_of(called) == TicketStatus.CALLED
    assert 'id="confirm-no-show"' in html and "Mark ticket A001 as a no-show?" in html
    assert 'name="confirmed" value="1"' in html and "hx-trigger" not in html
    assert "<script" not in html and "onclick" not in html
    # Without htmx the same question is a whole page.
    page = client.post(act_url(called, "no_show"), {"expected_status": "called"}, **EN)
    assert page.status_code == 200 and 'id="confirm-no-show"' in page.content.decode()
    # Confirmed: marked; the console offers to undo it and to put it back in line.
    html = client.post(
        act_url(called, "no_show"), {"expected_status": "called", "confirmed": "1"}, **HTMX
    ).content.decode()
    assert status_of(called) == TicketStatus.NO_SHOW
    assert f'data-missed="{called.pk}"' in html
    assert 'data-action="undo_no_show"' in html and 'data-action="requeue"' in html
    html = client.post(
        act_url(called, "undo_no_show"), {"expected_status": "no_show"}, **HTMX
    ).content.decode()
    assert status_of(called) == TicketStatus.CALLED
    assert 'data-level="ok"' in html and 'data-status="called"' in html


def test_the_undo_button_goes_once_the_time_is_over(client_as, clerk, called, settings):
    ticket_act(actor=clerk, ticket=called, action=TicketAction.NO_SHOW)
    settings.GOVHALL_NO_SHOW_UNDO_MINUTES = 0
    html = client_as(clerk).get(CONSOLE, **EN).content.decode()
    assert 'data-action="undo_no_show"' not in html


def test_the_guide_puts_a_late_citizen_back_in_line(client_as, guide, clerk, called, settings):
    settings.GOVHALL_REQUEUE_AFTER_PLACES = 3
    ticket_act(actor=clerk, ticket=called, action=TicketAction.NO_SHOW)
    client = client_as(guide)
    html = client.get(LINE, **EN).content.decode()
    assert f'data-missed="{called.pk}"' in html and 'data-action="requeue"' in html
    html = client.post(
        act_url(called, "requeue"), {"from": "line", "expected_status": "no_show"}, **HTMX
    ).content.decode()
    assert status_of(called) == TicketStatus.WAITING
    assert "Ticket A001 is back in line: 1 people ahead." in html
    assert f'data-missed="{called.pk}"' not in html  # GOVHALL_REQUEUE_MAX = 1: used up


def test_the_api_undoes_and_requeues(client_as, clerk, called):
    client = client_as(clerk)
    url = f"{API}/tickets/{called.pk}/act"

    def act(action: str):  # type: ignore[no-untyped-def]
        return client.post(url, {"action": action}, content_type="application/json", **EN)

    body = act("no_show").json()
    assert body["ticket"]["no_show_at"] and {"undo_no_show", "requeue"} <= {
        a["action"] for a in body["actions"]
    }
    assert act("undo_no_show").json()["ticket"]["status"] == "called"
    act("no_show")
    body = act("requeue").json()
    assert body["ticket"]["status"] == "waiting" and body["ticket"]["requeue_count"] == 1
    act_again = ticket_call_next(actor=clerk, window=called.window)
    assert act_again is not None
    refused = act("undo_no_show")
    assert refused.status_code == 409
