"""Calling next costs few round trips (issue 20 item 4): the cover's common case (A at the post,
available), the window lock, the line with the window's groups as a subquery, the calling UPDATE
that also checks the window has no ticket at hand, the call row, the event and the near-turn
check. Many windows call at once all day; every query is paid by each of them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.frontdesk.models import TicketCall, TicketStatus
from govhall.frontdesk.services.tickets import ticket_call_next, ticket_take

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]

# The savepoint and its release (tests run inside a transaction), the clerk's roles (read once
# per user object) and seven statements of the call: 10 (it was 15).
CALL_QUERIES = 10


def test_one_call_next_takes_few_queries(
    queue_groups, clerk, hall_window, django_assert_max_num_queries
):
    opens = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0))
    ticket_take(group=queue_groups["B"], at=opens)
    first = ticket_take(group=queue_groups["A"], at=opens, priority="elderly_disabled")
    with django_assert_max_num_queries(CALL_QUERIES):
        called = ticket_call_next(
            actor=clerk, window=hall_window, at=opens + datetime.timedelta(minutes=1)
        )
    assert called is not None and called.pk == first.pk
    assert called.status == TicketStatus.CALLED and called.window_id == hall_window.pk
    assert TicketCall.objects.filter(ticket=first, window=hall_window).count() == 1
