"""The kiosk offers the matters citizens recognise (issue 17 item 1): the items its lines serve,
searchable, the department as a hint; the chosen item is stored on the ticket and shown on the
ticket pages; an item the line does not serve is refused with nothing issued."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import Ticket

pytestmark = pytest.mark.usefixtures("hall_open")


class TestKioskMatters:
    def test_the_first_screen_lists_the_items_with_department_and_line(
        self, client, county, queue_matters, other_department
    ):
        html = client.get(f"/kiosk/{county.code}/").content.decode()
        assert 'id="kiosk-search"' in html
        item = queue_matters["mortgage"]
        assert f'/kiosk/{county.code}/take/B/?item={item.pk}"' in html
        assert "抵押登记" in html and (other_department.short_name or other_department.name) in html

    def test_search_without_script_keeps_the_matching_matters(self, client, county, queue_matters):
        html = client.get(f"/kiosk/{county.code}/", {"q": "抵押"}).content.decode()
        assert "抵押登记" in html and "不动产查询" not in html

    def test_taking_a_ticket_for_a_matter_stores_and_shows_it(self, client, county, queue_matters):
        item = queue_matters["mortgage"]
        page = client.get(f"/kiosk/{county.code}/take/B/", {"item": item.pk}).content.decode()
        assert 'id="kiosk-matter"' in page and "抵押登记" in page
        response = client.post(f"/kiosk/{county.code}/take/B/", {"item": item.pk})
        assert response.status_code == 302
        ticket = Ticket.objects.get()
        assert ticket.item == item and ticket.matter == "抵押登记"
        shown = client.get(response["Location"]).content.decode()
        assert 'id="kiosk-ticket-matter">抵押登记<' in shown
        status = client.get(f"/ticket/{ticket.token}/").content.decode()
        assert 'id="ticket-matter">抵押登记<' in status

    def test_an_item_of_another_line_is_refused(self, client, county, queue_matters):
        response = client.post(
            f"/kiosk/{county.code}/take/A/", {"item": queue_matters["mortgage"].pk}
        )
        # The kiosk never offers it; a forged post gets the line without the item.
        assert response.status_code == 302
        assert Ticket.objects.get().item is None
