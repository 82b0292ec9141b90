"""“The hall now” on the home (issue 18 item 2): hand-counted figures for a director, a
department leader and a window head, the scope of a town director, the link of each figure,
the htmx partial, and a query count that does not grow with the data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govhall.cases.queries.cases import CaseFilters, case_list
from govhall.cases.statuses import CaseStatus
from govhall.core.roles import Role
from govhall.frontdesk.models import ServiceGroup
from govhall.frontdesk.services.tickets import ticket_take
from govhall.staffing.models import Absence, Leave
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.models.presence import AbsenceStatus
from govhall.testing.alerts import make_alert
from govhall.testing.cases import make_case
from govhall.testing.complaints import make_complaint
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.workbench.hall_now import hall_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    """Ten in the morning today (local): the tickets' day and today's cases do not depend on
    the hour the test runs at."""
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(10, 0)))


@pytest.fixture
def town_hall(town):
    """A town room with one window served by its A staff, one group, one waiting ticket."""
    town_clerk = make_staff(Role.CLERK, town, username="town_clerk", window_staff=True)
    window = WindowFactory(center=town, number=1, name="综合窗口")
    PostFactory(window=window, name="受理岗", a_staff=town_clerk)
    group = ServiceGroup.objects.create(center=town, letter="Z", name="综合", position=0)
    group.windows.set([window.pk])
    return {"window": window, "group": group, "director": make_staff(Role.DIRECTOR, town)}


def leave(user, center, now):
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.choices[0][0],
        starts_at=now - datetime.timedelta(hours=2),
        ends_at=now + datetime.timedelta(days=1),
        reason="病假",
        status=LeaveStatus.APPROVED,
    )


def away(user, center, window, now):
    return Absence.objects.create(
        user=user,
        center=center,
        window=window,
        whereabouts="档案室",
        starts_at=now - datetime.timedelta(minutes=10),
        until=now + datetime.timedelta(minutes=10),
        status=AbsenceStatus.AWAY,
    )


@pytest.fixture
def day(
    county,
    director,
    clerk,
    clerk_two,
    hall_window,
    second_window,
    queue_groups,
    case_item,
    town_hall,
    hall_open,
    now,
):
    """The hand-counted day:
    - tickets: 2 waiting in A (the first since 9:40), 1 in B (since 9:55), 1 in the town's Z
      (since 9:50), 1 in A already finished (not waiting);
    - windows: window 1 covered by B (its A, `clerk`, is away), window 2 empty (its only staff
      `clerk_two` is on leave), the town window open (its A serves);
    - cases of window 1: one received today, one due today, one overdue, one finished today;
      one received yesterday and closed yesterday (not counted);
    - one live alert on `clerk`, one open complaint."""
    minutes = datetime.timedelta(minutes=1)
    ticket_take(group=queue_groups["A"], at=now - 20 * minutes)
    ticket_take(group=queue_groups["A"], at=now - 10 * minutes)
    ticket_take(group=queue_groups["B"], at=now - 5 * minutes)
    ticket_take(group=town_hall["group"], at=now - 10 * minutes)
    done = ticket_take(group=queue_groups["A"], at=now - 30 * minutes)
    done.status = "done"
    done.save(update_fields=["status"])
    away(clerk, county, hall_window, now)
    leave(clerk_two, county, now)
    today = timezone.localdate(now)
    days = datetime.timedelta(days=1)
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.RECEIVED,
        received=now,
        promised_due_on=today + 5 * days,
    )
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.ACCEPTED,
        received=now - 3 * days,
        promised_due_on=today,
    )
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.ACCEPTED,
        received=now - 9 * days,
        promised_due_on=today - 2 * days,
    )
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.DELIVERED,
        received=now - 5 * days,
        completed_at=now - 60 * minutes,
    )
    make_case(
        case_item,
        hall_window,
        status=CaseStatus.DELIVERED,
        received=now - days,
        completed_at=now - days,
    )
    make_alert(hall_window, clerk)
    make_complaint(director, county, target=clerk)
    return town_hall


def counts(answer):
    return {key: figure.count for key, figure in answer.figures.items()}


def test_director_reads_the_whole_county(director, day, now):
    answer = hall_now(director, now=now)
    assert answer is not None and answer.kind == "hall"
    assert answer.waiting == 4 and answer.longest_minutes == 20
    assert [(g.label, g.waiting, g.longest_minutes) for g in answer.groups] == [
        ("A 市场监管", 2, 20),
        ("Z 综合", 1, 10),
        ("B 不动产", 1, 5),
    ]
    assert counts(answer) == {
        "windows_open": 1,
        "windows_covered": 1,
        "windows_empty": 1,
        "on_leave": 1,
        "away": 1,
        "received": 1,
        "finished": 1,
        "due_today": 1,
        "overdue": 1,
        "alerts": 1,
        "complaints": 1,
    }
    assert answer.figures["overdue"].url == reverse("workbench:cases") + "?due=overdue"
    town_line = reverse("workbench:queue_line") + f"?center={day['group'].center_id}"
    assert answer.groups[1].url == town_line
    assert answer.figures["due_today"].url == reverse("workbench:cases") + "?due=today"
    assert answer.figures["windows_empty"].url == reverse("workbench:on_duty")
    assert answer.figures["alerts"].url == reverse("workbench:alerts")
    assert answer.figures["complaints"].url == reverse("workbench:complaints")


def test_a_town_director_sees_only_the_town(day, now):
    answer = hall_now(day["director"], now=now)
    assert answer is not None
    assert answer.waiting == 1 and [g.label for g in answer.groups] == ["Z 综合"]
    figures = counts(answer)
    assert figures["windows_open"] == 1
    assert figures["windows_covered"] == figures["windows_empty"] == 0
    assert figures["on_leave"] == figures["away"] == 0
    assert figures["received"] == figures["overdue"] == figures["finished"] == 0
    assert figures["alerts"] == 0


def test_department_leader_reads_the_department(dept_leader, day, now):
    answer = hall_now(dept_leader, now=now)
    assert answer is not None and answer.kind == "department"
    # Group A is the department's; B calls window 1, one of the department's windows.
    assert answer.waiting == 3
    figures = counts(answer)
    assert (figures["windows_open"], figures["windows_covered"], figures["windows_empty"]) == (
        0,
        1,
        0,
    )
    assert figures["on_leave"] == 0  # clerk_two is of the other department
    assert figures["away"] == 1
    assert (figures["received"], figures["finished"], figures["due_today"]) == (1, 1, 1)
    assert figures["overdue"] == 1


def test_window_head_reads_the_windows_they_head(window_head, day, hall_window, now):
    answer = hall_now(window_head, now=now)
    assert answer is not None and answer.kind == "windows"
    assert answer.waiting == 3  # groups A and B both call window 1
    figures = counts(answer)
    assert (figures["windows_open"], figures["windows_covered"], figures["windows_empty"]) == (
        0,
        1,
        0,
    )
    assert figures["on_leave"] == 0 and figures["away"] == 1
    assert figures["overdue"] == 1
    assert answer.figures["overdue"].url.endswith(f"due=overdue&window={hall_window.pk}")


def test_clerks_and_supervisors_do_not_get_the_section(clerk, supervisor, client_as, day):
    assert hall_now(clerk) is None
    assert hall_now(supervisor) is None
    page = client_as(clerk).get(reverse("workbench:home"))
    assert 'id="hall-now"' not in page.content.decode()
    assert client_as(clerk).get(reverse("workbench:hall_now")).status_code == 404


def figure_on(html, key):
    match = re.search(rf'data-now="{key}"><div class="figure">(\d+)</div>', html)
    assert match, key
    return int(match.group(1))


@pytest.mark.parametrize(
    "who, expected",
    [
        ("director", {"waiting": 4, "windows_empty": 1, "on_leave": 1, "overdue": 1}),
        ("dept_leader", {"waiting": 3, "windows_empty": 0, "on_leave": 0, "overdue": 1}),
        ("window_head", {"waiting": 3, "windows_covered": 1, "away": 1, "overdue": 1}),
    ],
)
def test_the_home_shows_the_section_and_the_partial_reloads_it(
    who, expected, request, client_as, day, monkeypatch, now
):
    monkeypatch.setattr(timezone, "now", lambda: now)
    user = request.getfixturevalue(who)
    client = client_as(user)
    home = client.get(reverse("workbench:home")).content.decode()
    assert 'id="hall-now"' in home
    assert f'hx-get="{reverse("workbench:hall_now")}"' in home
    assert 'hx-trigger="every 60s"' in home
    for key, count in expected.items():
        assert figure_on(home, key) == count
    panel = client.get(reverse("workbench:hall_now"), HTTP_HX_REQUEST="true")
    assert panel.status_code == 200
    html = panel.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    for key, count in expected.items():
        assert figure_on(html, key) == count


def test_the_query_count_does_not_grow_with_the_data(
    director, client_as, day, county, case_item, hall_window, queue_groups, now, monkeypatch
):
    monkeypatch.setattr(timezone, "now", lambda: now)
    client = client_as(director)
    url = reverse("workbench:hall_now")
    client.get(url)  # warm the caches (calendars)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for number in range(3, 8):
        staff = make_staff(Role.CLERK, county, username=f"more{number}", window_staff=True)
        window = WindowFactory(center=county, number=number, name=f"窗口{number}")
        PostFactory(window=window, name="受理岗", a_staff=staff)
        queue_groups["A"].windows.add(window)
        leave(staff, county, now) if number % 2 else away(staff, county, window, now)
        ticket_take(group=queue_groups["A"], at=now - datetime.timedelta(minutes=number))
        make_case(case_item, hall_window, status=CaseStatus.ACCEPTED, received=now)
        make_alert(window, staff)
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        html = client.get(url).content.decode()
    assert figure_on(html, "waiting") == 9
    assert figure_on(html, "windows_empty") == 6
    assert len(after.captured_queries) == len(before.captured_queries) <= 30


def test_due_today_lists_the_cases_the_figure_counts(director, day, now):
    today = timezone.localdate(now)
    due = case_list(director, CaseFilters.from_query({"due": "today"}), today)
    assert [case.promised_due_on for case in due] == [today]
