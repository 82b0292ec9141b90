"""The leave state machine as data (SPEC §8).

One row per (status, action): who may take it and where the leave goes. The same table draws the
buttons on the leave page, answers the API's `actions` and is checked by every leave service
(`govhall.staffing.services.leave.leave_refusal`); anything it does not allow is refused with
nothing changed. Asking for leave (`leave_request`) creates a pending row.

Who is a relation of the user to the leave (`govhall.staffing.queries.leave.LeaveViewer`):
the requester; the head of a window where the requester holds a post (A or B); a hall manager
(director, administrator) of the leave's center subtree. Nobody is head or manager of their own
leave. Guards are predicates of the service, keyed by name:

- `final_decision`: a leave of 2 working days or more is approved only by a manager (the head
  endorses it instead). Length counts half days: the morning and afternoon service sessions of
  the center's working days the leave touches (`services.leave.leave_half_days`; 15:00 Monday
  to 10:00 Tuesday is one day). Approving also needs a cover for every post the leave would
  leave empty during service hours (`services.leave.leave_approve`, issue 16 item 2): that is
  the approver's input, not a guard, so the button stays and the page asks for the cover;
- `awaits_endorsement`: a long leave the head has not endorsed yet;
- `head_acts_once`: a head who endorsed a leave has acted; management decides the rest;
- `not_started`: an approved leave is cancelled only before it starts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.staffing.models.leave import LeaveStatus as S


class LeaveAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    ENDORSE = "endorse", _("Endorse for center management")
    REJECT = "reject", _("Reject")
    CANCEL = "cancel", _("Cancel")


class LeaveParty(models.TextChoices):
    REQUESTER = "requester", _("The requester")
    HEAD = "head", _("The requester's window head")
    MANAGER = "manager", _("A hall manager of the center")


A = LeaveAction
REQUESTER = frozenset({LeaveParty.REQUESTER.value})
DECIDERS = frozenset({LeaveParty.HEAD.value, LeaveParty.MANAGER.value})
HEAD = frozenset({LeaveParty.HEAD.value})
# The actions of those who decide (as opposed to the requester's cancel).
DECISIONS = frozenset({A.APPROVE.value, A.ENDORSE.value, A.REJECT.value})

LEAVE_TRANSITIONS = TransitionTable(
    [
        Transition(S.PENDING, A.APPROVE, DECIDERS, S.APPROVED, guard="final_decision"),
        Transition(S.PENDING, A.ENDORSE, HEAD, S.PENDING, guard="awaits_endorsement"),
        Transition(S.PENDING, A.REJECT, DECIDERS, S.REJECTED, guard="head_acts_once"),
        Transition(S.PENDING, A.CANCEL, REQUESTER, S.CANCELLED),
        Transition(S.APPROVED, A.CANCEL, REQUESTER, S.CANCELLED, guard="not_started"),
    ]
)
