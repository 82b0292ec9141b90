"""On a phone-sized browser: a citizen opens the QR link of a delivered case, gives a 差评 with a
reason (the reasons appear only for a bad level), and sees the thanks page."""

from __future__ import annotations

import pytest

from govhall.feedback.models import Rating
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.testing.rating_occasions import delivered_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bad_rating_through_the_qr_link_on_a_phone(phone_page, case_item, hall_window, clerk):
    case = delivered_case(case_item, hall_window, delivered_by=clerk)
    page = phone_page
    page.goto(f"{page.base_url}/rate/{occasion_token(f'case:{case.pk}')}/")
    assert page.locator("#rate-reasons").is_hidden()
    page.locator(".rate-level-5").click()
    assert page.locator("#rate-reasons").is_hidden()
    page.locator(".rate-level-2").click()
    page.wait_for_selector("#rate-reasons", state="visible")
    page.locator(".rate-reason-choice", has_text="等候时间长").click()
    page.fill("#id_comment", "排队两个小时")
    page.locator("#rate-submit").click()
    page.wait_for_selector("#rate-thanks-bad")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    rating = Rating.objects.get()
    assert (rating.level, rating.reason, rating.comment) == (2, "slow", "排队两个小时")
    assert rating.staff == clerk and rating.follow_up == "open"
