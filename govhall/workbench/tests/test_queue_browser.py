"""End to end in a real browser: a clerk calls, recalls, starts and finishes at the calling
console (htmx swaps the panel in place), and the guide issues a ticket that the console picks
up by itself; the console also fits a phone."""

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


def test_clerk_works_the_console(page, clerk, hall_window, queue_groups, settings):
    ticket_take(group=queue_groups["A"])
    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/frontdesk/queue/")
    panel = page.locator(f"[data-window='{hall_window.pk}']")
    panel.locator("[data-action=call_next]").click()
    # The flash comes with the action's answer and goes with the panel's next poll: wait for it
    # rather than count it afterwards (a slow machine may already have polled).
    page.locator("#queue-flash[data-level=ok]").wait_for()
    page.locator(".ticket-number[data-status=called]").wait_for()
    assert page.locator(".ticket-number").inner_text().strip() == "A001"
    page.locator("[data-action=recall]").click()
    page.locator("[data-recalls='1']").wait_for()
    page.locator("[data-action=start]").click()
    page.locator(".ticket-number[data-status=serving]").wait_for()
    page.screenshot(path="/tmp/queue-console.png")
    page.locator("[data-action=finish]").click()
    page.locator("[data-action=call_next]").wait_for()
    assert Ticket.objects.get().status == TicketStatus.DONE
    # A ticket taken elsewhere shows up without reloading (the panel polls).
    ticket_take(group=queue_groups["B"])
    page.locator("[data-waiting='1']").wait_for(timeout=8_000)


def test_console_fits_a_phone(phone_page, clerk, hall_window, queue_groups):
    ticket_take(group=queue_groups["A"])
    log_in(phone_page, clerk)
    phone_page.goto(f"{phone_page.base_url}/staff/frontdesk/queue/")
    phone_page.locator("[data-action=call_next]").click()
    phone_page.locator(".ticket-number[data-status=called]").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    viewport = phone_page.evaluate("window.innerWidth")
    assert width <= viewport + 1
    phone_page.screenshot(path="/tmp/queue-console-phone.png", full_page=True)
