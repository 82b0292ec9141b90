"""The bad-rating API (issue 15 item 1): list masked and scoped, one rating with the rater in
full for a party (logged), actions from the table, 404/409/422 per the error policy, targets."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import Event, User
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.org.models import Center, Department, Window
from govhall.testing.rating_follow_up import RATER_PHONE, bad_rating, rated_case, rated_window

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback/bad-ratings/"


@pytest.fixture
def window(county: Center, department: Department, window_head: User) -> Window:
    return rated_window(county, department, window_head)


@pytest.fixture
def rating(window: Window, department: Department, clerk: User) -> Rating:
    case = rated_case(window, department, clerk)
    return bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))


def _post(client, path: str, body: dict) -> object:  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json")


def test_list_one_and_actions(
    client_as, rating: Rating, director: User, window_head: User, outsider: User, clerk: User
) -> None:
    listed = client_as(director).get(URL)
    assert listed.status_code == 200
    [row] = listed.json()["items"]
    assert row["id"] == rating.pk and row["rater_phone"] == "139****1111"
    assert row["rater_masked"] is True and row["overdue"] is False
    assert client_as(outsider).get(URL).json()["items"] == []
    assert client_as(clerk).get(URL).status_code == 404
    one = client_as(window_head).get(f"{URL}{rating.pk}")
    assert one.status_code == 200 and one.json()["rater_phone"] == RATER_PHONE
    assert Event.objects.filter(action="feedback.view_personal_data").count() == 1
    assert client_as(director).get(f"{URL}{rating.pk}").json()["rater_masked"] is False
    assert client_as(outsider).get(f"{URL}{rating.pk}").status_code == 404
    head = client_as(window_head).get(f"{URL}{rating.pk}/actions").json()
    assert [a["action"] for a in head["actions"]] == ["call_back", "appeal"]
    assert client_as(director).get(f"{URL}{rating.pk}/actions").json()["actions"] == []


def test_actions_and_the_error_policy(
    client_as, rating: Rating, window_head: User, director: User, outsider: User
) -> None:
    path = f"{URL}{rating.pk}/call_back"
    assert (
        _post(client_as(outsider), path, {"version": 1, "justified": True, "note": "x"}).status_code
        == 404
    )
    refused = _post(client_as(window_head), path, {"version": 1, "justified": True, "note": " "})
    assert refused.status_code == 422 and "note" in refused.json()["errors"]
    wrong_party = _post(client_as(director), path, {"version": 1, "justified": True, "note": "x"})
    assert wrong_party.status_code == 422
    done = _post(client_as(window_head), path, {"version": 1, "justified": True, "note": "属实"})
    assert done.status_code == 200 and done.json()["follow_up"] == "verified"
    assert done.json()["version"] == 2
    stale = _post(
        client_as(window_head), f"{URL}{rating.pk}/rectify", {"version": 1, "result": "整改"}
    )
    assert stale.status_code == 409
    wrong_state = _post(
        client_as(window_head), f"{URL}{rating.pk}/appeal", {"version": 2, "reason": "恶意"}
    )
    assert wrong_state.status_code == 409
    done = _post(
        client_as(window_head), f"{URL}{rating.pk}/rectify", {"version": 2, "result": "整改"}
    )
    assert done.json()["follow_up"] == "rectified"
    done = _post(client_as(window_head), f"{URL}{rating.pk}/tell", {"version": 3})
    assert done.json()["follow_up"] == FollowUpStatus.CLOSED


def test_appeal_decided_by_management(
    client_as, rating: Rating, window_head: User, admin_user: User
) -> None:
    assert (
        _post(
            client_as(window_head), f"{URL}{rating.pk}/appeal", {"version": 1, "reason": "恶意"}
        ).status_code
        == 200
    )
    assert (
        _post(
            client_as(window_head), f"{URL}{rating.pk}/exclude", {"version": 2, "note": "同意"}
        ).status_code
        == 422
    )
    assert (
        _post(
            client_as(admin_user), f"{URL}{rating.pk}/exclude", {"version": 2, "note": ""}
        ).status_code
        == 422
    )
    done = _post(client_as(admin_user), f"{URL}{rating.pk}/exclude", {"version": 2, "note": "同意"})
    assert done.status_code == 200 and done.json()["excluded"] is True


def test_targets(client_as, rating: Rating, director: User) -> None:
    month = timezone.localdate().strftime("%Y-%m")
    answer = client_as(director).get(f"{URL}targets", {"month": month})
    assert answer.status_code == 200
    body = answer.json()
    assert body["call_back"] == {"done": 0, "total": 1, "percent": "0.0", "met": False}
    assert body["rectification"]["percent"] is None and body["target"] == 100
    bad = client_as(director).get(f"{URL}targets", {"month": "2025-1"})
    assert bad.status_code == 422 and "month" in bad.json()["errors"]
