"""The ticket state machine as data (排队叫号, SPEC §7), on the shared shape of
`govhall.core.lifecycle`: one row per (status, action) with the roles that may take it and the
status it leads to.

The calling console draws its buttons from this table (`queries.queue.allowed_actions`), the
API answers `actions` from it and `services.tickets.ticket_act` refuses anything it does not
allow (`ticket_refusal`). Window actions (`WINDOW_ACTIONS`) are allowed only to the person
serving the ticket's window now (A/B cover honoured); managers may cancel or transfer from
anywhere in their center. A button's label is its action's label (`TicketAction(row.action)`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.core.roles import MANAGER_ROLES, WINDOW_ROLES, Role
from govhall.frontdesk.models.queue import TicketStatus as S


class TicketAction(models.TextChoices):
    CALL = "call", _("Call")
    RECALL = "recall", _("Recall")
    NO_SHOW = "no_show", _("No-show")
    START = "start", _("Start service")
    FINISH = "finish", _("Finish")
    TRANSFER = "transfer", _("Transfer")
    CANCEL = "cancel", _("Cancel")
    CONFIRM_PRIORITY = "confirm_priority", _("Confirm priority")
    UNDO_NO_SHOW = "undo_no_show", _("Undo no-show")
    REQUEUE = "requeue", _("Put back in line")


A = TicketAction

# Role sets of the table: WINDOW_ROLES and MANAGER_ROLES (govhall.core.roles), and the guide.
DESK: frozenset[str] = frozenset({Role.GUIDE})
WINDOW: frozenset[str] = WINDOW_ROLES
WINDOW_OR_MANAGER: frozenset[str] = WINDOW | MANAGER_ROLES
ANYONE_AT_THE_HALL: frozenset[str] = DESK | WINDOW | MANAGER_ROLES

# Actions taken at the window that holds the ticket (or that calls it).
WINDOW_ACTIONS = frozenset({A.CALL, A.RECALL, A.NO_SHOW, A.START, A.FINISH, A.UNDO_NO_SHOW})

TICKET_TRANSITIONS = TransitionTable(
    [
        Transition(S.WAITING, A.CALL, WINDOW, S.CALLED),
        Transition(S.CALLED, A.RECALL, WINDOW, S.CALLED),
        Transition(S.CALLED, A.START, WINDOW, S.SERVING),
        Transition(S.CALLED, A.NO_SHOW, WINDOW, S.NO_SHOW),
        Transition(S.SERVING, A.FINISH, WINDOW, S.DONE),
        # A transfer puts the ticket back in line in another group or for a named window,
        # keeping its place (queued_at).
        Transition(S.CALLED, A.TRANSFER, WINDOW_OR_MANAGER, S.WAITING),
        Transition(S.SERVING, A.TRANSFER, WINDOW_OR_MANAGER, S.WAITING),
        Transition(S.WAITING, A.TRANSFER, ANYONE_AT_THE_HALL, S.WAITING),
        Transition(S.WAITING, A.CANCEL, ANYONE_AT_THE_HALL, S.CANCELLED),
        # An elderly/disabled priority asked at a kiosk beyond its daily limit: the guide (or a
        # clerk, a manager) who sees the person confirms it; the ticket keeps its place in line.
        Transition(S.WAITING, A.CONFIRM_PRIORITY, ANYONE_AT_THE_HALL, S.WAITING),
        # Calling is forgiving (issue 17): a 过号 is undone by the window that marked it within
        # GOVHALL_NO_SHOW_UNDO_MINUTES (called again at the same window, if it is free), and a
        # late citizen is put back in line by the guide or a window (GOVHALL_REQUEUE_AFTER_PLACES
        # places later, at most GOVHALL_REQUEUE_MAX times a ticket).
        Transition(S.NO_SHOW, A.UNDO_NO_SHOW, WINDOW, S.CALLED, guard="undo_in_time"),
        Transition(S.NO_SHOW, A.REQUEUE, ANYONE_AT_THE_HALL, S.WAITING, guard="requeue_left"),
    ]
)
