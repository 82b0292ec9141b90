"""Catalog import and export as one .xlsx workbook (SPEC §5: 目录以电子表格导入导出).

The workbook has four sheets, each with a header row of fixed Chinese column names (the file
format is Chinese whatever the interface language; column order does not matter, unknown
columns and sheets are ignored). Rows are keyed by the implementation code (实施编码).

事项 (items) — required sheet
    实施编码*, 事项名称*, 事项类型* (行政许可 行政给付 行政确认 行政裁决 行政奖励 其他行政权力
    公共服务), 实施部门编码* (a department code of the target center), 联办部门编码 (codes
    separated by 、 , ; or spaces), 法定时限（工作日）*, 承诺时限（工作日）*, 即办 (是/否),
    是否收费 (是/否; empty: 是 when the 收费 sheet lists fees for the item), 网上办理 (是/否),
    到现场次数 (0, 1, 2), 办理地点, 咨询电话, 设定依据, 受理条件, 办理流程, 决定层级 (省级 市级
    县级 乡镇级 村级; empty when the item is not escalated), 超时默认通过 (是/否), 公开 (是/否)
材料 (materials)
    实施编码*, 序号, 材料名称*, 主件/附件 (主件 or 附件), 形式 (原件 复印件 原件和复印件),
    份数, 来源, 备注
收费 (fees)
    实施编码*, 收费项目*, 收费标准（元）*, 单位, 收费依据*
窗口 (windows)
    实施编码*, 窗口编号* (a window number of the target center), 授权方式 (全部授权 部分授权
    有限授权)

Import is an upsert into one center: a code of that center updates the item (only the columns
present in the file), a new code creates it, items not in the file stay as they are. For every
imported item the materials, fees and windows are replaced by the rows of their sheet when that
sheet is present (an absent sheet leaves them unchanged). Every row is checked first and every
problem is reported with sheet, row, column and reason; if there is any problem nothing changes.
The writes happen in one transaction with bulk inserts and updates, in batches. Export writes
the same format, so an exported file imports back to the same catalog.

Safety (issue 12): export writes a text starting with =, +, -, @, a tab or a CR with a leading
single quote so that no spreadsheet runs it as a formula, and import takes that quote off again
(govhall.core.spreadsheets). An upload is refused before it is kept or parsed when its zip
directory shows it would unpack beyond the GOVHALL_IMPORT_* limits (a zip bomb is refused in
milliseconds), and reading stops at the first sheet over the cell, column or cell-length limit.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from govhall.catalog.models import (
    Authorization,
    FeeItem,
    ItemType,
    ItemWindow,
    Material,
    ServiceItem,
)
from govhall.catalog.queries import (
    export_fees,
    export_item_windows,
    export_items,
    export_joint_codes,
    export_materials,
)
from govhall.catalog.services import (
    clean_text,
    code_taken_message,
    fee_rule_errors,
    item_rule_errors,
    material_rule_errors,
    parse_amount,
    require_catalog_manager,
)
from govhall.core.events import record_event
from govhall.core.models import Event, Job, User
from govhall.core.spreadsheets import (
    CellBudget,
    SpreadsheetRefused,
    check_xlsx_archive,
    neutralise_formula,
    restore_neutralised,
)
from govhall.core.tasks import job_fail, job_finish, job_progress, job_set_total, job_start
from govhall.org.models import Center, CenterLevel, Department, Window

log = logging.getLogger(__name__)

SHEET_ITEMS = "事项"
SHEET_MATERIALS = "材料"
SHEET_FEES = "收费"
SHEET_WINDOWS = "窗口"
SHEET_README = "说明"
SHEET_ORDER = (SHEET_ITEMS, SHEET_MATERIALS, SHEET_FEES, SHEET_WINDOWS)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROGRESS_EVERY = 200  # rows between two progress updates: a few queries even for huge files
BATCH_SIZE = 500
MAX_ROWS_PER_SHEET = 100_000
MAX_LISTED_PROBLEMS = 2_000
QUERY_CHUNK = 500  # ids or codes per IN (...) list

YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓"})
NO = frozenset({"否", "n", "no", "false", "0", "×", "✗"})

TYPE_LABELS = {
    ItemType.LICENSING: "行政许可",
    ItemType.BENEFIT: "行政给付",
    ItemType.CONFIRMATION: "行政确认",
    ItemType.ADJUDICATION: "行政裁决",
    ItemType.REWARD: "行政奖励",
    ItemType.OTHER_POWER: "其他行政权力",
    ItemType.PUBLIC_SERVICE: "公共服务",
}
LEVEL_LABELS = {
    CenterLevel.PROVINCE: "省级",
    CenterLevel.CITY: "市级",
    CenterLevel.COUNTY: "县级",
    CenterLevel.TOWN: "乡镇级",
    CenterLevel.VILLAGE: "村级",
}
FORM_LABELS = {
    Material.Form.ORIGINAL: "原件",
    Material.Form.COPY: "复印件",
    Material.Form.BOTH: "原件和复印件",
}
AUTHORIZATION_LABELS = {
    Authorization.FULL: "全部授权",
    Authorization.PARTIAL: "部分授权",
    Authorization.LIMITED: "有限授权",
}
MAIN_LABELS = {True: "主件", False: "附件"}


def _reading(labels: dict[Any, str], *aliases: tuple[str, Any]) -> dict[str, Any]:
    """Spreadsheet text → value: the labels, the code values themselves, and aliases."""
    table: dict[str, Any] = {label: value for value, label in labels.items()}
    table.update({str(value): value for value in labels})
    table.update(dict(aliases))
    return table


TYPE_VALUES = _reading(TYPE_LABELS)
LEVEL_VALUES = _reading(
    LEVEL_LABELS,
    ("省", CenterLevel.PROVINCE),
    ("市", CenterLevel.CITY),
    ("县", CenterLevel.COUNTY),
    ("乡镇", CenterLevel.TOWN),
    ("镇", CenterLevel.TOWN),
    ("村", CenterLevel.VILLAGE),
)
FORM_VALUES = _reading(FORM_LABELS, ("原件及复印件", Material.Form.BOTH))
AUTHORIZATION_VALUES = _reading(AUTHORIZATION_LABELS)
MAIN_VALUES = {"主件": True, "附件": False, "是": True, "否": False}


class Problem(TypedDict):
    sheet: str
    row: int | str
    column: str
    message: str


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text, int, bool, amount, choice, codes
    required: bool = False
    choices: dict[str, Any] | None = None


ITEM_COLUMNS = (
    Column("实施编码", "code", required=True),
    Column("事项名称", "name", required=True),
    Column("事项类型", "item_type", "choice", required=True, choices=TYPE_VALUES),
    Column("实施部门编码", "department", required=True),
    Column("联办部门编码", "joint_departments", "codes"),
    Column("法定时限（工作日）", "legal_days", "int", required=True),
    Column("承诺时限（工作日）", "promised_days", "int", required=True),
    Column("即办", "on_the_spot", "bool"),
    Column("是否收费", "charges_fees", "bool"),
    Column("网上办理", "online_available", "bool"),
    Column("到现场次数", "visits_required", "int"),
    Column("办理地点", "place"),
    Column("咨询电话", "phone"),
    Column("设定依据", "basis"),
    Column("受理条件", "conditions"),
    Column("办理流程", "procedure"),
    Column("决定层级", "deciding_level", "choice", choices=LEVEL_VALUES),
    Column("超时默认通过", "overdue_defaults_to_approval", "bool"),
    Column("公开", "is_active", "bool"),
)
MATERIAL_COLUMNS = (
    Column("实施编码", "code", required=True),
    Column("序号", "position", "int"),
    Column("材料名称", "name", required=True),
    Column("主件/附件", "is_main", "choice", choices=MAIN_VALUES),
    Column("形式", "form", "choice", choices=FORM_VALUES),
    Column("份数", "copies", "int"),
    Column("来源", "source"),
    Column("备注", "note"),
)
FEE_COLUMNS = (
    Column("实施编码", "code", required=True),
    Column("收费项目", "name", required=True),
    Column("收费标准（元）", "standard_amount", "amount", required=True),
    Column("单位", "unit"),
    Column("收费依据", "standard_basis", required=True),
)
WINDOW_COLUMNS = (
    Column("实施编码", "code", required=True),
    Column("窗口编号", "window", "int", required=True),
    Column("授权方式", "authorization", "choice", choices=AUTHORIZATION_VALUES),
)
SHEET_COLUMNS = {
    SHEET_ITEMS: ITEM_COLUMNS,
    SHEET_MATERIALS: MATERIAL_COLUMNS,
    SHEET_FEES: FEE_COLUMNS,
    SHEET_WINDOWS: WINDOW_COLUMNS,
}
# Defaults of optional item columns for new items (existing items keep their values).
ITEM_DEFAULTS: dict[str, Any] = {
    "on_the_spot": False,
    "online_available": False,
    "visits_required": 1,
    "place": "",
    "phone": "",
    "basis": "",
    "conditions": "",
    "procedure": "",
    "deciding_level": "",
    "overdue_defaults_to_approval": False,
    "is_active": True,
}
# Item fields the import may write; "charges_fees" becomes fee_free.
ITEM_WRITABLE = (
    "name",
    "item_type",
    "department",
    "legal_days",
    "promised_days",
    "on_the_spot",
    "fee_free",
    "online_available",
    "visits_required",
    "place",
    "phone",
    "basis",
    "conditions",
    "procedure",
    "deciding_level",
    "overdue_defaults_to_approval",
    "is_active",
)


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


def _upload_dir() -> Path:
    # Outside MEDIA_ROOT: uploaded files are never public (SPEC §11).
    return Path(settings.VAR_DIR) / "uploads" / "catalog"


@transaction.atomic
def catalog_import_start(*, actor: User, center: Center, upload: UploadedFile) -> Job:
    """Check the upload, keep it privately and start the import job (progress on the job).
    Only a manager of `center` imports into its catalog."""
    require_catalog_manager(actor, center.pk)
    check_upload(upload)
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{uuid.uuid4().hex}.xlsx"
    with path.open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    return job_start(
        actor=actor,
        kind="catalog.import",
        func=run_catalog_import,
        center_id=center.pk,
        actor_id=actor.pk,
        target_center_id=center.pk,
        path=str(path),
        file_name=upload.name or "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def run_catalog_import(
    *,
    job_id: int,
    actor_id: int,
    target_center_id: int,
    path: str,
    file_name: str = "",
    language: str = "",
) -> None:
    """The job: import the kept file into the center, then delete the file.

    Messages are in the language of the request that started the job (a thread has none).
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        _run_import(job_id, actor_id, target_center_id, path, file_name)


