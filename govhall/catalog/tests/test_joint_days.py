"""Issue 16 item 7: each joint department's own time limit travels with the catalog workbook
(联办部门编码 "CODE:days"), and a department that stops being joint loses its limit."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from govhall.catalog.models import JointDepartmentDays, ServiceItem
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.items import item_update
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.factories import WindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(county, department, other_department):  # type: ignore[no-untyped-def]
    WindowFactory(center=county, number=1)
    return county


def days_of(item: ServiceItem) -> dict[str, int]:
    return dict(
        JointDepartmentDays.objects.filter(item=item).values_list("department__code", "days")
    )


def test_import_and_export_carry_each_joint_departments_days(hall, director, other_department):
    data = workbook_bytes(
        [item_row("J1", 联办部门编码="BDC:3"), item_row("J2", 联办部门编码="BDC")]
    )
    outcome = import_catalog(actor=director, center=hall, source=data)
    assert outcome.ok, outcome.problems
    first, second = ServiceItem.objects.get(code="J1"), ServiceItem.objects.get(code="J2")
    assert list(first.joint_departments.all()) == [other_department]
    assert days_of(first) == {"BDC": 3} and days_of(second) == {}
    sheet = load_workbook(io.BytesIO(export_catalog(hall)))["事项"]
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("联办部门编码")
    cells = {row[0]: row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert cells["J1"] == "BDC:3" and cells["J2"] == "BDC"
    # Over the legal limit (20) or not a number: reported, nothing written.
    bad = workbook_bytes(
        [item_row("J1", 联办部门编码="BDC:21"), item_row("J2", 联办部门编码="BDC:x")]
    )
    outcome = import_catalog(actor=director, center=hall, source=bad)
    assert not outcome.ok and len(outcome.problems) == 2
    assert days_of(first) == {"BDC": 3}


def test_a_department_no_longer_joint_loses_its_days(hall, director, other_department):
    outcome = import_catalog(
        actor=director, center=hall, source=workbook_bytes([item_row("J1", 联办部门编码="BDC:3")])
    )
    assert outcome.ok, outcome.problems
    item = ServiceItem.objects.get(code="J1")
    item_update(actor=director, item=item, joint_departments=[])
    assert days_of(item) == {}
