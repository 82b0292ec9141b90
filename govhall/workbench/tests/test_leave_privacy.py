"""Leave details (kind, reason, notes) only for those who manage the person (issue 12 item 6):
the window head over their post, the hall's managers and the person; a colleague of the same
department, the guide or a supervisor sees only that the person is on leave, and when."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from govhall.core.roles import Role
from govhall.staffing.models.leave import LeaveKind
from govhall.staffing.queries.leave import may_see_leave_details
from govhall.staffing.services.leave import leave_approve, leave_reject
from govhall.testing.factories import make_staff
from govhall.testing.leave import ask, future_day, window

pytestmark = pytest.mark.django_db
__all__ = ["window"]  # the fixture, imported for this module's tests
API = "/api/v1/staffing/leave/calendar"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
CALENDAR = reverse("workbench:leave_calendar")


@pytest.fixture
def colleague(county, department):  # type: ignore[no-untyped-def]
    return make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)


@pytest.fixture
def leaves(clerk, window_head, window):  # type: ignore[no-untyped-def]
    """The clerk's approved sick leave and, the day after, a pending personal one."""
    sick_day = future_day(7)
    sick = ask(clerk, sick_day, kind=LeaveKind.SICK)
    leave_approve(actor=window_head, leave=sick)
    pending = ask(clerk, sick_day + datetime.timedelta(days=1), kind=LeaveKind.PERSONAL)
    return sick, pending


def cell(html: str, day: datetime.date) -> str:
    start = html.index(f'data-date="{day.isoformat()}"', html.index('data-user="clerk"'))
    return html[start : html.index("</td>", start)]


def calendar_cells(client, leaves) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    sick, pending = leaves
    cells = []
    for leave in (sick, pending):
        day = leave.starts_at.astimezone().date()
        html = client.get(CALENDAR, {"month": f"{day:%Y-%m}"}, **EN).content.decode()
        assert "看病" not in html  # the reason is never on the calendar
        cells.append(cell(html, day))
    return cells[0], cells[1]


@pytest.mark.parametrize("viewer", ["colleague", "guide"])
def test_a_colleague_sees_only_that_the_person_is_on_leave(request, client_as, leaves, viewer):
    sick_cell, pending_cell = calendar_cells(client_as(request.getfixturevalue(viewer)), leaves)
    assert "leave-approved" in sick_cell and "On leave" in sick_cell
    assert "data-kind" not in sick_cell and "Sick" not in sick_cell
    assert "leave-" not in pending_cell  # a pending request is nobody else's business


@pytest.mark.parametrize("viewer", ["window_head", "director", "clerk"])
def test_those_who_manage_the_person_and_the_person_see_the_details(
    request, client_as, leaves, viewer
):
    sick_cell, pending_cell = calendar_cells(client_as(request.getfixturevalue(viewer)), leaves)
    assert 'data-kind="sick"' in sick_cell and "Sick leave" in sick_cell
    assert 'data-kind="personal"' in pending_cell and "leave-pending" in pending_cell


def test_the_api_calendar_follows_the_same_rule(client_as, colleague, window_head, leaves):
    sick, pending = leaves
    month = f"{sick.starts_at.astimezone():%Y-%m}"

    def clerk_leaves(user):  # type: ignore[no-untyped-def]
        body = client_as(user).get(API, {"month": month}).json()
        (row,) = [row for row in body["rows"] if row["user"]["username"] == "clerk"]
        return {leave["id"]: leave for leave in row["leaves"]}

    seen = clerk_leaves(colleague)
    assert seen[sick.pk]["kind"] is None and seen[sick.pk]["status"] == "approved"
    assert pending.pk not in seen
    assert clerk_leaves(window_head)[sick.pk]["kind"] == "sick"


def test_the_rule_lives_in_the_staffing_queries(clerk, colleague, window_head, director, leaves):
    sick, _pending = leaves
    assert may_see_leave_details(clerk, sick) and may_see_leave_details(window_head, sick)
    assert may_see_leave_details(director, sick)
    assert not may_see_leave_details(colleague, sick)


def test_a_supervisor_reads_leave_events_without_the_details(
    client_as, clerk, window_head, supervisor, director, window
):
    leave = ask(clerk, future_day(9), kind=LeaveKind.SICK)
    leave_reject(actor=window_head, leave=leave, note="请补交病历")
    url = reverse("workbench:events")
    html = client_as(supervisor).get(url, {"action": "leave.reject"}, **EN).content.decode()
    assert "leave.reject" in html and "请补交病历" not in html
    html = client_as(director).get(url, {"action": "leave.reject"}, **EN).content.decode()
    assert "请补交病历" in html


def test_the_reason_reaches_the_approver_and_not_a_colleague(
    client_as, colleague, window_head, leaves
):
    _sick, pending = leaves
    leaves_page = reverse("workbench:leaves")
    assert "看病" in client_as(window_head).get(leaves_page).content.decode()
    assert "看病" not in client_as(colleague).get(leaves_page).content.decode()
    base = "/api/v1/staffing/leave"
    head_pending = client_as(window_head).get(f"{base}/pending").json()["items"]
    assert [(item["id"], item["reason"]) for item in head_pending] == [(pending.pk, "看病")]
    colleague_client = client_as(colleague)
    assert colleague_client.get(f"{base}/pending").json()["items"] == []
    refused = colleague_client.post(
        f"{base}/{pending.pk}/approve", {}, content_type="application/json"
    )
    assert refused.status_code == 404