def _run_import(
    job_id: int, actor_id: int, target_center_id: int, path: str, file_name: str
) -> None:
    try:
        actor = User.objects.get(pk=actor_id)
        center = Center.objects.get(pk=target_center_id)
        outcome = import_catalog(
            actor=actor, center=center, source=path, job_id=job_id, file_name=file_name
        )
        if outcome.problems:
            total = outcome.problem_count
            message = _(
                "The workbook was checked and has %(count)d problems. "
                "Correct them and import the file again."
            ) % {"count": total}
            if total > len(outcome.problems):
                message += " " + _("Only the first %(n)d are listed.") % {
                    "n": len(outcome.problems)
                }
            job_fail(job_id, message=message, errors=[dict(p) for p in outcome.problems])
        else:
            job_finish(job_id, message=outcome.summary(), result=outcome.result())
    finally:
        Path(path).unlink(missing_ok=True)


# --- reading cells -------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(clean_text(str(value)))


def _parse(column: Column, value: object) -> Any:
    """The cell's value for the column's kind (None when empty); CellError with the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = restore_neutralised(value)  # the quote an export puts before =, +, -, @
    if column.kind == "text":
        return _text(value)
    if column.kind == "codes":
        return [code for code in re.split(r"[、,，;；\s]+", _text(value)) if code]
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
        text = _text(value).lower()
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
    text = _text(value)
    if text in column.choices:
        return column.choices[text]
    allowed = [label for label in column.choices if not re.fullmatch(r"[a-z_]+", label)]
    raise CellError(_("Use one of: %(values)s.") % {"values": "、".join(dict.fromkeys(allowed))})


@dataclass
class SheetRows:
    name: str
    columns: dict[str, Column]  # field → column present in the header
    rows: list[tuple[int, dict[str, Any]]]  # (row number, field → raw value)


def _read_sheet(
    worksheet: Any,
    name: str,
    columns: Sequence[Column],
    problems: ProblemList,
    budget: CellBudget | None = None,
) -> SheetRows | None:
    by_header = {column.header: column for column in columns}
    rows_iter = (budget or CellBudget()).rows(worksheet, name)
    header = next(rows_iter, None)
    if header is None:
        header = ()
    positions: dict[str, int] = {}
    present: dict[str, Column] = {}
    for index, cell in enumerate(header):
        column = by_header.get(_text(cell))
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


# --- import --------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    created: int = 0
    updated: int = 0
    materials: int = 0
    fees: int = 0
    windows: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problem_count

    def summary(self) -> str:
        text = _(
            "Imported %(created)d new and %(updated)d updated items with %(materials)d materials, "
            "%(fees)d fees and %(windows)d window assignments."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "materials": self.materials,
            "fees": self.fees,
            "windows": self.windows,
        }
        if self.warnings:
            text += " " + _(
                "%(n)d items promise more than 40%% of their legal time limit: %(codes)s."
            ) % {"n": len(self.warnings), "codes": "、".join(self.warnings[:20])}
        return text

    def result(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "materials": self.materials,
            "fees": self.fees,
            "windows": self.windows,
            "share_warnings": self.warnings,
        }


def _update_rows(model: Any, objects: Sequence[Any], field_names: Sequence[str]) -> None:
    """UPDATE … WHERE id = %s for many rows in one executemany.

    Django's bulk_update builds one CASE WHEN per field and row; for thousands of rows that
    takes minutes. A prepared statement run with many parameter sets takes well under a second.
    """
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy: hot loop
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for batch in _chunks(params, BATCH_SIZE * 4):
            cursor.executemany(sql, batch)


def _insert_rows(model: Any, objects: Sequence[Any]) -> None:
    """INSERT many rows (every column but the id), many rows per statement.

    About three times faster than bulk_create, which compiles every value of every row; used
    where no primary keys are needed back.
    """
    if not objects:
        return
    connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the proxy: hot loop
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    batch_size = max(1, connection.ops.bulk_batch_size(fields, objects))
    with connection.cursor() as cursor:
        for batch in _chunks(objects, batch_size):
            params = [
                f.get_db_prep_save(f.pre_save(obj, add=True), connection)
                for obj in batch
                for f in fields
            ]
            values = "VALUES " + ", ".join([row_placeholder] * len(batch))
            cursor.execute(head + values, params)


def _chunks(values: Sequence[Any], size: int = QUERY_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _Progress:
    """Counts processed rows and writes the job's progress every `PROGRESS_EVERY` rows."""

    def __init__(self, job_id: int | None) -> None:
        self.job_id = job_id
        self.pending = 0

    def step(self, n: int = 1) -> None:
        self.pending += n
        if self.pending >= PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.job_id is not None and self.pending:
            job_progress(self.job_id, self.pending)
        self.pending = 0


