"""The live supervision board: counts per level, overdue and open cases over the user's subtree;
department leaders and window heads see their part only; outsiders nothing of ours; the figures
come from GROUP BY queries whose number does not grow with the hall."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.supervision.access.board import board_scope
from govhall.supervision.queries.board import Board, CenterLine, supervision_board
from govhall.testing.factories import (
    DepartmentFactory,
    ServiceItemFactory,
    WindowFactory,
    make_staff,
)
from govhall.testing.supervision_board import BoardHall, build_board_hall, open_case, put_alert

BOARD = reverse("workbench:board")
CASES = reverse("workbench:board_cases")
ALERTS = reverse("workbench:board_alerts")


@pytest.fixture
def hall(county, town, other_county, department, other_department, hall_window, case_item, clerk):
    return build_board_hall(
        county=county,
        town=town,
        other_county=other_county,
        department=department,
        other_department=other_department,
        window=hall_window,
        item=case_item,
        clerk=clerk,
    )


def board_of(user) -> Board:
    scope = board_scope(user)
    assert scope is not None
    return supervision_board(scope, timezone.localdate())


def figures(line) -> tuple[int, int, int, int, int, int]:
    t = line.tally
    return (t.open, t.overdue, *[count for _level, count in t.levels])


def center_line(board: Board, center) -> CenterLine:
    return next(line for line in board.centers if line.center.pk == center.pk)


def test_director_sees_counts_per_level_over_the_county_and_its_town(
    hall: BoardHall, director, county, town, department, other_department, other_county
):
    board = board_of(director)
    assert [line.center.pk for line in board.centers] == [county.pk, town.pk]
    # open, overdue, reminder, yellow, red, serious
    assert figures(center_line(board, county)) == (3, 2, 2, 1, 1, 1)
    assert figures(center_line(board, town)) == (1, 0, 0, 0, 1, 0)
    assert (board.total.open, board.total.overdue) == (4, 2)
    assert board.total.alerts == {"reminder": 2, "yellow": 1, "red": 2, "serious": 1}
    county_line = center_line(board, county)
    by_department = {
        (d.department.pk if d.department else None): d for d in county_line.departments
    }
    assert figures(by_department[department.pk]) == (2, 1, 2, 0, 1, 0)
    assert figures(by_department[other_department.pk]) == (1, 1, 0, 1, 0, 0)
    assert figures(by_department[None]) == (0, 0, 0, 0, 0, 1)  # the center as a whole
    [window_line] = by_department[department.pk].windows
    assert window_line.window == hall.window
    assert figures(window_line) == (2, 1, 2, 0, 1, 0)
    assert other_county.pk not in {line.center.pk for line in board.centers}


def test_the_page_shows_the_numbers_with_links_to_the_lists(
    hall: BoardHall, client_as, director, county, department
):
    response = client_as(director).get(BOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="supervision-board"' in html
    window_query = f"center={county.pk}&amp;department={department.pk}&amp;window={hall.window.pk}"
    assert f'href="{CASES}?{window_query}&amp;due=overdue">1</a>' in html
    assert f'href="{ALERTS}?{window_query}&amp;level=reminder">2</a>' in html


def test_a_town_director_sees_the_town_only(hall: BoardHall, town):
    town_director = make_staff(Role.DIRECTOR, town, username="town_director")
    board = board_of(town_director)
    assert [line.center.pk for line in board.centers] == [town.pk]
    assert (board.total.open, board.total.alerts["red"]) == (1, 1)


def test_outsider_sees_nothing_of_ours(hall: BoardHall, client_as, outsider, county, other_county):
    board = board_of(outsider)
    assert {line.center.pk for line in board.centers} == {other_county.pk}
    assert (board.total.open, board.total.overdue, board.total.alerts["red"]) == (1, 1, 1)
    client = client_as(outsider)
    listed = client.get(CASES, {"center": county.pk})
    assert listed.status_code == 200 and list(listed.context["page_obj"]) == []
    alerts = client.get(ALERTS, {"center": county.pk})
    assert list(alerts.context["page_obj"]) == []


@pytest.mark.parametrize("username", ["guide", "clerk", "reviewer", "social_supervisor"])
def test_who_may_not_see_the_board_gets_404(hall, request, client_as, username):
    client = client_as(request.getfixturevalue(username))
    for url in (BOARD, CASES, ALERTS):
        assert client.get(url).status_code == 404, url


def test_supervisor_sees_the_whole_subtree(hall: BoardHall, supervisor):
    assert board_of(supervisor).total.open == 4


def test_department_leader_sees_their_department_only(
    hall: BoardHall, client_as, dept_leader, county, department, other_department
):
    board = board_of(dept_leader)
    assert [line.center.pk for line in board.centers] == [county.pk]
    assert figures(board.centers[0]) == (2, 1, 2, 0, 1, 0)
    assert [d.department for d in board.centers[0].departments] == [department]
    client = client_as(dept_leader)
    other = client.get(CASES, {"department": other_department.pk})
    assert list(other.context["page_obj"]) == []
    mine = client.get(CASES, {"due": "overdue"})
    assert [c.pk for c in mine.context["page_obj"]] == [hall.cases["overdue"].pk]


def test_window_head_sees_the_windows_they_head(hall: BoardHall, window_head, county, department):
    board = board_of(window_head)
    assert figures(board.centers[0]) == (2, 1, 2, 0, 1, 0)
    hall.window.head = None
    hall.window.save(update_fields=["head"])
    window_head._govhall_scope = None  # type: ignore[attr-defined]
    assert board_of(window_head).centers == []


def test_drill_down_lists_match_the_numbers(
    hall: BoardHall, client_as, director, county, department, town
):
    client = client_as(director)
    query = {"center": county.pk, "department": department.pk, "window": hall.window.pk}
    overdue = client.get(CASES, {**query, "due": "overdue"})
    assert [c.pk for c in overdue.context["page_obj"]] == [hall.cases["overdue"].pk]
    assert hall.cases["overdue"].number in overdue.content.decode()
    running = client.get(CASES, query)
    assert {c.pk for c in running.context["page_obj"]} == {
        hall.cases["running"].pk,
        hall.cases["overdue"].pk,
    }
    reminders = client.get(ALERTS, {**query, "level": "reminder"})
    assert {a.pk for a in reminders.context["page_obj"]} == {
        hall.alerts["reminder1"].pk,
        hall.alerts["reminder2"].pk,
    }
    whole_center = client.get(ALERTS, {"center": county.pk, "department": 0, "level": "serious"})
    assert [a.pk for a in whole_center.context["page_obj"]] == [hall.alerts["center_serious"].pk]
    town_red = client.get(ALERTS, {"center": town.pk, "level": "red"})
    assert [a.pk for a in town_red.context["page_obj"]] == [hall.alerts["town_red"].pk]
    # Withdrawn alerts are not live: never on the board.
    yellow = client.get(ALERTS, {"level": "yellow"})
    assert [a.pk for a in yellow.context["page_obj"]] == [hall.alerts["other_dept_yellow"].pk]


def test_query_count_does_not_grow_with_the_hall(
    hall: BoardHall, client_as, director, county, town
):
    client = client_as(director)
    client.get(BOARD)  # warm the session and the calendar
    board_of(director)  # and the director's scope, cached on the user object
    with CaptureQueriesContext(connection) as small:
        assert client.get(BOARD).status_code == 200
    with CaptureQueriesContext(connection) as direct_small:
        board_of(director)
    for n in range(3):
        department = DepartmentFactory(center=town, code=f"D{n}", name=f"部门{n}")
        window = WindowFactory(center=town, number=10 + n, name=f"窗口{n}")
        item = ServiceItemFactory(center=town, department=department)
        for _ in range(3):
            case = open_case(item, window, overdue=bool(n % 2))
            put_alert("yellow", town, department=department, window=window, case=case)
    with CaptureQueriesContext(connection) as big:
        response = client.get(BOARD)
    with CaptureQueriesContext(connection) as direct_big:
        board = board_of(director)
    assert board.total.open == 4 + 9
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]
    assert len(direct_big) == len(direct_small) <= 5
    assert response.status_code == 200


def test_a_department_leader_with_another_role_still_sees_their_department_only(
    hall: BoardHall, dept_leader, department
):
    dept_leader.groups.add(Group.objects.get_or_create(name=Role.GUIDE)[0])
    fresh = User.objects.get(pk=dept_leader.pk)
    board = board_of(fresh)
    assert [d.department for d in board.centers[0].departments] == [department]
    assert board.total.open == 2
