"""The quarterly satisfaction survey (seeds/002… 六5; issue 15 item 6).

Entry points:
def survey_create(*, actor, center, title, year, quarter, questions) -> Survey
def survey_update(*, actor, survey, title, year, quarter, questions, version=None) -> Survey
def survey_act(*, actor, survey, action, version=None) -> Survey   (open, close: the table in
    feedback/survey_transitions.py)
def survey_answer_public(*, survey, answers, device_key, client="", respondent=None, at=None)
def survey_answer(*, survey, answers, device_key, respondent=None, at=None) -> SurveyResponse

Management of a center defines a survey — title, year, quarter and its questions, each a
five-level satisfaction scale (5 very satisfied … 1 very dissatisfied, the 好差评 levels), one
choice of a list, or free text, each required or not — changes it while it is a draft, opens it
and closes it. It is answered on the portal by its public token while open: every required
question answered, one answer per device (the portal's signed device cookie), counted per
client address and hour. A closed survey refuses answers (409). A refusal changes nothing.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.feedback.access.surveys import can_manage_survey, can_manage_surveys
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import (
    QuestionKind,
    RatingLevel,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from govhall.feedback.survey_transitions import SURVEY_TRANSITIONS, SurveyAction
from govhall.org.access.standing import manages_center
from govhall.org.models import Center

TITLE_MAX = 120
QUESTION_MAX = 300
CHOICE_MAX = 100
MAX_QUESTIONS = 50
MAX_CHOICES = 20
ANSWER_TEXT_MAX = 1000
DEVICE_KEY_MAX = 64
SCALE_LEVELS = [level.value for level in RatingLevel]

_EVENTS = {
    SurveyAction.OPEN.value: FeedbackEvent.SURVEY_OPEN,
    SurveyAction.CLOSE.value: FeedbackEvent.SURVEY_CLOSE,
}


def _questions(errors: FieldErrors, questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The questions as stored, each error under "questions.<n>.<part>"."""
    cleaned: list[dict[str, Any]] = []
    if not questions:
        errors.add("questions", _("Add at least one question."))
    if len(questions) > MAX_QUESTIONS:
        errors.add("questions", _("At most %(n)d questions.") % {"n": MAX_QUESTIONS})
        return cleaned
    for n, raw in enumerate(questions, start=1):
        prefix = f"questions.{n}"
        text = errors.text(
            f"{prefix}.text",
            raw.get("text"),
            max_length=QUESTION_MAX,
            required=_("Write the question."),
        )
        kind = errors.choice(f"{prefix}.kind", raw.get("kind"), QuestionKind.values)
        required = errors.flag(f"{prefix}.required", raw.get("required"))
        choices: list[str] = []
        if kind == QuestionKind.CHOICE:
            given = raw.get("choices") or []
            if isinstance(given, str):
                given = given.splitlines()
            for item in given:
                label = errors.text(f"{prefix}.choices", item, max_length=CHOICE_MAX)
                if label and label not in choices:
                    choices.append(label)
            if not 2 <= len(choices) <= MAX_CHOICES:
                errors.add(
                    f"{prefix}.choices",
                    _("Give between 2 and %(n)d choices, one a line.") % {"n": MAX_CHOICES},
                )
        cleaned.append(
            {
                "position": n,
                "text": text,
                "kind": kind,
                "required": True if required is None else required,
                "choices": choices,
            }
        )
    return cleaned


def _head(
    errors: FieldErrors, title: object, year: object, quarter: object
) -> tuple[str, int | None, int | None]:
    text = errors.text("title", title, max_length=TITLE_MAX, required=_("Give the survey a title."))
    the_year = errors.whole_number(
        "year", year, required=_("Enter the year."), minimum=2000, maximum=2100
    )
    the_quarter = errors.whole_number(
        "quarter", quarter, required=_("Enter the quarter."), minimum=1, maximum=4
    )
    return text, the_year, the_quarter


def _write_questions(survey: Survey, cleaned: list[dict[str, Any]]) -> None:
    SurveyQuestion.objects.bulk_create([SurveyQuestion(survey=survey, **row) for row in cleaned])


@transaction.atomic
def survey_create(
    *,
    actor: User,
    center: Center,
    title: str,
    year: object,
    quarter: object,
    questions: Sequence[Mapping[str, Any]],
) -> Survey:
    if not (can_manage_surveys(actor) and manages_center(actor, center.pk)):
        raise ValidationError({"center": [_("You may not run surveys at this center.")]})
    errors = FieldErrors()
    text, the_year, the_quarter = _head(errors, title, year, quarter)
    cleaned = _questions(errors, questions)
    errors.raise_if_any()
    assert the_year is not None and the_quarter is not None
    survey = Survey.objects.create(
        center=center,
        title=text,
        year=the_year,
        quarter=the_quarter,
        public_token=secrets.token_urlsafe(16)[:24],
        created_by=actor,
    )
    _write_questions(survey, cleaned)
    record_event(
        actor=actor,
        action=FeedbackEvent.SURVEY_CREATE,
        obj=survey,
        center_id=center.pk,
        data={"questions": len(cleaned)},
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    actor: User,
    survey: Survey,
    title: str,
    year: object,
    quarter: object,
    questions: Sequence[Mapping[str, Any]],
    version: int | None = None,
) -> Survey:
    """Change a draft's title, period and questions (replaced as given)."""
    if not can_manage_survey(actor, survey):
        raise ValidationError(_("You may not change this survey."))
    errors = FieldErrors()
    text, the_year, the_quarter = _head(errors, title, year, quarter)
    cleaned = _questions(errors, questions)
    errors.raise_if_any()
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if current.status != SurveyStatus.DRAFT:
        raise refusal_error(StateRefusal(_("Only a draft survey can be changed.")))
    if version is not None and current.version != version:
        raise Conflict(_("The survey changed since you opened it; reload the page."))
    current.title, current.year, current.quarter = text, the_year or 0, the_quarter or 0
    current.version += 1
    current.save(update_fields=["title", "year", "quarter", "version"])
    current.questions.all().delete()
    _write_questions(current, cleaned)
    return current


