"""The quarterly satisfaction survey (issue 15 item 6): definition, the lifecycle, answering
rules (required questions, one answer per device, a closed survey refuses), results and the
xlsx export."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.feedback.models import SurveyResponse
from govhall.feedback.queries.surveys import survey_results
from govhall.feedback.services.surveys import (
    field_name,
    survey_act,
    survey_answer,
    survey_answer_public,
    survey_create,
    survey_update,
)
from govhall.feedback.survey_exports import results_workbook
from govhall.testing.voice import QUESTIONS, make_survey

pytestmark = pytest.mark.django_db


def names(survey):  # type: ignore[no-untyped-def]
    return [field_name(q) for q in survey.questions.order_by("position")]


def test_definition_is_checked_and_only_management_defines(county, director, supervisor):
    with pytest.raises(ValidationError):
        make_survey(supervisor, county)
    with pytest.raises(ValidationError) as refused:
        survey_create(
            actor=director,
            center=county,
            title="",
            year=2026,
            quarter=5,
            questions=[{"text": "渠道?", "kind": "choice", "choices": ["窗口"]}],
        )
    assert {"title", "quarter", "questions.1.choices"} <= set(refused.value.message_dict)


def test_lifecycle_draft_open_closed(county, director):
    survey = make_survey(director, county, open_it=False)
    survey = survey_update(
        actor=director, survey=survey, title="Q4", year=2026, quarter=4, questions=QUESTIONS[:1]
    )
    assert survey.questions.count() == 1
    survey = survey_act(actor=director, survey=survey, action="open")
    assert survey.status == "open" and survey.opens_on is not None
    with pytest.raises(Conflict):
        survey_update(
            actor=director, survey=survey, title="x", year=2026, quarter=4, questions=QUESTIONS
        )
    with pytest.raises(Conflict):
        survey_act(actor=director, survey=survey, action="open")
    survey = survey_act(actor=director, survey=survey, action="close")
    assert survey.status == "closed"


def test_answering_rules(county, director):
    survey = make_survey(director, county)
    scale, choice, text = names(survey)
    with pytest.raises(ValidationError) as missing:
        survey_answer(survey=survey, answers={choice: "1"}, device_key="dev-1")
    assert scale in missing.value.message_dict
    with pytest.raises(ValidationError) as bad:
        survey_answer(survey=survey, answers={scale: "6", choice: "9"}, device_key="dev-1")
    assert {scale, choice} <= set(bad.value.message_dict)
    with pytest.raises(ValidationError):
        survey_answer(survey=survey, answers={scale: "5"}, device_key="")
    assert not SurveyResponse.objects.exists()
    survey_answer(survey=survey, answers={scale: "5", text: "很好"}, device_key="dev-1")
    with pytest.raises(Conflict):
        survey_answer(survey=survey, answers={scale: "4"}, device_key="dev-1")
    survey_answer(survey=survey, answers={scale: "2", choice: "1"}, device_key="dev-2")
    survey_act(actor=director, survey=survey, action="close")
    with pytest.raises(Conflict):
        survey_answer(survey=survey, answers={scale: "5"}, device_key="dev-3")
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_answers_are_rate_limited_per_address(county, director, settings):
    settings.GOVHALL_RATE_SURVEY_PER_ADDRESS_HOUR = 1
    survey = make_survey(director, county)
    scale = names(survey)[0]
    survey_answer_public(survey=survey, answers={scale: "5"}, device_key="a", client="10.1.1.1")
    with pytest.raises(RateLimited):
        survey_answer_public(survey=survey, answers={scale: "5"}, device_key="b", client="10.1.1.1")


def test_results_and_xlsx(county, director):
    survey = make_survey(director, county)
    scale, choice, text = names(survey)
    survey_answer(survey=survey, answers={scale: "5", choice: "0"}, device_key="a")
    survey_answer(survey=survey, answers={scale: "4", choice: "0", text: "=1+1"}, device_key="b")
    survey_answer(survey=survey, answers={scale: "1", choice: "2"}, device_key="c")
    results = survey_results(survey)
    assert results.responses == 3
    first, second, third = results.questions
    assert [count for _label, count in first.counts] == [1, 1, 0, 0, 1]  # levels 5 → 1
    assert str(first.average) == "3.33" and str(first.satisfied_rate) == "66.7"
    assert [c for _l, c in second.counts] == [2, 0, 1]
    assert third.texts == ["=1+1"] and third.answered == 1
    book = load_workbook(io.BytesIO(results_workbook(results)))
    summary, answers = book.worksheets
    rows = [tuple(r) for r in summary.iter_rows(values_only=True)]
    assert rows[1][1] == 3  # responses
    assert any(row[1] == QUESTIONS[0]["text"] and row[3] == 3 for row in rows)
    assert any(row[6] == "窗口" and row[7] == 2 for row in rows)
    answer_rows = [tuple(r) for r in answers.iter_rows(values_only=True)]
    assert len(answer_rows) == 4
    assert "'=1+1" in answer_rows[2]  # neutralised, not a formula
