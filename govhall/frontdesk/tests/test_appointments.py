"""Appointments as services (SPEC §7; seeds/000… 篇1 六、预约服务制度): slots from service hours,
the booking window in working days, one per person per day, no-show blocks, capacity, cancel
deadline, off-hours requests, check-in, no-shows, reminders, outages and the two rates.

Dates are fixed in June 2026: Mon 8 – Fri 12 and Mon 15 – Thu 18 are working days, Fri 19 is
the Dragon Boat Festival (the chinesecalendar data), so "5 working days ahead" of Fri 12 is
Mon 22.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from govhall.core.idnumbers import id_check_character
from govhall.core.models import Event, OutboundMessage
from govhall.frontdesk.models import Appointment, Slot, Ticket, TicketPriority
from govhall.frontdesk.queries.appointments import (
    appointment_lookup,
    appointment_rates,
    day_sheet,
    outage_preview,
)
from govhall.frontdesk.services.appointment_applicants import no_show_block_until
from govhall.frontdesk.services.appointment_booking import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
)
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_mark_served,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_outage import appointments_cancel_range
from govhall.frontdesk.services.appointment_periodic import (
    appointments_mark_no_shows,
    appointments_send_reminders,
)
from govhall.frontdesk.services.appointment_slots import bookable_days, slots_ensure
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.testing.parallel import run_at_once
from govhall.testing.phone_codes import phone_code

SHANGHAI = ZoneInfo("Asia/Shanghai")
MON = datetime.date(2026, 6, 8)
TUE = datetime.date(2026, 6, 9)
WED = datetime.date(2026, 6, 10)
THU = datetime.date(2026, 6, 11)
FRI = datetime.date(2026, 6, 12)
SAT = datetime.date(2026, 6, 13)
NEXT_MON = datetime.date(2026, 6, 15)
NEXT_TUE = datetime.date(2026, 6, 16)
HOLIDAY = datetime.date(2026, 6, 19)
T0830 = datetime.time(8, 30)
T0900 = datetime.time(9, 0)

pytestmark = pytest.mark.usefixtures("hall_open")


def at(day: datetime.date, hour: int = 10, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI)


def id_number(n: int) -> str:
    first17 = f"11010119900307{n:03d}"
    return first17 + id_check_character(first17)


def book(group, day=TUE, starts=T0830, n=1, when=None, **extra):  # type: ignore[no-untyped-def]
    fields = {
        "actor": None,
        "group": group,
        "date": day,
        "starts": starts,
        "name": f"申请人{n}",
        "id_number": id_number(n),
        "phone": f"138{n:08d}",
        "channel": "portal",
        "at": when or at(MON),
        "client": f"test:{n}",
    }
    fields.update(extra)
    if fields["actor"] is None and "phone_code" not in fields and len(fields["phone"]) == 11:
        fields["phone_code"] = phone_code(str(fields["phone"]), at=fields["at"])
    return appointment_book(**fields)


def refusal(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return " ".join(str(m) for m in refused.value.messages)


@pytest.fixture
def group(queue_groups):  # type: ignore[no-untyped-def]
    return queue_groups["A"]


class TestSlots:
    def test_slots_follow_service_hours_on_working_days_only(self, group):
        slots_ensure(group, TUE)
        slots = list(Slot.objects.filter(group=group, date=TUE).order_by("starts"))
        # 08:30–12:00 and 14:30–17:30 in 30-minute slots: 7 + 6.
        assert len(slots) == 13
        assert (slots[0].starts, slots[0].ends) == (T0830, T0900)
        assert slots[6].starts == datetime.time(11, 30) and slots[6].ends == datetime.time(12, 0)
        assert slots[7].starts == datetime.time(14, 30)
        assert slots[-1].ends == datetime.time(17, 30)
        assert {s.capacity for s in slots} == {4}
        slots_ensure(group, TUE)  # idempotent
        assert Slot.objects.filter(group=group, date=TUE).count() == 13
        slots_ensure(group, SAT)
        slots_ensure(group, HOLIDAY)
        assert not Slot.objects.filter(date__in=[SAT, HOLIDAY]).exists()

    def test_slot_length_and_capacity_come_from_the_group(self, group):
        group.slot_minutes = 60
        group.slot_capacity = 2
        group.save()
        slots_ensure(group, TUE)
        slots = list(Slot.objects.filter(group=group, date=TUE).order_by("starts"))
        # 08:30–11:30 (3 whole hours) and 14:30–17:30 (3).
        assert [s.starts.hour for s in slots] == [8, 9, 10, 14, 15, 16]
        assert {s.capacity for s in slots} == {2}

    def test_bookable_days_skip_weekends_and_holidays(self, group):
        assert bookable_days(group, FRI) == [
            NEXT_MON,
            NEXT_TUE,
            datetime.date(2026, 6, 17),
            datetime.date(2026, 6, 18),
            datetime.date(2026, 6, 22),
        ]


class TestBookingWindow:
    def test_tomorrow_is_the_first_bookable_day_and_today_is_refused(self, group):
        assert book(group, day=TUE).status == "booked"
        message = refusal(book, group, day=MON, n=2)
        assert "from 2026-06-09 on" in message
        assert Appointment.objects.count() == 1

    def test_exactly_five_working_days_ahead_is_allowed_six_refused(self, group):
        assert book(group, day=NEXT_MON, when=at(MON)).date == NEXT_MON
        message = refusal(book, group, day=NEXT_TUE, when=at(MON), n=2)
        assert "up to 5 working days ahead, until 2026-06-15" in message

    def test_the_holiday_is_not_counted(self, group):
        # From Friday 12: 15, 16, 17, 18 and (after the Dragon Boat Festival) 22.
        assert book(group, day=datetime.date(2026, 6, 22), when=at(FRI)).status == "booked"
        assert "until 2026-06-22" in refusal(
            book, group, day=datetime.date(2026, 6, 23), when=at(FRI), n=2
        )
        assert "not a working day" in refusal(book, group, day=HOLIDAY, when=at(FRI), n=3)

    def test_a_time_that_is_no_slot_is_refused(self, group):
        message = refusal(book, group, starts=datetime.time(12, 30))
        assert "No appointment slot starts at 12:30" in message and "off-hours" in message

    def test_settings_change_the_window(self, group, settings):
        settings.GOVHALL_APPOINTMENT_MIN_DAYS_AHEAD = 2
        settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD = 2
        assert "from 2026-06-10" in refusal(book, group, day=TUE)
        assert book(group, day=WED).date == WED
        assert "until 2026-06-10" in refusal(book, group, day=THU, n=2)


class TestPerson:
    def test_id_number_and_phone_are_validated(self, group):
        message = refusal(book, group, id_number="110101199003070000", phone="12345")
        assert "check digit" in message and "11 digits" in message
        assert "Enter the name" in refusal(book, group, name="  ")
        assert not Appointment.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()

    def test_one_appointment_per_person_per_day(self, group, queue_groups):
        first = book(group, day=TUE)
        message = refusal(book, queue_groups["B"], day=TUE, starts=datetime.time(15, 0))
        assert "already has an appointment on 2026-06-09" in message
        assert book(group, day=WED).pk != first.pk  # another day is fine
        # Cancelled ones free the day again.
        appointment_cancel(actor=None, appointment=first, last4=first.id_number[-4:], at=at(MON))
        assert book(queue_groups["B"], day=TUE, starts=datetime.time(15, 0)).status == "booked"

    def test_the_database_refuses_a_second_holding_appointment(self, group):
        first = book(group, day=TUE)
        clone = Appointment(
            center=first.center,
            group=first.group,
            slot=first.slot,
            date=first.date,
            starts=first.starts,
            ends=first.ends,
            code="OTHER123",
            name=first.name,
            id_number=first.id_number,
            phone=first.phone,
            channel="portal",
            status="booked",
        )
        with pytest.raises(IntegrityError), transaction.atomic():
            clone.save()

    def test_third_no_show_within_90_days_blocks_for_30_days(self, group):
        for day in (TUE, WED):
            book(group, day=day, when=at(MON))
        appointments_mark_no_shows(at=at(WED, 18))
        assert Appointment.objects.filter(status="no_show").count() == 2
        # Two no-shows: still allowed.
        third = book(group, day=THU, when=at(WED, 18))
        assert third.status == "booked"
        appointments_mark_no_shows(at=at(THU, 18))
        message = refusal(book, group, day=NEXT_MON, when=at(FRI))
        assert "blocked until 2026-07-11" in message and "3 missed appointments" in message
        assert no_show_block_until(id_number(1), datetime.date(2026, 7, 11)) == datetime.date(
            2026, 7, 11
        )
        # Blocked the 30th day after the last no-show, free the day after.
        assert "blocked" in refusal(
            book, group, day=datetime.date(2026, 7, 13), when=at(datetime.date(2026, 7, 11))
        )
        ok = book(group, day=datetime.date(2026, 7, 13), when=at(datetime.date(2026, 7, 12)))
        assert ok.status == "booked"
        # Others are not affected.
        assert book(group, day=NEXT_MON, when=at(FRI), n=2).status == "booked"

    def test_no_shows_spread_over_more_than_90_days_do_not_block(self, group, settings):
        settings.GOVHALL_APPOINTMENT_NO_SHOW_DAYS = 2
        for day in (TUE, THU):
            book(group, day=day, when=at(MON))
        appointments_mark_no_shows(at=at(THU, 18))
        settings.GOVHALL_APPOINTMENT_NO_SHOW_LIMIT = 2
        # Tue and Thu are two days apart: not within a window of 2 days.
        assert book(group, day=NEXT_MON, when=at(FRI)).status == "booked"


class TestCapacityAndChannels:
    def test_a_full_slot_is_refused_and_nothing_changes(
        self, group, django_capture_on_commit_callbacks
    ):
        group.slot_capacity = 2
        group.save()
        with django_capture_on_commit_callbacks(execute=True):
            book(group, n=1)
            book(group, n=2)
        assert "fully booked" in refusal(book, group, n=3)
        slot = Slot.objects.get(group=group, date=TUE, starts=T0830)
        assert slot.booked == 2 and slot.free == 0
        assert Appointment.objects.count() == 2
        assert OutboundMessage.objects.filter(purpose="appointment.book").count() == 2

    def test_a_closed_slot_is_refused(self, group):
        slots_ensure(group, TUE)
        Slot.objects.filter(group=group, date=TUE, starts=T0830).update(closed_reason="停电")
        assert "This slot is closed: 停电" in refusal(book, group)

    def test_staff_book_phone_calls_for_their_center_only(self, group, guide, outsider):
        booked = book(group, actor=guide, channel="phone")
        assert booked.booked_by == guide and booked.channel == "phone"
        assert "made by the hall's staff" in refusal(book, group, channel="phone", n=2)
        assert "do not work in this center" in refusal(
            book, group, actor=outsider, channel="phone", n=3
        )

    def test_booking_writes_an_event_and_a_confirmation_sms(
        self, group, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            booked = book(group)
        event = Event.objects.get(action="appointment.book")
        assert event.object_id == str(booked.pk) and event.data["channel"] == "portal"
        sms = OutboundMessage.objects.get(purpose="appointment.book")
        assert sms.to == booked.phone and booked.code in sms.text
        assert len(booked.code) == 8 and booked.code.isupper()
        assert booked.starts_at == at(TUE, 8, 30) and booked.ends_at == at(TUE, 9, 0)


class TestCancel:
    def test_applicant_cancels_with_the_last_four_up_to_two_hours_before(
        self, group, django_capture_on_commit_callbacks
    ):
        booked = book(group)  # Tue 08:30
        assert "do not match" in refusal(
            appointment_cancel, actor=None, appointment=booked, last4="0000", at=at(MON)
        )
        boundary = at(TUE, 6, 30)
        with django_capture_on_commit_callbacks(execute=True):
            cancelled = appointment_cancel(
                actor=None, appointment=booked, last4=booked.id_number[-4:].lower(), at=boundary
            )
        assert cancelled.status == "cancelled" and not cancelled.cancelled_by_hall
        assert Slot.objects.get(pk=booked.slot_id).booked == 0
        assert OutboundMessage.objects.filter(purpose="appointment.cancel").count() == 1
        assert "cannot be cancelled" in refusal(
            appointment_cancel, actor=None, appointment=booked, last4=booked.id_number[-4:]
        )

    def test_one_second_too_late_is_refused(self, group):
        booked = book(group)
        message = refusal(
            appointment_cancel,
            actor=None,
            appointment=booked,
            last4=booked.id_number[-4:],
            at=at(TUE, 6, 30, 1),
        )
        assert "up to 2 hours before it starts (until 2026-06-09 06:30)" in message
        booked.refresh_from_db()
        assert booked.status == "booked" and Slot.objects.get(pk=booked.slot_id).booked == 1

    def test_staff_of_the_center_cancel_others_not(self, group, guide, outsider):
        booked = book(group)
        assert "do not work" in refusal(
            appointment_cancel, actor=outsider, appointment=booked, at=at(MON)
        )
        assert appointment_cancel(actor=guide, appointment=booked, at=at(MON)).status == (
            "cancelled"
        )


class TestCheckIn:
    def test_check_in_gives_an_appointment_priority_ticket(self, group):
        booked = book(group)
        ticket = appointment_check_in(
            actor=None, code=f"  {booked.code.lower()} ", at=at(TUE, 7, 30)
        )
        assert isinstance(ticket, Ticket)
        assert ticket.priority == TicketPriority.APPOINTMENT and ticket.appointment_id == booked.pk
        assert ticket.phone == booked.phone and ticket.group_id == group.pk
        booked.refresh_from_db()
        assert booked.status == "checked_in" and booked.checked_in_at == at(TUE, 7, 30)
        assert Event.objects.filter(action="appointment.check_in").count() == 1
        assert "already been checked in" in refusal(
            appointment_check_in, actor=None, code=booked.code, at=at(TUE, 8)
        )

    def test_refusals(self, group):
        booked = book(group)
        assert "No appointment has this booking code" in refusal(
            appointment_check_in, actor=None, code="NOPE", at=at(TUE, 8)
        )
        assert "for 2026-06-09, not today" in refusal(
            appointment_check_in, actor=None, code=booked.code, at=at(MON, 11)
        )
        assert "Check-in opens at 07:30" in refusal(
            appointment_check_in, actor=None, code=booked.code, at=at(TUE, 7, 29, 59)
        )
        booked.refresh_from_db()
        assert booked.status == "booked" and not Ticket.objects.exists()
        appointment_cancel(actor=None, appointment=booked, last4=booked.id_number[-4:], at=at(MON))
        assert "was cancelled" in refusal(
            appointment_check_in, actor=None, code=booked.code, at=at(TUE, 8)
        )

    def test_served_when_the_window_starts_service(self, group, clerk, hall_window):
        booked = book(group)
        appointment_check_in(actor=None, code=booked.code, at=at(TUE, 8, 40))
        ticket = ticket_call_next(actor=clerk, window=hall_window, at=at(TUE, 8, 45))
        assert ticket is not None and ticket.appointment_id == booked.pk
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START, at=at(TUE, 8, 46))
        booked.refresh_from_db()
        assert booked.status == "served"


class TestOffHours:
    def test_requests_outside_hours_only(self, group):
        saturday = appointment_request_off_hours(
            actor=None,
            group=group,
            date=SAT,
            starts=datetime.time(10, 0),
            name="李四",
            id_number=id_number(5),
            phone="13900000005",
            phone_code=phone_code("13900000005", at=at(MON)),
            channel="portal",
            at=at(MON),
        )
        assert saturday.status == "requested" and saturday.is_off_hours and saturday.slot is None
        assert saturday.ends == datetime.time(11, 0)
        evening = appointment_request_off_hours(
            actor=None,
            group=group,
            date=TUE,
            starts=datetime.time(18, 0),
            name="王五",
            id_number=id_number(6),
            phone="13900000006",
            phone_code=phone_code("13900000006", at=at(MON)),
            channel="portal",
            at=at(MON),
        )
        assert evening.status == "requested"
        message = refusal(
            appointment_request_off_hours,
            actor=None,
            group=group,
            date=TUE,
            starts=datetime.time(11, 30),
            name="赵六",
            id_number=id_number(7),
            phone="13900000007",
            phone_code=phone_code("13900000007", at=at(MON)),
            channel="portal",
            at=at(MON),
        )
        assert "within service hours" in message and "book a slot" in message
        # The same person cannot also book that day.
        assert "already has an appointment" in refusal(book, group, day=TUE, n=6)

    def _request(self, group):  # type: ignore[no-untyped-def]
        return appointment_request_off_hours(
            actor=None,
            group=group,
            date=SAT,
            starts=datetime.time(9, 0),
            name="李四",
            id_number=id_number(5),
            phone="13900000005",
            phone_code=phone_code("13900000005", at=at(MON)),
            channel="portal",
            at=at(MON),
        )

    def test_manager_approves_and_names_the_staff_member(
        self, group, director, clerk, outsider, guide, django_capture_on_commit_callbacks
    ):
        request = self._request(group)
        assert "management" in refusal(
            appointment_decide, actor=guide, appointment=request, approve=True, assigned_to=clerk
        )
        assert "Name the staff member" in refusal(
            appointment_decide, actor=director, appointment=request, approve=True
        )
        assert "must work in this center" in refusal(
            appointment_decide,
            actor=director,
            appointment=request,
            approve=True,
            assigned_to=outsider,
        )
        with django_capture_on_commit_callbacks(execute=True):
            decided = appointment_decide(
                actor=director,
                appointment=request,
                approve=True,
                assigned_to=clerk,
                at=at(MON, 11),
            )
        assert decided.status == "booked" and decided.assigned_to == clerk
        assert decided.overtime_minutes == 60 and decided.decided_by == director
        sms = OutboundMessage.objects.get(purpose="appointment.decide")
        assert sms.to == "13900000005" and decided.code in sms.text
        assert "already been decided" in refusal(
            appointment_decide, actor=director, appointment=request, approve=False, note="x"
        )
        served = appointment_mark_served(actor=clerk, appointment=decided, at=at(SAT, 9, 30))
        assert served.status == "served"

    def test_decline_needs_a_note_and_tells_the_applicant(
        self, group, director, django_capture_on_commit_callbacks
    ):
        request = self._request(group)
        assert "Say why" in refusal(
            appointment_decide, actor=director, appointment=request, approve=False
        )
        with django_capture_on_commit_callbacks(execute=True):
            declined = appointment_decide(
                actor=director, appointment=request, approve=False, note="该事项不能在周末办理"
            )
        assert declined.status == "rejected"
        sms = OutboundMessage.objects.get(purpose="appointment.decide")
        assert "该事项不能在周末办理" in sms.text


class TestWorker:
    def test_no_shows_are_marked_after_the_slot_ends(self, group):
        gone = book(group, n=1)
        came = book(group, n=2)
        later = book(group, n=3, starts=datetime.time(15, 0))
        appointment_check_in(actor=None, code=came.code, at=at(TUE, 8, 20))
        assert appointments_mark_no_shows(at=at(TUE, 8, 59)) == 0
        assert appointments_mark_no_shows(at=at(TUE, 9, 0)) == 1
        statuses = dict(Appointment.objects.values_list("pk", "status"))
        assert statuses == {gone.pk: "no_show", came.pk: "checked_in", later.pk: "booked"}
        assert appointments_mark_no_shows(at=at(TUE, 9, 5)) == 0

    def test_the_worker_round_marks_no_shows_and_sends_reminders(self, group, monkeypatch):
        from io import StringIO

        from django.core.management import call_command
        from django.utils import timezone

        gone = book(group, day=TUE)
        monday = book(group, day=NEXT_MON, n=2)
        moment = at(FRI, 9)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        out = StringIO()
        with translation.override("en"):
            call_command("worker", "--once", stdout=out)
        assert "1 no-show(s) marked, 1 reminder(s) sent" in out.getvalue()
        gone.refresh_from_db()
        monday.refresh_from_db()
        assert gone.status == "no_show" and monday.reminded_at == moment

    def test_reminders_go_once_on_the_working_day_before(
        self, group, django_capture_on_commit_callbacks
    ):
        monday = book(group, day=NEXT_MON, when=at(MON))
        assert appointments_send_reminders(at=at(THU, 10)) == 0
        assert appointments_send_reminders(at=at(FRI, 8)) == 0  # before opening
        with django_capture_on_commit_callbacks(execute=True):
            assert appointments_send_reminders(at=at(FRI, 9)) == 1
        assert appointments_send_reminders(at=at(FRI, 10)) == 0
        sms = OutboundMessage.objects.filter(purpose="appointment.remind")
        assert sms.count() == 1 and monday.code in sms.get().text
        monday.refresh_from_db()
        assert monday.reminded_at == at(FRI, 9)


class TestOutage:
    def test_outage_closes_slots_cancels_rebooks_and_tells_everyone(
        self, group, director, django_capture_on_commit_callbacks
    ):
        first = book(group, day=WED, starts=T0900, n=1)
        second = book(group, day=WED, starts=datetime.time(10, 0), n=2)
        untouched = book(group, day=WED, starts=datetime.time(15, 0), n=3)
        start, end = at(WED, 8, 30), at(WED, 12, 0)
        assert outage_preview(group.center, start, end)["total"] == 2
        assert "management" in refusal(
            appointments_cancel_range,
            actor=None,
            center=group.center,
            start=start,
            end=end,
            reason="停电",
        )
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
            result = appointments_cancel_range(
                actor=director, center=group.center, start=start, end=end, reason="停电", at=at(TUE)
            )
        assert result.cancelled == 2 and len(result.rebooked) == 2 and not result.not_rebooked
        assert result.slots_closed == 7 * 2  # both groups' morning slots
        for old in (first, second):
            old.refresh_from_db()
            assert old.status == "cancelled" and old.cancelled_by_hall
            new = old.rescheduled_to
            assert new.status == "booked" and new.date == THU and new.group == group
        # The first free slots of the next working day, in the order of the old times.
        assert first.rescheduled_to.starts == T0830
        assert second.rescheduled_to.starts == T0830
        untouched.refresh_from_db()
        assert untouched.status == "booked"
        sms = OutboundMessage.objects.get(purpose="appointment.outage", to=first.phone)
        assert "2026-06-10 09:00" in sms.text and "2026-06-11 08:30" in sms.text
        assert first.rescheduled_to.code in sms.text
        assert Slot.objects.get(group=group, date=WED, starts=T0900).closed_reason == "停电"
        assert "closed" in refusal(book, group, day=WED, starts=T0900, n=9)
        assert Event.objects.filter(action="appointment.cancel_range").count() == 1

    def test_no_free_slot_is_said_in_the_sms(
        self, group, director, settings, django_capture_on_commit_callbacks
    ):
        settings.GOVHALL_APPOINTMENT_MAX_WORKDAYS_AHEAD = 2
        booked = book(group, day=TUE)
        # The next two working days are closed already.
        appointments_cancel_range(
            actor=director,
            center=group.center,
            start=at(WED, 0),
            end=at(FRI, 0),
            reason="装修",
            at=at(MON),
        )
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
            result = appointments_cancel_range(
                actor=director,
                center=group.center,
                start=at(TUE, 0),
                end=at(TUE, 23, 59),
                reason="网络中断",
                at=at(MON),
            )
        assert [a.pk for a in result.not_rebooked] == [booked.pk] and not result.rebooked
        sms = OutboundMessage.objects.get(purpose="appointment.outage")
        assert "No free slot was found" in sms.text and "2026-06-09 08:30" in sms.text
        assert "Service resumes 2026-06-09 23:59" in sms.text

    def test_refusals_change_nothing(self, group, director):
        book(group, day=WED)
        assert "Say why" in refusal(
            appointments_cancel_range,
            actor=director,
            center=group.center,
            start=at(WED, 8),
            end=at(WED, 12),
            reason=" ",
        )
        assert "after the start" in refusal(
            appointments_cancel_range,
            actor=director,
            center=group.center,
            start=at(WED, 12),
            end=at(WED, 8),
            reason="停电",
        )
        assert not Slot.objects.exclude(closed_reason="").exists()
        assert Appointment.objects.get().status == "booked"


class TestRates:
    def test_requests_taken_and_served_on_time(self, group, director, clerk, hall_window):
        served = book(group, n=1)
        late = book(group, n=2, starts=datetime.time(9, 0))
        gone = book(group, n=3, starts=datetime.time(9, 30))
        request = appointment_request_off_hours(
            actor=None,
            group=group,
            date=SAT,
            starts=datetime.time(9, 0),
            name="李四",
            id_number=id_number(5),
            phone="13900000005",
            phone_code=phone_code("13900000005", at=at(MON)),
            channel="portal",
            at=at(MON),
        )
        undecided = appointment_request_off_hours(
            actor=None,
            group=group,
            date=SAT,
            starts=datetime.time(9, 0),
            name="周七",
            id_number=id_number(8),
            phone="13900000008",
            phone_code=phone_code("13900000008", at=at(MON)),
            channel="portal",
            at=at(MON),
        )
        del undecided
        appointment_decide(actor=director, appointment=request, approve=True, assigned_to=clerk)
        appointment_check_in(actor=None, code=served.code, at=at(TUE, 8, 20))
        # Slot 09:00–09:30, checked in after its end.
        appointment_check_in(actor=None, code=late.code, at=at(TUE, 9, 35))
        for moment in (at(TUE, 9, 20), at(TUE, 9, 40)):
            ticket = ticket_call_next(actor=clerk, window=hall_window, at=moment)
            assert ticket is not None
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START, at=moment)
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.FINISH, at=moment)
        appointments_mark_no_shows(at=at(TUE, 18))
        assert Appointment.objects.get(pk=gone.pk).status == "no_show"
        rates = appointment_rates(Appointment.objects.all(), MON, SAT)
        # 5 requests, 4 taken (3 bookings, 1 decided request): 80 %.
        assert (rates.total, rates.taken, rates.taken_rate) == (5, 4, 80.0)
        # Due: 2 served + 1 no-show; on time: the one checked in before its slot ended.
        assert (rates.due, rates.on_time) == (3, 1)
        assert rates.on_time_rate == 33.3
        assert rates.no_show == 1 and rates.off_hours == 2 and rates.overtime_minutes == 60

    def test_no_rates_without_appointments(self, db):
        rates = appointment_rates(Appointment.objects.all(), MON, SAT)
        assert rates.taken_rate is None and rates.on_time_rate is None


def test_lookup_and_day_sheet(group):
    booked = book(group)
    assert appointment_lookup(booked.code.lower(), booked.id_number[-4:]) == booked
    assert appointment_lookup(booked.code, "0000") is None
    assert appointment_lookup("", "") is None
    sheet = day_sheet(group, TUE)
    assert len(sheet) == 13
    assert sheet[0].booked == 1 and [a.pk for a in sheet[0].holders] == [booked.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
def test_concurrent_bookings_never_overbook(queue_groups):
    group = queue_groups["A"]
    group.slot_capacity = 3
    group.save()
    slots_ensure(group, TUE)
    # The SMS codes are read before the race (each applicant has their own phone).
    codes = {n: phone_code(f"138{n:08d}", at=at(MON)) for n in range(1, 11)}
    results = run_at_once([lambda n=n: book(group, n=n, phone_code=codes[n]) for n in range(1, 11)])
    booked = [r for r in results if isinstance(r, Appointment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(booked) == 3 and len(refused) == 7, results
    assert Slot.objects.get(group=group, date=TUE, starts=T0830).booked == 3
    assert Appointment.objects.filter(status="booked").count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
def test_one_person_booking_twice_at_once_gets_one(queue_groups):
    a, b = queue_groups["A"], queue_groups["B"]
    code = phone_code("13800000001", at=at(MON))
    results = run_at_once(
        [lambda: book(a, n=1, phone_code=code), lambda: book(b, n=1, phone_code=code)]
    )
    assert len([r for r in results if isinstance(r, Appointment)]) == 1, results
    assert Appointment.objects.count() == 1
    assert sum(Slot.objects.values_list("booked", flat=True)) == 1
