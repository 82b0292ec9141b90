"""Supervision API: alerts in scope, one's own alerts, the rules; 404 for what is out of scope."""

import datetime

import pytest

from govhall.supervision.models import AlertRule
from govhall.testing.alerts import make_alert
from govhall.testing.cases import accepted_case
from govhall.testing.supervision import ensure_default_rules, promise, scan

BASE = "/api/v1/supervision"


@pytest.fixture
def alerts(db, case_item, hall_window, clerk):
    ensure_default_rules()
    case = promise(accepted_case(case_item, hall_window, received_by=clerk), 5)
    scan(datetime.date(2025, 10, 15))  # overdue: reminder, yellow and red
    return case


def test_401_without_login(client):
    assert client.get(f"{BASE}/alerts").status_code == 401


def test_alerts_in_scope_and_by_level(client_as, director, outsider, county, alerts):
    body = client_as(director).get(f"{BASE}/alerts").json()
    assert body["count"] == 3
    assert {item["case_number"] for item in body["items"]} == {alerts.number}
    red = client_as(director).get(f"{BASE}/alerts?level=red").json()["items"]
    assert [item["level"] for item in red] == ["red"] and red[0]["is_violation"]
    assert red[0]["responsible"]["username"] == "clerk"
    assert client_as(outsider).get(f"{BASE}/alerts").json()["count"] == 0
    assert client_as(outsider).get(f"{BASE}/alerts?center={county.pk}").status_code == 404


def test_my_alerts_and_the_rules(client_as, clerk, alerts):
    assert client_as(clerk).get(f"{BASE}/alerts/mine").json()["count"] == 3
    rules = client_as(clerk).get(f"{BASE}/rules").json()
    assert {rule["code"]: rule["threshold_days"] for rule in rules}["case_deadline.reminder"] == 1


# --- the alert inbox and changing a rule (issue 14 items 2 and 5) -------------------------------


@pytest.fixture
def inbox_alert(db, hall_window, clerk):
    ensure_default_rules()
    return make_alert(hall_window, clerk)


def test_one_alert_with_its_actions_and_404_outside(
    client_as, clerk, director, outsider, inbox_alert
):
    url = f"{BASE}/alerts/{inbox_alert.pk}"
    body = client_as(clerk).get(url).json()
    assert body["version"] == 1 and body["status"] == "open" and body["counts"]
    assert [a["action"] for a in body["actions"]] == ["acknowledge", "explain"]
    assert client_as(director).get(url).json()["actions"] == []
    assert client_as(outsider).get(url).status_code == 404
    assert client_as(clerk).get(f"{BASE}/alerts/999999").status_code == 404


def test_explain_then_accept_through_the_api(client_as, clerk, director, inbox_alert):
    url = f"{BASE}/alerts/{inbox_alert.pk}"
    clerk_api = client_as(clerk)
    done = clerk_api.post(f"{url}/acknowledge", {"version": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    done = clerk_api.post(
        f"{url}/explain", {"explanation": "网络中断", "version": 2}, content_type="application/json"
    )
    assert done.json()["status"] == "explained" and done.json()["explanation"] == "网络中断"
    director_api = client_as(director)
    assert [a["action"] for a in director_api.get(url).json()["actions"]] == ["accept", "uphold"]
    done = director_api.post(f"{url}/accept", {"version": 3}, content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "accepted" and not body["counts"]
    assert body["decided_by"]["username"] == director.username


def test_inbox_refusals_follow_the_error_policy(client_as, clerk, director, outsider, inbox_alert):
    url = f"{BASE}/alerts/{inbox_alert.pk}"
    clerk_api = client_as(clerk)
    json = "application/json"
    blank = clerk_api.post(f"{url}/explain", {"explanation": " "}, content_type=json)
    assert blank.status_code == 422 and "explanation" in blank.json()["errors"]
    too_long = clerk_api.post(f"{url}/explain", {"explanation": "长" * 2001}, content_type=json)
    assert too_long.status_code == 422
    stale = clerk_api.post(f"{url}/acknowledge", {"version": 5}, content_type=json)
    assert stale.status_code == 409
    # Wrong state: nothing to decide yet; wrong person: the director does not explain.
    assert client_as(director).post(f"{url}/accept", {}, content_type=json).status_code == 409
    wrong = client_as(director).post(f"{url}/explain", {"explanation": "x"}, content_type=json)
    assert wrong.status_code == 422
    assert client_as(outsider).post(f"{url}/acknowledge", {}, content_type=json).status_code == 404
    clerk_api = client_as(clerk)  # one test client: log the clerk in again
    clerk_api.post(f"{url}/explain", {"explanation": "说明"}, content_type=json)
    own = clerk_api.post(f"{url}/accept", {}, content_type=json)
    assert own.status_code == 422
    no_note = client_as(director).post(f"{url}/uphold", {"note": ""}, content_type=json)
    assert no_note.status_code == 422 and "note" in no_note.json()["errors"]
    upheld = client_as(director).post(f"{url}/uphold", {"note": "维持"}, content_type=json)
    assert upheld.json()["status"] == "upheld" and upheld.json()["counts"]
    assert client_as(director).post(f"{url}/accept", {}, content_type=json).status_code == 409


def test_patch_a_rule(client_as, admin_user, director, db):
    ensure_default_rules()
    rule = AlertRule.objects.get(code="late_sign_in.yellow")
    url = f"{BASE}/rules/{rule.pk}"
    json = "application/json"
    assert client_as(director).patch(url, {"points": "1"}, content_type=json).status_code == 404
    admin = client_as(admin_user)
    done = admin.patch(url, {"threshold_minutes": 5, "points": "1.5"}, content_type=json)
    assert done.status_code == 200
    assert done.json()["threshold_minutes"] == 5 and done.json()["points"] in ("1.5", 1.5)
    refused = admin.patch(
        url, {"threshold_minutes": 300, "threshold_percent": 80}, content_type=json
    )
    assert refused.status_code == 422
    assert set(refused.json()["errors"]) == {"threshold_minutes", "threshold_percent"}
    rule.refresh_from_db()
    assert rule.threshold_minutes == 5
    assert admin.patch(f"{BASE}/rules/999999", {}, content_type=json).status_code == 404
