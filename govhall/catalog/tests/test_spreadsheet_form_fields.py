"""The 表单 sheet of the catalog workbook (issue 19 item 2): import creates an item's online
form in the 序号 order, every bad row is reported and nothing changes, and export → import
gives the same form back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from govhall.catalog.models import FormField, ServiceItem
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


def _form(rows):
    return [{"实施编码": "F1", **row} for row in rows]


def _fields(code: str):
    return list(
        FormField.objects.filter(item__code=code)
        .order_by("position")
        .values_list("key", "label", "field_type", "required", "choices")
    )


def test_import_then_export_round_trip(county, department, director):
    data = workbook_bytes(
        [item_row("F1", 网上办理="是")],
        form_fields=_form(
            [
                {
                    "序号": 2,
                    "字段键名": "business",
                    "字段名称": "经营项目",
                    "字段类型": "选项",
                    "选项": "预包装食品销售|热食类食品制售",
                },
                {"序号": 1, "字段键名": "shop_name", "字段名称": "店铺名称"},
                {
                    "序号": 3,
                    "字段键名": "phone",
                    "字段名称": "联系电话",
                    "字段类型": "手机号",
                    "必填": "否",
                },
            ]
        ),
    )
    outcome = import_catalog(actor=director, center=county, source=data)
    assert outcome.ok, outcome.problems
    expected = [
        ("shop_name", "店铺名称", "text", True, ""),
        ("business", "经营项目", "choice", True, "预包装食品销售\n热食类食品制售"),
        ("phone", "联系电话", "phone", False, ""),
    ]
    assert _fields("F1") == expected
    exported = export_catalog(county)
    sheet = load_workbook(io.BytesIO(exported))["表单"]
    assert [c.value for c in sheet[1]][:4] == ["实施编码", "序号", "字段键名", "字段名称"]
    FormField.objects.all().delete()
    again = import_catalog(actor=director, center=county, source=exported)
    assert again.ok, again.problems
    assert _fields("F1") == expected


def test_bad_rows_are_reported_and_nothing_changes(county, department, director):
    item = ServiceItemFactory(center=county, department=department, code="F1")
    FormField.objects.create(item=item, key="keep", label="原字段")
    data = workbook_bytes(
        [item_row("F1")],
        form_fields=_form(
            [
                {"字段键名": "Bad Key", "字段名称": "甲"},
                {"字段键名": "kind", "字段名称": "乙", "字段类型": "选项", "选项": "只有一个"},
                {"字段键名": "dup", "字段名称": "丙"},
                {"字段键名": "dup", "字段名称": "丁"},
                {"字段键名": "what", "字段名称": "戊", "字段类型": "颜色"},
            ]
        ),
    )
    outcome = import_catalog(actor=director, center=county, source=data)
    assert not outcome.ok
    found = {(p["sheet"], p["row"], p["column"]) for p in outcome.problems}
    assert {
        ("表单", 2, "字段键名"),
        ("表单", 3, "选项"),
        ("表单", 5, "字段键名"),
        ("表单", 6, "字段类型"),
    } <= found
    assert _fields("F1") == [("keep", "原字段", "text", True, "")]
    assert ServiceItem.objects.get(code="F1").name == item.name
