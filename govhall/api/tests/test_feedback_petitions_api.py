"""Petitions API: register (collective → leaders alerted), list masked and overdue first, one
petition with the petitioner per role, the steps with the error policy (422 refused input, 409
stale or already done, 404 outside scope), reception days."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.supervision.models import Alert
from govhall.testing.factories import make_staff
from govhall.testing.petitions import ID_NUMBER, PHONE, make_petition, set_fields
from govhall.testing.supervision import ensure_default_rules

BASE = "/api/v1/feedback/petitions"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _rules(db: None) -> None:
    ensure_default_rules()  # the supervision rules, flushed by any transactional test before


pytestmark = pytest.mark.django_db


def _post(client, url, body):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type=JSON)


def test_register_a_collective_visit_and_six_representatives_refused(client_as, director, county):
    api = client_as(director)
    body = {
        "center_id": county.pk,
        "name": "李四",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "matter": "拆迁安置问题",
        "people_count": 9,
        "representatives": 6,
    }
    refused = _post(api, f"{BASE}/", body)
    assert refused.status_code == 422
    assert "representatives" in refused.json()["errors"]
    body["representatives"] = 5
    made = _post(api, f"{BASE}/", body)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["collective"] and data["number"].startswith("XF")
    assert data["reception_due_on"] == (timezone.localdate() + datetime.timedelta(7)).isoformat()
    assert Alert.objects.filter(
        subject_key=f"petition:{data['id']}", rule__code="petition_major.serious"
    ).exists()
    assert {row["action"] for row in api.get(f"{BASE}/{data['id']}/actions").json()["actions"]} >= {
        "accept",
        "refuse",
        "notify",
    }


def test_list_is_masked_and_accusers_hidden(client_as, director, county):
    make_petition(director, county)
    make_petition(director, county, is_accusation=True, name="王五")
    rows = client_as(director).get(f"{BASE}/").json()["items"]
    by_accusation = {row["is_accusation"]: row["petitioner"] for row in rows}
    assert by_accusation[False]["level"] == "masked"
    assert by_accusation[False]["phone"] == "139****5678"
    assert by_accusation[True] == {
        "level": "hidden",
        "name": None,
        "phone": None,
        "id_number": None,
        "address_or_employer": None,
    }


def test_one_petition_per_role_and_full_views_logged(
    client_as, director, supervisor, clerk, outsider, department, county
):
    handler = make_staff(Role.SUPERVISOR, county, username="handler")
    petition = make_petition(handler, county, is_accusation=True)
    url = f"{BASE}/{petition.pk}"
    assert client_as(director).get(url).json()["petitioner"]["id_number"] == ID_NUMBER
    assert client_as(handler).get(url).json()["petitioner"]["level"] == "full"
    assert client_as(supervisor).get(url).json()["petitioner"]["level"] == "hidden"
    assert client_as(clerk).get(url).status_code == 404  # not assigned to their department
    assert client_as(outsider).get(url).status_code == 404
    logged = Event.objects.filter(action="feedback.view_personal_data", object_id=str(petition.pk))
    assert logged.count() == 2


def test_steps_with_the_error_policy(client_as, director, supervisor, department, county):
    petition = make_petition(director, county)
    api = client_as(director)
    url = f"{BASE}/{petition.pk}/actions"
    accepted = _post(api, f"{url}/accept", {"version": 1, "notice": "予以受理"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert _post(api, f"{url}/accept", {"version": 1, "notice": "x"}).status_code == 409
    too_long = _post(api, f"{url}/extend", {"version": 2, "days": 31, "reason": "复杂"})
    assert too_long.status_code == 422 and "days" in too_long.json()["errors"]
    assert (
        _post(api, f"{url}/extend", {"version": 2, "days": 30, "reason": "复杂"}).status_code == 200
    )
    again = _post(api, f"{url}/extend", {"version": 3, "days": 5, "reason": "再次"})
    assert again.status_code == 409
    assigned = _post(api, f"{url}/assign", {"version": 3, "department_id": department.pk})
    assert assigned.json()["assigned_department_id"] == department.pk
    closed = _post(api, f"{url}/close", {"version": 4, "opinion": "处理意见"})
    assert closed.json()["status"] == "closed"
    set_fields(petition, closed_on=timezone.localdate() - datetime.timedelta(31))
    late = _post(api, f"{url}/request_review", {"version": 5})
    assert late.status_code == 422 and "requested_on" in late.json()["errors"]
    not_now = _post(client_as(supervisor), f"{url}/notify", {"version": 5, "notice": "告知"})
    assert not_now.status_code == 409, not_now.content
    assert _post(api, f"{url}/nonsense", {"version": 5}).status_code == 404


def test_reception_days(client_as, director, dept_leader, clerk, county):
    api = client_as(director)
    day = (timezone.localdate() + datetime.timedelta(3)).isoformat()
    made = _post(
        api, f"{BASE}/receptions", {"center_id": county.pk, "leader_id": dept_leader.pk, "day": day}
    )
    assert made.status_code == 201, made.content
    duplicate = _post(
        api, f"{BASE}/receptions", {"center_id": county.pk, "leader_id": dept_leader.pk, "day": day}
    )
    assert duplicate.status_code == 409
    wrong = _post(
        api, f"{BASE}/receptions", {"center_id": county.pk, "leader_id": clerk.pk, "day": day}
    )
    assert wrong.status_code == 422
    petition = make_petition(director, county, is_major=True)
    linked = _post(api, f"{BASE}/{petition.pk}/receptions", {"reception_id": made.json()["id"]})
    assert linked.status_code == 200 and linked.json()["petitions"] == [petition.number]
    # The leader reads their day and the petition on it (the accuser rules still apply).
    leader = client_as(dept_leader)
    assert [r["day"] for r in leader.get(f"{BASE}/receptions").json()["items"]] == [day]
    assert leader.get(f"{BASE}/{petition.pk}").json()["petitioner"]["level"] == "masked"
