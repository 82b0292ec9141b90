"""Scoping of catalog reads and writes: center subtree, department, managers only for writes."""

from __future__ import annotations

import pytest
from django.http import Http404

from govhall.catalog.access.lookups import (
    access_fee,
    access_item,
    access_item_window,
    access_material,
)
from govhall.catalog.access.scope import items_in_scope
from govhall.testing.factories import (
    DepartmentFactory,
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(county, town, other_county, department, other_department):  # type: ignore[no-untyped-def]
    own = ServiceItemFactory(center=county, department=department, code="OWN")
    joined = ServiceItemFactory(center=county, department=other_department, code="JOINED")
    joined.joint_departments.add(department)
    foreign_department = ServiceItemFactory(
        center=county, department=other_department, code="OTHER-DEPT"
    )
    in_town = ServiceItemFactory(
        center=town, department=DepartmentFactory(center=town), code="TOWN"
    )
    elsewhere = ServiceItemFactory(
        center=other_county, department=DepartmentFactory(center=other_county), code="ELSEWHERE"
    )
    return {
        "own": own,
        "joined": joined,
        "other_dept": foreign_department,
        "town": in_town,
        "elsewhere": elsewhere,
    }


def codes(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(items_in_scope(user).values_list("code", flat=True))


def test_director_sees_the_center_subtree(director, catalog):
    assert codes(director) == {"OWN", "JOINED", "OTHER-DEPT", "TOWN"}


def test_department_staff_see_items_their_department_leads_or_joins(clerk, catalog):
    assert codes(clerk) == {"OWN", "JOINED"}


def test_outsider_sees_only_their_own_center(outsider, catalog):
    assert codes(outsider) == {"ELSEWHERE"}


def test_superuser_sees_everything_and_a_login_without_workplace_nothing(db, catalog):
    root = UserFactory(is_superuser=True)
    assert codes(root) == {"OWN", "JOINED", "OTHER-DEPT", "TOWN", "ELSEWHERE"}
    assert codes(UserFactory()) == set()


def test_access_item_404_for_missing_forbidden_and_bad_ids(director, clerk, outsider, catalog):
    assert access_item(director, catalog["town"].pk) == catalog["town"]
    assert access_item(clerk, str(catalog["joined"].pk)) == catalog["joined"]
    for user, item_id in (
        (outsider, catalog["own"].pk),
        (clerk, catalog["other_dept"].pk),
        (director, catalog["elsewhere"].pk),
        (director, 987654),
        (director, "abc"),
    ):
        with pytest.raises(Http404):
            access_item(user, item_id)


def test_only_managers_get_write_access(director, admin_user, clerk, window_head, catalog):
    item = catalog["own"]
    assert access_item(director, item.pk, for_write=True) == item
    assert access_item(admin_user, item.pk, for_write=True) == item
    for user in (clerk, window_head):
        with pytest.raises(Http404):
            access_item(user, item.pk, for_write=True)


def test_parts_follow_their_items_scope(director, outsider, clerk, catalog):
    material = MaterialFactory(item=catalog["own"])
    fee = FeeItemFactory(item=catalog["own"])
    link = ItemWindowFactory(item=catalog["own"], window__center=catalog["own"].center)
    assert access_material(director, material.pk, for_write=True) == material
    assert access_fee(director, fee.pk) == fee
    assert access_item_window(director, link.pk) == link
    assert access_material(clerk, material.pk) == material
    for call, object_id in (
        (access_material, material.pk),
        (access_fee, fee.pk),
        (access_item_window, link.pk),
    ):
        with pytest.raises(Http404):
            call(outsider, object_id)
        with pytest.raises(Http404):
            call(clerk, object_id, for_write=True)
