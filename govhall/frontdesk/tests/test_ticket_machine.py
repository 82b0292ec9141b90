"""The ticket state machine under random use (hypothesis stateful testing).

Tickets are taken in two groups, called by two windows (window 1 calls A and B, window 2 calls
B) and acted on by their clerks, the guide and the director, in random order, through
`ticket_take`, `ticket_call_next` and `ticket_act`. After every step:

- a window holds at most one ticket (called or being served);
- a ticket is called at most once per waiting period (its first calls, `TicketCall.repeat == 0`,
  number the times it left the line; recalls are counted apart);
- every status change is a row of the transition table, and a refused step changes nothing;
- `queued_at` (the place in line) never changes, through any number of transfers (a no-show
  put back in line gets a new place: issue 17);
- `recall_count` never exceeds GOVHALL_QUEUE_RECALL_MAX;
- the console's buttons are what the service accepts: an action `allowed_actions` offers
  succeeds (transfers aside, which also need a valid target), one it does not offer is refused;
- call next takes the ticket the console shows first in that window's line.

Each example runs in a savepoint rolled back at its end.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from govhall.frontdesk.models import Ticket, TicketCall, TicketPriority, TicketStatus
from govhall.frontdesk.models.queue import ACTIVE_TICKET_STATUSES
from govhall.frontdesk.queries.queue import allowed_actions, window_line
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TICKET_TRANSITIONS, TicketAction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime.datetime(2026, 12, 7, 8, 30, tzinfo=SHANGHAI)  # a Monday
ACTORS = ("clerk", "clerk_two", "guide", "director")
ACTIONS = tuple(TicketAction.values)
TARGETS = ("group:A", "group:B", "window:1", "window:2")


def snapshot(ticket_id: int) -> dict[str, Any]:
    row = Ticket.objects.filter(pk=ticket_id).values().get()
    row.pop("updated_at")
    return row


def make_machine(hall: dict[str, Any]) -> type[RuleBasedStateMachine]:
    groups, windows, users = hall["groups"], hall["windows"], hall["users"]
    window_of = {"clerk": windows["1"], "clerk_two": windows["2"]}
    recall_max = django_settings.GOVHALL_QUEUE_RECALL_MAX

    class TicketMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            self.now = START
            self.tickets: list[int] = []
            self.queued_at: dict[int, datetime.datetime] = {}
            # How many times each ticket entered the line (taking it, or a transfer back).
            self.periods: dict[int, int] = {}

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def tick(self) -> datetime.datetime:
            self.now += datetime.timedelta(seconds=37)
            return self.now

        def pick(self, index: int) -> Ticket | None:
            if not self.tickets:
                return None
            pk = self.tickets[index % len(self.tickets)]
            return Ticket.objects.select_related("group", "center", "window").get(pk=pk)

        @initialize(
            line=st.lists(
                st.tuples(
                    st.sampled_from(("A", "B")),
                    st.sampled_from((TicketPriority.NORMAL, TicketPriority.ELDERLY_DISABLED)),
                ),
                min_size=2,
                max_size=6,
            )
        )
        def morning_line(self, line: list[tuple[str, str]]) -> None:
            for group, priority in line:
                self.take(group, priority)

        @rule(
            group=st.sampled_from(("A", "B")),
            priority=st.sampled_from(
                (
                    TicketPriority.NORMAL,
                    TicketPriority.ELDERLY_DISABLED,
                    TicketPriority.GREEN_CHANNEL,
                )
            ),
        )
        def take(self, group: str, priority: str) -> None:
            ticket = ticket_take(
                group=groups[group], actor=users["guide"], priority=priority, at=self.tick()
            )
            assert ticket.status == TicketStatus.WAITING and ticket.recall_count == 0
            self.tickets.append(ticket.pk)
            self.queued_at[ticket.pk] = ticket.queued_at
            self.periods[ticket.pk] = 1

        @rule(who=st.sampled_from(("clerk", "clerk_two")))
        def call_next(self, who: str) -> None:
            window = window_of[who]
            moment = self.tick()
            busy = Ticket.objects.filter(window=window, status__in=ACTIVE_TICKET_STATUSES).exists()
            group_ids = list(window.service_groups.values_list("pk", flat=True))
            expected = window_line(window, group_ids, moment.date()).first()
            try:
                called = ticket_call_next(actor=users[who], window=window, at=moment)
            except ValidationError:
                assert busy, "call next refused although the window was free"
                return
            assert not busy, "call next succeeded at a window that held a ticket"
            if expected is None:
                assert called is None
            else:
                assert called is not None and called.pk == expected.pk
                assert called.status == TicketStatus.CALLED and called.window == window

        @rule(
            index=st.integers(min_value=0, max_value=1000),
            action=st.sampled_from(ACTIONS),
            who=st.sampled_from(ACTORS),
            where=st.sampled_from(TARGETS),
        )
        def act(self, index: int, action: str, who: str, where: str) -> None:
            ticket = self.pick(index)
            if ticket is None:
                return
            actor = users[who]
            moment = self.tick()
            before = snapshot(ticket.pk)
            offered = {row.action for row in allowed_actions(actor, ticket, moment)}
            kind, _sep, name = where.partition(":")
            params: dict[str, Any] = {}
            if action == TicketAction.TRANSFER:
                params = (
                    {"to_group": groups[name]} if kind == "group" else {"to_window": windows[name]}
                )
            if action == TicketAction.CALL:
                params = {"window": window_of.get(who, windows["1"])}
            try:
                done = ticket_act(actor=actor, ticket=ticket, action=action, at=moment, **params)
            except ValidationError:
                assert snapshot(ticket.pk) == before, "a refused step changed the ticket"
                if action not in (TicketAction.CALL, TicketAction.TRANSFER):
                    assert action not in offered, f"{action} was offered but refused"
                return
            assert action in offered or action == TicketAction.CALL, f"{action} not offered"
            row = TICKET_TRANSITIONS.row(before["status"], action)
            assert row is not None, f"{before['status']} --{action}--> is not in the table"
            assert done.status == row.next_state == snapshot(ticket.pk)["status"]
            if action == TicketAction.TRANSFER and before["status"] != TicketStatus.WAITING:
                self.periods[ticket.pk] += 1
            if action == TicketAction.REQUEUE:
                self.periods[ticket.pk] += 1
                self.queued_at[ticket.pk] = done.queued_at

        @rule(
            index=st.integers(min_value=0, max_value=1000),
            choice=st.integers(min_value=0, max_value=1000),
            who=st.sampled_from(ACTORS),
            where=st.sampled_from(TARGETS),
        )
        def act_offered(self, index: int, choice: int, who: str, where: str) -> None:
            """Press one of the buttons the console would draw (most random steps are refused;
            this one walks the machine deep)."""
            ticket = self.pick(index)
            if ticket is None:
                return
            offered = sorted(
                row.action
                for row in allowed_actions(users[who], ticket, self.now)
                if row.action != TicketAction.CALL
            )
            if offered:
                self.act(index, offered[choice % len(offered)], who, where)

        @rule(
            who=st.sampled_from(("clerk", "clerk_two")),
            choice=st.integers(min_value=0, max_value=1000),
            where=st.sampled_from(TARGETS),
        )
        def work_at_window(self, who: str, choice: int, where: str) -> None:
            """The clerk presses one of the console's buttons for the ticket at hand."""
            held = Ticket.objects.filter(
                window=window_of[who], status__in=ACTIVE_TICKET_STATUSES
            ).first()
            if held is None:
                return
            offered = sorted(row.action for row in allowed_actions(users[who], held, self.now))
            assert offered, "a ticket at hand offers its window nothing"
            self.act(self.tickets.index(held.pk), offered[choice % len(offered)], who, where)

        @invariant()
        def one_ticket_per_window(self) -> None:
            for window in windows.values():
                held = Ticket.objects.filter(window=window, status__in=ACTIVE_TICKET_STATUSES)
                assert held.count() <= 1

        @invariant()
        def called_once_per_waiting_period(self) -> None:
            for pk, status, recalls, queued_at in Ticket.objects.filter(
                pk__in=self.tickets
            ).values_list("pk", "status", "recall_count", "queued_at"):
                first_calls = TicketCall.objects.filter(ticket_id=pk, repeat=0).count()
                left_line = status not in (TicketStatus.WAITING, TicketStatus.CANCELLED)
                assert first_calls == self.periods[pk] - (0 if left_line else 1), (pk, status)
                assert queued_at == self.queued_at[pk]
                assert 0 <= recalls <= recall_max
                if status in ACTIVE_TICKET_STATUSES:
                    assert Ticket.objects.filter(pk=pk, window__isnull=False).exists()

    return TicketMachine


@pytest.fixture
def hall(queue_groups, hall_window, second_window, clerk, clerk_two, guide, director):
    return {
        "groups": queue_groups,
        "windows": {"1": hall_window, "2": second_window},
        "users": {"clerk": clerk, "clerk_two": clerk_two, "guide": guide, "director": director},
    }


def test_random_use_keeps_the_invariants(hall: dict[str, Any]) -> None:
    run_state_machine_as_test(
        make_machine(hall),
        settings=settings(
            max_examples=20,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
