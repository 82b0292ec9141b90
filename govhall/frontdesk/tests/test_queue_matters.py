"""Queue and windows agree (issue 17 item 1): a ticket names the matter (item) the citizen came
for and is called only at a window that accepts that item (catalog `ItemWindow`); a group's
windows are exactly those that serve its items."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govhall.core.idnumbers import id_check_character
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.frontdesk.queries.queue import group_window_mismatches
from govhall.frontdesk.services.appointment_booking import appointment_book, appointment_check_in
from govhall.frontdesk.services.groups import group_create, group_update
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.testing.factories import ItemWindowFactory, WindowFactory
from govhall.testing.phone_codes import phone_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.usefixtures("hall_open")


def minutes(n: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(minutes=n)


def finish(actor, ticket, at):
    ticket_act(actor=actor, ticket=ticket, action=TicketAction.START, at=at)
    ticket_act(actor=actor, ticket=ticket, action=TicketAction.FINISH, at=at)


@pytest.fixture
def matters(queue_matters):
    return queue_matters


class TestTicketsNameTheirMatter:
    def test_the_item_is_stored_with_its_name_as_matter(self, matters):
        ticket = ticket_take(group=matters["B"], item=matters["mortgage"], at=minutes(0))
        ticket.refresh_from_db()
        assert ticket.item == matters["mortgage"] and ticket.matter == "抵押登记"

    def test_an_item_the_group_does_not_serve_is_refused(self, matters, queue_groups):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            ticket_take(group=queue_groups["A"], item=matters["mortgage"], at=minutes(0))
        assert "does not serve 抵押登记" in str(refused.value.message_dict["item"])
        assert not Ticket.objects.exists()


class TestCallNextOnlyWhatTheWindowAccepts:
    def test_a_window_skips_tickets_whose_item_it_does_not_accept(
        self, matters, clerk, clerk_two, hall_window, second_window
    ):
        mortgage = ticket_take(group=matters["B"], item=matters["mortgage"], at=minutes(0))
        lookup = ticket_take(group=matters["B"], item=matters["lookup"], at=minutes(1))
        plain = ticket_take(group=matters["B"], at=minutes(2))
        # Window 1 does not accept 抵押登记: it takes the second ticket, then the item-less one.
        assert ticket_call_next(actor=clerk, window=hall_window, at=minutes(3)) == lookup
        finish(clerk, lookup, minutes(4))
        assert ticket_call_next(actor=clerk, window=hall_window, at=minutes(5)) == plain
        finish(clerk, plain, minutes(6))
        assert ticket_call_next(actor=clerk, window=hall_window, at=minutes(7)) is None
        # Window 2 accepts it.
        called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(8))
        assert called == mortgage and called.status == TicketStatus.CALLED

    def test_calling_by_hand_or_transferring_to_a_wrong_window_is_refused(
        self, matters, clerk, clerk_two, hall_window, second_window
    ):
        mortgage = ticket_take(group=matters["B"], item=matters["mortgage"], at=minutes(0))
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            ticket_act(
                actor=clerk,
                ticket=mortgage,
                action=TicketAction.CALL,
                window=hall_window,
                at=minutes(1),
            )
        assert "does not accept 抵押登记; windows that do: 2" in refused.value.messages[0]
        lookup = ticket_take(group=matters["B"], item=matters["lookup"], at=minutes(2))
        called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(3))
        assert called == mortgage
        ticket_act(actor=clerk, ticket=lookup, action=TicketAction.CALL, window=hall_window)
        finish(clerk_two, called, minutes(4))
        # Back in line, 不动产查询 at window 1 may go to window 2 by name; 抵押登记 not to 1.
        again = ticket_take(group=matters["B"], item=matters["mortgage"], at=minutes(5))
        called_again = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(6))
        assert called_again == again
        with pytest.raises(ValidationError):
            ticket_act(
                actor=clerk_two,
                ticket=again,
                action=TicketAction.TRANSFER,
                to_window=hall_window,
                at=minutes(7),
            )
        assert Ticket.objects.get(pk=again.pk).status == TicketStatus.CALLED


class TestGroupsWindowsAgree:
    def test_a_window_serving_none_of_the_items_is_refused(
        self, county, director, matters, hall_window, second_window
    ):
        stray = WindowFactory.create(center=county, number=9, name="杂项窗口")
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            group_create(
                actor=director,
                center=county,
                letter="C",
                name="不动产2",
                items=[matters["mortgage"]],
                windows=[second_window, stray],
            )
        text = " ".join(refused.value.message_dict["windows"])
        assert "9" in text and "serves none of this group's items" in text

    def test_a_window_serving_an_item_must_be_in_the_group(
        self, county, director, matters, hall_window, second_window
    ):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            group_update(actor=director, group=matters["B"], windows=[second_window])
        assert "accepts 不动产查询" in " ".join(refused.value.message_dict["windows"])

    def test_mismatches_are_listed(self, county, matters, queue_groups, hall_window):
        # Group B's windows were set by hand: window 1 does not serve 抵押登记 but serves 查询
        # (fine); group A has windows but no item (not checked). A new link shows up.
        assert group_window_mismatches(county) == []
        extra = WindowFactory(center=county, number=7, name="新窗口")
        ItemWindowFactory(item=matters["mortgage"], window=extra)
        (row,) = group_window_mismatches(county)
        assert row.group == matters["B"] and row.missing == [extra] and row.extra == []


class TestAppointmentsNameTheirMatter:
    def test_the_booked_item_reaches_the_checked_in_ticket(self, matters, queue_groups):
        booked_at = datetime.datetime(2026, 6, 8, 10, 0, tzinfo=SHANGHAI)
        first17 = "11010119900307001"
        common = {
            "actor": None,
            "date": datetime.date(2026, 6, 9),
            "starts": datetime.time(8, 30),
            "name": "张三",
            "id_number": first17 + id_check_character(first17),
            "phone": "13800000001",
            "channel": "portal",
            "at": booked_at,
        }
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            appointment_book(
                group=queue_groups["A"],
                item=matters["mortgage"],
                phone_code=phone_code("13800000001", at=booked_at),
                **common,
            )
        assert "item" in refused.value.message_dict
        appointment = appointment_book(
            group=matters["B"],
            item=matters["mortgage"],
            phone_code=phone_code("13800000001", at=booked_at),
            **common,
        )
        assert appointment.item == matters["mortgage"] and appointment.matter == "抵押登记"
        ticket = appointment_check_in(
            actor=None,
            code=appointment.code,
            at=datetime.datetime(2026, 6, 9, 8, 25, tzinfo=SHANGHAI),
        )
        assert ticket.item == matters["mortgage"] and ticket.matter == "抵押登记"
