"""延时服务 (issue 21 item 6): a window finishes its line after closing, recorded as overtime
(seeds/002… 三(一)3). A fixed clock: Monday 7 December 2026, the county closes at 17:30."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from govhall.core.models import Event
from govhall.frontdesk.models import Overtime, Ticket
from govhall.frontdesk.queries.hours import after_closing
from govhall.frontdesk.queries.outreach import overtime_minutes_of, overtime_month
from govhall.frontdesk.services.overtime import (
    OvertimeConflict,
    overtime_end,
    overtime_start,
    overtime_start_refusal,
)
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0, day: int = 7) -> datetime.datetime:
    return datetime.datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


def serve_next(clerk, window, moment):  # type: ignore[no-untyped-def]
    ticket = ticket_call_next(actor=clerk, window=window, at=moment)
    assert ticket is not None
    ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START, at=moment)
    return ticket_act(
        actor=clerk,
        ticket=ticket,
        action=TicketAction.FINISH,
        at=moment + datetime.timedelta(minutes=5),
    )


@pytest.fixture
def line(queue_groups):  # type: ignore[no-untyped-def]
    """Three tickets of group A taken before closing."""
    return [ticket_take(group=queue_groups["A"], at=at(17, n)) for n in range(3)]


@pytest.mark.django_db
class TestFinishingTheLine:
    def test_closing_is_the_centers_and_only_on_working_days(self, county):
        assert not after_closing(county, at(17, 29))
        assert after_closing(county, at(17, 30))
        assert not after_closing(county, at(18, 0, day=12))  # a Saturday: no closing to pass

    def test_before_closing_there_is_no_extended_service(self, line, clerk, hall_window):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            overtime_start(actor=clerk, window=hall_window, at=at(17, 20))
        assert "after the hall closes (17:30)" in refused.value.messages[0]
        assert not Overtime.objects.exists()

    def test_after_closing_with_nobody_waiting_is_refused(self, queue_groups, clerk, hall_window):
        assert overtime_start_refusal(clerk, hall_window, at(17, 40))
        with pytest.raises(ValidationError):
            overtime_start(actor=clerk, window=hall_window, at=at(17, 40))

    def test_no_ticket_after_closing_but_the_line_is_finished_and_recorded(
        self, line, queue_groups, clerk, hall_window
    ):
        with pytest.raises(ValidationError):
            ticket_take(group=queue_groups["A"], at=at(17, 35))
        overtime = overtime_start(actor=clerk, window=hall_window, at=at(17, 35))
        assert overtime.waiting_at_start == 3 and overtime.is_open
        with pytest.raises(OvertimeConflict):
            overtime_start(actor=clerk, window=hall_window, at=at(17, 36))
        serve_next(clerk, hall_window, at(17, 36))
        serve_next(clerk, hall_window, at(17, 42))
        overtime.refresh_from_db()
        assert overtime.is_open  # one still waits
        serve_next(clerk, hall_window, at(17, 48))  # finished at 17:53: the line is done
        overtime.refresh_from_db()
        assert overtime.ended_at == at(17, 53)
        assert overtime.minutes == 23
        assert overtime.tickets_served == 3
        assert overtime.closing_time == datetime.time(17, 30)
        assert list(overtime.staff.all()) == [clerk]
        assert Ticket.objects.filter(status="done").count() == 3
        assert Event.objects.filter(action="overtime.end", object_id=str(overtime.pk)).exists()
        month = overtime_month(Overtime.objects.all(), datetime.date(2026, 12, 1))
        assert (month.total_minutes, month.total_tickets) == (23, 3)
        assert month.per_person[0][1:] == (1, 23, 3)
        assert overtime_minutes_of(clerk, datetime.date(2026, 12, 1)) == (1, 23)

    def test_the_clerk_ends_it_by_hand(self, line, clerk, hall_window):
        overtime = overtime_start(actor=clerk, window=hall_window, at=at(17, 31))
        serve_next(clerk, hall_window, at(17, 32))
        ended = overtime_end(actor=clerk, overtime=overtime, at=at(17, 45))
        assert (ended.minutes, ended.tickets_served) == (15, 1)
        with pytest.raises(OvertimeConflict):
            overtime_end(actor=clerk, overtime=overtime, at=at(17, 50))

    def test_only_who_serves_the_window_starts_it(self, line, clerk_two, hall_window):
        with pytest.raises(ValidationError):
            overtime_start(actor=clerk_two, window=hall_window, at=at(17, 40))


@pytest.mark.django_db
class TestPagesAndApi:
    def test_finish_the_line_from_the_console_after_closing(
        self, client_as, line, clerk, director, hall_window, monkeypatch
    ):
        client = client_as(clerk)
        monkeypatch.setattr(timezone, "now", lambda: at(17, 10))
        page = client.get("/staff/frontdesk/queue/").content.decode()
        assert 'data-action="finish_line"' not in page  # before closing: the usual console
        monkeypatch.setattr(timezone, "now", lambda: at(17, 40))
        page = client.get("/staff/frontdesk/queue/").content.decode()
        assert 'data-action="finish_line"' in page
        answer = client.post(f"/staff/frontdesk/queue/windows/{hall_window.pk}/finish-line/")
        assert answer.status_code == 302
        overtime = Overtime.objects.get()
        page = client.get("/staff/frontdesk/queue/").content.decode()
        assert 'data-action="end_overtime"' in page and 'data-action="finish_line"' not in page
        for n in range(3):
            serve_next(clerk, hall_window, at(17, 41 + 6 * n))
        overtime.refresh_from_db()
        assert (overtime.minutes, overtime.tickets_served) == (28, 3)
        report = client_as(director).get("/staff/frontdesk/overtime/?month=2026-12")
        assert report.status_code == 200 and "28" in report.content.decode()
        api = client_as(director)
        body = api.get("/api/v1/frontdesk/outreach/overtime?month=2026-12").json()
        assert body["total_minutes"] == 28 and body["per_window"][0]["tickets_served"] == 3
        assert api.get("/api/v1/frontdesk/outreach/overtime?month=13-2026").status_code == 422

    def test_the_overtime_page_is_not_for_the_public_desk(self, client_as, guide):
        assert client_as(guide).get("/staff/frontdesk/overtime/").status_code == 404
