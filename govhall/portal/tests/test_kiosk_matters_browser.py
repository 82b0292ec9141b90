"""A citizen on a 390×844 phone finds the matter at the kiosk by searching, takes a ticket that
shows it, and call-next never offers it to a window that cannot accept it (issue 17 item 1)."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import Ticket
from govhall.frontdesk.services.tickets import ticket_call_next

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("hall_open")]


@pytest.mark.django_db(transaction=True)
def test_search_a_matter_take_a_ticket_called_only_where_accepted(
    phone_page, county, queue_matters, clerk, clerk_two, hall_window, second_window
):
    page = phone_page
    page.goto(f"{page.base_url}/kiosk/{county.code}/")
    page.fill("#kiosk-search", "抵押")
    visible = page.locator("#kiosk-matters li:visible")
    assert visible.count() == 1
    button = visible.locator("a.kiosk-matter")
    assert "抵押登记" in button.inner_text()
    box = button.bounding_box()
    assert box is not None and box["height"] >= 60
    button.click()
    page.wait_for_selector("#kiosk-matter")
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-number")
    assert page.text_content("#kiosk-ticket-matter") == "抵押登记"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    ticket = Ticket.objects.get()
    assert ticket.item == queue_matters["mortgage"]
    # Window 1 calls group B but does not accept 抵押登记; window 2 does.
    assert ticket_call_next(actor=clerk, window=hall_window) is None
    assert ticket_call_next(actor=clerk_two, window=second_window) == ticket
