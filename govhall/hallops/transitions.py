"""The lifecycles of the hallops app as data (`govhall.core.lifecycle`): joint meetings, their
decisions, and planned drills. Each table draws the buttons of the pages, answers the API's
`actions` and is checked by the services (anything not in a table is refused).

Parties are relations of the user to the object, computed in `govhall.hallops.access`:
"manager" — a manager (director, administrator) of the object's center subtree; "owner" — a
department leader of the decision's own department.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.hallops.models import DecisionStatus as D
from govhall.hallops.models import EventStatus as E
from govhall.hallops.models import MeetingStatus as M


class Party(models.TextChoices):
    MANAGER = "manager", _("A manager of the center")
    OWNER = "owner", _("The leader of the owner department")


MANAGER = frozenset({Party.MANAGER.value})
MANAGER_OR_OWNER = frozenset({Party.MANAGER.value, Party.OWNER.value})


class MeetingAction(models.TextChoices):
    HOLD = "hold", _("Mark as held")
    PUBLISH = "publish", _("Publish the minutes")
    CANCEL = "cancel", _("Cancel the meeting")


MEETING_TRANSITIONS = TransitionTable(
    [
        Transition(M.PLANNED, MeetingAction.HOLD, MANAGER, M.HELD),
        Transition(M.PLANNED, MeetingAction.CANCEL, MANAGER, M.CANCELLED),
        Transition(M.HELD, MeetingAction.PUBLISH, MANAGER, M.PUBLISHED, guard="has_minutes"),
    ]
)

# What may still be written on a meeting in each state: attendance, minutes and new decisions
# while it is held (after the meeting, before its minutes are published).
MEETING_EDITABLE_STATES = frozenset({M.HELD})


class DecisionAction(models.TextChoices):
    DONE = "done", _("Mark done")
    DROP = "drop", _("Drop")


DECISION_TRANSITIONS = TransitionTable(
    [
        Transition(D.OPEN, DecisionAction.DONE, MANAGER_OR_OWNER, D.DONE),
        Transition(D.OPEN, DecisionAction.DROP, MANAGER, D.DROPPED, guard="has_note"),
    ]
)


class DrillAction(models.TextChoices):
    RECORD = "record", _("Record how the drill went")
    CANCEL = "cancel", _("Cancel the drill")


DRILL_TRANSITIONS = TransitionTable(
    [
        Transition(E.PLANNED, DrillAction.RECORD, MANAGER, E.RECORDED),
        Transition(E.PLANNED, DrillAction.CANCEL, MANAGER, E.CANCELLED),
    ]
)
