"""In a real browser: a clerk logs in, signs in on the attendance page and sees the judgment."""

import pytest
from django.utils import timezone

from govhall.staffing.models import Attendance
from govhall.testing.factories import PASSWORD
from govhall.workdays.queries.calendar import calendar_for, drop_cached_calendars
from govhall.workdays.services.center_days import center_day_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_signs_in_and_sees_the_judgment(page, clerk, county):
    today = timezone.localdate()
    if not calendar_for(county.pk).is_workday(today):
        center_day_set(
            actor=None, center_id=county.pk, date=today, kind="extra_workday", reason="测试"
        )
        drop_cached_calendars()
    page.goto(f"{page.base_url}/staff/attendance/")
    assert "/staff/login/" in page.url
    page.fill("#id_username", clerk.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/attendance/")
    page.locator("#sign-in").click()
    page.wait_for_selector("#judgment .badge")
    row = Attendance.objects.get(user=clerk, date=today)
    # Both sessions are judged: before midday the click is the morning sign-in (first row of
    # the judgment), afterwards the afternoon one (third row).
    afternoon = row.afternoon_signed_in_at is not None
    moment = row.afternoon_signed_in_at if afternoon else row.signed_in_at
    late = row.afternoon_late_minutes if afternoon else row.late_minutes
    row_index = 2 if afternoon else 0
    assert moment is not None
    judgment = page.locator("#judgment").inner_text()
    assert timezone.localtime(moment).strftime("%H:%M") in judgment
    badge = page.locator("#judgment dd").nth(row_index).locator(".badge")
    expected_class = "badge-bad" if late else "badge-ok"
    assert expected_class in (badge.get_attribute("class") or "")
    assert page.locator("#sign-in").is_disabled()
    assert page.locator(".messages").count() == 1
