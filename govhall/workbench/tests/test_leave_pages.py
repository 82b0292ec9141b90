"""Workbench leave pages: my requests and the form, deciding, cancelling, the team calendar."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus
from govhall.staffing.services.leave import leave_approve
from govhall.testing.factories import make_staff
from govhall.testing.leave import ask, future_day, window
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
LEAVES = reverse("workbench:leaves")
CALENDAR = reverse("workbench:leave_calendar")
__all__ = ["window"]  # the fixture, imported for this module's tests


def form_data(day: datetime.date, **extra) -> dict[str, str]:
    return {
        "kind": "personal",
        "starts_at": f"{day.isoformat()}T08:30",
        "ends_at": f"{day.isoformat()}T12:00",
        "reason": "办理私事",
        **extra,
    }


def test_login_required(client):
    assert client.get(LEAVES).status_code == 302
    assert client.get(CALENDAR).status_code == 302


def test_clerk_asks_for_leave_through_the_form(client_as, clerk, window):
    client = client_as(clerk)
    page = client.get(LEAVES, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="datetime-local"' in html and "Ask for leave" in html
    response = client.post(LEAVES, form_data(future_day()), **EN)
    assert response.status_code == 302
    leave = Leave.objects.get()
    assert leave.user == clerk and leave.kind == LeaveKind.PERSONAL
    assert timezone.localtime(leave.starts_at).time() == datetime.time(8, 30)
    html = client.get(LEAVES, **EN).content.decode()
    assert "办理私事" in html and 'data-status="pending"' in html


def test_form_errors_are_shown_and_nothing_saved(client_as, clerk, window):
    client = client_as(clerk)
    response = client.post(LEAVES, form_data(future_day(), reason=""), **EN)
    assert response.status_code == 400
    response = client.post(
        LEAVES,
        form_data(future_day(), starts_at=f"{future_day()}T12:00", ends_at=f"{future_day()}T08:30"),
        **EN,
    )
    assert response.status_code == 400
    assert "must end after it starts" in response.content.decode()
    past = timezone.localdate() - datetime.timedelta(days=3)
    response = client.post(LEAVES, form_data(past), **EN)
    assert "before today" in response.content.decode()
    assert not Leave.objects.exists()


def test_window_head_sees_and_approves(client_as, clerk, window_head, window):
    leave = ask(clerk, future_day())
    client = client_as(window_head)
    html = client.get(LEAVES, **EN).content.decode()
    assert 'id="to-approve"' in html and f'id="decide-{leave.pk}"' in html
    response = client.post(reverse("workbench:leave_approve", args=[leave.pk]), {"note": "同意"})
    assert response.status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decision_note == "同意"


def test_htmx_decision_returns_the_row(client_as, clerk, window_head, window):
    leave = ask(clerk, future_day())
    client = client_as(window_head)
    url = reverse("workbench:leave_reject", args=[leave.pk])
    response = client.post(url, {"note": ""}, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200
    assert "Say why" in response.content.decode()
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING
    response = client.post(url, {"note": "人手不足"}, HTTP_HX_REQUEST="true", **EN)
    assert 'data-status="rejected"' in response.content.decode()
    assert 'id="page-messages"' in response.content.decode()  # the message, out of band
    assert "Leave rejected." in response.content.decode()
    # Deciding again is refused with a message: 409, the row as it is and the message.
    again = client.post(
        reverse("workbench:leave_approve", args=[leave.pk]), HTTP_HX_REQUEST="true", **EN
    )
    assert again.status_code == 409
    html = again.content.decode()
    assert "already decided" in html and 'data-status="rejected"' in html
    assert 'hx-swap-oob="true"' in html and "msg-error" in html
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.REJECTED


def test_htmx_approval_answers_with_row_and_message(client_as, clerk, window_head, window):
    """Issue 17 item 5: the row changes state and a message says what happened, at once; the
    message is not shown again on the next page."""
    leave = ask(clerk, future_day())
    client = client_as(window_head)
    url = reverse("workbench:leave_approve", args=[leave.pk])
    response = client.post(url, {"note": "同意"}, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="approved"' in html and "Leave approved." in html
    assert "Leave approved." not in client.get(LEAVES, **EN).content.decode()
    # Without htmx the second click comes back to the page with the refusal as a message.
    again = client.post(url, follow=True, **EN)
    assert "already decided" in again.content.decode()


def test_window_head_endorses_two_days_and_director_approves(
    client_as, clerk, window_head, director, window
):
    calendar = calendar_for(window.center_id)
    start = calendar.next_workday(future_day(14))
    leave = ask(clerk, start, calendar.add_workdays(start, 1))
    assert leave.needs_management
    client = client_as(window_head)
    assert f'id="decide-{leave.pk}"' in client.get(LEAVES).content.decode()
    client.post(reverse("workbench:leave_approve", args=[leave.pk]))
    endorsed = Leave.objects.get(pk=leave.pk)
    assert endorsed.status == LeaveStatus.PENDING and endorsed.head_approved_by == window_head
    # Endorsed once, the head has nothing more to decide on it.
    assert f'id="decide-{leave.pk}"' not in client.get(LEAVES).content.decode()
    # A second click is refused with a message, never a silent 404 (issue 17 item 5).
    again = client.post(
        reverse("workbench:leave_approve", args=[leave.pk]), HTTP_HX_REQUEST="true", **EN
    )
    assert again.status_code == 409 and "msg-error" in again.content.decode()
    assert Leave.objects.get(pk=leave.pk).head_approved_by == window_head
    client = client_as(director)
    assert f'id="decide-{leave.pk}"' in client.get(LEAVES).content.decode()
    client.post(reverse("workbench:leave_approve", args=[leave.pk]))
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.APPROVED


def test_outsider_and_colleague_get_404(client_as, clerk, outsider, county, department, window):
    leave = ask(clerk, future_day())
    colleague = make_staff(Role.CLERK, county, department, username="colleague")
    for user in (outsider, colleague):
        client = client_as(user)
        for name in ("leave_approve", "leave_reject", "leave_cancel"):
            assert client.post(reverse(f"workbench:{name}", args=[leave.pk])).status_code == 404
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.PENDING


def test_self_approval_refused_on_page(client_as, window_head, window):
    own = ask(window_head, future_day())
    client = client_as(window_head)
    response = client.post(reverse("workbench:leave_approve", args=[own.pk]), follow=True, **EN)
    assert "own leave" in response.content.decode()
    assert Leave.objects.get(pk=own.pk).status == LeaveStatus.PENDING


def test_clerk_cancels_own_request(client_as, clerk, window):
    leave = ask(clerk, future_day())
    client = client_as(clerk)
    assert f"/leave/{leave.pk}/cancel/" in client.get(LEAVES).content.decode()
    client.post(reverse("workbench:leave_cancel", args=[leave.pk]))
    assert Leave.objects.get(pk=leave.pk).status == LeaveStatus.CANCELLED


def test_get_on_decision_urls_not_allowed(client_as, clerk, window_head, window):
    leave = ask(clerk, future_day())
    client = client_as(window_head)
    assert client.get(reverse("workbench:leave_approve", args=[leave.pk])).status_code == 405


# ---- team calendar ---------------------------------------------------------------------------


def test_team_calendar_marks_approved_and_pending_leave(
    client_as, clerk, window_head, director, window
):
    day = future_day(10)
    approved = ask(clerk, day, kind=LeaveKind.ANNUAL)
    leave_approve(actor=window_head, leave=approved)
    ask(window_head, day, kind=LeaveKind.TRAINING)
    client = client_as(director)
    response = client.get(CALENDAR, {"month": f"{day:%Y-%m}"}, **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-date="{day.isoformat()}" data-kind="annual" class="leave-approved"' in html
    assert f'data-date="{day.isoformat()}" data-kind="training" class="leave-pending"' in html
    assert 'data-user="director"' in html
    next_month = (day.replace(day=1) + datetime.timedelta(days=40)).strftime("%Y-%m")
    html = client.get(CALENDAR, {"month": next_month}).content.decode()
    assert "leave-approved" not in html.split("</thead>")[1]


def test_clerk_sees_own_department_only(client_as, clerk, county, other_department, director):
    other = make_staff(Role.CLERK, county, other_department, username="otherdept")
    html = client_as(clerk).get(CALENDAR).content.decode()
    assert 'data-user="clerk"' in html
    assert f'data-user="{other.username}"' not in html and 'data-user="director"' not in html


def test_month_navigation_links(client_as, director):
    html = client_as(director).get(CALENDAR, {"month": "2026-01"}).content.decode()
    assert "?month=2025-12" in html and "?month=2026-02" in html


def test_bad_month_is_404(client_as, director):
    client = client_as(director)
    assert client.get(CALENDAR, {"month": "2026-13"}).status_code == 404
    assert client.get(CALENDAR, {"month": "abc"}).status_code == 404


def test_calendar_scoping(client_as, outsider, director, county, town):
    client = client_as(outsider)
    assert client.get(CALENDAR, {"center": county.pk}).status_code == 404
    own = client.get(CALENDAR)
    assert own.status_code == 200 and 'data-user="director"' not in own.content.decode()
    response = client_as(director).get(CALENDAR, {"center": town.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{town.pk}" selected>' in html  # the manager's center picker
    assert f'<option value="{county.pk}"' in html


def test_user_without_a_workplace_gets_404(client, db):
    from govhall.testing.factories import PASSWORD, UserFactory

    user = UserFactory()
    client.login(request=RequestFactory().get("/"), username=user.username, password=PASSWORD)
    assert client.get(CALENDAR).status_code == 404


def test_calendar_shades_days_off_of_the_center_calendar(client_as, director):
    html = client_as(director).get(CALENDAR, {"month": "2026-10"}).content.decode()
    assert '<td data-date="2026-10-01" class="off">' in html  # National Day
    assert '<td data-date="2026-10-09">' in html  # a working Friday
    assert '<td data-date="2026-10-10">' in html  # make-up working Saturday (调休)


def test_requester_sees_the_heads_endorsement(client_as, clerk, window_head, window):
    calendar = calendar_for(window.center_id)
    start = calendar.next_workday(future_day(14))
    leave = ask(clerk, start, calendar.add_workdays(start, 1))
    client_as(window_head).post(reverse("workbench:leave_approve", args=[leave.pk]))
    page = client_as(clerk).get(LEAVES).content.decode()
    assert 'data-endorsed="1"' in page and "窗口负责人已同意" in page
