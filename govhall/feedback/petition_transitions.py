"""The petition (信访) lifecycle as data (信访工作条例 2022; seeds/000… 篇5 信访).

One row per (status, action): who may take it, where the petition goes and the guard the
service checks (`govhall/feedback/services/petitions.py`, `PETITION_GUARDS`). The same table
draws the buttons of the petition page, answers the API's `actions` and is checked by every
petition service; anything it does not allow is refused with nothing changed.

Who: `handler` — a petition handler of the petition's center (`PETITION_HANDLER_ROLES`:
management and supervisors, govhall/feedback/access/petitions.py). Guards:

- `not_answered`: the visitor has not had an answer (告知书) yet;
- `not_extended`: the one extension of the closing limit is not used yet;
- `review_window`: 复查 is asked within 30 calendar days of the opinion, once;
- `recheck_window`: 复核 is asked within 30 calendar days of the 复查 answer, once, after a 复查.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.feedback.models.petitions import PetitionStatus as S


class PetitionAction(models.TextChoices):
    ANSWER_ON_SPOT = "answer_on_spot", _("Answered on the spot")
    NOTIFY = "notify", _("Give the visitor a notice (告知书)")
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Do not accept")
    ASSIGN = "assign", _("Assign to a department (交办单)")
    EXTEND = "extend", _("Extend the time limit")
    CLOSE = "close", _("Close with an opinion")
    REQUEST_REVIEW = "request_review", _("Record a 复查 request")
    REQUEST_RECHECK = "request_recheck", _("Record a 复核 request")
    ANSWER_REVIEW = "answer_review", _("Answer the 复查/复核")


class PetitionParty(models.TextChoices):
    HANDLER = "handler", _("A petition handler of the center")


A = PetitionAction
HANDLER = frozenset({PetitionParty.HANDLER.value})

PETITION_TRANSITIONS = TransitionTable(
    [
        Transition(S.REGISTERED, A.ANSWER_ON_SPOT, HANDLER, S.ANSWERED_ON_SPOT),
        Transition(S.REGISTERED, A.NOTIFY, HANDLER, None, guard="not_answered"),
        Transition(S.REGISTERED, A.ACCEPT, HANDLER, S.ACCEPTED),
        Transition(S.REGISTERED, A.REFUSE, HANDLER, S.NOT_ACCEPTED),
        Transition(S.REGISTERED, A.ASSIGN, HANDLER, None),
        Transition(S.ACCEPTED, A.ASSIGN, HANDLER, None),
        Transition(S.ACCEPTED, A.EXTEND, HANDLER, None, guard="not_extended"),
        Transition(S.ACCEPTED, A.CLOSE, HANDLER, S.CLOSED),
        Transition(S.CLOSED, A.REQUEST_REVIEW, HANDLER, S.UNDER_REVIEW, guard="review_window"),
        Transition(S.CLOSED, A.REQUEST_RECHECK, HANDLER, S.UNDER_REVIEW, guard="recheck_window"),
        Transition(S.UNDER_REVIEW, A.ANSWER_REVIEW, HANDLER, S.CLOSED),
    ]
)

# Statuses in which the petition is still being handled (its answer, acceptance, closing or a
# leader reception may fall due).
OPEN_STATUSES = frozenset({S.REGISTERED.value, S.ACCEPTED.value})
