"""Supervision API: alerts in scope, one's own alerts, the rules; 404 for what is out of scope."""

import datetime

import pytest

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
