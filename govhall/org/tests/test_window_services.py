from typing import cast

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models import Department, Post, Window
from govhall.org.services.departments import department_create, department_update
from govhall.org.services.windows import (
    post_assign,
    post_create,
    post_update,
    window_create,
    window_update,
)
from govhall.testing.factories import DepartmentFactory, PostFactory, WindowFactory, make_staff

pytestmark = pytest.mark.django_db


# --- departments ----------------------------------------------------------------------------------


def test_department_create_and_update_are_logged(director, county):
    department = department_create(
        actor=director, center=county, code=" GA ", name="县公安局", short_name="公安"
    )
    assert department.code == "GA"
    department_update(actor=director, department=department, phone="110", is_active=False)
    department.refresh_from_db()
    assert (department.phone, department.is_active) == ("110", False)
    actions = list(Event.objects.for_object(department).values_list("action", "center_id"))
    assert sorted(actions) == [("department.create", county.pk), ("department.update", county.pk)]


def test_department_code_is_unique_within_its_center_only(director, county, town, department):
    with pytest.raises(ValidationError) as error:
        department_create(actor=director, center=county, code=department.code, name="重复")
    assert department.code in error.value.message_dict["code"][0]
    assert Department.objects.filter(center=county).count() == 1
    department_create(actor=director, center=town, code=department.code, name="镇市场监管所")


def test_department_update_refuses_a_used_code(director, department, other_department):
    with pytest.raises(ValidationError) as error:
        department_update(actor=director, department=other_department, code=department.code)
    assert "code" in error.value.message_dict
    other_department.refresh_from_db()
    assert other_department.code == "BDC"
    assert not Event.objects.filter(action="department.update").exists()


def test_department_needs_a_name(director, county):
    with pytest.raises(ValidationError) as error:
        department_create(actor=director, center=county, code="X", name="  ")
    assert "name" in error.value.message_dict
    assert not Department.objects.filter(code="X").exists()


# --- windows --------------------------------------------------------------------------------------


def test_window_create_with_departments_and_head(director, county, department, window_head):
    window = window_create(
        actor=director,
        center=county,
        number=3,
        name="市场准入窗口",
        departments=[department],
        head=window_head,
        location="一楼东",
    )
    assert list(window.departments.all()) == [department]
    assert window.head == window_head
    event = Event.objects.for_object(window).get()
    assert event.action == "window.create"
    assert event.data == {
        "departments": [department.pk],
        "head": window_head.pk,
        "is_agency": False,
    }


def test_window_number_is_unique_within_its_center(director, county, town):
    WindowFactory(center=county, number=5)
    with pytest.raises(ValidationError) as error:
        window_create(actor=director, center=county, number=5, name="重复")
    assert "5" in error.value.message_dict["number"][0]
    assert Window.objects.filter(center=county).count() == 1
    window_create(actor=director, center=town, number=5, name="镇5号窗口")


def test_window_departments_must_be_stationed_in_its_center(director, county, town):
    town_department = cast(Department, DepartmentFactory(center=town))
    with pytest.raises(ValidationError) as error:
        window_create(
            actor=director, center=county, number=1, name="X", departments=[town_department]
        )
    assert "departments" in error.value.message_dict
    assert not Window.objects.exists()


def test_window_head_must_be_staff_of_its_center(director, county, other_county, outsider):
    with pytest.raises(ValidationError) as error:
        window_create(actor=director, center=county, number=1, name="X", head=outsider)
    assert "head" in error.value.message_dict
    window = window_create(actor=director, center=county, number=1, name="X")
    with pytest.raises(ValidationError):
        window_update(actor=director, window=window, head=outsider)
    window.refresh_from_db()
    assert window.head is None


def test_window_update_changes_departments_and_logs_them(
    director, county, department, other_department
):
    window = window_create(
        actor=director, center=county, number=1, name="综合窗口", departments=[department]
    )
    window_update(
        actor=director, window=window, departments=[department, other_department], name="综合受理"
    )
    window.refresh_from_db()
    assert window.name == "综合受理"
    assert set(window.departments.all()) == {department, other_department}
    event = Event.objects.filter(action="window.update").get()
    assert event.data["changed"]["departments"] == [
        [department.pk],
        sorted([department.pk, other_department.pk]),
    ]


