"""“The hall now” at 1366×768 (issue 18 item 2): the director reads the hall's moment in the
first screen of the home, and each figure leads to its list."""

import pytest
from django.urls import reverse

from govhall.cases.statuses import CaseStatus
from govhall.frontdesk.services.tickets import ticket_take
from govhall.testing.browser import log_in
from govhall.testing.cases import make_case
from govhall.testing.leave import ask, future_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_director_sees_the_hall_now_in_the_first_screen(
    page, director, clerk, case_item, hall_window, queue_groups, hall_open
):
    make_case(case_item, hall_window, status=CaseStatus.ACCEPTED, promised_due_on=None)
    ticket_take(group=queue_groups["A"])
    ask(clerk, future_day())  # a work card below the section

    log_in(page, director)
    section = page.locator("#hall-now")
    box = section.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768  # all of it in the first screen
    assert section.locator("[data-now=waiting] .figure").inner_text() == "1"
    assert section.locator("[data-now=windows_open] .figure").inner_text() == "2"  # windows 1, 2
    assert page.locator("[data-work=leave]").is_visible()  # the work cards stay
    page.screenshot(path="/tmp/hall-now-director.png")
    section.locator("[data-now=overdue]").click()
    page.wait_for_url(f"**{reverse('workbench:cases')}?due=overdue")
