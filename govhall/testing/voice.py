"""Test helpers of the suggestion box, social supervisors and satisfaction surveys (issue 15
items 5 and 6)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.feedback.models import (
    Suggestion,
    SuggestionChannel,
    SuggestionKind,
    SupervisorAppointment,
    Survey,
)
from govhall.feedback.services.suggestions import suggestion_receive
from govhall.feedback.services.supervisors import supervisor_appoint
from govhall.feedback.services.surveys import survey_act, survey_create
from govhall.org.models import Center

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


def make_suggestion(
    center: Center, received_at: datetime.datetime | None = None, **fields: Any
) -> Suggestion:
    """A portal entry received at `received_at` (default now)."""
    values: dict[str, Any] = {
        "kind": SuggestionKind.SUGGESTION,
        "content": "大厅等候区座位太少，建议增加。",
        **fields,
    }
    return suggestion_receive(
        actor=None,
        center=center,
        channel=SuggestionChannel.PORTAL,
        received_at=received_at or timezone.now(),
        **values,
    )


def appoint(
    director: User,
    person: User,
    center: Center,
    *,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> SupervisorAppointment:
    today = timezone.localdate()
    return supervisor_appoint(
        actor=director,
        user=person,
        center=center,
        starts_on=starts_on or today - datetime.timedelta(days=30),
        ends_on=ends_on or today + datetime.timedelta(days=335),
        letter_number="县政务办〔2026〕12号",
        employer="县人大代表",
    )


QUESTIONS = [
    {"text": "您对窗口服务态度是否满意？", "kind": "scale", "required": True},
    {
        "text": "您通过什么渠道办理业务？",
        "kind": "choice",
        "required": False,
        "choices": ["窗口", "网上", "自助机"],
    },
    {"text": "您的意见和建议", "kind": "text", "required": False},
]


def make_survey(director: User, center: Center, *, open_it: bool = True) -> Survey:
    survey = survey_create(
        actor=director,
        center=center,
        title="2026年第四季度群众满意度调查",
        year=2026,
        quarter=4,
        questions=QUESTIONS,
    )
    if open_it:
        survey = survey_act(actor=director, survey=survey, action="open")
    return survey
