"""Leave API: asking, listing, deciding, cancelling, the team calendar, and scoping."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.staffing.models.leave import Leave, LeaveStatus
from govhall.testing.factories import PostFactory, WindowFactory
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/staffing/leave"


@pytest.fixture
def window(county, department, window_head, clerk):
    window = WindowFactory(center=county, head=window_head)
    window.departments.add(department)
    PostFactory(window=window, a_staff=clerk)
    return window


def period(first: datetime.date, last: datetime.date | None = None) -> dict[str, str]:
    return {
        "starts_at": f"{first.isoformat()}T08:30:00+08:00",
        "ends_at": f"{(last or first).isoformat()}T17:30:00+08:00",
    }


def next_workday(center_id: int, offset: int = 7) -> datetime.date:
    return calendar_for(center_id).next_workday(timezone.localdate() + datetime.timedelta(offset))


def post_leave(client, first, last=None, **extra):
    body = {"kind": "sick", "reason": "发烧", **period(first, last), **extra}
    return client.post(f"{BASE}/request", body, content_type="application/json")


def test_anonymous_is_refused(client):
    assert client.get(f"{BASE}/mine").status_code == 401


def test_request_list_and_cancel(client_as, clerk, window):
    client = client_as(clerk)
    day = next_workday(window.center_id)
    response = post_leave(client, day)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["working_days"] == 1
    assert body["needs_management"] is False and body["user"]["username"] == "clerk"
    mine = client.get(f"{BASE}/mine").json()
    assert mine["count"] == 1 and mine["items"][0]["id"] == body["id"]
    cancelled = client.post(f"{BASE}/{body['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_bad_request_is_422_with_message(client_as, clerk, window):
    client = client_as(clerk)
    day = next_workday(window.center_id)
    response = post_leave(client, day, reason="")
    assert response.status_code == 422
    assert "请假事由" in response.json()["detail"]
    assert list(response.json()["errors"]) == ["reason"]
    first = post_leave(client, day)
    assert first.status_code == 201
    overlap = post_leave(client, day)
    assert overlap.status_code == 422 and "时间重叠" in overlap.json()["detail"]
    bad_kind = post_leave(client, day + datetime.timedelta(days=30), kind="holiday")
    assert bad_kind.status_code == 422
    assert Leave.objects.count() == 1


def test_head_sees_pending_and_approves(client_as, clerk, window_head, window):
    day = next_workday(window.center_id)
    leave_id = post_leave(client_as(clerk), day).json()["id"]
    client = client_as(window_head)
    pending = client.get(f"{BASE}/pending").json()
    assert [item["id"] for item in pending["items"]] == [leave_id]
    response = client.post(
        f"{BASE}/{leave_id}/approve", {"note": "同意"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"]["username"] == "head"
    # Decided already (the page that offered the button is stale): a conflict, not a refusal.
    again = client.post(f"{BASE}/{leave_id}/approve", {}, content_type="application/json")
    assert again.status_code == 409 and "该申请已处理" in again.json()["detail"]


def test_a_decision_after_someone_else_decided_is_409(
    client_as, clerk, window_head, director, window
):
    day = next_workday(window.center_id)
    leave_id = post_leave(client_as(clerk), day).json()["id"]
    first = client_as(director).post(
        f"{BASE}/{leave_id}/reject", {"note": "人手不足"}, content_type="application/json"
    )
    assert first.status_code == 200
    head = client_as(window_head)
    for action, body in (("approve", {}), ("reject", {"note": "不同意"})):
        late = head.post(f"{BASE}/{leave_id}/{action}", body, content_type="application/json")
        assert late.status_code == 409, late.content
    cancel = client_as(clerk).post(f"{BASE}/{leave_id}/cancel")
    assert cancel.status_code == 409
    leave = Leave.objects.get(pk=leave_id)
    assert (leave.status, leave.decided_by_id) == (LeaveStatus.REJECTED, director.pk)


def test_a_refused_decision_stays_422(client_as, clerk, window_head, window):
    first = next_workday(window.center_id)
    last = calendar_for(window.center_id).add_workdays(first, 1)
    leave_id = post_leave(client_as(clerk), first, last).json()["id"]
    # Refused input: a note over its column, a rejection without a reason.
    refused = client_as(window_head).post(
        f"{BASE}/{leave_id}/reject", {"note": "x" * 301}, content_type="application/json"
    )
    assert refused.status_code == 422
    no_note = client_as(window_head).post(
        f"{BASE}/{leave_id}/reject", {"note": "  "}, content_type="application/json"
    )
    assert no_note.status_code == 422 and list(no_note.json()["errors"]) == ["note"]
    assert Leave.objects.get(pk=leave_id).status == LeaveStatus.PENDING


def test_reject_needs_note_and_two_days_need_director(
    client_as, clerk, window_head, director, window
):
    first = next_workday(window.center_id)
    last = calendar_for(window.center_id).add_workdays(first, 1)
    leave_id = post_leave(client_as(clerk), first, last).json()["id"]
    head = client_as(window_head)
    assert head.get(f"{BASE}/pending").json()["count"] == 1
    endorsed = head.post(f"{BASE}/{leave_id}/approve", {}, content_type="application/json")
    assert endorsed.json()["status"] == "pending"
    assert head.get(f"{BASE}/pending").json()["count"] == 0
    boss = client_as(director)
    no_note = boss.post(f"{BASE}/{leave_id}/reject", {"note": ""}, content_type="application/json")
    assert no_note.status_code == 422
    rejected = boss.post(
        f"{BASE}/{leave_id}/reject", {"note": "年底事多"}, content_type="application/json"
    )
    assert rejected.json()["status"] == "rejected"
    assert Leave.objects.get(pk=leave_id).status == LeaveStatus.REJECTED


def test_outsider_gets_404_everywhere(client_as, clerk, outsider, county, window):
    day = next_workday(window.center_id)
    leave_id = post_leave(client_as(clerk), day).json()["id"]
    client = client_as(outsider)
    for action in ("approve", "cancel"):
        response = client.post(f"{BASE}/{leave_id}/{action}", {}, content_type="application/json")
        assert response.status_code == 404
    assert client.get(f"{BASE}/calendar", {"center": county.pk}).status_code == 404
    assert client.get(f"{BASE}/pending").json()["count"] == 0
    assert Leave.objects.get(pk=leave_id).status == LeaveStatus.PENDING


def test_self_approval_is_refused(client_as, director, window):
    day = next_workday(window.center_id)
    client = client_as(director)
    leave_id = post_leave(client, day).json()["id"]
    response = client.post(f"{BASE}/{leave_id}/approve", {}, content_type="application/json")
    assert response.status_code == 422


def test_calendar(client_as, clerk, window_head, director, window):
    day = next_workday(window.center_id)
    leave_id = post_leave(client_as(clerk), day).json()["id"]
    client = client_as(director)
    client.post(f"{BASE}/{leave_id}/approve", {}, content_type="application/json")
    body = client.get(f"{BASE}/calendar", {"month": f"{day:%Y-%m}"}).json()
    assert body["month"] == f"{day:%Y-%m}" and body["center_id"] == window.center_id
    rows = {row["user"]["username"]: row for row in body["rows"]}
    assert [leave["id"] for leave in rows["clerk"]["leaves"]] == [leave_id]
    assert rows["clerk"]["leaves"][0]["status"] == "approved"
    assert rows["director"]["leaves"] == []
    assert client.get(f"{BASE}/calendar", {"month": "2026-13"}).status_code == 422


def test_openapi_documents_the_leave_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/mine", "/request", "/pending", "/calendar", "/{leave_id}/approve"):
        assert f"/api/v1/staffing/leave{path}" in paths
