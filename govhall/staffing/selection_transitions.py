"""The lifecycle of a window staff selection as data (issue 21 item 1; seeds/002… 二2 选派程序,
seeds/001… 调整办法 二–三).

A department's leader nominates a person by letter (`selection_nominate` creates the row in
`nominated`). Then one row per (status, action): the hall director of the center interviews —
a pass moves it on, a fail refuses it; the county leader in charge (分管县领导) of the center, or
of a center above it, approves or refuses; the nominating department may withdraw until the
approval. The guard "conditions" re-checks the selection rule (在编, age, 科股级) at approval.
The same table draws the buttons of the detail page, answers the API's `actions` and is checked
by the services (`govhall.staffing.services.selection.selection_refusal`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.staffing.models.selection import SelectionStatus as S


class SelectionAction(models.TextChoices):
    INTERVIEW_PASS = "interview_pass", _("Record a passed interview")
    INTERVIEW_FAIL = "interview_fail", _("Record a failed interview")
    APPROVE = "approve", _("Approve the selection")
    REFUSE = "refuse", _("Refuse the selection")
    WITHDRAW = "withdraw", _("Withdraw the nomination")


class SelectionParty(models.TextChoices):
    DEPARTMENT = "department", _("The leader of the nominating department")
    DIRECTOR = "director", _("The hall director of the center")
    COUNTY_LEADER = "county_leader", _("The county leader in charge")


DEPARTMENT = frozenset({SelectionParty.DEPARTMENT.value})
DIRECTOR = frozenset({SelectionParty.DIRECTOR.value})
COUNTY_LEADER = frozenset({SelectionParty.COUNTY_LEADER.value})

#: Guard names (checked by the service): the selection rule holds on the day of the action.
CONDITIONS = "conditions"

SELECTION_TRANSITIONS = TransitionTable(
    [
        Transition(S.NOMINATED, SelectionAction.INTERVIEW_PASS, DIRECTOR, S.INTERVIEWED),
        Transition(S.NOMINATED, SelectionAction.INTERVIEW_FAIL, DIRECTOR, S.REFUSED),
        Transition(S.NOMINATED, SelectionAction.WITHDRAW, DEPARTMENT, S.WITHDRAWN),
        Transition(S.INTERVIEWED, SelectionAction.APPROVE, COUNTY_LEADER, S.APPROVED, CONDITIONS),
        Transition(S.INTERVIEWED, SelectionAction.REFUSE, COUNTY_LEADER, S.REFUSED),
        Transition(S.INTERVIEWED, SelectionAction.WITHDRAW, DEPARTMENT, S.WITHDRAWN),
    ]
)
