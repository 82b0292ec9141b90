import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event, User
from govhall.core.roles import Role, roles_of
from govhall.org.access.scope import scope_of
from govhall.org.models import Post, Staff, Window
from govhall.org.services.staff import (
    staff_activate,
    staff_create,
    staff_deactivate,
    staff_set_roles,
    staff_update,
)
from govhall.testing.factories import DepartmentFactory, PostFactory, WindowFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Zhengwu-2025-hall"


def test_staff_create_makes_login_roles_and_workplace(director, county, department):
    user = staff_create(
        actor=director,
        center=county,
        username="wangfang",
        full_name="王芳",
        roles=[Role.CLERK, Role.WINDOW_HEAD],
        department=department,
        password=GOOD_PASSWORD,
        is_window_staff=True,
        title="科员",
        phone="13900000000",
    )
    user = User.objects.get(pk=user.pk)
    assert user.check_password(GOOD_PASSWORD)
    assert roles_of(user) == {Role.CLERK, Role.WINDOW_HEAD}
    staff = user.staff
    assert (staff.center, staff.department, staff.is_window_staff, staff.title) == (
        county,
        department,
        True,
        "科员",
    )
    event = Event.objects.filter(action="staff.create").get()
    assert (event.actor, event.center_id, event.object_id) == (director, county.pk, str(staff.pk))
    assert event.data["roles"] == ["clerk", "window_head"]
    assert scope_of(user).department_id == department.pk


def test_staff_without_password_cannot_log_in_yet(director, county):
    user = staff_create(
        actor=director, center=county, username="nopw", full_name="无密码", roles=["guide"]
    )
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "DIRECTOR"}, "username"),  # taken, whatever the case
        ({"username": "bad name!"}, "username"),
        ({"full_name": " "}, "full_name"),
        ({"roles": []}, "roles"),
        ({"roles": ["mayor"]}, "roles"),
        ({"password": "123"}, "password"),
    ],
)
def test_staff_create_refuses_bad_input_and_creates_nothing(director, county, overrides, field):
    kwargs = {
        "actor": director,
        "center": county,
        "username": "newcomer",
        "full_name": "新同事",
        "roles": ["clerk"],
        **overrides,
    }
    users, staff = User.objects.count(), Staff.objects.count()
    with pytest.raises(ValidationError) as error:
        staff_create(**kwargs)
    assert field in error.value.message_dict
    assert (User.objects.count(), Staff.objects.count()) == (users, staff)
    assert not Event.objects.filter(action="staff.create").exists()


def test_staff_department_must_be_stationed_in_the_center(director, county, town):
    town_department = DepartmentFactory(center=town)
    with pytest.raises(ValidationError) as error:
        staff_create(
            actor=director,
            center=county,
            username="x",
            full_name="某",
            roles=["clerk"],
            department=town_department,
        )
    assert "department" in error.value.message_dict
    assert not User.objects.filter(username="x").exists()


def test_staff_update_changes_details_roles_and_password(director, clerk, other_department):
    staff = clerk.staff
    staff_update(
        actor=director,
        staff=staff,
        full_name="李四",
        title="副科长",
        department=other_department,
        roles=["window_head"],
        password=GOOD_PASSWORD,
        reason="调岗",
    )
    user = User.objects.get(pk=clerk.pk)
    assert user.full_name == "李四"
    assert user.check_password(GOOD_PASSWORD)
    assert roles_of(user) == {Role.WINDOW_HEAD}
    staff.refresh_from_db()
    assert (staff.title, staff.department) == ("副科长", other_department)
    event = Event.objects.filter(action="staff.update").get()
    assert event.data["changed"]["roles"] == [["clerk"], ["window_head"]]
    assert GOOD_PASSWORD not in str(event.data)


def test_someone_on_a_post_stays_window_staff(director, county, clerk):
    PostFactory(window=WindowFactory(center=county), b_staff=clerk)
    with pytest.raises(ValidationError) as error:
        staff_update(actor=director, staff=clerk.staff, is_window_staff=False, title="不应保存")
    assert "is_window_staff" in error.value.message_dict
    clerk.staff.refresh_from_db()
    assert clerk.staff.is_window_staff
    assert clerk.staff.title == ""


def test_staff_update_refuses_a_department_of_another_center(director, clerk, town):
    with pytest.raises(ValidationError):
        staff_update(actor=director, staff=clerk.staff, department=DepartmentFactory(center=town))
    clerk.staff.refresh_from_db()
    assert clerk.staff.department.code == "SCJG"


def test_set_roles(director, guide):
    staff_set_roles(actor=director, user=guide, roles=["supervisor", "guide"], reason="兼任")
    assert roles_of(User.objects.get(pk=guide.pk)) == {Role.SUPERVISOR, Role.GUIDE}
    assert Event.objects.filter(action="staff.set_roles").get().data["changed"]["roles"] == [
        ["guide"],
        ["guide", "supervisor"],
    ]
    with pytest.raises(ValidationError):
        staff_set_roles(actor=director, user=guide, roles=[], reason="x")
    assert roles_of(User.objects.get(pk=guide.pk)) == {Role.SUPERVISOR, Role.GUIDE}


def test_deactivate_vacates_posts_and_headships(director, county, clerk, window_head):
    window = WindowFactory(center=county, head=clerk)
    a_post = PostFactory(window=window, a_staff=clerk, b_staff=window_head)
    b_post = PostFactory(window=WindowFactory(center=county), a_staff=window_head, b_staff=clerk)
    staff_deactivate(actor=director, staff=clerk.staff, reason="离职")
    assert not User.objects.get(pk=clerk.pk).is_active
    assert Post.objects.get(pk=a_post.pk).a_staff is None
    assert Post.objects.get(pk=b_post.pk).b_staff is None
    assert Window.objects.get(pk=window.pk).head is None
    event = Event.objects.filter(action="staff.deactivate").get()
    assert event.data == {
        "vacated_a_posts": [a_post.pk],
        "vacated_b_posts": [b_post.pk],
        "headed_windows": [window.pk],
    }
    with pytest.raises(ValidationError):
        staff_deactivate(actor=director, staff=clerk.staff, reason="离职")
    staff_activate(actor=director, staff=clerk.staff, reason="返岗")
    assert User.objects.get(pk=clerk.pk).is_active


def test_nobody_disables_their_own_account(director):
    with pytest.raises(ValidationError):
        staff_deactivate(actor=director, staff=director.staff)
    assert User.objects.get(pk=director.pk).is_active
