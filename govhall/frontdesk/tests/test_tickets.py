"""Queue tickets as services: numbering, limits, priorities, calling, every later step, and the
SMS when the turn is near (SPEC §7; seeds/000… 篇3 排队叫号)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govhall.core.models import Event, OutboundMessage
from govhall.frontdesk.models import (
    Appointment,
    Slot,
    Ticket,
    TicketCall,
    TicketPriority,
    TicketStatus,
)
from govhall.frontdesk.services.tickets import (
    TicketConflict,
    ticket_act,
    ticket_call_next,
    ticket_open_case,
    ticket_refusal,
    ticket_take,
)
from govhall.frontdesk.ticket_transitions import TicketAction

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 7 December 2026, a working day, mid-morning.
MONDAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)


def minutes(n: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(minutes=n)


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


pytestmark = pytest.mark.usefixtures("hall_open")


class TestTaking:
    def test_numbers_run_per_group_and_restart_the_next_day(self, queue_groups):
        a, b = queue_groups["A"], queue_groups["B"]
        numbers = [
            ticket_take(group=a, at=minutes(0)).number,
            ticket_take(group=a, at=minutes(1)).number,
            ticket_take(group=b, at=minutes(2)).number,
        ]
        assert numbers == ["A001", "A002", "B001"]
        tuesday = ticket_take(group=a, at=MONDAY + datetime.timedelta(days=1))
        assert tuesday.number == "A001"
        assert tuesday.service_date == datetime.date(2026, 12, 8)
        assert Event.objects.filter(action="ticket.take").count() == 4

    def test_daily_limit_refuses_with_the_reason_and_issues_nothing(self, queue_groups):
        group = queue_groups["A"]
        group.daily_limit = 2
        group.save()
        ticket_take(group=group, at=minutes(0))
        ticket_take(group=group, at=minutes(1))
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            ticket_take(group=group, at=minutes(2))
        assert (
            "All 2 tickets of A 市场监管 for today have been issued"
            in messages_of(refused.value)[0]
        )
        assert Ticket.objects.filter(group=group).count() == 2
        # The next day the limit starts again.
        assert ticket_take(group=group, at=MONDAY + datetime.timedelta(days=1)).number == "A001"

    def test_limit_message_is_chinese_by_default(self, queue_groups):
        group = queue_groups["A"]
        group.daily_limit = 1
        group.save()
        ticket_take(group=group, at=minutes(0))
        with pytest.raises(ValidationError) as refused:
            ticket_take(group=group, at=minutes(1))
        assert "今日" in messages_of(refused.value)[0]

    def test_kiosk_may_not_give_the_green_channel_but_the_desk_may(self, queue_groups, guide):
        with pytest.raises(ValidationError) as refused:
            ticket_take(group=queue_groups["A"], priority=TicketPriority.GREEN_CHANNEL)
        assert "priority" in refused.value.message_dict
        ticket = ticket_take(
            group=queue_groups["A"], actor=guide, priority=TicketPriority.GREEN_CHANNEL
        )
        assert ticket.priority_rank == 3 and ticket.issued_by == guide

    def test_appointment_priority_only_by_checking_in(self, queue_groups, guide):
        with pytest.raises(ValidationError):
            ticket_take(group=queue_groups["A"], actor=guide, priority=TicketPriority.APPOINTMENT)
        assert not Ticket.objects.exists()

    def test_an_outsider_cannot_issue_tickets_of_another_center(self, queue_groups, outsider):
        with pytest.raises(ValidationError) as refused:
            ticket_take(group=queue_groups["A"], actor=outsider)
        assert "group" in refused.value.message_dict
        assert not Ticket.objects.exists()

    def test_bad_phone_and_a_second_waiting_ticket_for_one_phone_are_refused(self, queue_groups):
        with pytest.raises(ValidationError) as refused:
            ticket_take(group=queue_groups["A"], phone="12345")
        assert "phone" in refused.value.message_dict
        ticket_take(group=queue_groups["A"], phone="13800001111", at=minutes(0))
        with translation.override("en"), pytest.raises(ValidationError) as again:
            ticket_take(group=queue_groups["A"], phone="138 0000 1111", at=minutes(1))
        assert "already waits with ticket A001" in messages_of(again.value)[0]
        # Another group is another line.
        assert ticket_take(group=queue_groups["B"], phone="13800001111").number == "B001"

    def test_inactive_group_issues_nothing(self, queue_groups):
        group = queue_groups["A"]
        group.is_active = False
        group.save()
        with pytest.raises(ValidationError):
            ticket_take(group=group)
        assert not Ticket.objects.exists()


class TestHours:
    @pytest.fixture(autouse=True)
    def _enforced(self, hall_open, settings) -> None:  # type: ignore[no-untyped-def]
        settings.GOVHALL_QUEUE_ENFORCE_HOURS = True

    def test_no_tickets_on_a_non_working_day(self, queue_groups):
        sunday = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=SHANGHAI)
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            ticket_take(group=queue_groups["A"], at=sunday)
        assert "closed today" in messages_of(refused.value)[0]

    def test_no_tickets_after_closing_time(self, queue_groups):
        evening = datetime.datetime(2026, 12, 7, 17, 45, tzinfo=SHANGHAI)
        with pytest.raises(ValidationError):
            ticket_take(group=queue_groups["A"], at=evening)
        assert ticket_take(group=queue_groups["A"], at=MONDAY).number == "A001"

    def test_an_approved_off_hours_appointment_gets_its_ticket_after_hours(
        self, queue_groups, county, clerk
    ):
        saturday = datetime.datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI)
        appointment = Appointment.objects.create(
            center=county,
            group=queue_groups["A"],
            date=saturday.date(),
            starts=datetime.time(9, 0),
            ends=datetime.time(10, 0),
            code="OFF1",
            name="李四",
            id_number="110101199003074477",
            phone="13800000009",
            channel="phone",
            status="checked_in",
            is_off_hours=True,
            assigned_to=clerk,
        )
        ticket = ticket_take(
            group=queue_groups["A"],
            priority=TicketPriority.APPOINTMENT,
            appointment=appointment,
            at=saturday,
        )
        assert ticket.appointment == appointment
        with pytest.raises(ValidationError):
            ticket_take(group=queue_groups["A"], at=saturday)


class TestCalling:
    def test_call_next_takes_priority_first_then_place_in_line(
        self, queue_groups, guide, clerk, hall_window
    ):
        group = queue_groups["A"]
        normal = ticket_take(group=group, at=minutes(0))
        elderly = ticket_take(group=group, priority=TicketPriority.ELDERLY_DISABLED, at=minutes(1))
        green = ticket_take(
            group=group, actor=guide, priority=TicketPriority.GREEN_CHANNEL, at=minutes(2)
        )
        later_normal = ticket_take(group=group, at=minutes(3))
        order = []
        for step in range(4):
            called = ticket_call_next(actor=clerk, window=hall_window, at=minutes(10 + step))
            assert called is not None
            order.append(called.pk)
            ticket_act(actor=clerk, ticket=called, action=TicketAction.NO_SHOW)
        assert order == [green.pk, elderly.pk, normal.pk, later_normal.pk]
        assert ticket_call_next(actor=clerk, window=hall_window, at=minutes(20)) is None

    def test_a_window_calls_only_from_its_groups(self, queue_groups, clerk_two, second_window):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        b = ticket_take(group=queue_groups["B"], at=minutes(1))
        called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(5))
        assert called is not None and called.pk == b.pk
        assert called.window == second_window and called.called_by == clerk_two
        assert called.wait_seconds == 4 * 60

    def test_one_ticket_at_a_time_per_window(self, queue_groups, clerk, hall_window):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        ticket_take(group=queue_groups["A"], at=minutes(1))
        first = ticket_call_next(actor=clerk, window=hall_window, at=minutes(2))
        assert first is not None
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            ticket_call_next(actor=clerk, window=hall_window, at=minutes(3))
        assert f"Finish or mark ticket {first.number} first" in messages_of(refused.value)[0]
        assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 1

    def test_someone_not_serving_the_window_cannot_call(
        self, queue_groups, clerk_two, hall_window, director
    ):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        for stranger in (clerk_two, director):
            with pytest.raises(ValidationError):
                ticket_call_next(actor=stranger, window=hall_window, at=minutes(1))
        assert not TicketCall.objects.exists()

    def test_the_b_staff_covers_when_a_is_away(self, queue_groups, clerk_b, hall_window):
        """clerk_b is B of window 1's post: calling counts as cover only when the A is away."""
        from govhall.staffing.services.presence import absence_start

        ticket_take(group=queue_groups["A"], at=minutes(0))
        clerk = hall_window.posts.get().a_staff
        with pytest.raises(ValidationError):
            ticket_call_next(actor=clerk_b, window=hall_window, at=minutes(1))
        absence_start(
            actor=clerk,
            whereabouts="档案室取材料",
            until=minutes(30),
            window=hall_window,
            at=minutes(1),
        )
        called = ticket_call_next(actor=clerk_b, window=hall_window, at=minutes(2))
        assert called is not None and called.called_by == clerk_b

    def test_recall_up_to_the_limit_then_no_show(self, queue_groups, clerk, hall_window, settings):
        settings.GOVHALL_QUEUE_RECALL_MAX = 3
        ticket_take(group=queue_groups["A"], at=minutes(0))
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(1))
        assert ticket is not None
        for n in range(3):
            ticket = ticket_act(
                actor=clerk, ticket=ticket, action=TicketAction.RECALL, at=minutes(2 + n)
            )
        assert ticket.recall_count == 3
        assert list(TicketCall.objects.order_by("at").values_list("repeat", flat=True)) == [
            0,
            1,
            2,
            3,
        ]
        assert ticket_refusal(clerk, ticket, TicketAction.RECALL) is not None
        with pytest.raises(ValidationError):
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.RECALL)
        ticket = ticket_act(actor=clerk, ticket=ticket, action=TicketAction.NO_SHOW)
        assert ticket.status == TicketStatus.NO_SHOW
        assert Event.objects.filter(action="ticket.mark_no_show").count() == 1

    def test_start_and_finish_record_wait_and_service_times(self, queue_groups, clerk, hall_window):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(7))
        assert ticket is not None
        ticket = ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START, at=minutes(8))
        ticket = ticket_act(actor=clerk, ticket=ticket, action=TicketAction.FINISH, at=minutes(20))
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.DONE
        assert (ticket.wait_seconds, ticket.service_seconds) == (7 * 60, 12 * 60)
        assert ticket.called_at == minutes(7) and ticket.finished_at == minutes(20)

    def test_only_the_calling_window_acts_on_its_ticket(
        self, queue_groups, clerk, clerk_two, hall_window
    ):
        ticket_take(group=queue_groups["B"], at=minutes(0))
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(1))
        assert ticket is not None
        for action in (TicketAction.START, TicketAction.NO_SHOW, TicketAction.RECALL):
            assert ticket_refusal(clerk_two, ticket, action) is not None
            with pytest.raises(ValidationError):
                ticket_act(actor=clerk_two, ticket=ticket, action=action)
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.CALLED

    def test_a_stale_page_gets_a_conflict(self, queue_groups, clerk, hall_window):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(1))
        assert ticket is not None
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START)
        with pytest.raises(TicketConflict):
            ticket_act(
                actor=clerk,
                ticket=ticket,
                action=TicketAction.NO_SHOW,
                expected_status=TicketStatus.CALLED,
            )
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.SERVING

    def test_calling_a_particular_ticket(
        self, queue_groups, clerk, hall_window, clerk_two, second_window
    ):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        second = ticket_take(group=queue_groups["A"], at=minutes(1))
        with pytest.raises(ValidationError):
            # Window 2 does not call group A.
            ticket_act(
                actor=clerk_two, ticket=second, action=TicketAction.CALL, window=second_window
            )
        called = ticket_act(
            actor=clerk, ticket=second, action=TicketAction.CALL, window=hall_window
        )
        assert called.status == TicketStatus.CALLED and called.window == hall_window


