"""Two rating screens (评价器) in chromium, paired to windows 1 and 2 (issue 15 item 1): a ticket
finished at window 1 lights screen 1 only; the citizen taps a level, the rating is written with
the window and the clerk, and the screen goes back to idle without a reload. A bad rating on
screen 2 asks for the reason with big buttons."""

from __future__ import annotations

import time

import pytest

from govhall.feedback.models import Rating, RatingChannel
from govhall.feedback.services.rating_screens import (
    rating_screen_create,
    rating_screen_issue_code,
)
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("hall_open")]

MODE = "() => document.documentElement.dataset.screenMode"


def pair(page, director, window) -> None:  # type: ignore[no-untyped-def]
    screen = rating_screen_create(actor=director, window=window)
    screen = rating_screen_issue_code(actor=director, screen=screen)
    # A second browser context starts its own renderer: slow on a busy CI machine.
    page.goto(f"{page.base_url}/rating-screen/pair/?code={screen.pairing_code}", timeout=30_000)
    page.click("#rs-pair-submit")
    page.wait_for_function("() => document.documentElement.dataset.screenLive === 'stream'")
    assert page.evaluate(MODE) == "idle"
    page.evaluate("window.notReloaded = true")


def serve(clerk, window, group):  # type: ignore[no-untyped-def]
    ticket_take(group=group)
    ticket = ticket_call_next(actor=clerk, window=window)
    assert ticket is not None
    ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START)
    return ticket_act(actor=clerk, ticket=ticket, action=TicketAction.FINISH)


@pytest.mark.django_db(transaction=True)
def test_two_screens_each_rate_their_own_window(
    page, chromium, live_server, settings, director, clerk, clerk_two, queue_groups,
    hall_window, second_window,
):  # fmt: skip
    settings.GOVHALL_BOARD_STREAM_SECONDS = 2  # short streams: the tablets reconnect
    clerk.full_name = "王小明"
    clerk.save()
    clerk.staff.staff_number = "GH-0042"
    clerk.staff.save()
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    context.set_default_timeout(10_000)
    other = context.new_page()
    other.base_url = live_server.url
    try:
        page.set_viewport_size({"width": 1280, "height": 800})  # a landscape tablet
        pair(page, director, hall_window)
        pair(other, director, second_window)

        ticket = serve(clerk, hall_window, queue_groups["A"])
        page.wait_for_function(f"{MODE} === 'rate'", timeout=3000)
        assert page.text_content("#rs-name") == "王小明"
        assert "GH-0042" in page.text_content("#rs-number")
        assert page.text_content("#rs-photo") == "王"
        button = page.locator("button[data-level='5']")
        box = button.bounding_box()
        assert box is not None and box["height"] >= 120  # a big touch target
        assert other.evaluate(MODE) == "idle"  # window 2's screen stays dark

        button.click()
        page.wait_for_function(f"{MODE} === 'thanks'")
        rating = Rating.objects.get()
        assert (rating.channel, rating.level, rating.window_id, rating.staff_id) == (
            RatingChannel.WINDOW_SCREEN,
            5,
            hall_window.pk,
            clerk.pk,
        )
        assert rating.ticket_id == ticket.pk
        page.wait_for_function(f"{MODE} === 'idle'", timeout=10_000)
        assert page.evaluate("window.notReloaded") is True

        # A bad rating on screen 2 asks why, with big buttons.
        serve(clerk_two, second_window, queue_groups["B"])
        other.wait_for_function(f"{MODE} === 'rate'", timeout=3000)
        assert page.evaluate(MODE) == "idle"
        other.click("button[data-level='1']")
        other.wait_for_function(f"{MODE} === 'reasons'")
        other.click("button[data-reason='slow']")
        other.wait_for_function(f"{MODE} === 'thanks'")
        bad = Rating.objects.get(window=second_window)
        assert (bad.level, bad.reason, bad.staff_id) == (1, "slow", clerk_two.pk)
        assert other.evaluate("window.notReloaded") is True
    finally:
        # Leave the screens and let their open streams end on the server.
        page.goto("about:blank")
        other.goto("about:blank")
        context.close()
        time.sleep(2.6)
