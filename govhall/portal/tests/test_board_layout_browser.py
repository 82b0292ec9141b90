"""The display board reads from across the hall (issue 17 item 10): in a busy hall (nine windows
with a ticket each, eight groups, the last calls full) every recent-call row is inside the screen
at 1366×768 and at 1920×1080, the numbers are large, and the control that enables spoken calls
covers no window tile."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from govhall.frontdesk.models import ServiceGroup, Ticket, TicketCall, TicketStatus
from govhall.frontdesk.queries.board import BOARD_LAST_CALLS
from govhall.frontdesk.services.tickets import ticket_take
from govhall.testing.factories import WindowFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]

LETTERS = "ABCDEFGH"
WINDOWS = 9

# Boxes of the rows, the tiles and the sound control, and the panel the rows are drawn in.
LAYOUT = """() => {
  const box = (el) => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const panel = document.getElementById('board-calls').closest('.board-panel');
  const sound = document.getElementById('board-sound');
  return {
    width: window.innerWidth, height: window.innerHeight,
    panel: box(panel),
    rows: [...document.querySelectorAll('#board-calls li')].map(box),
    tiles: [...document.querySelectorAll('.board-window')].map(box),
    sound: sound && !sound.hidden ? box(sound) : null,
    callNumber: parseFloat(getComputedStyle(document.querySelector('.bc-number')).fontSize),
    tileNumber: parseFloat(getComputedStyle(document.querySelector('.bw-number')).fontSize),
    scrolls: document.documentElement.scrollHeight > window.innerHeight,
  };
}"""


def busy_hall(county) -> None:  # type: ignore[no-untyped-def]
    groups = [
        ServiceGroup.objects.create(
            center=county, letter=letter, name=f"{letter}类综合业务受理", position=n
        )
        for n, letter in enumerate(LETTERS)
    ]
    windows = [WindowFactory(center=county, number=n + 1) for n in range(WINDOWS)]
    for n, window in enumerate(windows):
        groups[n % len(groups)].windows.add(window)
    now = timezone.now()
    for n, window in enumerate(windows):
        ticket = ticket_take(group=groups[n % len(groups)])
        ticket_take(group=groups[n % len(groups)])  # somebody waits in every group
        Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.CALLED, window=window)
        TicketCall.objects.create(ticket=ticket, center=county, window=window, at=now)


def inside(row: dict, outer: dict) -> bool:
    return (
        row["top"] >= outer["top"] - 0.5
        and row["bottom"] <= outer["bottom"] + 0.5
        and row["left"] >= outer["left"] - 0.5
        and row["right"] <= outer["right"] + 0.5
    )


def overlaps(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_every_recent_call_shows_and_nothing_covers_the_tiles(
    chromium, live_server, settings, county, width, height
):
    settings.GOVHALL_BOARD_STREAM_SECONDS = 1
    busy_hall(county)
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/board/{county.code}/")
        page.wait_for_selector(f"[data-window='{WINDOWS}']")
        page.screenshot(path=f"/tmp/h4-board-{width}.png")
        layout = page.evaluate(LAYOUT)
        screen = {"left": 0, "top": 0, "right": layout["width"], "bottom": layout["height"]}
        assert len(layout["rows"]) == BOARD_LAST_CALLS
        for row in layout["rows"]:
            assert inside(row, screen) and inside(row, layout["panel"]), (row, layout["panel"])
        assert not layout["scrolls"]
        # Numbers read across the hall: the last calls' too, not only the tiles'.
        assert layout["callNumber"] >= height * 0.04, layout["callNumber"]
        assert layout["tileNumber"] >= height * 0.08, layout["tileNumber"]
        assert layout["sound"] is not None
        for tile in layout["tiles"]:
            assert not overlaps(layout["sound"], tile), (layout["sound"], tile)
        for row in layout["rows"]:
            assert not overlaps(layout["sound"], row)
        page.goto("about:blank")
        time.sleep(settings.GOVHALL_BOARD_STREAM_SECONDS + 0.6)
    finally:
        context.close()
