"""Calling is forgiving (issue 17 item 4): a 过号 can be undone by its window for
GOVHALL_NO_SHOW_UNDO_MINUTES, back to called at the same window, and a late citizen is put back
in line by the guide or a window GOVHALL_REQUEUE_AFTER_PLACES places later, at most
GOVHALL_REQUEUE_MAX times; all rows of the ticket table, with their events."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event
from govhall.core.validation import Conflict
from govhall.frontdesk.models import Ticket, TicketPriority, TicketStatus
from govhall.frontdesk.queries.queue import allowed_actions, window_line
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TICKET_TRANSITIONS, TicketAction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


def minutes(n: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(minutes=n)


def take(group, n: int, start: float = 0) -> list[Ticket]:  # type: ignore[no-untyped-def]
    return [ticket_take(group=group, at=minutes(start + i / 10)) for i in range(n)]


def missed(clerk, window, at: float = 5):  # type: ignore[no-untyped-def]
    """Call the next ticket at `window` and mark it a no-show a minute later."""
    ticket = ticket_call_next(actor=clerk, window=window, at=minutes(at))
    assert ticket is not None
    return ticket_act(actor=clerk, ticket=ticket, action=TicketAction.NO_SHOW, at=minutes(at + 1))


def actions_of(user, ticket, at):  # type: ignore[no-untyped-def]
    return {row.action for row in allowed_actions(user, Ticket.objects.get(pk=ticket.pk), at)}


def test_the_table_has_undo_and_requeue_rows():
    undo = TICKET_TRANSITIONS.row(TicketStatus.NO_SHOW, TicketAction.UNDO_NO_SHOW)
    requeue = TICKET_TRANSITIONS.row(TicketStatus.NO_SHOW, TicketAction.REQUEUE)
    assert undo is not None and undo.next_state == TicketStatus.CALLED
    assert requeue is not None and requeue.next_state == TicketStatus.WAITING


class TestUndo:
    def test_a_no_show_is_undone_back_to_called_at_the_same_window(
        self, settings, queue_groups, clerk, hall_window
    ):
        settings.GOVHALL_NO_SHOW_UNDO_MINUTES = 5
        take(queue_groups["A"], 2)
        ticket = missed(clerk, hall_window)
        assert ticket.status == TicketStatus.NO_SHOW and ticket.no_show_at == minutes(6)
        assert TicketAction.UNDO_NO_SHOW in actions_of(clerk, ticket, minutes(8))

        undone = ticket_act(
            actor=clerk, ticket=ticket, action=TicketAction.UNDO_NO_SHOW, at=minutes(10.5)
        )
        undone.refresh_from_db()
        assert (undone.status, undone.window_id) == (TicketStatus.CALLED, hall_window.pk)
        assert undone.no_show_at is None
        assert Event.objects.filter(action="ticket.undo_no_show", object_id=str(ticket.pk)).exists()
        # The window holds it again: calling next waits until it is finished or marked.
        with pytest.raises(Conflict):
            ticket_call_next(actor=clerk, window=hall_window, at=minutes(11))

    def test_undo_is_refused_after_the_time_and_by_others(
        self, settings, queue_groups, clerk, clerk_two, guide, hall_window
    ):
        settings.GOVHALL_NO_SHOW_UNDO_MINUTES = 5
        take(queue_groups["A"], 1)
        ticket = missed(clerk, hall_window)
        assert TicketAction.UNDO_NO_SHOW not in actions_of(guide, ticket, minutes(7))
        assert TicketAction.UNDO_NO_SHOW not in actions_of(clerk_two, ticket, minutes(7))
        with pytest.raises(ValidationError):
            ticket_act(actor=guide, ticket=ticket, action=TicketAction.UNDO_NO_SHOW, at=minutes(7))
        assert TicketAction.UNDO_NO_SHOW not in actions_of(clerk, ticket, minutes(11.5))
        with pytest.raises(Conflict, match="5"):
            ticket_act(
                actor=clerk, ticket=ticket, action=TicketAction.UNDO_NO_SHOW, at=minutes(11.5)
            )
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.NO_SHOW

    def test_undo_is_refused_once_the_window_called_another(
        self, settings, queue_groups, clerk, hall_window
    ):
        take(queue_groups["A"], 2)
        ticket = missed(clerk, hall_window)
        ticket_call_next(actor=clerk, window=hall_window, at=minutes(7))
        assert TicketAction.UNDO_NO_SHOW not in actions_of(clerk, ticket, minutes(7.5))
        with pytest.raises(Conflict, match="A002"):
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.UNDO_NO_SHOW, at=minutes(8))


class TestRequeue:
    def test_a_late_citizen_goes_back_after_n_places(
        self, settings, queue_groups, clerk, guide, hall_window
    ):
        settings.GOVHALL_REQUEUE_AFTER_PLACES = 3
        take(queue_groups["A"], 1)
        ticket = missed(clerk, hall_window)  # A001
        take(queue_groups["A"], 5, start=2)  # A002 … A006
        assert TicketAction.REQUEUE in actions_of(guide, ticket, minutes(9))
        back = ticket_act(actor=guide, ticket=ticket, action=TicketAction.REQUEUE, at=minutes(9))
        back.refresh_from_db()
        assert back.status == TicketStatus.WAITING and back.window_id is None
        assert back.requeue_count == 1 and back.no_show_at is None
        line = [t.number for t in window_line(hall_window, [queue_groups["A"].pk], MONDAY.date())]
        assert line == ["A002", "A003", "A004", "A001", "A005", "A006"]
        event = Event.objects.get(action="ticket.requeue")
        assert event.data["window"] == 1 and event.data["times"] == 1

    def test_higher_priorities_count_among_the_places_and_a_short_line_means_the_end(
        self, settings, queue_groups, clerk, guide, hall_window
    ):
        settings.GOVHALL_REQUEUE_AFTER_PLACES = 2
        take(queue_groups["A"], 1)
        ticket = missed(clerk, hall_window)
        ticket_take(
            group=queue_groups["A"],
            actor=guide,
            priority=TicketPriority.GREEN_CHANNEL,
            at=minutes(8),
        )  # A002, ahead of everybody
        take(queue_groups["A"], 2, start=8.5)  # A003, A004
        ticket_act(actor=guide, ticket=ticket, action=TicketAction.REQUEUE, at=minutes(9))
        line = [t.number for t in window_line(hall_window, [queue_groups["A"].pk], MONDAY.date())]
        assert line == ["A002", "A003", "A001", "A004"]

        settings.GOVHALL_REQUEUE_AFTER_PLACES = 0  # at the end
        settings.GOVHALL_REQUEUE_MAX = 2
        again = ticket_call_next(actor=clerk, window=hall_window, at=minutes(10))
        assert again is not None and again.number == "A002"
        ticket_act(actor=clerk, ticket=again, action=TicketAction.NO_SHOW, at=minutes(10.5))
        ticket_act(actor=clerk, ticket=again, action=TicketAction.REQUEUE, at=minutes(11))
        line = [t.number for t in window_line(hall_window, [queue_groups["A"].pk], MONDAY.date())]
        assert line == ["A002", "A003", "A001", "A004"]  # a green channel stays ahead

    def test_requeue_is_limited(self, settings, queue_groups, clerk, guide, hall_window):
        settings.GOVHALL_REQUEUE_MAX = 1
        take(queue_groups["A"], 1)
        ticket = missed(clerk, hall_window)
        ticket_act(actor=guide, ticket=ticket, action=TicketAction.REQUEUE, at=minutes(8))
        ticket = missed(clerk, hall_window, at=9)
        assert TicketAction.REQUEUE not in actions_of(guide, ticket, minutes(11))
        with pytest.raises(Conflict, match="A001"):
            ticket_act(actor=guide, ticket=ticket, action=TicketAction.REQUEUE, at=minutes(11))
        assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.NO_SHOW

    def test_an_outsider_may_not_requeue(self, queue_groups, clerk, outsider, hall_window):
        take(queue_groups["A"], 1)
        ticket = missed(clerk, hall_window)
        with pytest.raises(ValidationError):
            ticket_act(actor=outsider, ticket=ticket, action=TicketAction.REQUEUE, at=minutes(8))
