"""Joint meetings and emergencies API: plan, hold, attendance, minutes, decisions, publish; a
department leader marks only their own department's decision done; the plan and the log; 404
outside the scope, 422 refused input, 409 twice."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import User
from govhall.hallops.models import PLAN_KINDS
from govhall.hallops.services.emergencies import (
    plan_draft_start,
    plan_publish,
    plan_section_save,
)
from govhall.org.models import Center, Department
from govhall.testing.hallops import days_from_today, held_meeting, open_decision

BASE = "/api/v1/hallops"
JSON = "application/json"

pytestmark = pytest.mark.django_db


def test_a_meeting_through_the_api(  # type: ignore[no-untyped-def]
    client_as, director: User, county: Center, department: Department
) -> None:
    api = client_as(director)
    bad = api.post(
        f"{BASE}/meetings",
        {"center_id": county.pk, "held_at": timezone.now().isoformat(), "place": "", "agenda": ""},
        content_type=JSON,
    )
    assert bad.status_code == 422 and {"place", "agenda"} <= set(bad.json()["errors"])
    made = api.post(
        f"{BASE}/meetings",
        {
            "center_id": county.pk,
            "held_at": timezone.now().isoformat(),
            "place": "三楼会议室",
            "agenda": "延时服务",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    meeting_id = made.json()["id"]
    held = api.post(f"{BASE}/meetings/{meeting_id}/actions", {"action": "hold"}, content_type=JSON)
    assert held.status_code == 200 and held.json()["status"] == "held"
    rows = {
        "rows": [{"department_id": department.pk, "presence": "present", "attendee_name": "王"}]
    }
    attended = api.put(f"{BASE}/meetings/{meeting_id}/attendance", rows, content_type=JSON)
    assert attended.status_code == 200 and attended.json()["attendance"][0]["presence"] == "present"
    early = api.post(
        f"{BASE}/meetings/{meeting_id}/actions", {"action": "publish"}, content_type=JSON
    )
    assert early.status_code == 422
    decision = api.post(
        f"{BASE}/meetings/{meeting_id}/decisions",
        {"text": "排班", "department_id": department.pk, "due_on": days_from_today(3).isoformat()},
        content_type=JSON,
    )
    assert decision.status_code == 201 and decision.json()["overdue"] is False
    api.put(f"{BASE}/meetings/{meeting_id}/minutes", {"minutes": "纪要"}, content_type=JSON)
    published = api.post(
        f"{BASE}/meetings/{meeting_id}/actions", {"action": "publish"}, content_type=JSON
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = api.post(
        f"{BASE}/meetings/{meeting_id}/actions", {"action": "publish"}, content_type=JSON
    )
    assert again.status_code == 409
    detail = api.get(f"{BASE}/meetings/{meeting_id}").json()
    assert detail["minutes"] == "纪要" and detail["actions"] == []


def test_decisions_for_the_owner_department_only(  # type: ignore[no-untyped-def]
    client_as,
    director: User,
    dept_leader: User,
    outsider: User,
    county: Center,
    department: Department,
    other_department: Department,
) -> None:
    meeting = held_meeting(director, county, days_ago=20)
    own = open_decision(director, meeting, department, due_in=-2)
    foreign = open_decision(director, meeting, other_department)
    api = client_as(dept_leader)
    overdue = api.get(f"{BASE}/decisions", {"overdue": "true"}).json()
    assert [row["id"] for row in overdue["items"]] == [own.pk]
    assert api.get(f"{BASE}/decisions/{foreign.pk}/actions").json() == []
    refused = api.post(
        f"{BASE}/decisions/{foreign.pk}/actions", {"action": "done"}, content_type=JSON
    )
    assert refused.status_code == 404
    done = api.post(
        f"{BASE}/decisions/{own.pk}/actions",
        {"action": "done", "note": "已落实"},
        content_type=JSON,
    )
    assert done.status_code == 200 and done.json()["status"] == "done"
    twice = api.post(f"{BASE}/decisions/{own.pk}/actions", {"action": "done"}, content_type=JSON)
    assert twice.status_code == 409
    stranger = client_as(outsider)
    assert stranger.get(f"{BASE}/meetings/{meeting.pk}").status_code == 404
    assert stranger.get(f"{BASE}/decisions").json()["count"] == 0


def test_plan_and_log(  # type: ignore[no-untyped-def]
    client_as, director: User, guide: User, supervisor: User, county: Center
) -> None:
    api = client_as(supervisor)
    assert api.get(f"{BASE}/plan", {"center": county.pk}).status_code == 404
    draft = plan_draft_start(actor=director, center=county)
    for kind in PLAN_KINDS:
        plan_section_save(
            actor=director,
            plan=draft,
            kind=kind,
            measures="措施",
            phone="110",
            duty_people=[guide.pk],
        )
    plan_publish(actor=director, plan=draft)
    plan = api.get(f"{BASE}/plan", {"center": county.pk})
    assert plan.status_code == 200
    assert [s["kind"] for s in plan.json()["sections"]] == list(PLAN_KINDS)
    assert plan.json()["sections"][0]["duty_people"][0]["id"] == guide.pk
    body = {
        "center_id": county.pk,
        "kind": "illness",
        "is_drill": True,
        "occurred_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "what_happened": "急救演练",
        "actions_taken": "呼叫 120",
    }
    assert api.post(f"{BASE}/events", body, content_type=JSON).status_code == 422
    boss = client_as(director)
    assert (
        boss.post(f"{BASE}/events", {**body, "kind": "fire"}, content_type=JSON).status_code == 422
    )
    assert boss.post(f"{BASE}/events", body, content_type=JSON).status_code == 201
    assert boss.get(f"{BASE}/events", {"drills": "true"}).json()["count"] == 1
