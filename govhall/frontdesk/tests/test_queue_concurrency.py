"""Calling next under concurrency, with real transactions on PostgreSQL (SQLite serializes
writers, so these run in the PostgreSQL pass): 20 windows calling at once over 200 tickets.

Every ticket must be called exactly once, and in priority order. "In order" is exact up to the
calls in flight: with 20 windows, a ticket locked by one window while another takes the next one
can be recorded up to 19 places late, never more.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketCall, TicketPriority, TicketStatus
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.parallel import run_at_once
from govhall.testing.sign_in import signed_in

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
    ),
]

WINDOWS = 20
TICKETS = 200  # ten calls per window on average: every call races the 19 other windows


def priority_of(n: int) -> str:
    if n % 13 == 0:
        return TicketPriority.GREEN_CHANNEL
    if n % 7 == 0:
        return TicketPriority.ELDERLY_DISABLED
    return TicketPriority.NORMAL


def test_twenty_windows_call_two_hundred_tickets_each_exactly_once_in_order(county, guide):
    group = ServiceGroup.objects.create(center=county, letter="A", name="综合")
    windows = []
    for n in range(WINDOWS):
        clerk = make_staff(Role.CLERK, county, username=f"w{n}", window_staff=True)
        window = WindowFactory(center=county, number=n + 1)
        PostFactory(window=window, a_staff=clerk)
        windows.append((window, clerk))
    # At their posts whatever the hour: not signed in counts as away in service hours.
    signed_in(*(clerk for _window, clerk in windows))
    group.windows.set([window for window, _clerk in windows])
    for n in range(TICKETS):
        priority = priority_of(n)
        # The kiosk issues most; the green channel is given by the desk.
        issuer = guide if priority == TicketPriority.GREEN_CHANNEL else None
        ticket_take(group=group, actor=issuer, priority=priority)
    expected = list(Ticket.objects.waiting().in_line_order().values_list("pk", flat=True))
    assert len(expected) == TICKETS

    def desk(window, clerk):  # type: ignore[no-untyped-def]
        served = 0
        while (ticket := ticket_call_next(actor=clerk, window=window)) is not None:
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.NO_SHOW)
            served += 1
        return served

    results = run_at_once([lambda w=w, c=c: desk(w, c) for w, c in windows])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sum(results) == TICKETS
    # Every window took part (the calls really ran side by side).
    assert sum(1 for served in results if served > 0) >= WINDOWS // 2

    # Exactly once: one call per ticket, every ticket ended as a no-show, one call event each.
    per_ticket = TicketCall.objects.values("ticket").annotate(n=Count("id"))
    assert per_ticket.count() == TICKETS
    assert {row["n"] for row in per_ticket} == {1}
    assert Ticket.objects.filter(status=TicketStatus.NO_SHOW).count() == TICKETS
    assert Event.objects.filter(action="ticket.call").count() == TICKETS

    # In priority order, up to the calls in flight.
    called = list(TicketCall.objects.order_by("id").values_list("ticket_id", flat=True))
    place = {pk: i for i, pk in enumerate(called)}
    worst = max(abs(place[pk] - i) for i, pk in enumerate(expected))
    assert worst < WINDOWS, worst
    # No ticket was called 20 or more places ahead of a ticket of a higher priority.
    ranks = dict(Ticket.objects.values_list("pk", "priority_rank"))
    for i, pk in enumerate(called):
        overtaken = [other for other in called[i + WINDOWS :] if ranks[other] > ranks[pk]]
        assert not overtaken, (pk, overtaken[:3])
