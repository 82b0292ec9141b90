"""Reading an import: the upload checked, the workbook's sheets read safely into rows, cells parsed.

Safety (issue 12): an upload is refused before it is kept or parsed when its zip directory shows
it would unpack beyond the GOVHALL_IMPORT_* limits (a zip bomb is refused in milliseconds), and
reading stops at the first sheet over the cell, column or cell-length limit
(govhall.core.spreadsheets). The leading quote an export puts before a text starting with =, +,
-, @, a tab or a CR is taken off again.

Every problem goes to a `ProblemList` with sheet, row and column; nothing here touches the
database.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from govhall.catalog.services.fees import parse_amount
from govhall.catalog.spreadsheet.format import (
    NO,
    SHEET_COLUMNS,
    SHEET_ITEMS,
    SHEET_ORDER,
    YES,
    Column,
)
from govhall.core.spreadsheets import (
    CellBudget,
    SpreadsheetRefused,
    check_xlsx_archive,
    restore_neutralised,
)
from govhall.core.validation import clean_text

log = logging.getLogger(__name__)

MAX_ROWS_PER_SHEET = 100_000
MAX_LISTED_PROBLEMS = 2_000


# --- the upload ----------------------------------------------------------------------------------


def upload_problem(name: str, size: int, head: bytes) -> str | None:
    """Why an uploaded file cannot be a catalog workbook, or None when it may be one."""
    if not name.lower().endswith(".xlsx"):
        return _(
            "Only .xlsx spreadsheets (Excel 2007 or later) can be imported; “%(name)s” is not one."
        ) % {"name": name}
    if size == 0:
        return _("The file is empty.")
    limit = settings.GOVHALL_MAX_UPLOAD_BYTES
    if size > limit:
        return _("The file is %(size)s; the largest file accepted is %(max)s.") % {
            "size": filesizeformat(size),
            "max": filesizeformat(limit),
        }
    if not head.startswith(b"PK\x03\x04"):
        return _("“%(name)s” is not a valid .xlsx spreadsheet.") % {"name": name}
    return None


def check_upload(upload: UploadedFile) -> None:
    """Refuse a wrong file type or an oversize file with a clear message."""
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    problem = upload_problem(upload.name or "", upload.size or 0, head)
    if problem:
        raise ValidationError({"file": problem})
    # A zip bomb or an oversize workbook is refused here, from the zip's directory alone,
    # before anything is kept or parsed (issue 12 item 7).
    try:
        check_xlsx_archive(upload.file or upload)
    except SpreadsheetRefused as refused:
        raise ValidationError({"file": str(refused)}) from None


# --- problems ------------------------------------------------------------------------------------


class Problem(TypedDict):
    sheet: str
    row: int | str
    column: str
    message: str


class ProblemList:
    """Every problem found, the first `MAX_LISTED_PROBLEMS` kept for the report."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.count = 0

    def add(self, sheet: str, row: int | str, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_LISTED_PROBLEMS:
            self.items.append({"sheet": sheet, "row": row, "column": column, "message": message})

    def __bool__(self) -> bool:
        return self.count > 0

    def sorted(self) -> list[Problem]:
        def key(problem: Problem) -> tuple[int, int, str]:
            sheet = problem["sheet"]
            order = SHEET_ORDER.index(sheet) if sheet in SHEET_ORDER else -1
            row = problem["row"] if isinstance(problem["row"], int) else 0
            return (order, row, "")

        return sorted(self.items, key=key)


# --- cells and sheets ----------------------------------------------------------------------------


class CellError(Exception):
    """A cell that cannot be read for its column; the message says why."""


def cell_text(value: object) -> str:
    """A cell as cleaned text: empty for nothing, 是/否 for yes/no, 12 for 12.0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(clean_text(str(value)))


def parse_cell(column: Column, value: object) -> Any:
    """The cell's value for the column's kind (None when empty); CellError with the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = restore_neutralised(value)  # the quote an export puts before =, +, -, @
    if column.kind == "text":
        return cell_text(value)
    if column.kind == "codes":
        return [code for code in re.split(r"[、,，;；\s]+", cell_text(value)) if code]
    if column.kind == "int":
        if isinstance(value, bool):
            raise CellError(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value)
        raise CellError(_("Enter a whole number."))
    if column.kind == "bool":
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in YES:
            return True
        if text in NO:
            return False
        raise CellError(_("Enter 是 or 否."))
    if column.kind == "amount":
        if isinstance(value, bool):
            raise CellError(_("Enter an amount in yuan, such as 10 or 12.50."))
        amount = parse_amount(value if not isinstance(value, float) else repr(value))
        if amount is None:
            raise CellError(_("Enter an amount in yuan, such as 10 or 12.50."))
        return amount
    # choice
    assert column.choices is not None
    text = cell_text(value)
    if text in column.choices:
        return column.choices[text]
    allowed = [label for label in column.choices if not re.fullmatch(r"[a-z_]+", label)]
    raise CellError(_("Use one of: %(values)s.") % {"values": "、".join(dict.fromkeys(allowed))})


@dataclass
class SheetRows:
    name: str
    columns: dict[str, Column]  # field → column present in the header
    rows: list[tuple[int, dict[str, Any]]]  # (row number, field → raw value)


def read_sheet(
    worksheet: Any,
    name: str,
    columns: Sequence[Column],
    problems: ProblemList,
    budget: CellBudget | None = None,
) -> SheetRows | None:
    """The rows of one sheet by field, or None (with the problem) when a required column is
    missing or the sheet is too long."""
    by_header = {column.header: column for column in columns}
    rows_iter = (budget or CellBudget()).rows(worksheet, name)
    header = next(rows_iter, None)
    if header is None:
        header = ()
    positions: dict[str, int] = {}
    present: dict[str, Column] = {}
    for index, cell in enumerate(header):
        column = by_header.get(cell_text(cell))
        if column is not None and column.field not in present:
            positions[column.field] = index
            present[column.field] = column
    missing = [c for c in columns if c.required and c.field not in present]
    for column in missing:
        problems.add(name, 1, column.header, _("This required column is missing."))
    if missing:
        return None
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(rows_iter, start=2):
        if values is None or all(
            v is None or (isinstance(v, str) and not v.strip()) for v in values
        ):
            continue
        if len(rows) >= MAX_ROWS_PER_SHEET:
            problems.add(
                name,
                number,
                "",
                _("A sheet can have at most %(max)d rows; split the file.")
                % {"max": MAX_ROWS_PER_SHEET},
            )
            return None
        rows.append(
            (
                number,
                {f: values[i] if i < len(values) else None for f, i in positions.items()},
            )
        )
    return SheetRows(name=name, columns=present, rows=rows)


def read_workbook(source: str | Path | bytes, problems: ProblemList) -> dict[str, SheetRows]:
    """The known sheets of the workbook as rows, or nothing (with the problems recorded) when the
    file cannot be read, a sheet lacks a required column or a limit is exceeded."""
    sheets: dict[str, SheetRows] = {}
    try:
        stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
        check_xlsx_archive(stream)  # sizes from the zip directory, before parsing
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except SpreadsheetRefused as refused:
        problems.add("", "", "", str(refused))
        return {}
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        log.info("unreadable catalog workbook: %s", exc)
        problems.add("", "", "", _("The file could not be read as an .xlsx spreadsheet."))
        return {}
    budget = CellBudget()
    try:
        if SHEET_ITEMS not in workbook.sheetnames:
            problems.add(
                SHEET_ITEMS,
                "",
                "",
                _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": SHEET_ITEMS},
            )
            return {}
        for name, columns in SHEET_COLUMNS.items():
            if name in workbook.sheetnames:
                sheet = read_sheet(workbook[name], name, columns, problems, budget)
                if sheet is not None:
                    sheets[name] = sheet
    except SpreadsheetRefused as refused:
        problems.add("", "", "", str(refused))
        return {}
    finally:
        workbook.close()
    return {} if problems else sheets
