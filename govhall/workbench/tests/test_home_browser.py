"""The home at 1366×768 (issue 17 item 7): the director and a clerk see what waits for them in
the first screen, and the setup pages are folded under one menu entry."""

import pytest
from django.urls import reverse

from govhall.cases.statuses import CaseStatus
from govhall.testing.alerts import make_alert
from govhall.testing.browser import log_in
from govhall.testing.cases import make_case
from govhall.testing.leave import ask, future_day
from govhall.testing.supervision import ensure_default_rules

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_and_clerk_see_their_work_first(
    page, director, clerk, case_item, hall_window, settings
):
    ensure_default_rules()  # an earlier transactional test may have flushed them
    make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
    ask(clerk, future_day())
    make_alert(hall_window, clerk)

    log_in(page, director)
    leave_card = page.locator("[data-work=leave]")
    assert leave_card.locator(".figure").inner_text() == "1"
    box = leave_card.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768  # in the first screen
    setup = page.locator("#nav-setup")
    centers = f"#nav-setup a[href='{reverse('workbench:centers')}']"
    assert setup.get_attribute("open") is None  # folded
    assert not page.locator(centers).is_visible()
    setup.locator("summary").click()
    assert page.locator(centers).is_visible()
    # The daily pages come before the setup group in the menu.
    inbox = page.locator(f"#sidenav a[href='{reverse('workbench:case_inbox')}']").bounding_box()
    assert inbox is not None and inbox["y"] < (setup.bounding_box() or {"y": 0})["y"]

    log_in(page, clerk)
    inbox_card = page.locator("[data-work=inbox]")
    assert inbox_card.locator(".figure").inner_text() == "1"
    box = inbox_card.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768
    inbox_card.click()
    page.wait_for_url(f"**{reverse('workbench:case_inbox')}")
    page.go_back()
