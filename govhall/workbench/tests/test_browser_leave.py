"""End to end in a real browser: a clerk asks for a day's leave, the window head approves it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.staffing.models.leave import Leave, LeaveStatus
from govhall.testing.browser import log_in
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.testing.leave import ask
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_asks_head_approves_clerk_sees_approved(page, county, department, clerk, window_head):
    window = WindowFactory(center=county, head=window_head, name="市场监管综合窗口")
    window.departments.add(department)
    PostFactory(window=window, name="登记受理岗", a_staff=clerk)
    day = calendar_for(county.pk).next_workday(timezone.localdate() + datetime.timedelta(days=3))

    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/leave/")
    page.select_option("#id_kind", "personal")
    page.fill("#id_starts_at", f"{day.isoformat()}T08:30")
    page.fill("#id_ends_at", f"{day.isoformat()}T17:30")
    page.fill("#id_reason", "孩子家长会")
    page.locator("#request-leave button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/leave/")
    mine = page.locator("#my-leaves")
    assert "孩子家长会" in mine.inner_text()
    assert mine.locator("[data-status=pending]").count() == 1
    leave = Leave.objects.get()
    assert leave.working_days == 1 and not leave.needs_management

    log_in(page, window_head)
    page.goto(f"{page.base_url}/staff/leave/")
    row = page.locator(f"#decide-{leave.pk}")
    assert "孩子家长会" in row.inner_text()
    page.fill(f"#note-{leave.pk}", "同意，请安排好B岗")
    row.locator("button.primary").click()
    # htmx swaps the row in place with the decision.
    page.locator(f"#decide-{leave.pk} [data-status=approved]").wait_for()

    log_in(page, clerk)
    page.goto(f"{page.base_url}/staff/leave/")
    badge = page.locator(f"#my-leaves tr[data-leave='{leave.pk}'] .leave-status")
    assert badge.get_attribute("data-status") == "approved"
    assert badge.inner_text().strip() != ""
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_approval_answers_at_once_and_a_second_click_is_refused_with_a_message(
    page, county, department, clerk, window_head
):
    """Issue 17 item 5: the head approves in the page: the row changes and a message says so;
    the same approval clicked again from a page drawn earlier is refused with a message (409),
    never silently."""
    window = WindowFactory(center=county, head=window_head, name="市场监管综合窗口")
    window.departments.add(department)
    PostFactory(window=window, name="登记受理岗", a_staff=clerk)
    day = calendar_for(county.pk).next_workday(timezone.localdate() + datetime.timedelta(days=3))
    leave = ask(clerk, day)

    log_in(page, window_head)
    page.goto(f"{page.base_url}/staff/leave/")
    stale = page.context.new_page()  # a second tab, drawn before the approval
    stale.goto(f"{page.base_url}/staff/leave/")
    row = page.locator(f"#decide-{leave.pk}")
    row.locator("button.primary").click()
    page.locator(f"#decide-{leave.pk} [data-status=approved]").wait_for()
    assert row.locator("button").count() == 0
    message = page.locator("#page-messages .msg-success")
    message.wait_for()
    assert "请假已批准" in message.inner_text()

    stale.locator(f"#decide-{leave.pk} button.primary").click()
    refusal = stale.locator("#page-messages .msg-error")
    refusal.wait_for()
    assert "该申请已处理" in refusal.inner_text()
    stale.locator(f"#decide-{leave.pk} [data-status=approved]").wait_for()
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED

    # Any other failed htmx answer (here a 404) still shows a message, never nothing.
    page.evaluate(
        "([url, target]) => htmx.ajax('POST', url, {target: target, swap: 'outerHTML'})",
        [f"/staff/leave/{leave.pk + 1000}/approve/", f"#decide-{leave.pk}"],
    )
    page.locator("#page-messages .msg-error").wait_for()
    assert "刷新页面" in page.locator("#page-messages").inner_text()
