"""The Django admin saves through the services: paths, rules and events stay right."""

import pytest
from django.urls import reverse

from govhall.core.models import Event
from govhall.org.models import Center, Post, Window
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    PostFactory,
    UserFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    client.root = root
    return client


def center_form(**overrides):
    data = {
        "code": "A1",
        "name": "新中心",
        "level": "town",
        "parent": "",
        "is_active": "on",
        "address": "",
        "phone": "",
        "morning_opens": "08:30:00",
        "morning_closes": "12:00:00",
        "afternoon_opens": "14:30:00",
        "afternoon_closes": "17:30:00",
        "early_arrival_minutes": "10",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("model", ["center", "department", "window", "post", "staff"])
def test_changelists_and_search_load(admin_client, model, clerk, county):
    PostFactory(window=WindowFactory(center=county), a_staff=clerk)
    response = admin_client.get(reverse(f"admin:org_{model}_changelist") + "?q=示例")
    assert response.status_code == 200


def test_admin_add_center_sets_the_path_and_logs(admin_client, county):
    response = admin_client.post(
        reverse("admin:org_center_add"), center_form(parent=str(county.pk))
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    center = Center.objects.get(code="A1")
    assert center.path == f"{county.path}{center.pk}/"
    assert Event.objects.for_object(center).get().actor == admin_client.root


def test_admin_move_rewrites_the_subtree(admin_client, county, town, other_county):
    village = CenterFactory(code="V", level=CenterLevel.VILLAGE, parent=town)
    response = admin_client.post(
        reverse("admin:org_center_change", args=[town.pk]),
        center_form(code=town.code, name=town.name, parent=str(other_county.pk)),
    )
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.path == f"{other_county.path}{town.pk}/{village.pk}/"


def test_admin_shows_service_errors_on_fields(admin_client, county, town):
    response = admin_client.post(
        reverse("admin:org_center_change", args=[county.pk]),
        center_form(
            code=county.code,
            name=county.name,
            level="county",
            parent=str(town.pk),
            afternoon_opens="11:00:00",
        ),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "parent" in errors and "afternoon_opens" in errors
    county.refresh_from_db()
    assert county.parent is None


def test_admin_window_rules(admin_client, county, town):
    town_department = DepartmentFactory(center=town)
    response = admin_client.post(
        reverse("admin:org_window_add"),
        {
            "center": str(county.pk),
            "number": "1",
            "name": "窗口",
            "departments": [str(town_department.pk)],
            "location": "",
            "is_active": "on",
            "posts-TOTAL_FORMS": "0",
            "posts-INITIAL_FORMS": "0",
            "posts-MIN_NUM_FORMS": "0",
            "posts-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "departments" in response.context["adminform"].form.errors
    assert not Window.objects.exists()


def test_admin_post_never_places_staff_and_logs_delete(admin_client, county, clerk):
    """A and B change in the workbench under the assignment rules (issue 16 item 4): the admin
    shows them read-only and ignores them in a post."""
    window = WindowFactory(center=county)
    response = admin_client.post(
        reverse("admin:org_post_add"),
        {"window": str(window.pk), "name": "受理岗", "a_staff": str(clerk.pk)},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.name, post.a_staff_id, post.b_staff_id) == ("受理岗", None, None)
    assert Event.objects.filter(action="post.create").exists()
    change = reverse("admin:org_post_change", args=[post.pk])
    response = admin_client.post(change, {"name": "审核岗", "a_staff": str(clerk.pk)})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.name, post.a_staff_id) == ("审核岗", None)
    assert "按岗位调整规则安排" in admin_client.get(change).content.decode()
    response = admin_client.post(reverse("admin:org_post_delete", args=[post.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.exists()
    assert Event.objects.filter(action="post.delete").exists()


def test_admin_staff_keeps_post_holders_window_staff(admin_client, county, clerk, department):
    PostFactory(window=WindowFactory(center=county), a_staff=clerk)
    response = admin_client.post(
        reverse("admin:org_staff_change", args=[clerk.staff.pk]),
        {"department": str(department.pk), "title": "", "is_window_staff": ""},
    )
    assert response.status_code == 200
    assert "is_window_staff" in response.context["adminform"].form.errors
    clerk.staff.refresh_from_db()
    assert clerk.staff.is_window_staff
