"""Organization pages: who reads, who writes, and that forms show the services' messages."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Window
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    PostFactory,
    WindowFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(county, department, window_head):
    window = WindowFactory(center=county, number=1, name="市场准入窗口", head=window_head)
    window.departments.add(department)
    return window


@pytest.fixture
def post(window, clerk):
    return PostFactory(window=window, name="登记受理岗", a_staff=clerk)


@pytest.fixture
def colleague(county, department):
    return make_staff(
        Role.CLERK, county, department, username="colleague", window_staff=True, full_name="赵六"
    )


def url(name, **kwargs):
    return reverse(f"workbench:{name}", kwargs=kwargs)


def assert_404_for(client_as, users, method, path, data=None):
    for user in users:
        client = client_as(user)
        response = client.post(path, data or {}) if method == "post" else client.get(path)
        assert response.status_code == 404, (user.username, path)


# --- centers ------------------------------------------------------------------------------------


def test_centers_tree_for_the_county_director(
    client_as, director, county, town, department, window
):
    response = client_as(director).get(url("centers"))
    assert response.status_code == 200
    content = response.content.decode()
    assert county.name in content and town.name in content
    assert url("center", center_id=town.pk) in content
    assert "badge" in content and "level-town" in content


def test_centers_tree_hides_other_counties(client_as, outsider, county):
    response = client_as(outsider).get(url("centers"))
    assert response.status_code == 200
    assert county.name not in response.content.decode()
    assert outsider.staff.center.name in response.content.decode()


def test_centers_tree_query_count_does_not_grow_with_the_tree(client_as, director, county, town):
    client = client_as(director)
    client.get(url("centers"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("centers"))
    for n in range(15):
        village = CenterFactory(code=f"V{n}", level=CenterLevel.VILLAGE, parent=town)
        DepartmentFactory(center=village)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("centers"))
    assert "V14" in response.content.decode()
    assert len(large) == len(small)


def test_center_detail_for_readers_in_scope(client_as, guide, clerk, county, town):
    for user in (guide, clerk):
        response = client_as(user).get(url("center", center_id=county.pk))
        assert response.status_code == 200
        content = response.content.decode()
        assert "08:30" in content and "17:30" in content
        assert town.name in content
        assert url("center_edit", center_id=county.pk) not in content  # not a manager


def test_center_detail_shows_manager_actions(client_as, director, county):
    content = client_as(director).get(url("center", center_id=county.pk)).content.decode()
    assert url("center_edit", center_id=county.pk) in content
    assert url("center_create", center_id=county.pk) in content


def test_center_pages_are_404_for_outsiders_and_writes_for_non_managers(
    client_as, outsider, guide, clerk, supervisor, county
):
    assert_404_for(client_as, [outsider], "get", url("center", center_id=county.pk))
    for name in ("center_edit", "center_create"):
        path = url(name, center_id=county.pk)
        assert_404_for(client_as, [outsider, guide, clerk, supervisor], "get", path)
        assert_404_for(client_as, [outsider, guide, clerk, supervisor], "post", path, {"name": "x"})
    assert Center.objects.get(pk=county.pk).name == "示例县政务服务中心"


def _center_data(center, **overrides):
    data = {
        "code": center.code,
        "name": center.name,
        "level": center.level,
        "address": "县府路1号",
        "phone": "0571-88888888",
        "morning_opens": "08:30",
        "morning_closes": "12:00",
        "afternoon_opens": "14:00",
        "afternoon_closes": "17:30",
        "early_arrival_minutes": "10",
        "is_active": "on",
    }
    if center.parent_id:
        data["parent"] = str(center.parent_id)
    data.update(overrides)
    return data


def test_director_edits_service_hours(client_as, director, county):
    response = client_as(director).post(
        url("center_edit", center_id=county.pk), _center_data(county)
    )
    assert response.status_code == 302
    county.refresh_from_db()
    assert county.afternoon_opens == datetime.time(14, 0)
    assert county.address == "县府路1号"
    assert Event.objects.filter(action="center.update", actor=director).exists()


def test_bad_hours_show_on_the_field_and_change_nothing(client_as, director, county):
    response = client_as(director).post(
        url("center_edit", center_id=county.pk), _center_data(county, afternoon_opens="11:00")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "afternoon_opens" in form.errors
    county.refresh_from_db()
    assert county.afternoon_opens == datetime.time(14, 30)
    assert county.address == ""


def test_moving_under_a_descendant_shows_the_error(client_as, director, county, town, other_county):
    # The director's own root has no parent field; a sub-center does.
    village = CenterFactory(code="V", level=CenterLevel.VILLAGE, parent=town)
    edit_root = client_as(director).get(url("center_edit", center_id=county.pk))
    assert "parent" not in edit_root.context["form"].fields
    response = client_as(director).post(
        url("center_edit", center_id=town.pk), _center_data(town, parent=str(village.pk))
    )
    assert "parent" in response.context["form"].errors
    # Centers outside the director's scope are not even a choice.
    response = client_as(director).post(
        url("center_edit", center_id=town.pk), _center_data(town, parent=str(other_county.pk))
    )
    assert "parent" in response.context["form"].errors
    town.refresh_from_db()
    assert town.parent == county


def test_director_creates_a_village_room_under_a_town(client_as, director, town):
    data = _center_data(town, code="330101201", name="幸福村便民服务室", level="village")
    data.pop("is_active")
    response = client_as(director).post(url("center_create", center_id=town.pk), data)
    village = Center.objects.get(code="330101201")
    assert response.status_code == 302
    assert response["Location"] == url("center", center_id=village.pk)
    assert village.parent == town
    assert village.path == f"{town.path}{village.pk}/"


def test_create_child_form_proposes_next_level(client_as, director, county):
    form = client_as(director).get(url("center_create", center_id=county.pk)).context["form"]
    assert form.initial["level"] == "town"


# --- departments --------------------------------------------------------------------------------


def test_departments_list(client_as, director, guide, department, other_department, town):
    town_department = DepartmentFactory(center=town, name="镇农业服务中心")
    for user in (director, guide):
        content = client_as(user).get(url("departments")).content.decode()
        assert department.name in content and other_department.name in content
        assert town_department.name in content
    content = client_as(director).get(url("departments") + f"?center={town.pk}").content.decode()
    assert town_department.name in content and department.name not in content


def test_department_bound_clerk_sees_own_department_only(
    client_as, clerk, department, other_department
):
    content = client_as(clerk).get(url("departments")).content.decode()
    assert department.name in content
    assert other_department.name not in content
    assert url("department_edit", department_id=department.pk) not in content


def test_departments_hidden_from_outsiders(client_as, outsider, county, department):
    response = client_as(outsider).get(url("departments"))
    assert department.name not in response.content.decode()
    assert_404_for(client_as, [outsider], "get", url("departments") + f"?center={county.pk}")


def test_director_creates_and_edits_a_department(client_as, director, county):
    client = client_as(director)
    response = client.post(
        url("department_create", center_id=county.pk),
        {"code": "RSJ", "name": "县人力资源和社会保障局", "short_name": "人社", "phone": ""},
    )
    assert response.status_code == 302
    department = Department.objects.get(center=county, code="RSJ")
    response = client.post(
        url("department_edit", department_id=department.pk),
        {
            "code": "RSJ",
            "name": "县人社局",
            "short_name": "人社",
            "phone": "12333",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.phone) == ("县人社局", "12333")


def test_duplicate_department_code_shows_on_the_code_field(client_as, director, county, department):
    response = client_as(director).post(
        url("department_create", center_id=county.pk), {"code": department.code, "name": "重复"}
    )
    assert response.status_code == 200
    assert department.code in response.context["form"].errors["code"][0]
    assert Department.objects.filter(center=county).count() == 1


def test_department_writes_are_404_for_others(
    client_as, outsider, guide, clerk, county, department
):
    users = [outsider, guide, clerk]
    assert_404_for(client_as, users, "get", url("department_create", center_id=county.pk))
    assert_404_for(
        client_as,
        users,
        "post",
        url("department_create", center_id=county.pk),
        {"code": "X", "name": "X"},
    )
    assert_404_for(
        client_as,
        users,
        "post",
        url("department_edit", department_id=department.pk),
        {"code": "X", "name": "X"},
    )
    assert not Department.objects.filter(code="X").exists()


# --- windows and posts --------------------------------------------------------------------------


def test_windows_board_shows_departments_posts_staff_and_head(
    client_as, director, guide, window, post, department
):
    for user in (director, guide):
        content = client_as(user).get(url("windows")).content.decode()
        assert window.name in content
        assert department.name in content
        assert post.name in content
        assert post.a_staff.display_name in content
        assert window.head.display_name in content
    manager_page = client_as(director).get(url("windows")).content.decode()
    assert url("post_edit", post_id=post.pk) in manager_page
    assert (
        url("post_edit", post_id=post.pk)
        not in client_as(guide).get(url("windows")).content.decode()
    )


def test_windows_board_for_department_bound_staff(
    client_as, clerk, county, window, other_department
):
    other = WindowFactory(center=county, number=2, name="不动产窗口")
    other.departments.add(other_department)
    content = client_as(clerk).get(url("windows")).content.decode()
    assert window.name in content and "不动产窗口" not in content


def test_windows_board_query_count_does_not_grow(client_as, director, county, department):
    client = client_as(director)

    def add_windows(numbers):
        for n in numbers:
            w = WindowFactory(
                center=county,
                number=n,
                head=make_staff(Role.WINDOW_HEAD, county, department),
                authorizer=make_staff(Role.DEPT_LEADER, county, department),
            )
            w.departments.add(department)
            PostFactory(
                window=w,
                a_staff=make_staff(Role.CLERK, county, department, window_staff=True),
                b_staff=make_staff(Role.CLERK, county, department, window_staff=True),
            )

    add_windows(range(1, 3))
    client.get(url("windows"))
    with CaptureQueriesContext(connection) as small:
        client.get(url("windows"))
    add_windows(range(3, 13))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url("windows"))
    assert response.content.decode().count('href="/staff/posts/') == 12
    assert response.content.decode().count('class="muted authorizer"') == 12
    assert len(large) == len(small)


def test_windows_board_of_another_county_is_404(client_as, outsider, county, window):
    assert window.name not in client_as(outsider).get(url("windows")).content.decode()
    assert_404_for(client_as, [outsider], "get", url("windows") + f"?center={county.pk}")


def test_director_creates_a_window_and_a_post(
    client_as, director, county, department, window_head, clerk, colleague
):
    client = client_as(director)
    response = client.post(
        url("window_create", center_id=county.pk),
        {
            "number": "8",
            "name": "社保窗口",
            "location": "二楼",
            "departments": [str(department.pk)],
            "head": str(window_head.pk),
        },
    )
    assert response.status_code == 302
    window = Window.objects.get(center=county, number=8)
    assert list(window.departments.all()) == [department]
    response = client.post(
        url("post_create", window_id=window.pk),
        {"name": "受理岗", "a_staff": str(clerk.pk), "b_staff": str(colleague.pk)},
    )
    assert response.status_code == 302
    post = Post.objects.get(window=window)
    assert (post.a_staff, post.b_staff) == (clerk, colleague)


def test_duplicate_window_number_shows_on_the_number_field(client_as, director, county, window):
    response = client_as(director).post(
        url("window_create", center_id=county.pk), {"number": "1", "name": "重复"}
    )
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert Window.objects.filter(center=county).count() == 1


def test_post_assign_errors_show_on_the_fields(
    client_as, director, county, window, post, clerk, colleague
):
    client = client_as(director)
    response = client.post(
        url("post_edit", post_id=post.pk),
        {"name": post.name, "a_staff": str(clerk.pk), "b_staff": str(clerk.pk)},
    )
    assert "b_staff" in response.context["form"].errors
    second = PostFactory(window=WindowFactory(center=county, number=2), name="另一岗")
    response = client.post(
        url("post_edit", post_id=second.pk), {"name": "另一岗", "a_staff": str(clerk.pk)}
    )
    assert "a_staff" in response.context["form"].errors
    assert Post.objects.get(pk=second.pk).a_staff is None
    response = client.post(
        url("post_edit", post_id=post.pk),
        {"name": post.name, "a_staff": str(colleague.pk), "b_staff": str(clerk.pk)},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.a_staff, post.b_staff) == (colleague, clerk)


def test_post_form_offers_window_staff_only(client_as, director, post, reviewer, clerk):
    form = client_as(director).get(url("post_edit", post_id=post.pk)).context["form"]
    choices = set(form.fields["a_staff"].queryset)
    assert clerk in choices and reviewer not in choices


def test_window_and_post_writes_are_404_for_others(
    client_as, outsider, guide, clerk, window_head, county, window, post
):
    users = [outsider, guide, clerk, window_head]
    for path in (
        url("window_create", center_id=county.pk),
        url("window_edit", window_id=window.pk),
        url("post_create", window_id=window.pk),
        url("post_edit", post_id=post.pk),
    ):
        assert_404_for(client_as, users, "get", path)
        assert_404_for(client_as, users, "post", path, {"name": "x", "number": "9"})
    assert not Window.objects.filter(number=9).exists()
    assert Post.objects.get(pk=post.pk).name == "登记受理岗"


def test_director_edits_a_window(client_as, director, window, department, other_department):
    response = client_as(director).post(
        url("window_edit", window_id=window.pk),
        {
            "number": "1",
            "name": "综合受理窗口",
            "departments": [str(department.pk), str(other_department.pk)],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    window.refresh_from_db()
    assert window.name == "综合受理窗口"
    assert window.head is None  # the head field was cleared in the form
    assert set(window.departments.all()) == {department, other_department}


# --- staff --------------------------------------------------------------------------------------


def test_staff_list_shows_roles_departments_and_posts(client_as, director, clerk, post, department):
    content = client_as(director).get(url("staff")).content.decode()
    assert clerk.username in content
    assert department.name in content
    assert str(Role.CLERK.label) in content
    assert f"A · 1 {post.name}" in content
    assert url("staff_edit", staff_id=clerk.staff.pk) in content


def test_staff_list_readers_and_scope(
    client_as, supervisor, window_head, clerk, guide, approver, other_department, county
):
    make_staff(Role.CLERK, county, other_department, username="stranger")
    content = client_as(supervisor).get(url("staff")).content.decode()
    assert "stranger" in content and "clerk" in content
    content = client_as(window_head).get(url("staff")).content.decode()
    assert "clerk" in content and "stranger" not in content
    assert url("staff_edit", staff_id=clerk.staff.pk) not in content
    assert_404_for(client_as, [guide, clerk], "get", url("staff"))


def test_staff_list_hides_other_counties(client_as, outsider, clerk, county):
    content = client_as(outsider).get(url("staff")).content.decode()
    assert "clerk" not in content
    assert_404_for(client_as, [outsider], "get", url("staff") + f"?center={county.pk}")


def test_staff_search(client_as, director, clerk, guide):
    content = client_as(director).get(url("staff") + "?q=gui").content.decode()
    assert "<code>guide</code>" in content and "<code>clerk</code>" not in content


def test_director_creates_staff(client, client_as, director, county, department):
    response = client_as(director).post(
        url("staff_create", center_id=county.pk),
        {
            "username": "liming",
            "full_name": "李明",
            "department": str(department.pk),
            "roles": ["clerk"],
            "is_window_staff": "on",
            "password": "Zhengwu-2025-hall",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="liming")
    assert user.staff.is_window_staff and user.staff.department == department
    request = RequestFactory().get("/")
    assert client.login(request=request, username="liming", password="Zhengwu-2025-hall")


def test_staff_create_errors_show_on_the_fields(client_as, director, county):
    response = client_as(director).post(
        url("staff_create", center_id=county.pk),
        {"username": "director", "full_name": "重名", "roles": ["clerk"], "password": "123"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "username" in errors and "password" in errors
    assert User.objects.filter(username__iexact="director").count() == 1


def test_director_edits_staff_and_disables_an_account(client_as, director, clerk, department, post):
    client = client_as(director)
    response = client.post(
        url("staff_edit", staff_id=clerk.staff.pk),
        {
            "full_name": "钱七",
            "department": str(department.pk),
            "roles": ["clerk", "window_head"],
            "is_window_staff": "on",
            "reason": "兼任窗口负责人",
        },
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.full_name == "钱七"
    assert set(clerk.groups.values_list("name", flat=True)) == {"clerk", "window_head"}
    # Taking the window-staff flag from someone on a post is refused on that field.
    response = client.post(
        url("staff_edit", staff_id=clerk.staff.pk),
        {
            "full_name": "钱七",
            "department": str(department.pk),
            "roles": ["clerk"],
            "reason": "卸任",
        },
    )
    assert "is_window_staff" in response.context["form"].errors
    response = client.post(
        url("staff_set_active", staff_id=clerk.staff.pk), {"active": "0", "reason": "离职"}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active
    assert Post.objects.get(pk=post.pk).a_staff is None


def test_staff_writes_are_404_for_others(
    client_as, outsider, guide, clerk, window_head, supervisor, county, approver
):
    users = [outsider, guide, clerk, window_head, supervisor]
    for path in (
        url("staff_create", center_id=county.pk),
        url("staff_edit", staff_id=approver.staff.pk),
        url("staff_set_active", staff_id=approver.staff.pk),
    ):
        assert_404_for(
            client_as, users, "post", path, {"full_name": "x", "roles": ["admin"], "active": "0"}
        )
    approver.refresh_from_db()
    assert approver.is_active and approver.full_name != "x"
    assert not approver.groups.filter(name="admin").exists()


def test_pages_need_login(client):
    for name in ("centers", "departments", "windows", "staff"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("workbench:login"))
