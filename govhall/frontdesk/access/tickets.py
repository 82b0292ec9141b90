"""Who may see and change queue tickets and service groups (SPEC §7 排队叫号).

Tickets and groups belong to a center; a user sees those of the centers in their subtree
(`centers_in_scope`), whatever their department, because a ticket moves between the groups and
windows of a hall. Social supervisors and back-office roles have no part in the queue. Writing
a group is for hall managers; acting on a ticket is for the roles of the transition table
(`govhall/frontdesk/ticket_transitions.py`) — whether one particular action is allowed is
`ticket_refusal`'s business, not this module's. Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import MANAGER_ROLES, OVERSIGHT_ROLES, WATCHER_ROLES, WINDOW_ROLES
from govhall.frontdesk.models import ServiceGroup, Ticket
from govhall.frontdesk.models.queue import TicketQuerySet
from govhall.frontdesk.ticket_transitions import TICKET_TRANSITIONS
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Window

# Roles that may act on a ticket at all: every role named in the transition table.
TICKET_ACTOR_ROLES: frozenset[str] = frozenset().union(*(row.who for row in TICKET_TRANSITIONS))
# Roles that read the queue: the actors, and those who follow its figures.
QUEUE_READER_ROLES = TICKET_ACTOR_ROLES | WATCHER_ROLES


# The calling console is for those who serve windows (WINDOW_ROLES); the figures for those who
# oversee the hall (OVERSIGHT_ROLES: management, supervision, window heads, department leaders).


def _has_role(user: object, roles: frozenset[str]) -> bool:
    scope = scope_of(user)
    return scope.everything or (not scope.nothing and not roles.isdisjoint(scope.roles))


def can_use_console(user: object) -> bool:
    return _has_role(user, WINDOW_ROLES)


def can_read_queue_stats(user: object) -> bool:
    return _has_role(user, OVERSIGHT_ROLES)


def can_read_queue(user: object) -> bool:
    return _has_role(user, QUEUE_READER_ROLES)


def can_act_on_tickets(user: object) -> bool:
    return _has_role(user, TICKET_ACTOR_ROLES)


def can_manage_groups(user: object) -> bool:
    return _has_role(user, MANAGER_ROLES)


def tickets_in_scope(user: object) -> TicketQuerySet:
    if not can_read_queue(user):
        return Ticket.objects.none()
    return Ticket.objects.filter(center__in=centers_in_scope(user))


def queue_groups_in_scope(user: object) -> QuerySet[ServiceGroup]:
    if not can_read_queue(user):
        return ServiceGroup.objects.none()
    return ServiceGroup.objects.filter(center__in=centers_in_scope(user))


def access_ticket(user: object, ticket_id: object, *, for_write: bool = False) -> Ticket:
    """The ticket with this id if the user may see it; `for_write` asks for a role of the
    transition table."""
    if for_write and not can_act_on_tickets(user):
        raise Http404
    try:
        ticket: Ticket = (
            tickets_in_scope(user)
            .select_related("group", "center", "window", "target_window")
            .get(pk=id_or_404(ticket_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return ticket


def access_queue_group(user: object, group_id: object, *, for_write: bool = False) -> ServiceGroup:
    """The service group with this id if the user may see it; `for_write` asks for a hall
    manager (the service checks the center once more)."""
    if for_write and not can_manage_groups(user):
        raise Http404
    try:
        group: ServiceGroup = (
            queue_groups_in_scope(user)
            .select_related("center", "department")
            .get(pk=id_or_404(group_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return group


def access_queue_window(user: object, window_id: object) -> Window:
    """A window of the user's centers to call at, whatever its department (a clerk may cover
    another department's post); whether the user serves it now is the service's question."""
    if not can_act_on_tickets(user):
        raise Http404
    try:
        window: Window = (
            Window.objects.filter(center__in=centers_in_scope(user), is_active=True)
            .select_related("center")
            .get(pk=id_or_404(window_id))
        )
    except ObjectDoesNotExist:
        raise Http404 from None
    return window
