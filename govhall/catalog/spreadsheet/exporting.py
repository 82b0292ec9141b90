"""Exporting: a center's catalog as a workbook in the import format, so an exported file imports
back to the same catalog, with a 说明 sheet describing the columns.

Safety (issue 12 item 6): a text starting with =, +, -, @, a tab or a CR is written with a
leading single quote so that no spreadsheet runs it as a formula (govhall.core.spreadsheets);
the import takes that quote off again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from govhall.catalog.models import Authorization, FieldType, ItemType, Material
from govhall.catalog.queries.export import (
    export_fees,
    export_form_fields,
    export_item_windows,
    export_items,
    export_joint_codes,
    export_materials,
)
from govhall.catalog.spreadsheet.files import export_name
from govhall.catalog.spreadsheet.format import (
    AUTHORIZATION_LABELS,
    FEE_COLUMNS,
    FIELD_TYPE_LABELS,
    FORM_FIELD_COLUMNS,
    FORM_LABELS,
    ITEM_COLUMNS,
    LEVEL_LABELS,
    MAIN_LABELS,
    MATERIAL_COLUMNS,
    SHEET_COLUMNS,
    SHEET_FEES,
    SHEET_FORM,
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_README,
    SHEET_WINDOWS,
    TYPE_LABELS,
    WINDOW_COLUMNS,
    Column,
)
from govhall.catalog.step_limits import LIMIT_FIELDS
from govhall.core.spreadsheets import neutralise_formula
from govhall.org.models import Center
from govhall.org.models.centers import CenterLevel


def _row(worksheet: Any, values: Iterable[Any]) -> list[Any]:
    """Cells for one exported row: text stays text even when it looks like a formula.

    Text starting with =, +, -, @, a tab or a CR gets a leading quote (govhall.core.spreadsheets,
    issue 12 item 6), which the import takes off again.
    """
    cells: list[Any] = []
    for value in values:
        if isinstance(value, str):
            # Control characters cannot be stored in a workbook; the catalog never needs them.
            # After neutralising no text starts with "=", so openpyxl never writes a formula.
            value = neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
        cells.append(value)
    return cells


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


def _header(worksheet: Any, columns: Iterable[Column], widths: Sequence[int]) -> None:
    bold = Font(bold=True)
    cells = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.header)
        cell.font = bold
        cells.append(cell)
    for index, width in enumerate(widths):
        letter = chr(ord("A") + index)
        worksheet.column_dimensions[letter].width = width
    worksheet.append(cells)


def export_catalog(center: Center) -> bytes:
    """The center's catalog as a workbook in the import format."""
    workbook = Workbook(write_only=True)
    items_sheet = workbook.create_sheet(SHEET_ITEMS)
    _header(items_sheet, ITEM_COLUMNS, [30, 30, 14, 14, 18, 10, 10, 6, 8, 8, 8, 24, 14])
    joint = export_joint_codes(center)
    for item in export_items(center):
        values = [
            item.code,
            item.name,
            TYPE_LABELS.get(ItemType(item.item_type), item.item_type),
            item.department.code,
            "、".join(joint.get(item.pk, [])),
            item.legal_days,
            item.promised_days,
            _yes_no(item.on_the_spot),
            _yes_no(not item.fee_free),
            _yes_no(item.online_available),
            item.visits_required,
            item.place,
            item.phone,
            item.basis,
            item.conditions,
            item.procedure,
            LEVEL_LABELS[CenterLevel(item.deciding_level)] if item.deciding_level else "",
            _yes_no(item.overdue_defaults_to_approval),
            _yes_no(item.is_active),
            *[getattr(item, name) for name in LIMIT_FIELDS],
            _yes_no(item.issues_licence),
            item.licence_valid_years,
        ]
        items_sheet.append(_row(items_sheet, values))
    materials_sheet = workbook.create_sheet(SHEET_MATERIALS)
    _header(materials_sheet, MATERIAL_COLUMNS, [30, 6, 36, 10, 14, 6, 20, 24, 24, 40, 40])
    number = 0
    last_item = None
    for code, material in export_materials(center):
        number = number + 1 if code == last_item else 1
        last_item = code
        values = [
            code,
            number,
            material.name,
            MAIN_LABELS[material.is_main],
            FORM_LABELS[Material.Form(material.form)],
            material.copies,
            material.source,
            material.note,
            material.condition,
            export_name(material.blank_form.name or ""),
            export_name(material.sample.name or ""),
        ]
        materials_sheet.append(_row(materials_sheet, values))
    fees_sheet = workbook.create_sheet(SHEET_FEES)
    _header(fees_sheet, FEE_COLUMNS, [30, 24, 14, 8, 36])
    for code, fee in export_fees(center):
        values = [code, fee.name, Decimal(fee.standard_amount), fee.unit, fee.standard_basis]
        fees_sheet.append(_row(fees_sheet, values))
    windows_sheet = workbook.create_sheet(SHEET_WINDOWS)
    _header(windows_sheet, WINDOW_COLUMNS, [30, 10, 12])
    for code, number, authorization in export_item_windows(center):
        values = [code, number, AUTHORIZATION_LABELS[Authorization(authorization)]]
        windows_sheet.append(_row(windows_sheet, values))
    form_sheet = workbook.create_sheet(SHEET_FORM)
    _header(form_sheet, FORM_FIELD_COLUMNS, [30, 6, 18, 24, 10, 6, 36, 30])
    for code, form_field in export_form_fields(center):
        values = [
            code,
            form_field.position + 1,
            form_field.key,
            form_field.label,
            FIELD_TYPE_LABELS[FieldType(form_field.field_type)],
            _yes_no(form_field.required),
            form_field.choices,
            form_field.help_text,
        ]
        form_sheet.append(_row(form_sheet, values))
    _readme(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _readme(workbook: Workbook) -> None:
    """A sheet explaining the columns; the import ignores it."""
    sheet = workbook.create_sheet(SHEET_README)
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 8
    sheet.column_dimensions["D"].width = 60
    sheet.append(["工作表", "列", "必填", "说明"])
    notes = {
        "事项类型": "、".join(TYPE_LABELS.values()),
        "实施部门编码": "本中心进驻部门的编码",
        "联办部门编码": "多个编码用顿号、逗号或空格分隔",
        "承诺时限（工作日）": "不得超过法定时限；原则上不超过法定时限的40%",
        "到现场次数": "0、1 或 2",
        "是否收费": "是 / 否；留空时按收费表是否有该事项的收费项目确定",
        "决定层级": "上报件由哪一级决定：" + "、".join(LEVEL_LABELS.values()),
        "主件/附件": "主件 或 附件",
        "形式": "、".join(FORM_LABELS.values()),
        "适用条件": "有条件的材料在什么情况下才需要（如：委托代理人办理时）；留空表示都需要",
        "空白表格文件": "文件名；文件放在与工作簿一同上传的 .zip 压缩包中（PDF、Word、Excel、"
        "JPG、PNG）；保留导出时的文件名即保留原文件；留空表示没有",
        "填写样本文件": "同上，为填写样本",
        "收费标准（元）": "核定的收费标准，大于 0，最多两位小数",
        "收费依据": "收费标准的批准文件",
        "窗口编号": "本中心的窗口编号",
        "授权方式": "、".join(AUTHORIZATION_LABELS.values()),
        "字段键名": "表单字段的键名：小写字母、数字、_ 或 -，以字母开头；同一事项内不重复",
        "字段类型": "、".join(FIELD_TYPE_LABELS.values()) + "；留空为文本",
        "必填": "是 / 否；留空为是",
        "选项": "选项类字段的可选值，至少两个，每行一个或用 | 分隔",
    }
    for name, columns in SHEET_COLUMNS.items():
        for column in columns:
            kind_note = {"bool": "是 / 否", "int": "整数"}.get(column.kind, "")
            sheet.append(
                [
                    name,
                    column.header,
                    "是" if column.required else "",
                    notes.get(column.header, kind_note),
                ]
            )
    sheet.append([])
    sheet.append(
        [
            "导入规则",
            "",
            "",
            "按实施编码更新或新增事项；导入的事项的材料、收费、窗口以对应工作表为准；"
            "任何一行有错误时不做任何修改，并列出所有错误。",
        ]
    )


def export_file_name(center: Center) -> str:
    return f"catalog-{center.code}-{timezone.localdate():%Y%m%d}.xlsx"
