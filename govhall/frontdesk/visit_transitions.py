"""The home visit (上门服务, issue 21 item 6; seeds/002… 三(一)3) state machine as data.

A visit is booked (`home_visit_book`) by the front desk or a window as requested; the leader of
its department or a hall manager of its center names who goes and when (scheduled; the same
row again changes them); the one who went (or the assigner) records the result (done); the
booker's side or the assigner cancels before it is done. The same table draws the detail
page's buttons, answers the API's `actions` and is checked by the services
(`govhall.frontdesk.services.home_visits.visit_refusal`).

Who (`visit_parties`): `desk` the front-desk and window staff of the center, `assigner` the
department's leader or a manager of the center, `assigned` one of those named to go.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.frontdesk.models.outreach import VisitStatus as S


class VisitAction(models.TextChoices):
    SCHEDULE = "schedule", _("Assign and schedule")
    RECORD_RESULT = "record_result", _("Record the result")
    CANCEL = "cancel", _("Cancel the visit")


class VisitParty(models.TextChoices):
    DESK = "desk", _("Front-desk staff of the center")
    ASSIGNER = "assigner", _("The department's leader or the director")
    ASSIGNED = "assigned", _("Staff named to go")


P = VisitParty
A = VisitAction
DESK_OR_ASSIGNER = frozenset({P.DESK.value, P.ASSIGNER.value})
ASSIGNER = frozenset({P.ASSIGNER.value})
GOERS = frozenset({P.ASSIGNED.value, P.ASSIGNER.value})

VISIT_TRANSITIONS = TransitionTable(
    [
        Transition(S.REQUESTED, A.SCHEDULE, ASSIGNER, S.SCHEDULED),
        Transition(S.REQUESTED, A.CANCEL, DESK_OR_ASSIGNER, S.CANCELLED),
        Transition(S.SCHEDULED, A.SCHEDULE, ASSIGNER, S.SCHEDULED),
        Transition(S.SCHEDULED, A.RECORD_RESULT, GOERS, S.DONE),
        Transition(S.SCHEDULED, A.CANCEL, DESK_OR_ASSIGNER, S.CANCELLED),
    ]
)