class TestTransfer:
    def test_transfer_to_another_group_keeps_the_place_in_line(
        self, queue_groups, clerk, clerk_two, hall_window, second_window
    ):
        a, b = queue_groups["A"], queue_groups["B"]
        early = ticket_take(group=a, at=minutes(0))
        b_later = ticket_take(group=b, at=minutes(5))
        called = ticket_call_next(actor=clerk, window=hall_window, at=minutes(6))
        assert called is not None and called.pk == early.pk
        moved = ticket_act(
            actor=clerk, ticket=called, action=TicketAction.TRANSFER, to_group=b, at=minutes(7)
        )
        assert moved.status == TicketStatus.WAITING and moved.group == b
        assert moved.queued_at == minutes(0) and moved.window is None
        # At window 2 it is ahead of B's own later ticket.
        first = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(8))
        assert first is not None and first.pk == early.pk
        assert first.wait_seconds == 6 * 60  # the first call's wait is kept
        ticket_act(actor=clerk_two, ticket=first, action=TicketAction.NO_SHOW)
        second = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(9))
        assert second is not None and second.pk == b_later.pk
        event = Event.objects.get(action="ticket.transfer")
        assert event.data["to_group"] == "B"

    def test_transfer_to_a_named_window_is_called_only_there(
        self, queue_groups, guide, clerk, clerk_two, hall_window, second_window
    ):
        ticket = ticket_take(group=queue_groups["B"], at=minutes(0))
        ticket_act(
            actor=guide, ticket=ticket, action=TicketAction.TRANSFER, to_window=second_window
        )
        assert ticket_call_next(actor=clerk, window=hall_window, at=minutes(1)) is None
        called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(2))
        assert called is not None and called.pk == ticket.pk
        assert called.target_window is None

    def test_transfer_needs_one_target(self, queue_groups, guide, second_window):
        ticket = ticket_take(group=queue_groups["A"], at=minutes(0))
        for targets in ({}, {"to_group": queue_groups["B"], "to_window": second_window}):
            with pytest.raises(ValidationError):
                ticket_act(actor=guide, ticket=ticket, action=TicketAction.TRANSFER, **targets)
        with pytest.raises(ValidationError):
            ticket_act(
                actor=guide,
                ticket=ticket,
                action=TicketAction.TRANSFER,
                to_group=queue_groups["A"],
            )
        ticket.refresh_from_db()
        assert ticket.group == queue_groups["A"]
        assert not Event.objects.filter(action="ticket.transfer").exists()

    def test_the_desk_cancels_a_waiting_ticket_but_an_outsider_cannot(
        self, queue_groups, guide, outsider
    ):
        ticket = ticket_take(group=queue_groups["A"], at=minutes(0))
        with pytest.raises(ValidationError):
            ticket_act(actor=outsider, ticket=ticket, action=TicketAction.CANCEL)
        cancelled = ticket_act(actor=guide, ticket=ticket, action=TicketAction.CANCEL)
        assert cancelled.status == TicketStatus.CANCELLED


