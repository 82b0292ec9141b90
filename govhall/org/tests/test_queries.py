import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.core.roles import Role
from govhall.org.access.scope import scope_of
from govhall.org.models.centers import CenterLevel
from govhall.org.queries.centers import center_tree, flatten_tree
from govhall.org.queries.staff import staff_directory, staff_rows
from govhall.org.queries.windows import board_for, window_board
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    PostFactory,
    WindowFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


def _grow(county, towns: int, villages_per_town: int) -> None:
    for t in range(towns):
        town = CenterFactory(code=f"T{t}", level=CenterLevel.TOWN, parent=county)
        DepartmentFactory(center=town)
        WindowFactory(center=town, number=1)
        for v in range(villages_per_town):
            CenterFactory(code=f"T{t}V{v}", level=CenterLevel.VILLAGE, parent=town)


def test_center_tree_nests_and_counts(director, county, town, department, other_department):
    village = CenterFactory(code="330101001", level=CenterLevel.VILLAGE, parent=town)
    WindowFactory(center=county, number=1)
    DepartmentFactory(center=town)
    tree = center_tree(director)
    assert [node.center for node in tree] == [county]
    root = tree[0]
    assert (root.department_count, root.window_count) == (2, 1)
    assert [child.center for child in root.children] == [town]
    assert (root.children[0].department_count, root.children[0].window_count) == (1, 0)
    assert [grandchild.center for grandchild in root.children[0].children] == [village]
    assert [(depth, node.center) for depth, node in flatten_tree(tree)] == [
        (0, county),
        (1, town),
        (2, village),
    ]


def test_center_tree_is_one_query_whatever_its_size(director, county):
    _grow(county, towns=3, villages_per_town=2)
    scope_of(director)  # the user's scope is read once per request, before the page
    with CaptureQueriesContext(connection) as small:
        center_tree(director)
    _grow_more = CenterFactory(code="T9", level=CenterLevel.TOWN, parent=county)
    for v in range(10):
        CenterFactory(code=f"T9V{v}", level=CenterLevel.VILLAGE, parent=_grow_more)
    with CaptureQueriesContext(connection) as large:
        nodes = flatten_tree(center_tree(director))
    assert len(small) == len(large) == 1
    assert len(nodes) == 1 + 4 + 6 + 10


def test_department_bound_tree_counts_own_department(clerk, county, department, other_department):
    window = WindowFactory(center=county, number=1)
    window.departments.add(other_department)
    root = center_tree(clerk)[0]
    assert (root.department_count, root.window_count) == (1, 0)


def _staffed_windows(county, department, count: int, start: int) -> None:
    for n in range(start, start + count):
        window = WindowFactory(
            center=county, number=n, head=make_staff(Role.WINDOW_HEAD, county, department)
        )
        window.departments.add(department)
        PostFactory(
            window=window,
            a_staff=make_staff(Role.CLERK, county, department, window_staff=True),
            b_staff=make_staff(Role.CLERK, county, department, window_staff=True),
        )


def test_window_board_is_three_queries_whatever_its_size(county, department):
    _staffed_windows(county, department, 2, start=1)
    with CaptureQueriesContext(connection) as small:
        list(window_board(county))
    _staffed_windows(county, department, 8, start=3)
    with CaptureQueriesContext(connection) as large:
        board = list(window_board(county))
        # Reading everything the page shows must not query again.
        shown = [
            (
                w.number,
                str(w.head),
                [d.name for d in w.departments.all()],
                [(str(p.a_staff), str(p.b_staff)) for p in w.posts.all()],
            )
            for w in board
        ]
    assert len(small) == len(large) == 3
    assert [row[0] for row in shown] == list(range(1, 11))


def test_board_for_department_staff_shows_their_windows(
    clerk, county, department, other_department
):
    own = WindowFactory(center=county, number=1)
    own.departments.add(department, other_department)
    other = WindowFactory(center=county, number=2)
    other.departments.add(other_department)
    assert list(board_for(clerk, county)) == [own]


def test_staff_directory_rows_in_fixed_queries(director, county, department, clerk, window_head):
    PostFactory(window=WindowFactory(center=county, number=7), a_staff=clerk, b_staff=window_head)
    scope_of(director)
    with CaptureQueriesContext(connection) as queries:
        rows = {row.staff.user.username: row for row in staff_rows(staff_directory(director))}
    assert len(queries) == 4  # staff + groups + A posts + B posts
    assert [p.window.number for p in rows["clerk"].a_posts] == [7]
    assert [p.window.number for p in rows["head"].b_posts] == [7]
    assert rows["clerk"].role_labels == [str(Role.CLERK.label)]
    assert set(rows) == {"director", "clerk", "head"}
    assert [r.staff.user.username for r in staff_rows(staff_directory(director, search="hea"))] == [
        "head"
    ]
