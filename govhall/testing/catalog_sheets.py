"""Catalog workbooks for the import tests, and a snapshot of what the catalog says about a center
to compare before and after."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from govhall.catalog.models import ServiceItem
from govhall.catalog.spreadsheet.format import (
    FEE_COLUMNS,
    FORM_FIELD_COLUMNS,
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    WINDOW_COLUMNS,
)
from govhall.org.models import Center

ITEM_HEADERS = [c.header for c in ITEM_COLUMNS]
MATERIAL_HEADERS = [c.header for c in MATERIAL_COLUMNS]
FEE_HEADERS = [c.header for c in FEE_COLUMNS]
WINDOW_HEADERS = [c.header for c in WINDOW_COLUMNS]
FORM_FIELD_HEADERS = [c.header for c in FORM_FIELD_COLUMNS]


def item_row(code: str, **cells: Any) -> dict[str, Any]:
    row = {
        "实施编码": code,
        "事项名称": f"事项{code}",
        "事项类型": "行政许可",
        "实施部门编码": "SCJG",
        "法定时限（工作日）": 20,
        "承诺时限（工作日）": 5,
    }
    row.update(cells)
    return row


def workbook_bytes(
    items: list[dict[str, Any]],
    materials: list[dict[str, Any]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    windows: list[dict[str, Any]] | None = None,
    form_fields: list[dict[str, Any]] | None = None,
) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, headers, rows in (
        ("事项", ITEM_HEADERS, items),
        ("材料", MATERIAL_HEADERS, materials),
        ("收费", FEE_HEADERS, fees),
        ("窗口", WINDOW_HEADERS, windows),
        ("表单", FORM_FIELD_HEADERS, form_fields),
    ):
        if rows is None:
            continue
        sheet = workbook.create_sheet(name)
        sheet.append(headers)
        for row in rows:
            sheet.append([row.get(h) for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def snapshot(center: Center) -> dict[str, Any]:
    """Everything the catalog says about a center's items, by code (no ids)."""
    result: dict[str, Any] = {}
    for item in ServiceItem.objects.filter(center=center).order_by("code"):
        fields = {
            f.name: getattr(item, f.attname)
            for f in ServiceItem._meta.concrete_fields
            # `revision` counts the changes made through the services (issue 21, the standard
            # list): bookkeeping, not what the catalog says; an imported item starts at 1.
            if f.name not in {"id", "created_at", "updated_at", "center", "revision"}
        }
        fields["joint"] = sorted(item.joint_departments.values_list("code", flat=True))
        fields["materials"] = list(
            item.materials.values_list("name", "is_main", "form", "copies", "source", "note")
        )
        fields["fees"] = list(
            item.fees.values_list("name", "standard_amount", "unit", "standard_basis")
        )
        fields["windows"] = list(
            item.item_windows.values_list("window__number", "authorization").order_by(
                "window__number"
            )
        )
        result[item.code] = fields
    return result
