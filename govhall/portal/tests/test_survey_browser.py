"""End to end on a phone-sized browser: a citizen opens the quarterly satisfaction survey by its
link, is told which required question is missing, answers and is thanked; the same phone
cannot answer twice (issue 15 item 6)."""

from __future__ import annotations

import pytest

from govhall.feedback.models import SurveyAnswer, SurveyResponse
from govhall.testing.voice import make_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_answer_a_survey_on_a_phone(phone_page, county, director):
    survey = make_survey(director, county)
    page = phone_page
    url = f"{page.base_url}/voice/surveys/{survey.public_token}/"
    page.goto(url)
    page.wait_for_selector("#survey-form")
    page.locator("#question-3 textarea").fill("希望增加自助机")
    page.locator("#survey-submit").click()
    page.wait_for_selector("#survey-errors")
    assert page.input_value("#question-3 textarea") == "希望增加自助机"  # kept
    page.locator("#question-1 label").first.click()  # very satisfied
    page.locator("#question-2 label", has_text="网上").click()
    page.locator("#survey-submit").click()
    page.wait_for_selector("#survey-thanks")
    response = SurveyResponse.objects.get(survey=survey)
    answers = {
        a.question.position: (a.value, a.text)
        for a in SurveyAnswer.objects.filter(response=response)
    }
    assert answers == {1: (5, ""), 2: (1, ""), 3: (None, "希望增加自助机")}
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # the same phone again: refused with the reason
    page.goto(url)
    page.locator("#question-1 label").first.click()
    page.locator("#survey-submit").click()
    page.wait_for_selector("#survey-refused")
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
