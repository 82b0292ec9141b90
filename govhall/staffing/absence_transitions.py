"""The state machine of a temporary absence (去向牌) as data (SPEC §8; seeds/002…).

Putting up the where-and-until sign (`absence_start`) creates an absence, away. Then one row per
(status, action): who may take it and where the absence goes. The same table draws the buttons
of the sign page, answers the API's `actions` and is checked by the services
(`govhall.staffing.services.presence.absence_refusal`).

Who is a relation of the user to the absence: the absent person, or a decider — the head of the
absence's window or a hall manager of its center subtree (never the person themself). Guard
`not_approved`: an absence is approved (with its cover) once. Absences over 20 minutes need the
approval; the page lists those, the service also accepts approving a shorter one.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.staffing.models.presence import AbsenceStatus as S


class AbsenceAction(models.TextChoices):
    APPROVE = "approve", _("Approve and name a cover")
    RETURN = "return", _("Back at the post")


class AbsenceParty(models.TextChoices):
    PERSON = "person", _("The absent person")
    DECIDER = "decider", _("Their window head or a hall manager")


PERSON = frozenset({AbsenceParty.PERSON.value})
DECIDER = frozenset({AbsenceParty.DECIDER.value})

ABSENCE_TRANSITIONS = TransitionTable(
    [
        Transition(S.AWAY, AbsenceAction.APPROVE, DECIDER, S.AWAY, guard="not_approved"),
        Transition(S.AWAY, AbsenceAction.RETURN, PERSON | DECIDER, S.RETURNED),
    ]
)
