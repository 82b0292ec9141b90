"""Issue 21 item 1: the window staff selection API — the three steps with their roles, masked
lists, 422 for a failed rule, 409 for a step already taken, 404 for those who do not see it."""

import datetime

import pytest

from govhall.core.idnumbers import id_check_character

pytestmark = pytest.mark.django_db

BASE = "/api/v1/staffing/selections"


def id_for(birth: datetime.date) -> str:
    first = "330102" + birth.strftime("%Y%m%d") + "311"
    return first + id_check_character(first)


def test_three_steps_and_readiness(client_as, dept_leader, director, county_leader, clerk):
    leader = client_as(dept_leader)
    payload = {
        "candidate_name": "黄丽",
        "id_number": id_for(datetime.date(1992, 9, 9)),
        "letter_number": "推5号",
        "is_established": True,
        "phone": "13712345678",
    }
    too_old = leader.post(
        BASE + "/",
        {**payload, "id_number": id_for(datetime.date(1970, 1, 1))},
        content_type="application/json",
    )
    assert too_old.status_code == 422 and "birth_date" in too_old.json()["errors"]
    made = leader.post(BASE + "/", payload, content_type="application/json")
    assert made.status_code == 200, made.content
    body = made.json()
    assert body["id_number_masked"].count("*") == 10 and body["actions"] == ["withdraw"]
    pk = body["id"]
    assert client_as(clerk).get(f"{BASE}/{pk}").status_code == 404
    assert (
        client_as(clerk).post(BASE + "/", payload, content_type="application/json").status_code
        == 404
    )
    chief = client_as(director)
    refused = chief.post(f"{BASE}/{pk}/approve", {}, content_type="application/json")
    assert refused.status_code == 422
    passed = chief.post(
        f"{BASE}/{pk}/interview_pass", {"score": 90}, content_type="application/json"
    )
    assert passed.status_code == 200 and passed.json()["status"] == "interviewed"
    again = chief.post(f"{BASE}/{pk}/interview_pass", {}, content_type="application/json")
    assert again.status_code == 409
    approved = client_as(county_leader).post(
        f"{BASE}/{pk}/approve", {}, content_type="application/json"
    )
    assert approved.status_code == 200 and approved.json()["user_id"]
    chief = client_as(director)  # one test client: log the director in again
    step = chief.post(
        f"{BASE}/{pk}/readiness", {"step": "policy", "hours": 4}, content_type="application/json"
    )
    assert step.status_code == 200
    assert "policy" not in step.json()["readiness_missing"]
    assert len(step.json()["readiness_missing"]) == 3
    listed = chief.get(BASE + "/").json()
    assert [row["id"] for row in listed] == [pk] and "13712345678" not in str(listed)
