"""Calling is forgiving in a real browser (issue 17 item 4): 过号 asks to confirm (no inline
script: a second step in the same htmx panel), and the clerk undoes it at once."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.frontdesk.services.tickets import ticket_take
from govhall.testing.browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]


def test_no_show_is_confirmed_then_undone(page, clerk, hall_window, queue_groups):
    ticket_take(group=queue_groups["A"])
    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/frontdesk/queue/")
    page.locator("[data-action=call_next]").click()
    page.locator(".ticket-number[data-status=called]").wait_for()
    page.locator("[data-action=no_show]").click()
    dialog = page.locator("#confirm-no-show")
    dialog.wait_for()
    assert "A001" in dialog.inner_text()
    # Not marked until confirmed; "keep calling" goes back.
    assert Ticket.objects.get().status == TicketStatus.CALLED
    page.locator("[data-action=keep_ticket]").click()
    page.locator("[data-action=no_show]").wait_for()
    assert Ticket.objects.get().status == TicketStatus.CALLED
    page.locator("[data-action=no_show]").click()
    page.locator("[data-action=confirm_no_show]").click()
    page.locator("[data-action=undo_no_show]").wait_for()
    assert Ticket.objects.get().status == TicketStatus.NO_SHOW
    page.screenshot(path="/tmp/h4-console-missed.png")
    page.locator("[data-action=undo_no_show]").click()
    page.locator(".ticket-number[data-status=called]").wait_for()
    assert Ticket.objects.get().status == TicketStatus.CALLED
