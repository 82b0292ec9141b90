import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.core.roles import Role
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db

BASE = "/api/v1/org"


@pytest.fixture
def window(county, department, window_head, clerk):
    window = WindowFactory(center=county, number=1, name="市场准入窗口", head=window_head)
    window.departments.add(department)
    PostFactory(window=window, name="登记受理岗", a_staff=clerk)
    return window


@pytest.mark.parametrize("path", ["/centers", "/departments", "/centers/1/windows"])
def test_401_without_login(client, path):
    assert client.get(BASE + path).status_code == 401


def test_centers_are_scoped(client_as, director, outsider, county, town, other_county):
    body = client_as(director).get(f"{BASE}/centers").json()
    assert body["count"] == 2
    assert [c["code"] for c in body["items"]] == [county.code, town.code]
    assert body["items"][1]["parent_id"] == county.pk
    assert body["items"][0]["morning_opens"] == "08:30:00"
    outsider_codes = [c["code"] for c in client_as(outsider).get(f"{BASE}/centers").json()["items"]]
    assert outsider_codes == [other_county.code]


def test_window_board(client_as, guide, county, window, department, clerk, window_head):
    response = client_as(guide).get(f"{BASE}/centers/{county.pk}/windows")
    assert response.status_code == 200
    [board] = response.json()["items"]
    assert (board["number"], board["name"]) == (1, "市场准入窗口")
    assert board["departments"] == [
        {"id": department.pk, "code": department.code, "name": department.name}
    ]
    assert board["head"]["username"] == window_head.username
    [post] = board["posts"]
    assert post["name"] == "登记受理岗"
    assert post["a_staff"] == {"id": clerk.pk, "username": "clerk", "name": clerk.display_name}
    assert post["b_staff"] is None


def test_window_board_query_count_is_fixed(client_as, director, county, department):
    client = client_as(director)

    def add(numbers):
        for n in numbers:
            w = WindowFactory(
                center=county,
                number=n,
                head=make_staff(Role.WINDOW_HEAD, county, department),
                authorizer=make_staff(Role.DEPT_LEADER, county, department),
            )
            w.departments.add(department)
            PostFactory(
                window=w, a_staff=make_staff(Role.CLERK, county, department, window_staff=True)
            )

    add(range(1, 3))
    with CaptureQueriesContext(connection) as small:
        client.get(f"{BASE}/centers/{county.pk}/windows")
    add(range(3, 15))
    with CaptureQueriesContext(connection) as large:
        body = client.get(f"{BASE}/centers/{county.pk}/windows").json()
    assert body["count"] == 14
    assert all(window["authorizer"]["name"] for window in body["items"])
    assert len(large) == len(small)


def test_window_board_of_another_county_is_404(client_as, outsider, county, window):
    assert client_as(outsider).get(f"{BASE}/centers/{county.pk}/windows").status_code == 404
    assert client_as(outsider).get(f"{BASE}/centers/999999/windows").status_code == 404


def test_departments_are_scoped(
    client_as, director, clerk, outsider, county, town, department, other_department
):
    codes = [d["code"] for d in client_as(director).get(f"{BASE}/departments").json()["items"]]
    assert sorted(codes) == sorted([department.code, other_department.code])
    clerk_codes = [d["code"] for d in client_as(clerk).get(f"{BASE}/departments").json()["items"]]
    assert clerk_codes == [department.code]
    assert client_as(outsider).get(f"{BASE}/departments").json()["count"] == 0
    assert client_as(outsider).get(f"{BASE}/departments?center={county.pk}").status_code == 404
    by_center = client_as(director).get(f"{BASE}/departments?center={town.pk}").json()
    assert by_center["count"] == 0


def test_lists_paginate(client_as, director, county):
    body = client_as(director).get(f"{BASE}/centers?limit=1&offset=0").json()
    assert body["count"] == 1 and len(body["items"]) == 1


def test_openapi_lists_the_org_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        f"{BASE}/centers",
        f"{BASE}/departments",
        f"{BASE}/centers/{{center_id}}/windows",
    } <= set(paths)
