"""The kiosk is ready for the next citizen (issue 17 item 4): after a ticket is shown, and after
a while without a touch, it goes back to its first screen in Chinese, whatever language the
previous citizen chose."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import Ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]

LANG = "() => document.documentElement.lang"


def to_english(page) -> None:  # type: ignore[no-untyped-def]
    page.click(".lang-switch button[value=en]")
    page.wait_for_function(f"{LANG} === 'en'")


def test_kiosk_returns_to_chinese_after_a_ticket_and_when_idle(
    page, settings, county, queue_groups
):
    settings.GOVHALL_KIOSK_TICKET_SECONDS = 2
    settings.GOVHALL_KIOSK_IDLE_SECONDS = 3
    start = f"{page.base_url}/kiosk/{county.code}/"
    page.goto(start)
    assert page.evaluate(LANG) == "zh-CN"
    to_english(page)
    page.click("a.kiosk-group[data-group='A']")
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-number")
    assert page.evaluate(LANG) == "en" and Ticket.objects.count() == 1
    # The ticket stays on screen a moment, then the next citizen finds the first screen in
    # Chinese.
    page.wait_for_url(start, timeout=8_000)
    page.wait_for_selector("#kiosk-groups")
    assert page.evaluate(LANG) == "zh-CN"

    # Someone switches to English, starts, and walks away: the same after the idle timeout.
    to_english(page)
    page.click("a.kiosk-group[data-group='B']")
    page.wait_for_selector("#kiosk-take")
    page.fill("#id_phone", "138")
    page.wait_for_url(start, timeout=10_000)
    page.wait_for_selector("#kiosk-groups")
    assert page.evaluate(LANG) == "zh-CN" and Ticket.objects.count() == 1