@dataclass
class _ItemRow:
    row: int
    item: ServiceItem
    is_new: bool
    joint: list[Department] | None
    charges_fees: bool | None
    fee_rows: int = 0


class _Importer:
    def __init__(self, center: Center, progress: _Progress) -> None:
        self.center = center
        self.progress = progress
        self.problems = ProblemList()
        self.items: dict[str, _ItemRow] = {}
        self.item_codes_in_file: set[str] = set()
        self.materials: list[tuple[str, Material]] = []
        self.fees: list[tuple[str, FeeItem]] = []
        self.windows: list[tuple[str, ItemWindow]] = []
        self.sheets: dict[str, SheetRows] = {}

    # reading ------------------------------------------------------------------------------------

    def read(self, source: str | Path | bytes) -> bool:
        try:
            stream: Any = io.BytesIO(source) if isinstance(source, bytes) else source
            check_xlsx_archive(stream)  # sizes from the zip directory, before parsing
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except SpreadsheetRefused as refused:
            self.problems.add("", "", "", str(refused))
            return False
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            log.info("unreadable catalog workbook: %s", exc)
            self.problems.add("", "", "", _("The file could not be read as an .xlsx spreadsheet."))
            return False
        budget = CellBudget()
        try:
            if SHEET_ITEMS not in workbook.sheetnames:
                self.problems.add(
                    SHEET_ITEMS,
                    "",
                    "",
                    _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": SHEET_ITEMS},
                )
                return False
            for name, columns in SHEET_COLUMNS.items():
                if name in workbook.sheetnames:
                    sheet = _read_sheet(workbook[name], name, columns, self.problems, budget)
                    if sheet is not None:
                        self.sheets[name] = sheet
        except SpreadsheetRefused as refused:
            self.problems.add("", "", "", str(refused))
            self.sheets.clear()
            return False
        finally:
            workbook.close()
        return not self.problems

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets.values())

    def _cells(self, sheet: SheetRows, row: int, raw: dict[str, Any]) -> dict[str, Any] | None:
        """Parsed values of one row; None (with problems recorded) when a cell is bad."""
        values: dict[str, Any] = {}
        ok = True
        for name, column in sheet.columns.items():
            try:
                value = _parse(column, raw.get(name))
            except CellError as exc:
                self.problems.add(sheet.name, row, column.header, str(exc))
                ok = False
                continue
            if value is None and column.required:
                self.problems.add(sheet.name, row, column.header, _("This value is required."))
                ok = False
                continue
            values[name] = value
        return values if ok else None

    def _report(
        self, sheet: str, row: int, errors: dict[str, list[str]], columns: dict[str, str]
    ) -> None:
        for key, messages in errors.items():
            for message in messages:
                self.problems.add(sheet, row, columns.get(key, ""), message)

    # validating ---------------------------------------------------------------------------------

    def validate(self) -> None:
        center = self.center
        self.departments = {d.code: d for d in Department.objects.filter(center=center)}
        self.center_windows = {w.number: w for w in Window.objects.filter(center=center)}
        item_sheet = self.sheets[SHEET_ITEMS]
        codes = sorted({_text(raw.get("code")) for _row, raw in item_sheet.rows} - {""})
        existing: dict[str, ServiceItem] = {}
        taken_elsewhere: set[str] = set()
        for chunk in _chunks(codes):
            for item in ServiceItem.objects.filter(code__in=chunk):
                if item.center_id == center.pk:
                    existing[item.code] = item
                else:
                    taken_elsewhere.add(item.code)
        existing_ids = [item.pk for item in existing.values()]
        self.existing_fee_counts: dict[int, int] = {}
        self.existing_links: set[tuple[int, int]] = set()
        for chunk in _chunks(existing_ids):
            self.existing_fee_counts.update(
                FeeItem.objects.filter(item_id__in=chunk)
                .values("item_id")
                .annotate(n=Count("pk"))
                .values_list("item_id", "n")
            )
            self.existing_links.update(
                ItemWindow.objects.filter(item_id__in=chunk).values_list("item_id", "window_id")
            )
        self.existing = existing
        self._validate_items(item_sheet, existing, taken_elsewhere)
        if SHEET_MATERIALS in self.sheets:
            self._validate_materials(self.sheets[SHEET_MATERIALS])
        if SHEET_FEES in self.sheets:
            self._validate_fees(self.sheets[SHEET_FEES])
        if SHEET_WINDOWS in self.sheets:
            self._validate_windows(self.sheets[SHEET_WINDOWS])
        self._validate_fee_flags()
        self.progress.flush()

    def _validate_items(
        self, sheet: SheetRows, existing: dict[str, ServiceItem], taken_elsewhere: set[str]
    ) -> None:
        headers = {c.field: c.header for c in ITEM_COLUMNS}
        headers["fee_free"] = headers["charges_fees"]
        first_row: dict[str, int] = {}
        for row, raw in sheet.rows:
            self.progress.step()
            code = _text(raw.get("code"))
            if code:
                if code in first_row:
                    self.problems.add(
                        sheet.name,
                        row,
                        headers["code"],
                        _("The implementation code %(code)s is already used in row %(row)d.")
                        % {"code": code, "row": first_row[code]},
                    )
                    continue
                first_row[code] = row
                self.item_codes_in_file.add(code)
            values = self._cells(sheet, row, raw)
            if values is None:
                continue
            if code in taken_elsewhere:
                self.problems.add(sheet.name, row, headers["code"], code_taken_message(code))
                continue
            current = existing.get(code)
            is_new = current is None
            item = (
                ServiceItem(center=self.center, code=code, **ITEM_DEFAULTS) if is_new else current
            )
            assert item is not None
            errors: dict[str, list[str]] = {}
            department_code = values.pop("department", None)
            if department_code is not None:
                department = self.departments.get(department_code)
                if department is None:
                    errors["department"] = [
                        _("No department with code %(code)s in %(center)s.")
                        % {"code": department_code, "center": self.center.name}
                    ]
                else:
                    item.department = department
            joint: list[Department] | None = None
            if "joint_departments" in sheet.columns:
                joint = []
                for joint_code in values.pop("joint_departments", None) or []:
                    department = self.departments.get(joint_code)
                    if department is None:
                        errors.setdefault("joint_departments", []).append(
                            _("No department with code %(code)s in %(center)s.")
                            % {"code": joint_code, "center": self.center.name}
                        )
                    elif department not in joint:
                        joint.append(department)
                if item.department_id is not None and any(
                    d.pk == item.department_id for d in joint
                ):
                    errors.setdefault("joint_departments", []).append(
                        _("The lead department cannot also be a joint department.")
                    )
            charges_fees = values.pop("charges_fees", None)
            values.pop("code", None)
            # A column present in the file is authoritative: an empty cell means the default.
            for name, value in values.items():
                setattr(item, name, ITEM_DEFAULTS.get(name, "") if value is None else value)
            for key, messages in item_rule_errors(item, self.center.level).items():
                errors.setdefault(key, []).extend(messages)
            self._report(sheet.name, row, errors, headers)
            if not errors:
                self.items[code] = _ItemRow(
                    row=row, item=item, is_new=is_new, joint=joint, charges_fees=charges_fees
                )

    def _item_code(self, sheet: SheetRows, row: int, raw: dict[str, Any]) -> str | None:
        code = _text(raw.get("code"))
        if code and code not in self.item_codes_in_file:
            self.problems.add(
                sheet.name,
                row,
                SHEET_COLUMNS[sheet.name][0].header,
                _("The implementation code %(code)s is not in the “%(sheet)s” sheet.")
                % {"code": code, "sheet": SHEET_ITEMS},
            )
            return None
        return code

    def _validate_materials(self, sheet: SheetRows) -> None:
        headers = {c.field: c.header for c in MATERIAL_COLUMNS}
        for row, raw in sheet.rows:
            self.progress.step()
            code = self._item_code(sheet, row, raw)
            values = self._cells(sheet, row, raw)
            if values is None or code is None:
                continue
            material = Material(
                position=values.get("position") or 0,
                name=values["name"],
                is_main=True if values.get("is_main") is None else values["is_main"],
                form=values.get("form") or Material.Form.ORIGINAL,
                copies=1 if values.get("copies") is None else values["copies"],
                source=values.get("source") or "",
                note=values.get("note") or "",
            )
            errors = material_rule_errors(material)
            self._report(sheet.name, row, errors, headers)
            if not errors:
                self.materials.append((code, material))

    def _validate_fees(self, sheet: SheetRows) -> None:
        headers = {c.field: c.header for c in FEE_COLUMNS}
        for row, raw in sheet.rows:
            self.progress.step()
            code = self._item_code(sheet, row, raw)
            values = self._cells(sheet, row, raw)
            if values is None or code is None:
                continue
            fee = FeeItem(
                name=values["name"],
                standard_amount=values["standard_amount"],
                standard_basis=values["standard_basis"],
                unit=values.get("unit") or "件",
            )
            errors = fee_rule_errors(fee)
            self._report(sheet.name, row, errors, headers)
            if not errors:
                self.fees.append((code, fee))
                if code in self.items:
                    self.items[code].fee_rows += 1

    def _validate_windows(self, sheet: SheetRows) -> None:
        headers = {c.field: c.header for c in WINDOW_COLUMNS}
        seen: dict[tuple[str, int], int] = {}
        for row, raw in sheet.rows:
            self.progress.step()
            code = self._item_code(sheet, row, raw)
            values = self._cells(sheet, row, raw)
            if values is None or code is None:
                continue
            number = values["window"]
            window = self.center_windows.get(number)
            if window is None:
                self.problems.add(
                    sheet.name,
                    row,
                    headers["window"],
                    _("No window number %(number)d in %(center)s.")
                    % {"number": number, "center": self.center.name},
                )
                continue
            if (code, number) in seen:
                self.problems.add(
                    sheet.name,
                    row,
                    headers["window"],
                    _("Window %(number)d is already assigned to this item in row %(row)d.")
                    % {"number": number, "row": seen[(code, number)]},
                )
                continue
            seen[(code, number)] = row
            current = self.existing.get(code)
            already_linked = current is not None and (current.pk, window.pk) in self.existing_links
            if not window.is_active and not already_linked:
                self.problems.add(
                    sheet.name,
                    row,
                    headers["window"],
                    _("Window %(number)d is closed.") % {"number": number},
                )
                continue
            authorization = values.get("authorization") or Authorization.PARTIAL
            self.windows.append((code, ItemWindow(window=window, authorization=authorization)))

    def _validate_fee_flags(self) -> None:
        header = next(c.header for c in ITEM_COLUMNS if c.field == "charges_fees")
        fees_replaced = SHEET_FEES in self.sheets
        for code, entry in self.items.items():
            if fees_replaced:
                fee_count = entry.fee_rows
            else:
                fee_count = 0 if entry.is_new else self.existing_fee_counts.get(entry.item.pk, 0)
            if entry.charges_fees is None:
                if fees_replaced or entry.is_new:
                    entry.item.fee_free = fee_count == 0
            elif not entry.charges_fees and fee_count:
                self.problems.add(
                    SHEET_ITEMS,
                    entry.row,
                    header,
                    _(
                        "The item %(code)s is marked free of charge but has %(n)d fee items; "
                        "mark it 是 or remove its fees."
                    )
                    % {"code": code, "n": fee_count},
                )
            else:
                entry.item.fee_free = not entry.charges_fees

    # writing ------------------------------------------------------------------------------------

    def write(self, actor: User | None, job_id: int | None, file_name: str) -> ImportOutcome:
        center = self.center
        outcome = ImportOutcome()
        now = timezone.now()
        item_sheet = self.sheets[SHEET_ITEMS]
        present = set(item_sheet.columns) | {"fee_free"}
        update_fields = [f for f in ITEM_WRITABLE if f in present] + ["updated_at"]
        new_items = [e.item for e in self.items.values() if e.is_new]
        old_items = [e.item for e in self.items.values() if not e.is_new]
        for item in old_items:
            item.updated_at = now
        for batch in _chunks(new_items, BATCH_SIZE):
            _insert_rows(ServiceItem, batch)
            self.progress.step(len(batch))
        for batch in _chunks(old_items, BATCH_SIZE):
            _update_rows(ServiceItem, batch, update_fields)
            self.progress.step(len(batch))
        outcome.created, outcome.updated = len(new_items), len(old_items)
        # Primary keys of the new and updated items, by code.
        codes = list(self.items)
        pk_of: dict[str, int] = {}
        for chunk in _chunks(codes):
            pk_of.update(
                ServiceItem.objects.filter(center=center, code__in=chunk).values_list("code", "pk")
            )
        ids = [pk_of[code] for code in codes]

        if "joint_departments" in item_sheet.columns:
            through = ServiceItem.joint_departments.through
            for chunk in _chunks(ids):
                through.objects.filter(serviceitem_id__in=chunk).delete()
            links = [
                through(serviceitem_id=pk_of[code], department_id=department.pk)
                for code, entry in self.items.items()
                for department in entry.joint or []
            ]
            _insert_rows(through, links)

        def replace(model: Any, rows: list[tuple[str, Any]], present: bool) -> int:
            if not present:
                return 0
            for chunk in _chunks(ids):
                model.objects.filter(item_id__in=chunk).delete()
            for code, obj in rows:
                obj.item_id = pk_of[code]
            for batch in _chunks(rows, BATCH_SIZE):
                _insert_rows(model, [obj for _code, obj in batch])
                self.progress.step(len(batch))
            return len(rows)

        self._order_materials()
        outcome.materials = replace(Material, self.materials, SHEET_MATERIALS in self.sheets)
        outcome.fees = replace(FeeItem, self.fees, SHEET_FEES in self.sheets)
        outcome.windows = replace(ItemWindow, self.windows, SHEET_WINDOWS in self.sheets)

        new_codes = {item.code for item in new_items}
        _insert_rows(
            Event,
            [
                Event(
                    at=now,
                    actor_id=actor.pk if actor is not None else None,
                    action="item.import",
                    object_type=ServiceItem._meta.label_lower,
                    object_id=str(pk_of[code]),
                    object_repr=entry.item.name[:200],
                    center_id=center.pk,
                    data={"job": job_id, "created": code in new_codes},
                )
                for code, entry in self.items.items()
            ],
        )
        outcome.warnings = [
            code for code, entry in self.items.items() if entry.item.promised_share_exceeded
        ]
        record_event(
            actor=actor,
            action="catalog.import",
            obj=center,
            center_id=center.pk,
            note=file_name,
            data={"job": job_id, **outcome.result()},
        )
        self.progress.flush()
        return outcome

    def _order_materials(self) -> None:
        """Positions 0, 1, … per item in the order of the 序号 column, then of the rows."""
        by_item: dict[str, list[tuple[int, int, Material]]] = {}
        for index, (code, material) in enumerate(self.materials):
            by_item.setdefault(code, []).append((material.position, index, material))
        ordered: list[tuple[str, Material]] = []
        for code, entries in by_item.items():
            entries.sort(key=lambda entry: (entry[0], entry[1]))
            for position, (_pos, _index, material) in enumerate(entries):
                material.position = position
                ordered.append((code, material))
        self.materials = ordered


