"""The inbox life of a supervision alert as data (issue 14 item 5).

One row per (status, action): who may take it and where the alert goes. The same table draws the
buttons of the alert page, answers the API's `actions` and is checked by every inbox service
(`govhall.supervision.services.alerts.alert_refusal`); anything it does not allow is refused with
nothing changed.

Who is a relation of the user to the alert (`govhall.supervision.queries.alerts.AlertViewer`):

- the person responsible (whoever served the post when it happened) acknowledges it and gives
  an explanation (情况说明);
- a decider — the head of the alert's window, a department leader of its department, or a hall
  director managing its center (`govhall.org.access.standing.manages_center`) — accepts the
  explanation (the points are restored: an accepted alert no longer counts) or upholds the alert
  with a note. Nobody decides on their own alert.

Guards are predicates of the service, keyed by name:

- `live`: a withdrawn alert (the condition no longer holds) takes no action.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.supervision.models.alerts import AlertStatus as S


class AlertAction(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    EXPLAIN = "explain", _("Give an explanation")
    ACCEPT = "accept", _("Accept the explanation")
    UPHOLD = "uphold", _("Uphold the alert")


class AlertParty(models.TextChoices):
    RESPONSIBLE = "responsible", _("The person responsible")
    DECIDER = "decider", _("The window head, a department leader or a hall director")


A = AlertAction
RESPONSIBLE = frozenset({AlertParty.RESPONSIBLE.value})
DECIDER = frozenset({AlertParty.DECIDER.value})
# The actions of those who decide on an explanation.
DECISIONS = frozenset({A.ACCEPT.value, A.UPHOLD.value})

ALERT_TRANSITIONS = TransitionTable(
    [
        Transition(S.OPEN, A.ACKNOWLEDGE, RESPONSIBLE, S.ACKNOWLEDGED, guard="live"),
        Transition(S.OPEN, A.EXPLAIN, RESPONSIBLE, S.EXPLAINED, guard="live"),
        Transition(S.ACKNOWLEDGED, A.EXPLAIN, RESPONSIBLE, S.EXPLAINED, guard="live"),
        Transition(S.EXPLAINED, A.ACCEPT, DECIDER, S.ACCEPTED, guard="live"),
        Transition(S.EXPLAINED, A.UPHOLD, DECIDER, S.UPHELD, guard="live"),
    ]
)
