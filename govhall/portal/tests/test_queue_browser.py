"""The queue in a real browser (SPEC §7; seeds/000… 篇3 排队叫号): a citizen takes a ticket at the
kiosk on a phone; the hall's board shows a clerk's call within a second and speaks it."""

from __future__ import annotations

import time

import pytest

from govhall.frontdesk.models import Ticket
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("hall_open")]


def let_streams_end(page, seconds: float) -> None:  # type: ignore[no-untyped-def]
    """Leave the board and wait until its open stream has ended on the server: a request
    still running after the test would outlive the live server's database connection."""
    page.goto("about:blank")
    time.sleep(seconds + 0.6)


BOARD_NUMBER = "() => (document.querySelector('[data-window=\"1\"] .bw-number') || {}).textContent"


@pytest.mark.django_db(transaction=True)
def test_phone_kiosk_takes_a_ticket(phone_page, county, queue_groups):
    ticket_take(group=queue_groups["A"])
    page = phone_page
    page.goto(f"{page.base_url}/kiosk/{county.code}/")
    button = page.locator("a.kiosk-group[data-group='A']")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 80  # big enough for a finger
    assert "1 人等候" in button.inner_text()
    button.click()
    page.fill("#id_phone", "12345")
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-error")
    assert Ticket.objects.count() == 1  # refused: nothing issued
    page.fill("#id_phone", "13800138000")
    page.check("#id_elderly_disabled")
    page.click("#kiosk-take")
    page.wait_for_selector("#kiosk-number")
    assert page.text_content("#kiosk-number") == "A002"
    assert page.get_attribute("#kiosk-ahead", "data-ahead") == "0"  # priority goes first
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    page.click("#kiosk-status")
    page.wait_for_selector("#ticket-live[data-status='waiting']")
    assert page.text_content("#ticket-number") == "A002"


@pytest.mark.django_db(transaction=True)
def test_board_shows_and_speaks_a_call_within_a_second(
    page, settings, county, queue_groups, clerk, hall_window
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 2  # short streams: the browser reconnects
    ticket_take(group=queue_groups["A"])
    page.goto(f"{page.base_url}/board/{county.code}/")
    page.wait_for_function("() => document.documentElement.dataset.boardLive === 'stream'")
    assert page.text_content("#board-groups li[data-group='A'] .bg-count") == "1"
    assert page.evaluate(BOARD_NUMBER) == "—"
    # The board fits the screen: nothing to scroll.
    assert page.evaluate(
        "document.documentElement.scrollHeight <= window.innerHeight"
        " && document.documentElement.scrollWidth <= window.innerWidth"
    )

    started = time.monotonic()
    ticket = ticket_call_next(actor=clerk, window=hall_window)
    assert ticket is not None and ticket.number == "A001"
    page.wait_for_function(f"{BOARD_NUMBER} === 'A001'", timeout=1000)
    assert time.monotonic() - started < 1.5
    spoken = page.evaluate("window.govhallSpoken")
    assert spoken == ["请 A001 号到 1 号窗口办理"]
    assert "A001" in page.inner_text("#board-calls li:first-child")
    assert page.text_content("#board-groups li[data-group='A'] .bg-count") == "0"

    # A recall is spoken again, across a reconnect of the stream.
    page.wait_for_timeout(2500)
    ticket_act(actor=clerk, ticket=ticket, action=TicketAction.RECALL)
    page.wait_for_function("() => window.govhallSpoken.length === 2", timeout=2000)
    assert page.evaluate("window.govhallSpoken[1]") == "请 A001 号到 1 号窗口办理"

    # The sound overlay goes away on a click.
    page.click("#board-sound-button")
    assert page.locator("#board-sound").is_hidden()
    let_streams_end(page, settings.GOVHALL_BOARD_STREAM_SECONDS)


@pytest.mark.django_db(transaction=True)
def test_board_is_readable_on_a_full_hd_screen(
    chromium, live_server, settings, county, queue_groups
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 1
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/board/{county.code}/")
        page.wait_for_selector("[data-window='2']")
        size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.bw-number')).fontSize)"
        )
        assert size >= 120  # a ticket number reads across the hall
        assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
        let_streams_end(page, settings.GOVHALL_BOARD_STREAM_SECONDS)
    finally:
        context.close()
