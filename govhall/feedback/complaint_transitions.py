"""The complaint lifecycle as data (seeds/000… 篇5 投诉; issue 15 item 2).

One row per (status, action): which parties may take it and where the complaint goes. The same
table draws the buttons of the complaint page, answers the API's `actions` and is checked by
every complaint service (`govhall.feedback.services.complaints`); anything it does not allow is
refused with nothing changed. Registering creates a `registered` complaint (or a `closed` one
when it was handled on the spot).

Parties are relations of the user to the complaint (`govhall.feedback.access.complaints`):

- `handler`: a complaint handler of its center — management (hall directors, administrators
  managing the center), the center's supervisors, and the complaint's own `handler`;
- `department`: staff of the department that received the 交办单 (never the target staff
  member, never shown the complainant).

Guards (predicates of the service, keyed by name):

- `not_replied`: a 交办单 is replied to once;
- `not_told`: the complainant is told once (SMS and phone need their phone, a letter their
  address: checked with the input);
- `told_or_unreachable`: a complaint is closed once the complainant was told, or when they
  left no way to reach them (anonymous).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.feedback.models.complaints import ComplaintStatus as S


class ComplaintAction(models.TextChoices):
    ASSIGN = "assign", _("Assign to a department (交办单)")
    REPLY = "reply", _("Reply for the department")
    ANSWER = "answer", _("Answer with a finding")
    TELL = "tell", _("Tell the complainant")
    CLOSE = "close", _("Close")


class ComplaintParty(models.TextChoices):
    HANDLER = "handler", _("A complaint handler of the center")
    DEPARTMENT = "department", _("The department that received the 交办单")


A = ComplaintAction
HANDLER = frozenset({ComplaintParty.HANDLER.value})
DEPARTMENT = frozenset({ComplaintParty.DEPARTMENT.value})

COMPLAINT_TRANSITIONS = TransitionTable(
    [
        Transition(S.REGISTERED, A.ASSIGN, HANDLER, S.ASSIGNED),
        Transition(S.REGISTERED, A.ANSWER, HANDLER, S.ANSWERED),
        Transition(S.ASSIGNED, A.REPLY, DEPARTMENT, S.ASSIGNED, guard="not_replied"),
        Transition(S.ASSIGNED, A.ANSWER, HANDLER, S.ANSWERED),
        Transition(S.ANSWERED, A.TELL, HANDLER, S.ANSWERED, guard="not_told"),
        Transition(S.ANSWERED, A.CLOSE, HANDLER, S.CLOSED, guard="told_or_unreachable"),
    ]
)
