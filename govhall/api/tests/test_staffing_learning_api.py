"""Study and training API (issue 21 item 2): plan (422 under two hours), register, archive (409
once archived or incomplete), trainings; 404 for outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import User
from govhall.org.models import Center

pytestmark = pytest.mark.django_db

BASE = "/api/v1/staffing/learning"
JSON = "application/json"


def test_sessions_and_trainings_through_the_api(
    client_as, director: User, county: Center, clerk: User, outsider: User
) -> None:  # type: ignore[no-untyped-def]
    api = client_as(director)
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    body = {
        "center_id": county.pk,
        "held_on": day,
        "starts": "15:00",
        "ends": "16:30",
        "topic": "学习",
    }
    short = api.post(f"{BASE}/sessions", body, content_type=JSON)
    assert short.status_code == 422 and "ends" in short.json()["errors"]
    made = api.post(f"{BASE}/sessions", {**body, "ends": "17:00"}, content_type=JSON)
    assert made.status_code == 201, made.content
    sid = made.json()["id"]
    early = api.post(f"{BASE}/sessions/{sid}/archive", content_type=JSON)
    assert early.status_code == 409
    marked = api.post(
        f"{BASE}/sessions/{sid}/register",
        {"marks": [{"person_id": clerk.pk, "mark": "excused", "note": "病假"}]},
        content_type=JSON,
    )
    assert marked.status_code == 200, marked.content
    assert [(r["person"]["id"], r["mark"]) for r in marked.json()["attendance"]] == [
        (clerk.pk, "excused")
    ]
    assert (
        api.post(
            f"{BASE}/sessions/{sid}/notes", {"discussion_notes": "讨论"}, content_type=JSON
        ).status_code
        == 200
    )
    assert api.post(f"{BASE}/sessions/{sid}/archive", content_type=JSON).status_code == 200
    again = api.post(
        f"{BASE}/sessions/{sid}/register",
        {"marks": [{"person_id": clerk.pk, "mark": "present"}]},
        content_type=JSON,
    )
    assert again.status_code == 409
    cadence = api.get(f"{BASE}/cadence").json()
    assert cadence["last_held"] == day and cadence["next_due"]
    training = api.post(
        f"{BASE}/trainings",
        {
            "center_id": county.pk,
            "kind": "visit",
            "title": "考察学习",
            "starts_on": day,
            "ends_on": day,
            "hours": "6",
        },
        content_type=JSON,
    )
    assert training.status_code == 201, training.content
    tid = training.json()["id"]
    joined = api.post(
        f"{BASE}/trainings/{tid}/participants",
        {"person_id": clerk.pk, "mark": "present", "result": "合格"},
        content_type=JSON,
    )
    assert joined.status_code == 200 and joined.json()["participants"][0]["result"] == "合格"
    other = client_as(outsider)
    assert other.get(f"{BASE}/sessions/{sid}").status_code == 404
    assert (
        other.post(
            f"{BASE}/trainings/{tid}/participants",
            {"person_id": clerk.pk, "mark": "present"},
            content_type=JSON,
        ).status_code
        == 404
    )
    assert other.get(f"{BASE}/sessions").json()["items"] == []
