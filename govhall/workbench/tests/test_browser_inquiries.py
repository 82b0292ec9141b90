"""End to end in a real browser: the guide logs a transfer in seconds (the outcome radio shows
the fields it needs), the form is clear for the next contact and the entry shows below; the
receiving clerk takes it on and marks it done; on a phone the form fits the screen."""

from __future__ import annotations

import pytest

from govhall.frontdesk.models import Inquiry, InquiryStatus
from govhall.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")


def test_guide_logs_a_transfer_and_the_receiver_finishes_it(
    page, county, guide, other_department, clerk_two
):  # type: ignore[no-untyped-def]
    log_in(page, guide)
    page.goto(f"{page.base_url}/staff/frontdesk/inquiries/log/")
    transfer_part = page.locator(".outcome-part[data-outcomes=transferred]")
    assert transfer_part.is_hidden()
    page.locator("input[name=channel][value=phone]").check()
    page.fill("#id_matter", "不动产抵押登记要带什么材料")
    page.fill("#id_contact_phone", "13800138000")
    page.locator("input[name=outcome][value=transferred]").check()
    assert transfer_part.is_visible()
    assert page.locator(".outcome-part[data-outcomes=guided]").is_hidden()
    page.select_option("#id_transferred_department", str(other_department.pk))
    page.fill("#id_transferred_contact", "李工")
    page.locator("#inquiry-submit").click()
    page.locator("#inquiry-saved").wait_for()
    assert page.input_value("#id_matter") == ""  # clear for the next contact
    assert page.locator("input[name=channel][value=phone]").is_checked()  # channel kept
    assert "不动产抵押登记" in page.locator("#recent-inquiries").inner_text()
    # A second one right away, answered, saved with Ctrl+Enter.
    page.fill("#id_matter", "几点下班")
    page.locator("input[name=outcome][value=answered]").check()
    page.fill("#id_answer", "17:30")
    page.locator("#id_answer").press("Control+Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#recent-inquiries [data-inquiry]').length === 2"
    )
    assert Inquiry.objects.count() == 2

    log_in(page, clerk_two)
    page.goto(f"{page.base_url}/staff/frontdesk/inquiries/transfers/")
    inquiry = Inquiry.objects.get(outcome="transferred")
    row = page.locator(f"#transfer-{inquiry.pk}")
    row.locator("text=签收").click()
    page.locator(f"#transfer-{inquiry.pk} form[action$='/acknowledge/']").wait_for(state="detached")
    row = page.locator(f"#transfer-{inquiry.pk}")
    row.locator("textarea").fill("已电话告知所需材料")
    row.locator("button.primary").click()
    page.locator(f"#transfer-{inquiry.pk} .badge-ok").wait_for()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DONE and inquiry.done_by == clerk_two


def test_quick_log_fits_a_phone(phone_page, county, guide):  # type: ignore[no-untyped-def]
    page = phone_page
    log_in(page, guide)
    page.goto(f"{page.base_url}/staff/frontdesk/inquiries/log/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1
    assert page.locator("#inquiry-submit").is_visible()
