"""Roles and scoping: every read is limited to a center subtree and, for department roles, to
the user's own department; access_* answer 404 for missing and forbidden alike."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.http import Http404

from govhall.core.models import User
from govhall.core.roles import DEPARTMENT_ROLES, MANAGER_ROLES, Role, has_role, roles_of
from govhall.org.access.lookups import (
    access_center,
    access_department,
    access_post,
    access_staff,
    access_window,
)
from govhall.org.access.scope import (
    centers_in_scope,
    departments_in_scope,
    scope_of,
    staff_in_scope,
    windows_in_scope,
)
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    PostFactory,
    UserFactory,
    WindowFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling_town(county):
    return CenterFactory(
        code="330102", name="乙镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


def fresh(user: User) -> User:
    """The user as the next request sees it (roles and scope are cached per object)."""
    return User.objects.get(pk=user.pk)


def test_every_role_has_its_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_roles_come_from_groups(clerk, director):
    assert roles_of(clerk) == {Role.CLERK}
    assert has_role(director, Role.DIRECTOR, Role.ADMIN)
    assert not has_role(clerk, *MANAGER_ROLES)
    assert roles_of(AnonymousUser()) == frozenset()
    assert Role.CLERK in DEPARTMENT_ROLES


def test_county_director_sees_its_towns(director, county, town, sibling_town, other_county):
    assert set(centers_in_scope(director)) == {county, town, sibling_town}
    assert access_center(director, town.pk) == town
    assert scope_of(director).can_manage


def test_town_user_does_not_see_the_county_or_sibling_towns(
    town_director, county, town, sibling_town
):
    assert set(centers_in_scope(town_director)) == {town}
    for hidden in (county, sibling_town):
        with pytest.raises(Http404):
            access_center(town_director, hidden.pk)


def test_department_bound_clerk_sees_own_department_only(
    clerk, county, department, other_department
):
    own_window = WindowFactory(center=county, number=1)
    own_window.departments.add(department, other_department)  # shared windows count as own
    other_window = WindowFactory(center=county, number=2)
    other_window.departments.add(other_department)
    own_post = PostFactory(window=own_window)
    other_post = PostFactory(window=other_window)

    scope = scope_of(clerk)
    assert scope.department_id == department.pk
    assert not scope.can_manage
    assert list(departments_in_scope(clerk)) == [department]
    assert list(windows_in_scope(clerk).distinct()) == [own_window]
    assert access_department(clerk, department.pk) == department
    assert access_window(clerk, own_window.pk) == own_window
    assert access_post(clerk, own_post.pk) == own_post
    for call, obj in (
        (access_department, other_department),
        (access_window, other_window),
        (access_post, other_post),
    ):
        with pytest.raises(Http404):
            call(clerk, getattr(obj, "pk"))  # noqa: B009 (factories confuse mypy)


def test_staff_without_department_roles_see_the_whole_center(
    guide, supervisor, department, other_department
):
    for user in (guide, supervisor):
        assert scope_of(user).department_id is None
        assert set(departments_in_scope(user)) == {department, other_department}


def test_outsider_sees_nothing_of_another_county(outsider, county, town, department, clerk):
    window = WindowFactory(center=county)
    post = PostFactory(window=window, a_staff=clerk)
    assert not centers_in_scope(outsider).filter(pk__in=[county.pk, town.pk]).exists()
    assert not departments_in_scope(outsider).exists()
    assert not windows_in_scope(outsider).exists()
    assert not staff_in_scope(outsider).filter(center=county).exists()
    for call, obj in (
        (access_center, county),
        (access_center, town),
        (access_department, department),
        (access_window, window),
        (access_post, post),
        (access_staff, clerk.staff),
    ):
        with pytest.raises(Http404):
            call(outsider, getattr(obj, "pk"))  # noqa: B009 (factories confuse mypy)


def test_missing_and_malformed_ids_are_404_like_forbidden_ones(director):
    for bad in (999999, "abc", "", None, "1; drop table"):
        with pytest.raises(Http404):
            access_center(director, bad)


def test_only_managers_may_write(
    director, admin_user, guide, clerk, supervisor, county, department
):
    assert access_center(director, county.pk, for_write=True) == county
    assert access_department(admin_user, department.pk, for_write=True) == department
    for user in (guide, clerk, supervisor):
        with pytest.raises(Http404):
            access_center(user, county.pk, for_write=True)
        with pytest.raises(Http404):
            access_department(user, department.pk, for_write=True)


def test_staff_list_is_for_managers_heads_leaders_and_supervisors(
    director, window_head, dept_leader, supervisor, guide, clerk, reviewer, social_supervisor
):
    everyone = {
        director,
        window_head,
        dept_leader,
        supervisor,
        guide,
        clerk,
        reviewer,
        social_supervisor,
    }
    assert {s.user for s in staff_in_scope(fresh(director))} == everyone
    assert {s.user for s in staff_in_scope(fresh(supervisor))} == everyone
    # Department-bound readers see their own department's people.
    assert {s.user for s in staff_in_scope(fresh(window_head))} == {
        window_head,
        dept_leader,
        clerk,
        reviewer,
    }
    for user in (guide, clerk, social_supervisor):
        assert not staff_in_scope(fresh(user)).exists()
        with pytest.raises(Http404):
            access_staff(fresh(user), director.staff.pk)


def test_login_without_role_or_workplace_sees_nothing(county):
    no_role = make_staff(None, county, username="norole")
    no_workplace = UserFactory(username="nowhere")
    no_workplace.groups.add(Group.objects.get(name="director"))
    for user in (no_role, no_workplace, AnonymousUser()):
        assert scope_of(user).nothing
        assert not centers_in_scope(user).exists()


def test_superuser_sees_everything(county, other_county):
    root = UserFactory(username="root", is_superuser=True)
    assert set(centers_in_scope(root)) >= {county, other_county}
    assert scope_of(root).can_manage
    assert access_center(root, other_county.pk, for_write=True) == other_county


def test_moving_a_center_moves_its_scope(director, outsider, county, town):
    from govhall.org.services.centers import center_update

    other_county = outsider.staff.center
    village = CenterFactory(code="V", level=CenterLevel.VILLAGE, parent=town)
    DepartmentFactory(center=town)
    center_update(actor=None, center=town, parent=other_county)
    assert set(centers_in_scope(fresh(outsider))) == {other_county, town, village}
    assert set(centers_in_scope(fresh(director))) == {county}
