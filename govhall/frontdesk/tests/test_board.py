"""The display board's state and live stream, and a ticket's place in line (SPEC §7; seeds/000…
篇3 导视系统 排队叫号): current calls, last calls, waiting counts, away signs, people ahead in
call-next order, fixed query counts, server-sent events."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketPriority, TicketStatus
from govhall.frontdesk.queries.board import (
    BOARD_LAST_CALLS,
    board_fingerprint,
    board_state,
    people_ahead,
    people_ahead_at_issue,
)
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.org.models import Window
from govhall.staffing.models import Absence, Leave
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.testing.factories import PostFactory, make_staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 7 December 2026, a working day, mid-morning.
MONDAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.usefixtures("hall_open")


def minutes(n: float) -> datetime.datetime:
    return MONDAY + datetime.timedelta(minutes=n)


def window_row(state, number):  # type: ignore[no-untyped-def]
    return next(row for row in state["windows"] if row["number"] == number)


def waiting_of(state):  # type: ignore[no-untyped-def]
    return {row["letter"]: row["waiting"] for row in state["groups"]}


class TestBoardState:
    def test_an_empty_hall(self, county, queue_groups):
        state = board_state(county, minutes(0))
        assert state["center"] == {"code": county.code, "name": county.name}
        assert [row["number"] for row in state["windows"]] == [1, 2]
        assert all(row["ticket"] == "" and not row["away"] for row in state["windows"])
        assert state["calls"] == []
        assert waiting_of(state) == {"A": 0, "B": 0} and state["waiting"] == 0

    def test_calls_show_per_window_in_the_last_calls_and_spoken_text(
        self, county, queue_groups, clerk, clerk_two, hall_window, second_window
    ):
        a, b = queue_groups["A"], queue_groups["B"]
        ticket_take(group=a, at=minutes(0))
        ticket_take(group=a, at=minutes(1))
        ticket_take(group=b, at=minutes(2))
        ticket_take(group=b, at=minutes(3))
        first = ticket_call_next(actor=clerk, window=hall_window, at=minutes(5))
        second = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(6))
        assert first is not None and second is not None
        state = board_state(county, minutes(7))
        one, two = window_row(state, 1), window_row(state, 2)
        assert (one["ticket"], one["group"], one["status"]) == ("A001", "市场监管", "called")
        assert (two["ticket"], two["group"]) == ("B001", "不动产")
        assert [(c["number"], c["window"]) for c in state["calls"]] == [("B001", 2), ("A001", 1)]
        assert state["calls"][1]["speech"] == "请 A001 号到 1 号窗口办理"
        assert waiting_of(state) == {"A": 1, "B": 1} and state["waiting"] == 2

        # A recall is a new call (spoken again); starting service keeps the window's ticket.
        ticket_act(actor=clerk, ticket=first, action=TicketAction.RECALL, at=minutes(8))
        ticket_act(actor=clerk, ticket=first, action=TicketAction.START, at=minutes(9))
        state = board_state(county, minutes(10))
        assert [c["number"] for c in state["calls"]] == ["A001", "B001", "A001"]
        assert state["calls"][0]["repeat"] == 1
        assert state["calls"][0]["speech"] == state["calls"][2]["speech"]
        assert window_row(state, 1)["status"] == "serving"
        # Finished: the window has no ticket at hand; the call stays in the list.
        ticket_act(actor=clerk, ticket=first, action=TicketAction.FINISH, at=minutes(11))
        state = board_state(county, minutes(12))
        assert window_row(state, 1)["ticket"] == ""
        assert state["calls"][0]["number"] == "A001"

    def test_last_calls_are_today_only_and_at_most_eight(
        self, county, queue_groups, clerk, hall_window
    ):
        group = queue_groups["A"]
        ticket_take(group=group, at=minutes(-24 * 60))
        yesterday = ticket_call_next(actor=clerk, window=hall_window, at=minutes(-24 * 60 + 1))
        assert yesterday is not None
        ticket_act(
            actor=clerk, ticket=yesterday, action=TicketAction.NO_SHOW, at=minutes(-24 * 60 + 2)
        )
        for n in range(BOARD_LAST_CALLS + 2):
            ticket_take(group=group, at=minutes(n))
        for n in range(BOARD_LAST_CALLS + 2):
            ticket = ticket_call_next(actor=clerk, window=hall_window, at=minutes(20 + n))
            assert ticket is not None
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.NO_SHOW, at=minutes(20 + n))
        state = board_state(county, minutes(60))
        assert len(state["calls"]) == BOARD_LAST_CALLS
        assert state["calls"][0]["number"] == "A010" and state["calls"][-1]["number"] == "A003"

    def test_away_sign_when_nobody_serving_the_window_is_there(
        self, county, queue_groups, clerk_two, clerk, hall_window
    ):
        # Window 2: clerk_two is its only staff. Away on a where-and-until sign: 暂离.
        Absence.objects.create(
            user=clerk_two,
            center=county,
            whereabouts="三楼档案室",
            starts_at=minutes(-5),
            until=minutes(25),
        )
        state = board_state(county, minutes(0))
        two = window_row(state, 2)
        assert two["away"] is True and two["back_by"] == "10:25" and not two["paused"]
        # Window 1: A is away but B covers, so no sign.
        Absence.objects.create(
            user=clerk, center=county, whereabouts="会议", starts_at=minutes(-5), until=minutes(30)
        )
        one = window_row(board_state(county, minutes(0)), 1)
        assert one["away"] is False and not one["paused"]
        # Back at the post: the sign is gone.
        Absence.objects.filter(user=clerk_two).update(status="returned", returned_at=minutes(1))
        assert window_row(board_state(county, minutes(2)), 2)["away"] is False

    def test_a_window_whose_staff_is_on_leave_is_paused_not_away(
        self, county, queue_groups, clerk_two
    ):
        Leave.objects.create(
            user=clerk_two,
            center=county,
            kind=LeaveKind.ANNUAL,
            starts_at=minutes(-60),
            ends_at=minutes(60 * 24),
            reason="年休",
            status=LeaveStatus.APPROVED,
        )
        two = window_row(board_state(county, minutes(0)), 2)
        assert two["paused"] is True and two["away"] is False

    def test_other_centers_do_not_show(
        self, county, other_county, queue_groups, clerk, hall_window
    ):
        ticket_take(group=queue_groups["A"], at=minutes(0))
        ticket_call_next(actor=clerk, window=hall_window, at=minutes(1))
        state = board_state(other_county, minutes(2))
        assert state["windows"] == [] and state["calls"] == [] and state["groups"] == []

    def test_queries_do_not_grow_with_the_hall(
        self, county, department, queue_groups, clerk, hall_window, django_assert_max_num_queries
    ):
        for number in range(3, 9):
            person = make_staff(Role.CLERK, county, department, window_staff=True)
            window = Window.objects.create(center=county, number=number, name=f"窗口{number}")
            PostFactory(window=window, a_staff=person)
            other = make_staff(Role.CLERK, county, department, window_staff=True)
            PostFactory(window=window, name="收件岗", a_staff=other)
            group = ServiceGroup.objects.create(
                center=county, letter=chr(ord("A") + number), name=f"组{number}"
            )
            group.windows.set([window])
            ticket_take(group=group, at=minutes(number))
            ticket = ticket_call_next(actor=person, window=window, at=minutes(10 + number))
            assert ticket is not None
            for someone in (person, other):
                Absence.objects.create(
                    user=someone,
                    center=county,
                    whereabouts="外出",
                    starts_at=minutes(30),
                    until=minutes(90),
                )
        for n in range(5):
            ticket_take(group=queue_groups["A"], at=minutes(n))
        with django_assert_max_num_queries(9):
            state = board_state(county, minutes(40))
        assert len(state["windows"]) == 8 and len(state["calls"]) == 6
        assert sum(row["away"] for row in state["windows"]) == 6
        with django_assert_max_num_queries(1):
            board_fingerprint(county, minutes(40))


class TestPeopleAhead:
    def test_figures_match_the_call_next_order(self, queue_groups, clerk_two, second_window, guide):
        group = queue_groups["B"]  # window 2 calls only B
        taken = [
            ticket_take(group=group, at=minutes(0)),
            ticket_take(group=group, priority=TicketPriority.ELDERLY_DISABLED, at=minutes(1)),
            ticket_take(group=group, at=minutes(2)),
            ticket_take(group=group, actor=guide, priority="green_channel", at=minutes(3)),
            ticket_take(group=group, priority=TicketPriority.ELDERLY_DISABLED, at=minutes(4)),
            ticket_take(group=group, at=minutes(5)),
        ]
        # Another group's and a ticket sent to window 1 by name are not in this line.
        ticket_take(group=queue_groups["A"], at=minutes(0))
        elsewhere = ticket_take(group=group, at=minutes(-1))
        Ticket.objects.filter(pk=elsewhere.pk).update(target_window=queue_groups["A"].windows.get())
        expected = ["B004", "B002", "B005", "B001", "B003", "B006"]
        order = []
        moment = 10
        while True:
            line = Ticket.objects.filter(group=group, status=TicketStatus.WAITING).exclude(
                pk=elsewhere.pk
            )
            figures = {t.number: people_ahead(t) for t in line}
            remaining = [n for n in expected if n not in order]
            assert figures == {n: i for i, n in enumerate(remaining)}
            called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(moment))
            if called is None or called.pk == elsewhere.pk:
                break
            order.append(called.number)
            ticket_act(
                actor=clerk_two, ticket=called, action=TicketAction.NO_SHOW, at=minutes(moment)
            )
            moment += 1
            if len(order) == len(taken):
                break
        assert order == expected
        # Once called, nobody is ahead.
        assert people_ahead(Ticket.objects.get(number="B001", group=group)) == 0

    def test_figure_at_issue_stays_what_it_was(self, queue_groups, clerk_two, second_window):
        group = queue_groups["B"]
        first = ticket_take(group=group, at=minutes(0))
        ticket_take(group=group, at=minutes(1))
        third = ticket_take(group=group, at=minutes(2))
        assert people_ahead_at_issue(third) == 2
        called = ticket_call_next(actor=clerk_two, window=second_window, at=minutes(3))
        assert called is not None and called.pk == first.pk
        cancelled = ticket_take(group=group, at=minutes(4))
        ticket_act(actor=clerk_two, ticket=cancelled, action=TicketAction.CANCEL, at=minutes(5))
        later = ticket_take(group=group, at=minutes(6))
        third.refresh_from_db()
        later.refresh_from_db()
        assert people_ahead_at_issue(third) == 2  # unchanged by the call
        assert people_ahead(third) == 1
        # B002 and B003 waited, B001 was called and B004 cancelled before B005 was taken.
        assert people_ahead_at_issue(later) == 2


class TestFingerprint:
    def test_changes_with_takes_calls_and_signs(self, county, queue_groups, clerk, hall_window):
        # Real time: signs carry the moment they were written (updated_at).
        now = timezone.now()
        before = board_fingerprint(county, now)
        ticket_take(group=queue_groups["A"], at=now)
        after_take = board_fingerprint(county, now)
        assert after_take != before
        ticket_call_next(actor=clerk, window=hall_window, at=now)
        after_call = board_fingerprint(county, now)
        assert after_call != after_take
        assert board_fingerprint(county, now) == after_call
        Absence.objects.create(
            user=clerk,
            center=county,
            whereabouts="会议",
            starts_at=now,
            until=now + datetime.timedelta(minutes=30),
        )
        assert board_fingerprint(county, now) != after_call


def _events(chunks) -> list[dict]:  # type: ignore[no-untyped-def]
    found = []
    for chunk in chunks:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        for block in text.split("\n\n"):
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if lines.get("event") == "board":
                found.append(json.loads(lines["data"]))
    return found


class TestStream:
    def test_initial_state_then_a_new_event_after_a_call(
        self, client, county, queue_groups, clerk, hall_window, settings
    ):
        settings.GOVHALL_BOARD_STREAM_SECONDS = 2
        ticket_take(group=queue_groups["A"])
        response = client.get(f"/board/{county.code}/stream")
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"].startswith("text/event-stream")
        assert "no-cache" in response["Cache-Control"]
        chunks = iter(response.streaming_content)
        assert next(chunks).decode() == "retry: 500\n\n"
        first = _events([next(chunks)])
        assert len(first) == 1 and first[0]["calls"] == []
        assert waiting_of(first[0]) == {"A": 1, "B": 0}
        started = timezone.now()
        ticket_call_next(actor=clerk, window=hall_window)
        second = _events([next(chunks)])
        assert (timezone.now() - started).total_seconds() < 1.0
        assert second[0]["calls"][0]["speech"] == "请 A001 号到 1 号窗口办理"
        assert window_row(second[0], 1)["ticket"] == "A001"
        # Nothing else changes: the stream ends after GOVHALL_BOARD_STREAM_SECONDS.
        assert _events(list(chunks)) == []
        assert (timezone.now() - started).total_seconds() < 3.0

    def test_state_json_and_unknown_or_inactive_centers(
        self, client, county, other_county, queue_groups
    ):
        ticket_take(group=queue_groups["B"])
        response = client.get(f"/board/{county.code}/state.json")
        assert response.status_code == 200
        assert waiting_of(response.json()) == {"A": 0, "B": 1}
        # Another county's board shows nothing of this one.
        assert client.get(f"/board/{other_county.code}/state.json").json()["groups"] == []
        assert client.get("/board/nope/state.json").status_code == 404
        assert client.get("/board/nope/stream").status_code == 404
        assert client.get("/board/nope/").status_code == 404
        county.is_active = False
        county.save()
        assert client.get(f"/board/{county.code}/").status_code == 404

    def test_board_page_renders_the_state(self, client, county, queue_groups):
        response = client.get(f"/board/{county.code}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="board-state"' in html and f"/board/{county.code}/stream" in html
        assert "portal/board.js" in html
