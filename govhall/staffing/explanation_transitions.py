"""The lifecycle of an attendance explanation as data (seeds/000… 篇5 考勤 2: a late arrival or
early leave is explained to the hall director).

A staff member explains a lapse of their own day (`attendance_explain`), which creates a pending
explanation. Then one row per (status, action): the hall director — a manager of the day's center
(`manages_center`), never the person themself — accepts or rejects it, once. The same table draws
the buttons of the explanations page, answers the API's `actions` and is checked by the service
(`govhall.staffing.services.attendance.explanation_refusal`). An accepted explanation sets the
lapse's `*_excused` flag on the attendance row: the monthly report and the people scan stop
counting it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.staffing.models.attendance import ExplanationStatus as S


class ExplanationAction(models.TextChoices):
    ACCEPT = "accept", _("Accept the explanation")
    REJECT = "reject", _("Reject the explanation")


class ExplanationParty(models.TextChoices):
    DIRECTOR = "director", _("The hall director of the day's center")


DIRECTOR = frozenset({ExplanationParty.DIRECTOR.value})

EXPLANATION_TRANSITIONS = TransitionTable(
    [
        Transition(S.PENDING, ExplanationAction.ACCEPT, DIRECTOR, S.ACCEPTED),
        Transition(S.PENDING, ExplanationAction.REJECT, DIRECTOR, S.REJECTED),
    ]
)
