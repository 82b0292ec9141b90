import datetime

import pytest
from django.utils import timezone

from govhall.staffing.models.assignment import Assignment, StaffFact
from govhall.staffing.models.roster import DutyAssignment, LeaderVisit
from govhall.testing.factories import WindowFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/staffing/rosters"


def post(client, path, data):
    return client.post(BASE + path, data, content_type="application/json")


@pytest.mark.parametrize(
    "path", ["/roster?center=1", "/visits/check?center=1", "/return-warnings?center=1"]
)
def test_401_without_login(client, path):
    assert client.get(BASE + path).status_code == 401


def test_roster_and_duty(client_as, director, clerk, outsider, county):
    client = client_as(director)
    response = post(
        client,
        "/duty",
        {"center": county.pk, "date": "2026-11-23", "kind": "lunch", "user": clerk.pk},
    )
    assert response.status_code == 201, response.content
    body = client.get(f"{BASE}/roster?center={county.pk}&month=2026-11").json()
    assert len(body["days"]) == 30
    [day] = [d for d in body["days"] if d["date"] == "2026-11-23"]
    assert day["lunch"][0]["user"]["username"] == "clerk" and day["is_workday"]
    refused = post(
        client,
        "/duty",
        {"center": county.pk, "date": "2026-11-22", "kind": "lunch", "user": clerk.pk},
    )
    assert refused.status_code == 422 and "的工作日" in refused.json()["detail"]
    assert list(refused.json()["errors"]) == ["date"]
    assert client.get(f"{BASE}/roster?center={county.pk}&month=11-2026").status_code == 422
    outsider_client = client_as(outsider)
    assert outsider_client.get(f"{BASE}/roster?center={county.pk}").status_code == 404
    duty = DutyAssignment.objects.get()
    assert outsider_client.delete(f"{BASE}/duty/{duty.pk}").status_code == 404
    assert client_as(director).delete(f"{BASE}/duty/{duty.pk}").status_code == 204
    assert not DutyAssignment.objects.exists()


def test_non_manager_cannot_post_duty(client_as, window_head, clerk, county):
    response = post(
        client_as(window_head),
        "/duty",
        {"center": county.pk, "date": "2026-11-23", "kind": "lunch", "user": clerk.pk},
    )
    assert response.status_code == 404
    assert not DutyAssignment.objects.exists()


def test_visit_check(client_as, guide, dept_leader, department, other_department, outsider, county):
    for day in (3, 10, 17):
        LeaderVisit.objects.create(
            department=department,
            leader=dept_leader,
            visited_at=timezone.make_aware(datetime.datetime(2026, 11, day, 10)),
        )
    body = client_as(guide).get(f"{BASE}/visits/check?center={county.pk}&month=2026-11").json()
    assert body["minimum"] == 3
    assert {d["department_id"]: (d["visits"], d["ok"]) for d in body["departments"]} == {
        department.pk: (3, True),
        other_department.pk: (0, False),
    }
    assert client_as(outsider).get(f"{BASE}/visits/check?center={county.pk}").status_code == 404


def test_assignments(client_as, director, window_head, clerk, outsider, department, county):
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    client = client_as(director)
    data = {
        "user": clerk.pk,
        "department": department.pk,
        "window": window.pk,
        "starts_on": "2026-07-01",
    }
    created = post(client, "/assignment", data)
    assert created.status_code == 201, created.content
    assert created.json()["trial_ends_on"] == "2026-08-01"
    refused = post(client, "/assignment", {**data, "starts_on": "2026-09-01"})
    assert refused.status_code == 422 and "至少一年" in refused.json()["detail"]
    # Every broken rule and the missing reason, by field.
    assert {"starts_on", "override_reason"} <= set(refused.json()["errors"])
    overridden = post(
        client, "/assignment", {**data, "starts_on": "2026-09-01", "override_reason": "调岗"}
    )
    assert overridden.status_code == 201
    history = client.get(f"{BASE}/assignments?user={clerk.pk}").json()
    assert [a["starts_on"] for a in history] == ["2026-09-01", "2026-07-01"]
    assert history[1]["ends_on"] == "2026-08-31"
    assert client_as(window_head).get(f"{BASE}/assignments?user={clerk.pk}").status_code == 200
    assert (
        post(client_as(window_head), "/assignment", {**data, "starts_on": "2027-01-04"}).status_code
        == 404
    )
    assert client_as(outsider).get(f"{BASE}/assignments?user={clerk.pk}").status_code == 404
    assert (
        post(client_as(outsider), "/assignment", {**data, "starts_on": "2027-01-04"}).status_code
        == 404
    )
    assert Assignment.objects.count() == 2


def test_staff_fact_and_return_warnings(
    client_as, director, supervisor, clerk, window_head, outsider, county
):
    today = timezone.localdate().isoformat()
    client = client_as(director)
    for _ in range(2):
        response = post(
            client,
            "/staff-fact",
            {"user": clerk.pk, "kind": "criticism_notice", "occurred_on": today, "source": "通报"},
        )
        assert response.status_code == 201, response.content
    bad = post(client, "/staff-fact", {"user": clerk.pk, "kind": "nope", "occurred_on": today})
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["kind"]
    assert (
        post(
            client_as(window_head),
            "/staff-fact",
            {"user": clerk.pk, "kind": "criticism_notice", "occurred_on": today},
        ).status_code
        == 404
    )
    assert (
        post(
            client_as(outsider),
            "/staff-fact",
            {"user": clerk.pk, "kind": "criticism_notice", "occurred_on": today},
        ).status_code
        == 404
    )
    assert StaffFact.objects.count() == 2
    [warning] = client_as(supervisor).get(f"{BASE}/return-warnings?center={county.pk}").json()
    assert warning["user"]["username"] == "clerk"
    assert warning["counts"]["criticism_notice"] == 2 and len(warning["facts"]) == 2
    assert (
        client_as(window_head).get(f"{BASE}/return-warnings?center={county.pk}").status_code == 404
    )
    assert client_as(outsider).get(f"{BASE}/return-warnings?center={county.pk}").status_code == 404


def test_record_visit(client_as, dept_leader, director, clerk, outsider, department):
    data = {"department": department.pk, "visited_at": "2026-11-02T10:00:00+08:00", "note": "巡查"}
    created = post(client_as(dept_leader), "/visits", data)
    assert created.status_code == 201, created.content
    assert created.json()["leader"]["username"] == "leader"
    on_behalf = post(client_as(director), "/visits", {**data, "leader": dept_leader.pk})
    assert on_behalf.status_code == 201
    assert post(client_as(clerk), "/visits", data).status_code == 422
    assert post(client_as(outsider), "/visits", data).status_code == 404
    assert LeaderVisit.objects.filter(leader=dept_leader).count() == 2


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("roster", "duty", "visits/check", "visits", "assignments", "assignment"):
        assert f"{BASE}/{path}" in paths
    assert f"{BASE}/return-warnings" in paths and f"{BASE}/staff-fact" in paths
