"""The ratings API (/api/v1/feedback/ratings/): phone entry by staff, the online rating by token
(404 forged, 409 duplicate, 422 refused, 429 limited), the scoped masked list, one rating with
the read logged, and the public rankings."""

from __future__ import annotations

import pytest

from govhall.core.models import Event
from govhall.feedback.models import Rating
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.testing.rating_occasions import delivered_case
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback/ratings/"


def _post(client, path: str, body: dict):  # type: ignore[no-untyped-def]
    return client.post(path, body, content_type="application/json")


@pytest.fixture
def case(case_item, hall_window, clerk):  # type: ignore[no-untyped-def]
    return delivered_case(case_item, hall_window, delivered_by=clerk)


def test_online_rating_by_token_and_the_error_policy(client, case, settings):
    token = occasion_token(f"case:{case.pk}")
    forged = _post(client, f"{URL}online", {"token": token[:-2] + "xx", "level": 5})
    assert forged.status_code == 404
    refused = _post(client, f"{URL}online", {"token": token, "level": 1})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    given = _post(client, f"{URL}online", {"token": token, "level": 1, "reason": "attitude"})
    assert given.status_code == 201 and given.json()["is_bad"] is True
    rating = Rating.objects.get()
    assert (rating.channel, rating.follow_up) == ("online", "open")
    again = _post(client, f"{URL}online", {"token": token, "level": 5})
    assert again.status_code == 409
    settings.GOVHALL_RATE_RATING_PER_ADDRESS_HOUR = 1
    limited = _post(client, f"{URL}online", {"token": token, "level": 5})
    assert limited.status_code == 429 and limited["Retry-After"]


def test_phone_entry_list_and_one(client_as, case, director, clerk, outsider):
    body = {
        "kind": "case",
        "occasion_id": case.pk,
        "level": 2,
        "reason": "slow",
        "rater_name": "张三丰",
        "rater_phone": "13812345678",
    }
    assert _post(client_as(clerk), URL, body).status_code == 404
    assert _post(client_as(outsider), URL, body).status_code == 404
    entered = _post(client_as(director), URL, body)
    assert entered.status_code == 201
    assert (
        entered.json()["channel"] == "phone" and entered.json()["entered_by"]["id"] == director.pk
    )
    assert _post(client_as(director), URL, body).status_code == 409
    [row] = client_as(director).get(URL, {"bad_only": True}).json()["items"]
    assert row["rater_phone"] == "138****5678" and row["rater_name"] == "张*丰"
    assert row["staff"]["id"] == clerk.pk
    assert client_as(outsider).get(URL).json()["items"] == []
    assert client_as(director).get(URL, {"month": "2026-13"}).status_code == 422
    one = client_as(director).get(f"{URL}{row['id']}")
    assert one.status_code == 200 and one.json()["rater_phone"] == "13812345678"
    assert Event.objects.filter(action="feedback.view_personal_data").count() == 1
    assert client_as(outsider).get(f"{URL}{row['id']}").status_code == 404


def test_public_rankings(client, county, case, clerk):
    make_rating(case, level=4, staff=clerk)
    answer = client.get(f"{URL}rankings", {"center": county.code})
    assert answer.status_code == 200
    data = answer.json()
    assert data["windows"][0]["count"] == 1 and data["windows"][0]["rate"] == 100.0
    assert data["staff"][0]["id"] == clerk.pk
    assert client.get(f"{URL}rankings", {"center": "nope"}).status_code == 404
