"""Leave API, issue 16 item 2: the cover fixed before a leave is granted, and half-day length."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.staffing.models import Delegation
from govhall.staffing.models.leave import Leave, LeaveStatus
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/staffing/leave"


@pytest.fixture
def post(county, department, clerk):
    window = WindowFactory(center=county, head=None, name="不动产窗口")
    window.departments.add(department)
    return PostFactory(window=window, name="登记岗", a_staff=clerk)


@pytest.fixture
def colleague(county, department):
    return make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)


def ask(client, first: datetime.date, start: str, last: datetime.date, end: str):
    body = {
        "kind": "personal",
        "reason": "家中有事",
        "starts_at": f"{first.isoformat()}T{start}:00+08:00",
        "ends_at": f"{last.isoformat()}T{end}:00+08:00",
    }
    return client.post(f"{BASE}/request", body, content_type="application/json")


def workdays(center_id: int) -> tuple[datetime.date, datetime.date]:
    calendar = calendar_for(center_id)
    first = calendar.next_workday(timezone.localdate() + datetime.timedelta(days=7))
    return first, calendar.add_workdays(first, 1)


def test_afternoon_to_next_morning_is_one_day_for_the_head(client_as, clerk, post):
    first, second = workdays(post.window.center_id)
    body = ask(client_as(clerk), first, "15:00", second, "10:00").json()
    assert body["working_days"] == 1 and body["needs_management"] is False


def test_approval_needs_the_cover_and_the_plan_shows_it(
    client_as, clerk, director, colleague, post
):
    first, _second = workdays(post.window.center_id)
    leave_id = ask(client_as(clerk), first, "08:30", first, "17:30").json()["id"]
    boss = client_as(director)
    plan = boss.get(f"{BASE}/{leave_id}/cover").json()
    assert [row["post_id"] for row in plan["posts"]] == [post.pk]
    assert plan["posts"][0]["needs_cover"] is True and plan["posts"][0]["serving"] is None
    assert colleague.pk in [person["id"] for person in plan["candidates"]]
    refused = boss.post(f"{BASE}/{leave_id}/approve", {}, content_type="application/json")
    assert refused.status_code == 422 and list(refused.json()["errors"]) == ["covers"]
    assert "登记岗" in refused.json()["detail"]
    assert Leave.objects.get(pk=leave_id).status == LeaveStatus.PENDING
    stranger = boss.post(
        f"{BASE}/{leave_id}/approve",
        {"covers": [{"post_id": post.pk, "user_id": 999999}]},
        content_type="application/json",
    )
    assert stranger.status_code == 422
    approved = boss.post(
        f"{BASE}/{leave_id}/approve",
        {"covers": [{"post_id": post.pk, "user_id": colleague.pk}]},
        content_type="application/json",
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Delegation.objects.get(leave_id=leave_id).cover_user == colleague
    after = client_as(clerk).get(f"{BASE}/{leave_id}/cover").json()
    assert after["covers"][0]["cover"]["id"] == colleague.pk
    assert after["posts"][0]["chosen"]["id"] == colleague.pk and after["candidates"] == []


def test_one_cover_id_for_every_empty_post(client_as, clerk, director, colleague, post):
    first, _second = workdays(post.window.center_id)
    leave_id = ask(client_as(clerk), first, "08:30", first, "12:00").json()["id"]
    response = client_as(director).post(
        f"{BASE}/{leave_id}/approve", {"cover_id": colleague.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert Delegation.objects.get(leave_id=leave_id).cover_user == colleague


def test_cover_plan_of_someone_elses_leave_is_404(client_as, clerk, outsider, post):
    first, _second = workdays(post.window.center_id)
    leave_id = ask(client_as(clerk), first, "08:30", first, "12:00").json()["id"]
    assert client_as(outsider).get(f"{BASE}/{leave_id}/cover").status_code == 404
