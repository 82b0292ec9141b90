"""The workbench home shows what waits for the user (issue 17 item 7): cases for their step,
tickets for their windows, approvals, follow-ups and alerts, each a card linking to its list,
in a fixed number of queries; not counts of centers and windows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govhall.cases.statuses import CaseStatus
from govhall.core.models import User
from govhall.frontdesk.services.tickets import ticket_take
from govhall.staffing.queries.leave import leaves_to_decide
from govhall.testing.alerts import make_alert
from govhall.testing.cases import make_case
from govhall.testing.leave import ask, future_day
from govhall.workbench.queries import home_work

pytestmark = pytest.mark.django_db


def cards(user, now=None):
    return {card.key: card for group in home_work(user, now=now) for card in group.cards}


@pytest.fixture
def now():
    return timezone.now()


def test_clerk_sees_cases_at_the_window_and_tickets_of_its_groups(
    clerk, case_item, hall_window, queue_groups, hall_open, now
):
    make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
    make_case(case_item, hall_window, status=CaseStatus.ACCEPTED)
    make_case(case_item, hall_window, status=CaseStatus.DELIVERED)
    ticket_take(group=queue_groups["A"], at=now)
    ticket_take(group=queue_groups["B"], at=now)
    mine = cards(clerk, now)
    assert mine["inbox"].count == 2
    assert mine["inbox"].url == reverse("workbench:case_inbox")
    assert mine["tickets"].count == 2
    assert mine["tickets"].url == reverse("workbench:queue_console")
    assert "leave" not in mine and "alerts" not in mine  # nothing of theirs


def test_a_clerk_of_another_window_does_not_count_them(
    clerk_two, case_item, hall_window, queue_groups, hall_open, now
):
    make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
    ticket_take(group=queue_groups["A"], at=now)
    theirs = cards(clerk_two, now)
    assert theirs["tickets"].count == 0
    assert theirs["inbox"].count == 0


def test_director_sees_approvals_overdue_cases_and_alerts(
    director, clerk, case_item, hall_window, now
):
    ask(clerk, future_day())
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.ACCEPTED,
        promised_due_on=timezone.localdate(now) - datetime.timedelta(days=3),
    )
    make_alert(hall_window, clerk)
    mine = cards(director, now)
    assert mine["leave"].count == leaves_to_decide(director).count() == 1
    assert mine["overdue"].count == 1 and mine["overdue"].tone == "bad"
    assert mine["alerts"].count == 1
    assert "centers" not in mine and "windows" not in mine


def test_the_clerk_answers_for_the_alert_on_them(clerk, hall_window, now):
    make_alert(hall_window, clerk)
    assert cards(clerk, now)["my_alerts"].count == 1


def _queries(user, now):
    fresh = User.objects.get(pk=user.pk)  # no scope remembered from an earlier read
    with CaptureQueriesContext(connection) as captured:
        home_work(fresh, now=now)
    # The working-day calendar re-checks its revision on a timer, not per row: left out.
    return len([q for q in captured.captured_queries if "workdays_" not in q["sql"]])


def test_query_count_does_not_grow_with_the_data(
    director, clerk, case_item, hall_window, queue_groups, hall_open, now
):
    make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
    ticket_take(group=queue_groups["A"], at=now)
    make_alert(hall_window, clerk)
    for user in (director, clerk):
        _queries(user, now)  # the working-day calendar is read once per process
    few = {user.username: _queries(user, now) for user in (director, clerk)}
    for _n in range(5):
        make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
        make_case(
            case_item,
            hall_window,
            status=CaseStatus.ACCEPTED,
            promised_due_on=timezone.localdate(now) - datetime.timedelta(days=3),
        )
        ticket_take(group=queue_groups["B"], at=now)
        make_alert(hall_window, clerk)
    many = {user.username: _queries(user, now) for user in (director, clerk)}
    assert many == few
    assert max(many.values()) <= 30


def test_home_page_shows_work_cards_not_counts_of_the_org(client_as, director, clerk, hall_window):
    ask(clerk, future_day())
    page = client_as(director).get("/staff/").content.decode()
    assert 'data-work="leave"' in page
    assert f'href="{reverse("workbench:leaves")}"' in page
    assert reverse("workbench:centers") + '" class="card' not in page
    assert 'class="figure">' in page


def test_nothing_waiting_says_so(client_as, social_supervisor):
    page = client_as(social_supervisor).get("/staff/").content.decode()
    assert 'id="nothing-waits"' in page
