"""Workbench pages of the queue: the calling console (call next, recall up to the limit, no-show,
start, finish, transfer keeping the place, open a case), today's line at the desk, the groups and
the figures; a clerk who does not serve a window is refused and outsiders get 404 everywhere."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.cases.models import Case
from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup, Ticket, TicketPriority, TicketStatus
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.testing.cases import PERSON_ID, intake_data
from govhall.testing.factories import make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "en"}
CONSOLE = reverse("workbench:queue_console")
PANEL = reverse("workbench:queue_console_panel")
LINE = reverse("workbench:queue_line")
LINE_PANEL = reverse("workbench:queue_line_panel")
GROUPS = reverse("workbench:queue_groups")
STATS = reverse("workbench:queue_stats")


def call_url(window) -> str:
    return reverse("workbench:queue_call_next", kwargs={"window_id": window.pk})


def act_url(ticket, action: str) -> str:
    return reverse(
        "workbench:queue_ticket_action", kwargs={"ticket_id": ticket.pk, "action": action}
    )


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture
def line_of_three(queue_groups):
    a, b = queue_groups["A"], queue_groups["B"]
    now = timezone.now()
    first = ticket_take(group=a, at=now - datetime.timedelta(minutes=30))
    second = ticket_take(group=b, at=now - datetime.timedelta(minutes=20))
    third = ticket_take(group=a, at=now - datetime.timedelta(minutes=10))
    return first, second, third


# --- the console ------------------------------------------------------------------------------


def test_console_calls_next_and_draws_the_buttons_of_the_table(
    client_as, clerk, hall_window, line_of_three
):
    first, _second, _third = line_of_three
    client = client_as(clerk)
    html = client.get(CONSOLE, **EN).content.decode()
    assert f'data-window="{hall_window.pk}"' in html and 'data-action="call_next"' in html
    assert 'data-waiting="3"' in html and f'data-next="{first.pk}"' in html
    html = client.post(call_url(hall_window), **HTMX).content.decode()
    assert 'id="queue-console"' in html and "Ticket A001 called to window 1." in html
    called = fresh(first)
    assert called.status == TicketStatus.CALLED and called.window == hall_window
    assert called.called_by == clerk and called.wait_seconds and called.wait_seconds >= 1790
    # Buttons of a called ticket: recall, start, no-show, transfer; and open a case.
    for action in ("recall", "start", "no_show", "transfer", "open_case"):
        assert f'data-action="{action}"' in html, action
    assert 'data-action="finish"' not in html and 'data-action="call_next"' not in html
    assert "recalled 0 of 3 times" in html
    # The panel redraws itself.
    assert 'hx-trigger="every 4s' in client.get(PANEL, **HTMX).content.decode()


def test_console_without_htmx_redirects_with_the_message(
    client_as, clerk, hall_window, line_of_three
):
    client = client_as(clerk)
    response = client.post(call_url(hall_window), **EN)
    assert response.status_code == 302 and response["Location"] == CONSOLE
    assert "Ticket A001 called" in client.get(CONSOLE, **EN).content.decode()


def test_nobody_waiting_is_said(client_as, clerk, hall_window, queue_groups):
    html = client_as(clerk).post(call_url(hall_window), **HTMX).content.decode()
    assert "Nobody is waiting for" in html and 'data-level="warn"' in html


def test_recall_up_to_the_limit_then_the_button_goes(
    client_as, clerk, hall_window, line_of_three, settings
):
    settings.GOVHALL_QUEUE_RECALL_MAX = 3
    first = line_of_three[0]
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    for n in range(1, 4):
        html = client.post(
            act_url(first, "recall"), {"expected_status": "called"}, **HTMX
        ).content.decode()
        assert fresh(first).recall_count == n
        assert f"recalled {n} of 3 times" in html
    assert 'data-action="recall"' not in html and 'data-action="no_show"' in html
    html = client.post(
        act_url(first, "recall"), {"expected_status": "called"}, **HTMX
    ).content.decode()
    assert "has been recalled 3 times; mark it as a no-show" in html
    assert fresh(first).recall_count == 3
    assert first.calls.count() == 4  # the call and three recalls, each shown on the board


def test_no_show_frees_the_window(client_as, clerk, hall_window, line_of_three):
    first, second, _third = line_of_three
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    html = client.post(
        act_url(first, "no_show"), {"expected_status": "called", "confirmed": "1"}, **HTMX
    ).content.decode()
    assert fresh(first).status == TicketStatus.NO_SHOW
    assert 'data-action="call_next"' in html
    client.post(call_url(hall_window), **HTMX)
    assert fresh(second).status == TicketStatus.CALLED  # B001 was next: window 1 also calls B


def test_start_and_finish_record_the_service_time(client_as, clerk, hall_window, line_of_three):
    first = line_of_three[0]
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    html = client.post(
        act_url(first, "start"), {"expected_status": "called"}, **HTMX
    ).content.decode()
    assert fresh(first).status == TicketStatus.SERVING
    assert 'data-action="finish"' in html and 'data-action="recall"' not in html
    client.post(act_url(first, "finish"), {"expected_status": "serving"}, **HTMX)
    done = fresh(first)
    assert (
        done.status == TicketStatus.DONE and done.finished_at and done.service_seconds is not None
    )


def test_transfer_keeps_the_place_in_line(
    client_as, clerk, clerk_two, hall_window, second_window, line_of_three, queue_groups
):
    first, second, _third = line_of_three
    group_b = queue_groups["B"]
    queued_at = first.queued_at
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    html = client.post(
        act_url(first, "transfer"),
        {
            "prefix": f"t{first.pk}",
            f"t{first.pk}-to": f"group:{group_b.pk}",
            f"t{first.pk}-expected_status": "called",
        },
        **HTMX,
    ).content.decode()
    assert "Ticket A001: Transfer done." in html
    moved = fresh(first)
    assert moved.status == TicketStatus.WAITING and moved.group == group_b
    assert moved.queued_at == queued_at and moved.window is None
    # Window 2 calls only B: A001 (taken before B001) comes first.
    client = client_as(clerk_two)
    client.post(call_url(second_window), **HTMX)
    assert fresh(first).status == TicketStatus.CALLED and fresh(first).window == second_window
    assert fresh(second).status == TicketStatus.WAITING


def test_transfer_to_a_named_window(
    client_as, clerk, clerk_two, hall_window, second_window, line_of_three
):
    first = line_of_three[0]
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    client.post(
        act_url(first, "transfer"),
        {"prefix": f"t{first.pk}", f"t{first.pk}-to": f"window:{second_window.pk}"},
        **HTMX,
    )
    assert fresh(first).target_window == second_window
    html = client_as(clerk_two).get(CONSOLE, **EN).content.decode()
    assert 'data-named="1"' in html and f'data-next="{first.pk}"' in html


def test_a_stale_button_is_a_conflict_and_changes_nothing(
    client_as, clerk, hall_window, line_of_three
):
    first = line_of_three[0]
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    client.post(act_url(first, "start"), {"expected_status": "called"}, **HTMX)
    # The page still showed "called": its no-show button is stale.
    html = client.post(
        act_url(first, "no_show"), {"expected_status": "called"}, **HTMX
    ).content.decode()
    assert "Ticket A001 is now Being served; reload the page." in html
    assert 'data-level="warn"' in html
    assert fresh(first).status == TicketStatus.SERVING


def test_a_clerk_not_serving_the_window_is_refused(client_as, clerk_b, hall_window, line_of_three):
    # clerk_b is the B post of window 1; A (clerk) is at the post, so B does not serve.
    client = client_as(clerk_b)
    html = client.get(CONSOLE, **EN).content.decode()
    assert 'id="no-window"' in html
    html = client.post(call_url(hall_window), **HTMX).content.decode()
    assert "You do not serve" in html and 'data-level="bad"' in html
    assert not Ticket.objects.filter(status=TicketStatus.CALLED).exists()


def test_a_clerk_cannot_act_on_another_windows_ticket(
    client_as, clerk, clerk_two, second_window, line_of_three
):
    second = line_of_three[1]
    ticket_call_next(actor=clerk_two, window=second_window)
    assert fresh(second).status == TicketStatus.CALLED
    html = (
        client_as(clerk)
        .post(act_url(second, "no_show"), {"expected_status": "called"}, **HTMX)
        .content.decode()
    )
    assert "Only the window that called the ticket may do this." in html
    assert fresh(second).status == TicketStatus.CALLED


def test_open_a_case_from_the_ticket(client_as, clerk, hall_window, line_of_three, case_item):
    first = line_of_three[0]
    client = client_as(clerk)
    client.post(call_url(hall_window), **HTMX)
    intake = reverse("workbench:case_intake")
    html = client.get(intake, {"ticket": first.pk, "item": case_item.pk}, **EN).content.decode()
    assert 'id="intake-ticket"' in html and f'name="ticket" value="{first.pk}"' in html
    response = client.post(intake, {**intake_data(case_item), "ticket": first.pk}, **EN)
    case = Case.objects.get()
    assert response.status_code == 302
    linked = fresh(first)
    assert linked.case == case and linked.status == TicketStatus.SERVING
    assert case.applicant.id_number == PERSON_ID
    # Another user's ticket cannot be used to open a case.
    other = make_staff(Role.CLERK, hall_window.center, username="c3", window_staff=True)
    assert client_as(other).get(intake, {"ticket": first.pk}).status_code == 404


# --- the line ---------------------------------------------------------------------------------


def test_guide_issues_a_green_channel_ticket_and_sees_the_line(
    client_as, guide, county, line_of_three, queue_groups
):
    client = client_as(guide)
    html = client.get(LINE, **EN).content.decode()
    assert 'id="queue-line"' in html and "A001" in html and "B001" in html
    response = client.post(
        LINE + f"?center={county.pk}",
        {"group": queue_groups["A"].pk, "priority": "green_channel", "phone": "13812345678"},
        **EN,
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get(number="A003")
    assert ticket.priority == TicketPriority.GREEN_CHANNEL and ticket.issued_by == guide
    html = client.get(LINE, **EN).content.decode()
    assert "Ticket A003 issued: 0 people ahead." in html
    assert "138****5678" in html and "13812345678" not in html
    # Refused input says why and issues nothing.
    response = client.post(
        LINE, {"group": queue_groups["A"].pk, "priority": "normal", "phone": "123"}, **EN
    )
    assert response.status_code == 400 and Ticket.objects.count() == 4


def test_line_cancel_and_transfer_waiting_tickets(
    client_as, guide, line_of_three, second_window, queue_groups
):
    first, second, third = line_of_three
    client = client_as(guide)
    html = client.post(
        act_url(third, "cancel"), {"from": "line", "expected_status": "waiting"}, **HTMX
    ).content.decode()
    assert 'id="queue-line"' in html and fresh(third).status == TicketStatus.CANCELLED
    client.post(
        act_url(first, "transfer"),
        {"from": "line", "prefix": f"t{first.pk}", f"t{first.pk}-to": f"window:{second_window.pk}"},
        **HTMX,
    )
    assert fresh(first).target_window == second_window
    assert fresh(first).queued_at == first.queued_at
    html = client.get(LINE_PANEL, **HTMX).content.decode()
    assert "for window 2" in html
    # A ticket cancelled meanwhile: the stale button says so.
    ticket_act(actor=guide, ticket=second, action="cancel")
    html = client.post(
        act_url(second, "cancel"), {"from": "line", "expected_status": "waiting"}, **HTMX
    ).content.decode()
    assert "reload the page" in html


# --- groups -----------------------------------------------------------------------------------


def test_director_manages_groups(
    client_as, director, county, department, hall_window, queue_groups, case_item
):
    client = client_as(director)
    html = client.get(GROUPS, **EN).content.decode()
    assert "市场监管" in html and 'id="groups-build"' in html
    response = client.post(
        reverse("workbench:queue_group_new"),
        {
            "center": county.pk,
            "letter": "c",
            "name": "综合",
            "windows": [hall_window.pk],
            "items": [case_item.pk],
            "daily_limit": "50",
            "slot_minutes": "30",
            "slot_capacity": "4",
            "position": "3",
            "is_active": "on",
        },
        **EN,
    )
    assert response.status_code == 302
    group = ServiceGroup.objects.get(letter="C")
    assert list(group.windows.all()) == [hall_window] and group.daily_limit == 50
    edit = reverse("workbench:queue_group", kwargs={"group_id": group.pk})
    response = client.post(
        edit,
        {
            "letter": "A",
            "name": "综合",
            "slot_minutes": "30",
            "slot_capacity": "4",
            "position": "3",
        },
        **EN,
    )
    assert response.status_code == 400 and "already used" in response.content.decode()
    client.post(
        edit,
        {
            "letter": "C",
            "name": "综合窗口",
            "slot_minutes": "20",
            "slot_capacity": "2",
            "position": "3",
        },
        **EN,
    )
    group.refresh_from_db()
    assert group.name == "综合窗口" and not group.is_active and group.slot_minutes == 20
    response = client.post(reverse("workbench:queue_groups_build"), {"center": county.pk}, **EN)
    assert response.status_code == 302
    assert case_item.pk in set(queue_groups["A"].items.values_list("pk", flat=True))


def test_clerk_and_guide_do_not_manage_groups(client_as, clerk, guide, queue_groups):
    edit = reverse("workbench:queue_group", kwargs={"group_id": queue_groups["A"].pk})
    for user in (clerk, guide):
        client = client_as(user)
        assert client.get(GROUPS).status_code == 404
        assert client.get(edit).status_code == 404


# --- stats ------------------------------------------------------------------------------------


def test_stats_page_shows_the_figures_and_the_chart(
    client_as, director, clerk, hall_window, line_of_three
):
    first = line_of_three[0]
    ticket_call_next(actor=clerk, window=hall_window)
    ticket_act(actor=clerk, ticket=first, action="start")
    ticket_act(actor=clerk, ticket=first, action="finish")
    client = client_as(director)
    html = client.get(STATS, **EN).content.decode()
    assert 'id="wait-chart"' in html and "vendor/echarts/echarts.min.js" in html
    assert 'id="wait-chart-data"' in html and 'id="stats-groups"' in html
    assert "A 市场监管" in html and "1 市场准入窗口" in html
    today = timezone.localdate()
    assert f'name="last" value="{today.isoformat()}"' in html
    bad = client.get(STATS, {"first": today.isoformat(), "last": "2000-01-01"}, **EN)
    assert bad.status_code == 400 and "The first day comes after the last." in bad.content.decode()


# --- outsiders and query counts -----------------------------------------------------------------


def test_outsider_gets_404_on_every_page(
    client_as, outsider, other_county, county, line_of_three, queue_groups, hall_window
):
    first = line_of_three[0]
    outside_clerk = make_staff(Role.CLERK, other_county, username="far_clerk", window_staff=True)
    edit = reverse("workbench:queue_group", kwargs={"group_id": queue_groups["A"].pk})
    for user in (outsider, outside_clerk):
        client = client_as(user)
        for url in (
            LINE + f"?center={county.pk}",
            LINE_PANEL + f"?center={county.pk}",
            GROUPS + f"?center={county.pk}",
            STATS + f"?center={county.pk}",
            reverse("workbench:queue_group_new") + f"?center={county.pk}",
            edit,
        ):
            assert client.get(url).status_code == 404, (user, url)
        for url, data in (
            (call_url(hall_window), {}),
            (act_url(first, "cancel"), {"from": "line"}),
            (act_url(first, "recall"), {}),
            (reverse("workbench:queue_groups_build"), {"center": county.pk}),
        ):
            assert client.post(url, data).status_code == 404, (user, url)
    # The outsider's own console is empty, and a director has no console at all.
    assert client_as(outside_clerk).get(CONSOLE).status_code == 200
    assert client_as(outsider).get(CONSOLE).status_code == 404
    assert fresh(first).status == TicketStatus.WAITING


def test_query_counts_do_not_grow_with_the_line(
    client_as, clerk, director, guide, hall_window, queue_groups, django_assert_max_num_queries
):
    now = timezone.now()
    for n in range(3):
        ticket_take(group=queue_groups["A"], at=now - datetime.timedelta(minutes=60 - n))
    ticket_call_next(actor=clerk, window=hall_window)
    pages = (
        (clerk, PANEL, 25, "A002"),
        (guide, LINE, 20, "B015"),
        (director, STATS, 15, "B 不动产"),
    )
    counts = []
    for user, url, bound, _text in pages:
        client = client_as(user)
        with django_assert_max_num_queries(bound) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for n in range(30):
        group = queue_groups["A" if n % 2 else "B"]
        ticket = ticket_take(group=group, at=now - datetime.timedelta(minutes=50 - n))
        if n % 3 == 0:
            ticket_act(actor=guide, ticket=ticket, action="cancel")
    for (user, url, _bound, text), count in zip(pages, counts, strict=True):
        client = client_as(user)
        with django_assert_max_num_queries(count):
            html = client.get(url).content.decode()
        assert text in html
