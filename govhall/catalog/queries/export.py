"""What the spreadsheet export reads: one streamed query per sheet, no per-item queries."""

from __future__ import annotations

from collections.abc import Iterator

from govhall.catalog.models import (
    FeeItem,
    FormField,
    ItemWindow,
    JointDepartmentDays,
    Material,
    ServiceItem,
)
from govhall.org.models import Center


def export_items(center: Center) -> Iterator[ServiceItem]:
    return (
        ServiceItem.objects.filter(center=center)
        .select_related("department")
        .order_by("department__code", "code")
        .iterator(chunk_size=2000)
    )


def export_joint_codes(center: Center) -> dict[int, list[str]]:
    """Joint department codes per item id, "CODE:days" where the department has its own time
    limit (issue 16 item 7)."""
    through = ServiceItem.joint_departments.through
    own_days = {
        (item_id, department_id): days
        for item_id, department_id, days in JointDepartmentDays.objects.filter(
            item__center=center
        ).values_list("item_id", "department_id", "days")
    }
    codes: dict[int, list[str]] = {}
    rows = (
        through.objects.filter(serviceitem__center=center)
        .order_by("serviceitem_id", "department__code")
        .values_list("serviceitem_id", "department__code", "department_id")
    )
    for item_id, code, department_id in rows.iterator(chunk_size=2000):
        days = own_days.get((item_id, department_id))
        codes.setdefault(item_id, []).append(code if days is None else f"{code}:{days}")
    return codes


def export_materials(center: Center) -> Iterator[tuple[str, Material]]:
    materials = (
        Material.objects.filter(item__center=center)
        .select_related("item")
        .only(
            "item__code",
            "position",
            "name",
            "is_main",
            "form",
            "copies",
            "source",
            "note",
            "condition",
            "blank_form",
            "sample",
        )
        .order_by("item__department__code", "item__code", "position", "id")
    )
    for material in materials.iterator(chunk_size=2000):
        yield material.item.code, material


def export_fees(center: Center) -> Iterator[tuple[str, FeeItem]]:
    fees = (
        FeeItem.objects.filter(item__center=center)
        .select_related("item")
        .only("item__code", "name", "standard_amount", "unit", "standard_basis")
        .order_by("item__department__code", "item__code", "id")
    )
    for fee in fees.iterator(chunk_size=2000):
        yield fee.item.code, fee


def export_form_fields(center: Center) -> Iterator[tuple[str, FormField]]:
    """The online application forms' fields (issue 19 item 2), item by item, in order."""
    fields = (
        FormField.objects.filter(item__center=center)
        .select_related("item")
        .order_by("item__department__code", "item__code", "position", "id")
    )
    for form_field in fields.iterator(chunk_size=2000):
        yield form_field.item.code, form_field


def export_item_windows(center: Center) -> Iterator[tuple[str, int, str]]:
    return (
        ItemWindow.objects.filter(item__center=center)
        .order_by("item__department__code", "item__code", "window__number")
        .values_list("item__code", "window__number", "authorization")
        .iterator(chunk_size=2000)
    )
