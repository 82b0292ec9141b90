"""End to end on a phone-sized browser: a citizen confirms the phone with the SMS code, books an
appointment on the portal and gets a booking code; a second booking for the same person that
day is refused with the reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.frontdesk.models import Appointment
from govhall.testing.phone_codes import sms_code
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]

FIRST17 = "11010119900307123"
ID_NUMBER = FIRST17 + id_check_character(FIRST17)


def fill_and_book(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_name", "张三丰")
    page.fill("#id_id_number", ID_NUMBER)
    page.fill("#id_phone", "13912345678")
    # The phone is confirmed by the SMS code, read from the SMS like the applicant does.
    page.locator("#appt-send-code").click()
    page.wait_for_selector("#appt-code-notice")
    assert page.input_value("#id_id_number") == ID_NUMBER  # what was typed is kept
    page.fill("#id_phone_code", sms_code("13912345678"))
    page.locator("#appt-submit").click()


def test_book_then_second_booking_the_same_day_is_refused(phone_page, queue_groups):
    group = queue_groups["A"]
    page = phone_page
    day = calendar_for(group.center_id).add_workdays(timezone.localdate(), 1)
    page.goto(f"{page.base_url}/appointments/")
    # One hall: straight to its groups.
    page.locator("#appt-groups a", has_text="市场监管").click()
    page.locator(f'#appt-days a[data-date="{day.isoformat()}"]').click()
    page.locator('#appt-slots a[data-starts="09:00"]').click()
    page.wait_for_selector("#appt-form")
    fill_and_book(page)
    page.wait_for_selector("#appt-code")
    appointment = Appointment.objects.get()
    assert page.text_content("#appt-code") == appointment.code
    assert "09:00" in (page.text_content("#appt-when") or "")
    body = page.text_content("body") or ""
    assert ID_NUMBER not in body
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    # The same person, the same day, another time: refused, the reason on the form.
    page.goto(f"{page.base_url}/appointments/c/{group.center.code}/A/?date={day.isoformat()}")
    page.locator('#appt-slots a[data-starts="10:00"]').click()
    page.wait_for_selector("#appt-form")
    fill_and_book(page)
    page.wait_for_selector(".field-error")
    reason = page.text_content(".field-error") or ""
    assert day.isoformat() in reason and "每人每天限约一次" in reason
    assert Appointment.objects.count() == 1
