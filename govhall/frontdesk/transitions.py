"""The ticket state machine as data: (status, action, roles, next status).

The calling console draws its buttons from this table, the API answers `actions` from it and
`ticket_act` refuses anything it does not allow. Window actions (`WINDOW_ACTIONS`) are allowed
only to the person serving the ticket's window now (A/B cover honoured); managers may cancel
or transfer from anywhere in their center.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhall.core.roles import MANAGER_ROLES, WINDOW_ROLES, Role
from govhall.frontdesk.models.queue import TicketStatus


class TicketAction(models.TextChoices):
    CALL = "call", _("Call")
    RECALL = "recall", _("Recall")
    NO_SHOW = "no_show", _("No-show")
    START = "start", _("Start service")
    FINISH = "finish", _("Finish")
    TRANSFER = "transfer", _("Transfer")
    CANCEL = "cancel", _("Cancel")
    CONFIRM_PRIORITY = "confirm_priority", _("Confirm priority")


# Role sets of the table: WINDOW_ROLES and MANAGER_ROLES (govhall.core.roles), and the guide.
DESK = frozenset({Role.GUIDE})

# Actions taken at the window that holds the ticket (or that calls it).
WINDOW_ACTIONS = frozenset(
    {
        TicketAction.CALL,
        TicketAction.RECALL,
        TicketAction.NO_SHOW,
        TicketAction.START,
        TicketAction.FINISH,
    }
)


@dataclass(frozen=True)
class TicketTransition:
    status: str
    action: str
    roles: frozenset[Role]
    next_status: str
    label: str | Promise


S = TicketStatus
A = TicketAction

TICKET_TRANSITIONS: tuple[TicketTransition, ...] = (
    TicketTransition(S.WAITING, A.CALL, WINDOW_ROLES, S.CALLED, A.CALL.label),
    TicketTransition(S.CALLED, A.RECALL, WINDOW_ROLES, S.CALLED, A.RECALL.label),
    TicketTransition(S.CALLED, A.START, WINDOW_ROLES, S.SERVING, A.START.label),
    TicketTransition(S.CALLED, A.NO_SHOW, WINDOW_ROLES, S.NO_SHOW, A.NO_SHOW.label),
    TicketTransition(S.SERVING, A.FINISH, WINDOW_ROLES, S.DONE, A.FINISH.label),
    # A transfer puts the ticket back in line in another group or for a named window, keeping
    # its place (queued_at).
    TicketTransition(
        S.CALLED, A.TRANSFER, WINDOW_ROLES | MANAGER_ROLES, S.WAITING, A.TRANSFER.label
    ),
    TicketTransition(
        S.SERVING, A.TRANSFER, WINDOW_ROLES | MANAGER_ROLES, S.WAITING, A.TRANSFER.label
    ),
    TicketTransition(
        S.WAITING, A.TRANSFER, DESK | WINDOW_ROLES | MANAGER_ROLES, S.WAITING, A.TRANSFER.label
    ),
    TicketTransition(
        S.WAITING, A.CANCEL, DESK | WINDOW_ROLES | MANAGER_ROLES, S.CANCELLED, A.CANCEL.label
    ),
    # An elderly/disabled priority asked at a kiosk beyond its daily limit: the guide (or a
    # clerk, a manager) who sees the person confirms it; the ticket keeps its place in line.
    TicketTransition(
        S.WAITING,
        A.CONFIRM_PRIORITY,
        DESK | WINDOW_ROLES | MANAGER_ROLES,
        S.WAITING,
        A.CONFIRM_PRIORITY.label,
    ),
)

_BY_KEY = {(row.status, row.action): row for row in TICKET_TRANSITIONS}


def ticket_transition_for(status: str, action: str) -> TicketTransition | None:
    return _BY_KEY.get((status, action))


def ticket_transitions_from(status: str) -> list[TicketTransition]:
    return [row for row in TICKET_TRANSITIONS if row.status == status]