def test_window_update_to_a_used_number_changes_nothing(director, county):
    WindowFactory(center=county, number=1)
    window = WindowFactory(center=county, number=2)
    with pytest.raises(ValidationError):
        window_update(actor=director, window=window, number=1, name="改名")
    window.refresh_from_db()
    assert (window.number, window.name) != (1, "改名")
    assert window.number == 2


# --- posts ----------------------------------------------------------------------------------------


@pytest.fixture
def window(county, department) -> Window:
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    return window


@pytest.fixture
def colleague(county, department):
    return make_staff(Role.CLERK, county, department, username="colleague", window_staff=True)


def test_post_with_a_and_b_staff(director, window, clerk, colleague):
    post = post_create(
        actor=director, window=window, name="受理岗", a_staff=clerk, b_staff=colleague
    )
    assert (post.a_staff, post.b_staff) == (clerk, colleague)
    event = Event.objects.for_object(post).get()
    assert (event.action, event.center_id) == ("post.create", window.center_id)
    assert event.data == {"a_staff": clerk.pk, "b_staff": colleague.pk}


def test_a_and_b_must_differ(director, window, clerk):
    with pytest.raises(ValidationError) as error:
        post_create(actor=director, window=window, name="受理岗", a_staff=clerk, b_staff=clerk)
    assert "b_staff" in error.value.message_dict
    assert not Post.objects.exists()


def test_non_window_staff_may_not_work_at_a_window(director, window, reviewer):
    with pytest.raises(ValidationError) as error:
        post_create(actor=director, window=window, name="受理岗", b_staff=reviewer)
    assert "非窗口工作人员不得在窗口任岗" in error.value.message_dict["b_staff"][0]
    assert not Post.objects.exists()


def test_post_staff_must_work_at_the_windows_center(director, window, town):
    town_clerk = make_staff(Role.CLERK, town, username="townclerk", window_staff=True)
    with pytest.raises(ValidationError) as error:
        post_create(actor=director, window=window, name="受理岗", a_staff=town_clerk)
    assert "a_staff" in error.value.message_dict
    assert not Post.objects.exists()


def test_a_person_holds_at_most_one_a_post(director, county, window, clerk, colleague):
    first = post_create(actor=director, window=window, name="受理岗", a_staff=clerk)
    second_window = WindowFactory(center=county, number=2)
    with pytest.raises(ValidationError) as error:
        post_create(actor=director, window=second_window, name="受理岗", a_staff=clerk)
    assert str(first) in error.value.message_dict["a_staff"][0]
    # Being B somewhere else (covering a colleague) is fine.
    second = post_create(
        actor=director, window=second_window, name="受理岗", a_staff=colleague, b_staff=clerk
    )
    assert second.b_staff == clerk
    # Re-saving the own A post is not a conflict.
    post_assign(actor=director, post=first, a_staff=clerk, b_staff=colleague)
    first.refresh_from_db()
    assert first.b_staff == colleague


def test_the_database_refuses_a_second_a_post_too(window, clerk):
    PostFactory(window=window, a_staff=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(window=window, name="另一岗", a_staff=clerk)


def test_post_assign_failure_changes_nothing(director, window, clerk, colleague, reviewer):
    post = post_create(
        actor=director, window=window, name="受理岗", a_staff=clerk, b_staff=colleague
    )
    with pytest.raises(ValidationError):
        post_assign(actor=director, post=post, a_staff=colleague, b_staff=reviewer)
    post.refresh_from_db()
    assert (post.a_staff, post.b_staff) == (clerk, colleague)
    assert not Event.objects.filter(action="post.assign").exists()


def test_post_assign_swaps_a_and_b_and_logs_it(director, window, clerk, colleague):
    post = post_create(
        actor=director, window=window, name="受理岗", a_staff=clerk, b_staff=colleague
    )
    post_assign(actor=director, post=post, a_staff=colleague, b_staff=clerk)
    post.refresh_from_db()
    assert (post.a_staff, post.b_staff) == (colleague, clerk)
    event = Event.objects.filter(action="post.assign").get()
    assert event.data["changed"]["a_staff"] == [clerk.pk, colleague.pk]


def test_post_rename_is_a_plain_update(director, window, clerk):
    post = post_create(actor=director, window=window, name="受理岗", a_staff=clerk)
    post_update(actor=director, post=post, name="审核岗")
    post.refresh_from_db()
    assert post.name == "审核岗"
    assert Event.objects.filter(action="post.update").count() == 1
