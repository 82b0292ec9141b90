"""Issue 12 audit through the pages: a manager's writes are judged on the object's center.

A town director gets 404 for every write on the county above him (its record and hours, its
departments, windows, posts and staff); nobody moves their own center or gives one away by
posting another id.
"""

import datetime

import pytest
from django.urls import reverse

from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Window
from govhall.testing.factories import PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db

HOURS = {
    "morning_opens": "08:30",
    "morning_closes": "12:00",
    "afternoon_opens": "14:30",
    "afternoon_closes": "15:00",
    "early_arrival_minutes": "10",
}


def url(name, **kwargs):
    return reverse(f"workbench:{name}", kwargs=kwargs)


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def county_post(county, department):
    window = WindowFactory(center=county, number=1, name="县窗口")
    window.departments.add(department)
    return PostFactory(window=window, name="县岗")


def center_data(center, **overrides):
    return {
        "code": center.code,
        "name": center.name,
        "level": center.level,
        "is_active": "on",
        **HOURS,
        **overrides,
    }


def test_a_town_director_writes_nothing_of_the_county(
    client_as, town_director, county, department, county_post, clerk
):
    client = client_as(town_director)
    window = county_post.window
    writes = [
        (url("center_edit", center_id=county.pk), center_data(county, name="被改")),
        (url("center_create", center_id=county.pk), center_data(county, code="N1", level="town")),
        (url("department_create", center_id=county.pk), {"code": "X", "name": "外来"}),
        (url("department_edit", department_id=department.pk), {"code": "SCJG", "name": "被改"}),
        (url("window_create", center_id=county.pk), {"number": "9", "name": "外来"}),
        (url("window_edit", window_id=window.pk), {"number": "1", "name": "被改"}),
        (url("post_create", window_id=window.pk), {"name": "外来岗"}),
        (url("post_edit", post_id=county_post.pk), {"name": "被改", "a_staff": str(clerk.pk)}),
        (url("staff_create", center_id=county.pk), {"username": "x", "full_name": "x"}),
    ]
    for path, data in writes:
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    county.refresh_from_db()
    assert county.name != "被改" and county.afternoon_closes == datetime.time(17, 30)
    assert not Center.objects.filter(code="N1").exists()
    assert Department.objects.get(pk=department.pk).name != "被改"
    assert not Department.objects.filter(code="X").exists()
    assert Window.objects.get(pk=window.pk).name == "县窗口"
    assert list(Post.objects.values_list("name", "a_staff")) == [("县岗", None)]


def test_a_town_director_edits_his_town_but_cannot_move_it(
    client_as, town_director, town, county, other_county
):
    client = client_as(town_director)
    response = client.get(url("center_edit", center_id=town.pk))
    assert "parent" not in response.context["form"].fields
    response = client.post(
        url("center_edit", center_id=town.pk), center_data(town, parent=str(other_county.pk))
    )
    assert response.status_code == 302
    town.refresh_from_db()
    assert town.parent == county  # the posted parent was not even read
    assert town.afternoon_closes == datetime.time(15, 0)


def test_a_director_cannot_give_a_town_to_another_county(
    client_as, director, town, county, other_county
):
    response = client_as(director).post(
        url("center_edit", center_id=town.pk), center_data(town, parent=str(other_county.pk))
    )
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    assert Center.objects.get(pk=town.pk).parent == county