class TestNearTurnSms:
    def test_those_within_n_of_the_front_get_one_sms(
        self, queue_groups, clerk, hall_window, settings, django_capture_on_commit_callbacks
    ):
        settings.GOVHALL_QUEUE_NOTIFY_AHEAD = 1
        group = queue_groups["A"]
        with django_capture_on_commit_callbacks(execute=True):
            ticket_take(group=group, at=minutes(0))
            second = ticket_take(group=group, phone="13800000002", at=minutes(1))
            third = ticket_take(group=group, phone="13800000003", at=minutes(2))
            first = ticket_call_next(actor=clerk, window=hall_window, at=minutes(3))
        # After the first call, second is at the front (0 ahead), third has 1 ahead.
        sent = OutboundMessage.objects.filter(purpose="queue.near_turn").order_by("to")
        assert [m.to for m in sent] == ["13800000002", "13800000003"]
        assert second.number in sent[0].text and third.number in sent[1].text
        with django_capture_on_commit_callbacks(execute=True):
            assert first is not None
            ticket_act(actor=clerk, ticket=first, action=TicketAction.NO_SHOW)
            ticket_call_next(actor=clerk, window=hall_window, at=minutes(4))
        assert OutboundMessage.objects.filter(purpose="queue.near_turn").count() == 2


