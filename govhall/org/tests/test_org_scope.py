"""Issue 12 audit: organization writes are judged on the object's center, not on the role alone.

A town director manages his town and the rooms below it, never the county above it or another
county; nobody moves the center their own subtree starts from, gives a center away to another
county or puts one at the top of the tree (that is the system's). Checked in the services (the
pages reach the same rule through org.access, see workbench/tests/test_org_scope_pages.py).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Window
from govhall.org.models.centers import CenterLevel
from govhall.org.services.centers import center_create, center_update
from govhall.org.services.departments import department_create, department_update
from govhall.org.services.windows import (
    post_create,
    post_delete,
    post_update,
    window_create,
    window_update,
)
from govhall.testing.factories import (
    CenterFactory,
    PostFactory,
    WindowFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def county_window(county, department):
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    return window


@pytest.fixture
def county_post(county_window):
    return PostFactory(window=county_window, name="受理岗")


def test_a_town_director_cannot_change_the_county(town_director, county):
    with pytest.raises(ValidationError):
        center_update(
            actor=town_director, center=county, afternoon_closes=datetime.time(15, 0), name="改"
        )
    county.refresh_from_db()
    assert county.afternoon_closes == datetime.time(17, 30) and county.name != "改"
    assert not Event.objects.filter(action="center.update").exists()


def test_a_town_director_changes_his_town_but_does_not_move_it(
    town_director, town, other_county, county
):
    center_update(actor=town_director, center=town, afternoon_closes=datetime.time(17, 0))
    for parent in (other_county, None):
        with pytest.raises(ValidationError) as error:
            center_update(actor=town_director, center=town, parent=parent)
        assert "parent" in error.value.message_dict
    town.refresh_from_db()
    assert town.parent == county and town.afternoon_closes == datetime.time(17, 0)


def test_a_director_gives_no_center_away_and_makes_no_top_center(
    director, county, town, other_county
):
    with pytest.raises(ValidationError) as error:
        center_update(actor=director, center=town, parent=other_county)
    assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        center_update(actor=director, center=town, parent=None)
    with pytest.raises(ValidationError):
        center_create(actor=director, code="TOP", name="顶层", level=CenterLevel.CITY)
    with pytest.raises(ValidationError):
        center_create(
            actor=director, code="T9", name="别县镇", level=CenterLevel.TOWN, parent=other_county
        )
    assert Center.objects.get(pk=town.pk).parent == county
    assert not Center.objects.filter(code__in=["TOP", "T9"]).exists()


def test_a_director_arranges_his_own_subtree(director, county, town):
    second = center_create(
        actor=director, code="T2", name="乙镇", level=CenterLevel.TOWN, parent=county
    )
    village = center_create(
        actor=director, code="V1", name="甲村", level=CenterLevel.VILLAGE, parent=town
    )
    center_update(actor=director, center=village, parent=second)
    village.refresh_from_db()
    assert village.path == f"{second.path}{village.pk}/"


def test_a_town_director_cannot_change_the_countys_departments_windows_and_posts(
    town_director, county, department, county_window, county_post, clerk, outsider
):
    for actor in (town_director, outsider):
        with pytest.raises(ValidationError):
            department_create(actor=actor, center=county, code="X", name="外来部门")
        with pytest.raises(ValidationError):
            department_update(actor=actor, department=department, name="改名")
        with pytest.raises(ValidationError):
            window_create(actor=actor, center=county, number=9, name="外来窗口")
        with pytest.raises(ValidationError):
            window_update(actor=actor, window=county_window, name="改名")
        with pytest.raises(ValidationError):
            post_create(actor=actor, window=county_window, name="外来岗")
        with pytest.raises(ValidationError):
            post_update(actor=actor, post=county_post, a_staff=clerk)
        with pytest.raises(ValidationError):
            post_delete(actor=actor, post=county_post)
    assert not Department.objects.filter(code="X").exists()
    assert Department.objects.get(pk=department.pk).name != "改名"
    assert not Window.objects.filter(number=9).exists()
    assert Window.objects.get(pk=county_window.pk).name != "改名"
    assert list(Post.objects.values_list("pk", "a_staff")) == [(county_post.pk, None)]


def test_a_county_director_manages_his_towns_departments_and_windows(director, town):
    department = department_create(actor=director, center=town, code="T", name="镇部门")
    window = window_create(actor=director, center=town, number=1, name="镇窗口")
    post_create(actor=director, window=window, name="镇岗")
    department_update(actor=director, department=department, phone="1")
    assert Department.objects.filter(center=town).count() == 1


def test_a_town_director_manages_the_rooms_below(town_director, town):
    village = CenterFactory(code="V7", level=CenterLevel.VILLAGE, parent=town)
    department_create(actor=town_director, center=village, code="V", name="村部门")
    center_update(actor=town_director, center=village, phone="0571-1")
    assert Center.objects.get(pk=village.pk).phone == "0571-1"
