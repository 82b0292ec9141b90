"""Suggestion box, social supervisors and surveys API (issue 15 items 5 and 6): the error
policy (422, 409, 404 outside scope, 429 at the public door) and the happy paths."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from govhall.feedback.services.surveys import field_name, survey_answer
from govhall.testing.factories import WindowFactory
from govhall.testing.voice import QUESTIONS, make_suggestion, make_survey

pytestmark = pytest.mark.django_db

SUGGESTIONS = "/api/v1/feedback/suggestions"
SUPERVISORS = "/api/v1/feedback/supervisors"
JSON = "application/json"


def test_suggestions_api(client_as, county, director, supervisor, outsider, settings):
    entry = make_suggestion(county, name="王小明", phone="13812345678")
    api = client_as(supervisor)
    listing = api.get(f"{SUGGESTIONS}/").json()
    assert listing["count"] == 1
    assert listing["items"][0]["phone"] == "138****5678"
    assert listing["items"][0]["name"] == "王*明"
    assert api.post(f"{SUGGESTIONS}/{entry.pk}/reply", {"reply": "x"}, JSON).status_code == 404
    assert client_as(outsider).get(f"{SUGGESTIONS}/{entry.pk}").status_code == 404
    api = client_as(director)
    assert api.post(f"{SUGGESTIONS}/{entry.pk}/reply", {"reply": " "}, JSON).status_code == 422
    done = api.post(f"{SUGGESTIONS}/{entry.pk}/reply", {"reply": "已办复"}, JSON)
    assert done.status_code == 200 and done.json()["replied_at"]
    assert api.post(f"{SUGGESTIONS}/{entry.pk}/reply", {"reply": "x"}, JSON).status_code == 409
    paper = api.post(
        f"{SUGGESTIONS}/",
        {"center_id": county.pk, "kind": "message", "content": "纸质留言"},
        JSON,
    )
    assert paper.status_code == 201 and paper.json()["channel"] == "paper"
    year = timezone.localdate().year
    rates = api.get(f"{SUGGESTIONS}/rates", {"year": year}).json()
    assert sum(row["received"] for row in rates) == 2
    month = timezone.localdate().strftime("%Y-%m")
    summary = api.get(f"{SUGGESTIONS}/month", {"center": county.pk, "month": month})
    assert summary.status_code == 200 and summary.json()["totals"]["received"] == 2
    bad = api.get(f"{SUGGESTIONS}/month", {"center": county.pk, "month": "2026-13"})
    assert bad.status_code == 422
    # the public door
    settings.GOVHALL_RATE_SUGGESTION_PER_ADDRESS_HOUR = 1
    public = Client()
    body = {"center_id": county.pk, "kind": "suggestion", "content": "建议"}
    made = public.post(f"{SUGGESTIONS}/public", body, JSON)
    assert made.status_code == 201
    token = made.json()["token"]
    assert public.get(f"{SUGGESTIONS}/public/{token}").json()["content"] == "建议"
    limited = public.post(f"{SUGGESTIONS}/public", body, JSON)
    assert limited.status_code == 429 and limited["Retry-After"]


def test_supervisors_api(client_as, county, director, social_supervisor, supervisor, outsider):
    api = client_as(director)
    today = timezone.localdate()
    body = {
        "user_id": social_supervisor.pk,
        "center_id": county.pk,
        "letter_number": "〔2026〕1号",
        "starts_on": (today - datetime.timedelta(days=1)).isoformat(),
        "ends_on": (today + datetime.timedelta(days=300)).isoformat(),
    }
    made = api.post(f"{SUPERVISORS}/appointments", body, JSON)
    assert made.status_code == 201, made.content
    assert api.post(f"{SUPERVISORS}/appointments", body, JSON).status_code == 409
    assert client_as(outsider).post(f"{SUPERVISORS}/appointments", body, JSON).status_code == 404
    window = WindowFactory(center=county)
    own = client_as(social_supervisor)
    refused = own.post(
        f"{SUPERVISORS}/visits",
        {"kind": "mystery", "visited_on": today.isoformat(), "findings": "x"},
        JSON,
    )
    assert refused.status_code == 422 and "window" in refused.json()["errors"]
    visit = own.post(
        f"{SUPERVISORS}/visits",
        {
            "kind": "mystery",
            "visited_on": today.isoformat(),
            "findings": "态度差",
            "window_id": window.pk,
        },
        JSON,
    )
    assert visit.status_code == 201, visit.content
    visit_id = visit.json()["id"]
    respond = f"{SUPERVISORS}/visits/{visit_id}/respond"
    assert client_as(supervisor).post(respond, {"response": "x"}, JSON).status_code == 404
    assert client_as(director).post(respond, {"response": "已整改"}, JSON).status_code == 200
    assert (
        client_as(social_supervisor).get(f"{SUPERVISORS}/visits").json()["items"][0]["response"]
        == "已整改"
    )
    appointment_id = made.json()["id"]
    ended = client_as(director).post(
        f"{SUPERVISORS}/appointments/{appointment_id}/end",
        {"on": today.isoformat(), "reason": "换届"},
        JSON,
    )
    assert ended.status_code == 200
    late = client_as(social_supervisor).post(
        f"{SUPERVISORS}/visits",
        {"kind": "opinion", "visited_on": today.isoformat(), "findings": "x"},
        JSON,
    )
    assert late.status_code == 422


def test_surveys_api(client_as, county, director, outsider):
    api = client_as(director)
    made = api.post(
        f"{SUPERVISORS}/surveys",
        {"center_id": county.pk, "title": "Q4", "year": 2026, "quarter": 4, "questions": QUESTIONS},
        JSON,
    )
    assert made.status_code == 201, made.content
    survey_id = made.json()["id"]
    assert api.post(f"{SUPERVISORS}/surveys/{survey_id}/close").status_code == 409
    assert api.post(f"{SUPERVISORS}/surveys/{survey_id}/open").json()["status"] == "open"
    assert client_as(outsider).get(f"{SUPERVISORS}/surveys/{survey_id}").status_code == 404
    survey = make_survey(director, county)
    scale = field_name(survey.questions.get(position=1))
    survey_answer(survey=survey, answers={scale: "4"}, device_key="d")
    results = client_as(director).get(f"{SUPERVISORS}/surveys/{survey.pk}/results").json()
    assert results["responses"] == 1
    assert [c["count"] for c in results["questions"][0]["counts"]] == [0, 1, 0, 0, 0]
