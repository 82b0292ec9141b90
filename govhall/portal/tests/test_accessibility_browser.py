"""无障碍 (issue 17 item 12): the public pages, the kiosk and the display board pass axe-core's
automated check (WCAG 2.1 AA) with no serious or critical violation (`govhall/testing/axe.py`)."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from govhall.testing.axe import axe_violations, describe
from govhall.testing.factories import MaterialFactory, ServiceItemFactory
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]


OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def check(page, path: str, found: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    if path:
        page.goto(f"{page.base_url}{path}")
    violations = axe_violations(page)
    if violations:
        found[page.url] = describe(violations)


def report(found: dict[str, str]) -> str:
    return "\n".join(f"{url}\n{text}" for url, text in found.items())


def test_public_pages_on_a_phone_have_no_serious_violation(phone_page, county, queue_groups):
    item = ServiceItemFactory(
        center=county, department=queue_groups["A"].department, code="AXE-1", name="食品经营许可"
    )
    MaterialFactory(item=item, name="申请书", source="申请人自备", note="原件一份")
    page = phone_page
    found: dict[str, str] = {}
    for path in (
        "/",
        "/guides/",
        f"/guides/{item.code}/",
        "/progress/",
        "/ratings/",
        "/on-time/",
        "/voice/suggest/",
        "/voice/wall/",
    ):
        check(page, path, found)
    check(page, f"/complaints/c/{county.code}/", found)
    day = calendar_for(county.pk).add_workdays(timezone.localdate(), 1)
    page.goto(f"{page.base_url}/appointments/c/{county.code}/A/?date={day.isoformat()}")
    check(page, "", found)
    page.locator("#appt-slots a").first.click()
    page.wait_for_selector("#appt-form")
    check(page, "", found)
    assert not found, report(found)
    # The ID number opens the digit pad; its X comes from the key beside the field.
    assert page.get_attribute("#id_id_number", "inputmode") == "numeric"
    assert page.get_attribute("#id_phone", "inputmode") == "tel"
    page.fill("#id_id_number", "11010119900307123")
    page.click("[data-id-x='id_id_number']")
    assert page.input_value("#id_id_number") == "11010119900307123X"


ROOT_SIZE = "parseFloat(getComputedStyle(document.documentElement).fontSize)"


def test_large_text_survives_navigation(phone_page, settings, county, queue_groups):
    """适老化: the large-text button scales the page, and the next pages (guides, the kiosk)
    open large until it is pressed again; the kiosk turns it off for the next citizen."""
    settings.GOVHALL_KIOSK_IDLE_SECONDS = 3
    ServiceItemFactory(center=county, department=queue_groups["A"].department, code="BIG-1")
    page = phone_page
    page.goto(f"{page.base_url}/guides/")
    normal = page.evaluate(ROOT_SIZE)
    assert page.get_attribute("#text-size", "aria-pressed") == "false"
    page.click("#text-size")
    assert page.get_attribute("#text-size", "aria-pressed") == "true"
    assert page.evaluate(ROOT_SIZE) >= normal * 1.2
    page.click("a[href='/guides/BIG-1/']")
    page.wait_for_url("**/guides/BIG-1/")
    assert page.evaluate(ROOT_SIZE) >= normal * 1.2
    assert page.get_attribute("#text-size", "aria-pressed") == "true"
    assert page.evaluate(OVERFLOW) <= 0  # still nothing to scroll sideways
    page.goto(f"{page.base_url}/kiosk/{county.code}/")
    assert page.evaluate("document.documentElement.classList.contains('large-text')")
    # Left alone, the kiosk goes back to normal text before its idle restart, for good.
    page.wait_for_function(
        "() => !document.documentElement.classList.contains('large-text')", timeout=6000
    )
    page.goto(f"{page.base_url}/progress/")
    assert page.evaluate(ROOT_SIZE) == normal
    page.click("#text-size")
    page.click("#text-size")  # and off again by hand
    page.goto(f"{page.base_url}/guides/")
    assert page.evaluate(ROOT_SIZE) == normal


def test_kiosk_and_board_have_no_serious_violation(page, settings, county, queue_groups):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 1
    found: dict[str, str] = {}
    check(page, f"/kiosk/{county.code}/", found)
    check(page, f"/kiosk/{county.code}/take/A/", found)
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-number")
    check(page, "", found)  # the ticket screen
    page.click("#kiosk-status")
    page.wait_for_selector("#ticket-live")
    check(page, "", found)  # the ticket's page on the citizen's phone
    check(page, f"/kiosk/{county.code}/appointment/", found)
    page.goto(f"{page.base_url}/board/{county.code}/")
    page.wait_for_selector("[data-window='1']")
    check(page, "", found)
    page.goto("about:blank")
    time.sleep(settings.GOVHALL_BOARD_STREAM_SECONDS + 0.6)  # the board's stream ends
    assert not found, report(found)
