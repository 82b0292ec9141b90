"""In a real browser: the director opens the supervision board, follows the window's overdue
figure to the list behind it, and from there the case itself."""

from __future__ import annotations

import pytest

from govhall.testing.browser import log_in
from govhall.testing.supervision_board import build_board_hall

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_board_drill_down_to_the_overdue_case(
    page,
    director,
    county,
    town,
    other_county,
    department,
    other_department,
    hall_window,
    case_item,
    clerk,
):
    hall = build_board_hall(
        county=county,
        town=town,
        other_county=other_county,
        department=department,
        other_department=other_department,
        window=hall_window,
        item=case_item,
        clerk=clerk,
    )
    log_in(page, director)
    page.goto(f"{page.base_url}/staff/supervision/board/")
    board = page.locator("#supervision-board")
    county_row = board.locator(f'tr.board-center[data-center="{county.pk}"]')
    assert county_row.locator('[data-figure="overdue"]').inner_text() == "2"
    assert county_row.locator('[data-figure="red"]').inner_text() == "1"
    town_row = board.locator(f'tr.board-center[data-center="{town.pk}"]')
    assert town_row.locator('[data-figure="open"]').inner_text() == "1"
    window_row = board.locator(f'tr.board-window[data-window="{hall_window.pk}"]')
    window_row.locator('[data-figure="overdue"] a').click()
    page.wait_for_selector("#board-cases")
    rows = page.locator("#board-cases tr.board-case")
    assert rows.count() == 1
    overdue = hall.cases["overdue"]
    assert rows.first.get_attribute("data-case") == str(overdue.pk)
    rows.first.locator("a").first.click()
    page.wait_for_url(f"{page.base_url}/staff/cases/{overdue.pk}/")
    assert overdue.number in page.content()
    # Back on the board, the red figure opens the alerts behind it.
    page.goto(f"{page.base_url}/staff/supervision/board/")
    page.locator(
        f'tr.board-window[data-window="{hall_window.pk}"] [data-figure="reminder"] a'
    ).click()
    page.wait_for_selector("#board-alerts")
    assert page.locator("#board-alerts tr.board-alert").count() == 2
