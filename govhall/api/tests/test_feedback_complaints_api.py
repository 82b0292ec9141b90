"""Complaints API: register, list and one with the complainant only for handlers (masked in the
list, in full and logged for one), the actions and steps, and the error policy."""

from __future__ import annotations

import pytest

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db
BASE = "/api/v1/feedback/complaints"
NAME, PHONE = "张三丰", "13812345678"


@pytest.fixture
def target(county, department):
    return make_staff(Role.CLERK, county, department, username="target", window_staff=True)


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def register(client, county, target, **extra):
    body = {
        "center_id": county.pk,
        "channel": "phone",
        "target_kind": "staff",
        "target_id": target.pk,
        "summary": "态度生硬",
        "complainant_name": NAME,
        "complainant_phone": PHONE,
        **extra,
    }
    return post(client, f"{BASE}/", body)


def test_anonymous_is_refused(client):
    assert client.get(f"{BASE}/").status_code == 401


def test_the_whole_way_with_confidentiality(
    client_as, county, department, director, clerk, dept_leader, target, outsider
):
    created = register(client_as(director), county, target)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["complainant"]["name"] == NAME and body["status"] == "registered"
    pk, version = body["id"], body["version"]

    listed = client_as(director).get(f"{BASE}/").json()
    assert listed["count"] == 1
    assert listed["items"][0]["complainant"] == {
        "name": "张*丰",
        "phone": "138****5678",
        "address": "",
        "anonymous": False,
        "masked": True,
    }
    assert names(client_as(director).get(f"{BASE}/{pk}/actions")) == ["assign", "answer"]
    assert client_as(clerk).get(f"{BASE}/{pk}").status_code == 404  # not assigned yet

    assigned = post(
        client_as(director),
        f"{BASE}/{pk}/assign",
        {"version": version, "department_id": department.pk},
    )
    assert assigned.status_code == 200, assigned.content
    version = assigned.json()["version"]

    for user in (clerk, dept_leader):
        one = client_as(user).get(f"{BASE}/{pk}")
        assert one.status_code == 200 and one.json()["complainant"] is None
        assert NAME not in one.content.decode() and PHONE not in one.content.decode()
        mine = client_as(user).get(f"{BASE}/", {"assigned": True}).json()
        assert mine["count"] == 1 and mine["items"][0]["complainant"] is None
        assert NAME not in str(mine) and "138*" not in str(mine)
    for user in (target, outsider):
        assert client_as(user).get(f"{BASE}/{pk}").status_code == 404
        assert client_as(user).get(f"{BASE}/").json()["count"] == 0
    assert names(client_as(clerk).get(f"{BASE}/{pk}/actions")) == ["reply"]

    replied = post(client_as(clerk), f"{BASE}/{pk}/reply", {"version": version, "reply": "属实"})
    assert replied.status_code == 200 and replied.json()["complainant"] is None
    again = post(client_as(clerk), f"{BASE}/{pk}/reply", {"version": version + 1, "reply": "x"})
    assert again.status_code == 409
    stale = post(
        client_as(director),
        f"{BASE}/{pk}/answer",
        {"version": version, "finding": "verified", "result": "r"},
    )
    assert stale.status_code == 409
    bad = post(
        client_as(director),
        f"{BASE}/{pk}/answer",
        {"version": version + 1, "finding": "maybe", "result": ""},
    )
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"finding", "result"}
    answered = post(
        client_as(director),
        f"{BASE}/{pk}/answer",
        {"version": version + 1, "finding": "verified", "result": "已批评教育"},
    )
    assert answered.status_code == 200 and answered.json()["finding"] == "verified"
    told = post(client_as(director), f"{BASE}/{pk}/tell", {"version": version + 2, "via": "phone"})
    assert told.status_code == 200
    closed = post(client_as(director), f"{BASE}/{pk}/close", {"version": version + 3})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert post(client_as(target), f"{BASE}/{pk}/close", {"version": 9}).status_code == 404
    logged = Event.objects.filter(action="feedback.view_personal_data", object_id=str(pk))
    assert logged.exists() and not logged.exclude(actor=director).exists()


def names(response):
    assert response.status_code == 200, response.content
    return [row["action"] for row in response.json()["actions"]]


def test_register_refusals_are_422_by_field(client_as, county, director, target, clerk):
    refused = register(client_as(director), county, target, channel="fax", summary="")
    assert refused.status_code == 422
    assert {"channel", "summary"} <= set(refused.json()["errors"])
    assert register(client_as(clerk), county, target).status_code == 422


def test_received_at_without_offset_is_local_time(client_as, county, director, target):
    created = register(
        client_as(director), county, target, received_at="2025-12-05T16:00:00", complexity="simple"
    )
    assert created.status_code == 201, created.content
    assert created.json()["due_at"] == "2025-12-08T09:30:00Z"  # 17:30 in Shanghai
