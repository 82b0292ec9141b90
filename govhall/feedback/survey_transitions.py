"""The satisfaction survey's lifecycle as data (issue 15 item 6): a draft is defined (its
questions may change), opened for answers on the portal, then closed (results stay). Only the
hall's management of the survey's center takes these actions (`access.surveys`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.feedback.models.supervisors import SurveyStatus as S


class SurveyAction(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSE = "close", _("Close")


MANAGER = frozenset({"manager"})

SURVEY_TRANSITIONS = TransitionTable(
    [
        Transition(S.DRAFT, SurveyAction.OPEN, MANAGER, S.OPEN, guard="has_questions"),
        Transition(S.OPEN, SurveyAction.CLOSE, MANAGER, S.CLOSED),
    ]
)