class TestLinks:
    def test_open_a_case_from_the_ticket_at_the_window(
        self, queue_groups, clerk, hall_window, case_item, applicant_data, all_received
    ):
        from govhall.cases.services.intake import Outcome

        queue_groups["A"].items.add(case_item)
        ticket_take(group=queue_groups["A"])
        ticket = ticket_call_next(actor=clerk, window=hall_window)
        assert ticket is not None
        case = ticket_open_case(
            actor=clerk,
            ticket=ticket,
            item=case_item,
            applicant=applicant_data,
            materials=all_received(case_item),
            outcome=Outcome.PROMISED,
        )
        ticket.refresh_from_db()
        assert ticket.case == case and ticket.status == TicketStatus.SERVING
        assert case.window == hall_window
        assert Event.objects.filter(action="ticket.open_case").count() == 1

    def test_no_case_from_a_waiting_ticket(
        self, queue_groups, clerk, case_item, applicant_data, all_received
    ):
        from govhall.cases.models import Case
        from govhall.cases.services.intake import Outcome

        ticket = ticket_take(group=queue_groups["A"])
        with pytest.raises(ValidationError):
            ticket_open_case(
                actor=clerk,
                ticket=ticket,
                item=case_item,
                applicant=applicant_data,
                materials=all_received(case_item),
                outcome=Outcome.PROMISED,
            )
        assert not Case.objects.exists()

    def test_starting_an_appointment_ticket_marks_the_appointment_served(
        self, queue_groups, clerk, hall_window, county
    ):
        group = queue_groups["A"]
        slot = Slot.objects.create(
            group=group,
            date=MONDAY.date(),
            starts=datetime.time(10, 0),
            ends=datetime.time(10, 30),
            capacity=4,
            booked=1,
        )
        appointment = Appointment.objects.create(
            center=county,
            group=group,
            slot=slot,
            date=slot.date,
            starts=slot.starts,
            ends=slot.ends,
            code="T1",
            name="张三",
            id_number="110101199003074477",
            phone="13800000001",
            channel="portal",
            status="checked_in",
        )
        ticket_take(
            group=group,
            priority=TicketPriority.APPOINTMENT,
            appointment=appointment,
            at=minutes(0),
        )
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(2))
        assert ticket is not None and ticket.appointment == appointment
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START, at=minutes(3))
        appointment.refresh_from_db()
        assert appointment.status == "served" and appointment.served_at == minutes(2)
        assert Event.objects.filter(action="appointment.serve").count() == 1