@transaction.atomic
def survey_act(
    *,
    actor: User,
    survey: Survey,
    action: str,
    version: int | None = None,
    at: datetime.datetime | None = None,
) -> Survey:
    """Open or close a survey (the transition table)."""
    if not can_manage_survey(actor, survey):
        raise ValidationError(_("You may not change this survey."))
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    row = SURVEY_TRANSITIONS.row(current.status, action)
    if action not in SURVEY_TRANSITIONS.actions():
        raise ValidationError({"action": [_("Choose from the list.")]})
    if row is None or row.next_state is None:
        raise refusal_error(StateRefusal(_("The survey is not in a state for this.")))
    if version is not None and current.version != version:
        raise Conflict(_("The survey changed since you opened it; reload the page."))
    if row.guard == "has_questions" and not current.questions.exists():
        raise ValidationError(_("Add at least one question."))
    today = timezone.localdate(at or timezone.now())
    current.status = row.next_state
    if action == SurveyAction.OPEN:
        current.opens_on = today
    elif action == SurveyAction.CLOSE:
        current.closes_on = today
    current.version += 1
    current.save(update_fields=["status", "opens_on", "closes_on", "version"])
    record_event(actor=actor, action=_EVENTS[action], obj=current, center_id=current.center_id)
    return current


def survey_answer_public(
    *,
    survey: Survey,
    answers: Mapping[str, object],
    device_key: str,
    client: str = "",
    respondent: User | None = None,
    at: datetime.datetime | None = None,
) -> SurveyResponse:
    """An answer from the portal: counted per client address and hour (outside the transaction,
    so refused attempts stay counted), then checked and stored."""
    now = at or timezone.now()
    rate_limit(
        [
            RateRule(
                rate_key("survey.address", client or "unknown"),
                settings.GOVHALL_RATE_SURVEY_PER_ADDRESS_HOUR,
                HOUR,
                _("Too many answers from your network. Please try again later."),
            )
        ],
        at=now,
    )
    return survey_answer(
        survey=survey, answers=answers, device_key=device_key, respondent=respondent, at=now
    )


def field_name(question: SurveyQuestion) -> str:
    """The field an answer to `question` is sent and refused under: "q<id>"."""
    return f"q{question.pk}"


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    answers: Mapping[str, object],
    device_key: str,
    respondent: User | None = None,
    at: datetime.datetime | None = None,
) -> SurveyResponse:
    """Store one answer of an open survey: `answers` by field name ("q<question id>"): a level
    1–5 for a scale, the index of the choice for a choice, text for a text question."""
    moment = at or timezone.now()
    current = Survey.objects.select_for_update().get(pk=survey.pk)
    if current.status != SurveyStatus.OPEN:
        raise refusal_error(StateRefusal(_("This survey is closed and takes no more answers.")))
    key = (device_key or "").strip()[:DEVICE_KEY_MAX]
    if not key:
        raise ValidationError(_("Your browser must accept cookies to answer the survey."))
    if SurveyResponse.objects.filter(survey=current, device_key=key).exists():
        raise Conflict(_("This survey has been answered from this device already. Thank you!"))
    errors = FieldErrors()
    rows: list[tuple[SurveyQuestion, int | None, str]] = []
    for question in current.questions.order_by("position"):
        name = field_name(question)
        raw = answers.get(name)
        missing = raw is None or (isinstance(raw, str) and not raw.strip())
        if missing:
            if question.required:
                errors.add(name, _("Please answer this question."))
            continue
        if question.kind == QuestionKind.TEXT:
            text = errors.text(name, raw, max_length=ANSWER_TEXT_MAX)
            if text:
                rows.append((question, None, text))
            continue
        if question.kind == QuestionKind.SCALE:
            value = errors.whole_number(name, raw, minimum=1, maximum=len(SCALE_LEVELS))
        else:
            value = errors.whole_number(name, raw, minimum=0, maximum=len(question.choices) - 1)
        if value is not None:
            rows.append((question, value, ""))
    errors.raise_if_any()
    response = SurveyResponse.objects.create(
        survey=current, submitted_at=moment, respondent=respondent, device_key=key
    )
    SurveyAnswer.objects.bulk_create(
        [
            SurveyAnswer(response=response, question=question, value=value, text=text)
            for question, value, text in rows
        ]
    )
    return response
