"""Catalog reads: the public guide search and the staff list."""

from __future__ import annotations

import pytest

from govhall.catalog.queries.guides import guide_search, public_departments
from govhall.catalog.queries.items import workbench_items
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    FeeItemFactory,
    MaterialFactory,
    ServiceItemFactory,
)

pytestmark = pytest.mark.django_db


def codes(items) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(item.code for item in items)


def test_guide_search_filters(county, town, department, other_department):
    ServiceItemFactory(center=county, department=department, code="A", name="个体工商户设立登记")
    ServiceItemFactory(
        center=county, department=other_department, code="B", name="不动产登记", item_type="benefit"
    )
    ServiceItemFactory(center=county, department=department, code="HIDDEN", is_active=False)
    ServiceItemFactory(
        center=town, department=DepartmentFactory(center=town, code="SCJG"), code="T"
    )
    closed = CenterFactory(is_active=False)
    ServiceItemFactory(center=closed, code="CLOSED")
    assert codes(guide_search()) == ["A", "B", "T"]
    assert codes(guide_search(center=town)) == ["T"]
    assert codes(guide_search(q="登记")) == ["A", "B"]
    assert codes(guide_search(q="b")) == ["B"]  # by code, case-insensitive
    assert codes(guide_search(department=department)) == ["A"]
    assert codes(guide_search(department=department.pk)) == ["A"]
    assert codes(guide_search(department_code="SCJG")) == ["A", "T"]
    assert codes(guide_search(item_type="benefit")) == ["B"]
    assert list(public_departments(county)) == [other_department, department]  # by code


def test_workbench_items_counts_and_filters(director, county, department):
    item = ServiceItemFactory(center=county, department=department, code="W1", fee_free=False)
    MaterialFactory(item=item)
    MaterialFactory(item=item)
    FeeItemFactory(item=item)
    ServiceItemFactory(center=county, department=department, code="W2", is_active=False)
    rows = {row.code: row for row in workbench_items(director)}
    assert (rows["W1"].material_count, rows["W1"].fee_count) == (2, 1)
    assert (rows["W2"].material_count, rows["W2"].fee_count) == (0, 0)
    assert codes(workbench_items(director, published=False)) == ["W2"]
    assert codes(workbench_items(director, q="w1")) == ["W1"]
