"""Undoing a 过号 while the same window calls next (issue 17 item 4), with real transactions on
PostgreSQL: both give the window a ticket at hand, so they are serialized on the window's row;
exactly one wins, the other is refused with a conflict (never an integrity error), and the
window holds one ticket."""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.core.validation import Conflict
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.testing.parallel import run_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
    ),
]


def test_undo_racing_a_call_at_the_same_window(queue_groups, clerk, hall_window):
    for _round in range(8):
        Ticket.objects.all().delete()
        for _n in range(3):
            ticket_take(group=queue_groups["A"])
        first = ticket_call_next(actor=clerk, window=hall_window)
        assert first is not None
        ticket_act(actor=clerk, ticket=first, action=TicketAction.NO_SHOW)

        results = run_at_once(
            [
                lambda first=first: ticket_act(
                    actor=clerk, ticket=first, action=TicketAction.UNDO_NO_SHOW
                ),
                lambda: ticket_call_next(actor=clerk, window=hall_window),  # another tab
            ]
        )
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 1, results
        assert isinstance(failures[0], Conflict), failures
        at_hand = Ticket.objects.filter(window=hall_window, status__in=ACTIVE_TICKET_STATUSES)
        assert at_hand.count() == 1
        undone = not isinstance(results[0], Exception)
        first.refresh_from_db()
        assert first.status == (TicketStatus.CALLED if undone else TicketStatus.NO_SHOW)
        assert Ticket.objects.filter(status=TicketStatus.WAITING).count() == (2 if undone else 1)
