"""On a phone-sized browser: a citizen files a complaint on the portal, gets its number and
follow link, and sees the answer there once the hall answered it."""

from __future__ import annotations

import pytest

from govhall.feedback.models import Complaint
from govhall.feedback.services.complaints import complaint_answer
from govhall.testing.factories import WindowFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_a_complaint_on_the_phone_and_follow_the_answer(phone_page, county, director):
    window = WindowFactory(center=county, number=5, name="不动产窗口")
    page = phone_page
    page.goto(f"{page.base_url}/complaints/")  # one center: straight to its form
    page.wait_for_selector("#complaint-form")
    page.check("#id_target_kind_0")  # a window
    page.select_option("#id_window", str(window.pk))
    page.fill("#id_summary", "窗口排队两小时无人办理")
    page.fill("#id_complainant_phone", "13600002222")
    page.locator("#complaint-submit").click()
    page.wait_for_selector("#complaint-received")
    complaint = Complaint.objects.get()
    assert page.text_content("#complaint-number") == complaint.number
    link = page.get_attribute("#complaint-link", "href") or ""
    assert complaint.public_token in link
    assert page.is_visible("#complaint-waiting")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    complaint_answer(
        actor=director, complaint=complaint, version=1, finding="verified", result="已增派人手"
    )
    page.goto(link)
    assert page.text_content("#complaint-finding") == "属实"
    assert "已增派人手" in (page.text_content("#complaint-answer") or "")