def import_catalog(
    *,
    actor: User | None,
    center: Center,
    source: str | Path | bytes,
    job_id: int | None = None,
    file_name: str = "",
) -> ImportOutcome:
    """Check every row of the workbook, then write it all in one transaction or nothing.

    With `job_id`, progress goes to the job: one unit per row checked plus one per item and
    material, fee and window row written, reported every `PROGRESS_EVERY` rows.
    """
    progress = _Progress(job_id)
    importer = _Importer(center, progress)
    if importer.read(source):
        total = (
            importer.row_count
            + len(importer.sheets[SHEET_ITEMS].rows)
            + sum(
                len(importer.sheets[name].rows)
                for name in (SHEET_MATERIALS, SHEET_FEES, SHEET_WINDOWS)
                if name in importer.sheets
            )
        )
        if job_id is not None:
            job_set_total(job_id, total)
        importer.validate()
    if importer.problems:
        return ImportOutcome(
            problems=importer.problems.sorted(), problem_count=importer.problems.count
        )
    if job_id is not None:
        Job.objects.filter(pk=job_id).update(
            message=_("All %(n)d rows are valid; saving…") % {"n": importer.row_count}
        )
    with transaction.atomic():
        return importer.write(actor, job_id, file_name)


# --- export --------------------------------------------------------------------------------------


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
        ]
        items_sheet.append(_row(items_sheet, values))
    materials_sheet = workbook.create_sheet(SHEET_MATERIALS)
    _header(materials_sheet, MATERIAL_COLUMNS, [30, 6, 36, 10, 14, 6, 20, 24])
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
        "收费标准（元）": "核定的收费标准，大于 0，最多两位小数",
        "收费依据": "收费标准的批准文件",
        "窗口编号": "本中心的窗口编号",
        "授权方式": "、".join(AUTHORIZATION_LABELS.values()),
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
