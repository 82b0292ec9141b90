"""The catalog workbook's format: its sheets, columns and the Chinese labels of values.

The workbook has four sheets, each with a header row of fixed Chinese column names (the file
format is Chinese whatever the interface language; column order does not matter, unknown
columns and sheets are ignored). Rows are keyed by the implementation code (实施编码).

事项 (items) — required sheet
    实施编码*, 事项名称*, 事项类型* (行政许可 行政给付 行政确认 行政裁决 行政奖励 其他行政权力
    公共服务), 实施部门编码* (a department code of the target center), 联办部门编码 (codes
    separated by 、 , ; or spaces), 法定时限（工作日）*, 承诺时限（工作日）*, 即办 (是/否),
    是否收费 (是/否; empty: 是 when the 收费 sheet lists fees for the item), 网上办理 (是/否),
    到现场次数 (0, 1, 2), 办理地点, 咨询电话, 设定依据, 受理条件, 办理流程, 决定层级 (省级 市级
    县级 乡镇级 村级; empty when the item is not escalated), 超时默认通过 (是/否), 公开 (是/否),
    each step's own limit in working days (empty: the installation's default; 1 to 60):
    预审时限（工作日）, 受理时限（工作日）, 审查时限（工作日）, 审批时限（工作日）,
    联办时限（工作日）, 制证时限（工作日）, 送达时限（工作日）
材料 (materials)
    实施编码*, 序号, 材料名称*, 主件/附件 (主件 or 附件), 形式 (原件 复印件 原件和复印件),
    份数, 来源, 备注, 适用条件 (a conditional material: required only when this holds, e.g.
    委托代理人办理时; empty for a material every applicant brings), 空白表格文件, 填写样本文件
    (names of files in the .zip uploaded with the workbook; see catalog.spreadsheet.files)
收费 (fees)
    实施编码*, 收费项目*, 收费标准（元）*, 单位, 收费依据*
窗口 (windows)
    实施编码*, 窗口编号* (a window number of the target center), 授权方式 (全部授权 部分授权
    有限授权)
表单 (the online application form, issue 19 item 2)
    实施编码*, 序号, 字段键名* (lowercase letters, digits, _ or -, starting with a letter),
    字段名称*, 字段类型 (文本 多行文本 数字 日期 选项 手机号 身份证号; empty: 文本), 必填 (是/否;
    empty: 是), 选项 (for 选项 fields: at least two, one per line or separated by |), 填写提示

Import is an upsert into one center: a code of that center updates the item (only the columns
present in the file), a new code creates it, items not in the file stay as they are. For every
imported item the materials, fees and windows are replaced by the rows of their sheet when that
sheet is present (an absent sheet leaves them unchanged). Every row is checked first and every
problem is reported with sheet, row, column and reason; if there is any problem nothing changes.
The writes happen in one transaction with bulk inserts and updates, in batches. Export writes
the same format, so an exported file imports back to the same catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from govhall.catalog.models import Authorization, FieldType, ItemType, Material
from govhall.catalog.step_limits import LIMIT_FIELDS, Step, limit_field
from govhall.org.models.centers import CenterLevel

SHEET_ITEMS = "事项"
SHEET_MATERIALS = "材料"
SHEET_FEES = "收费"
SHEET_WINDOWS = "窗口"
SHEET_FORM = "表单"
SHEET_README = "说明"
SHEET_ORDER = (SHEET_ITEMS, SHEET_MATERIALS, SHEET_FEES, SHEET_WINDOWS, SHEET_FORM)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
FIELD_TYPE_LABELS = {
    FieldType.TEXT: "文本",
    FieldType.TEXTAREA: "多行文本",
    FieldType.NUMBER: "数字",
    FieldType.DATE: "日期",
    FieldType.CHOICE: "选项",
    FieldType.PHONE: "手机号",
    FieldType.ID_NUMBER: "身份证号",
}
STEP_HEADERS = {
    Step.PREREVIEW: "预审时限",
    Step.ACCEPTANCE: "受理时限",
    Step.REVIEW: "审查时限",
    Step.APPROVAL: "审批时限",
    Step.JOINT: "联办时限",
    Step.CERTIFICATE: "制证时限",
    Step.DELIVERY: "送达时限",
}


def _values_of(labels: dict[Any, str], *aliases: tuple[str, Any]) -> dict[str, Any]:
    """Spreadsheet text → value: the labels, the code values themselves, and aliases."""
    table: dict[str, Any] = {label: value for value, label in labels.items()}
    table.update({str(value): value for value in labels})
    table.update(dict(aliases))
    return table


TYPE_VALUES = _values_of(TYPE_LABELS)
LEVEL_VALUES = _values_of(
    LEVEL_LABELS,
    ("省", CenterLevel.PROVINCE),
    ("市", CenterLevel.CITY),
    ("县", CenterLevel.COUNTY),
    ("乡镇", CenterLevel.TOWN),
    ("镇", CenterLevel.TOWN),
    ("村", CenterLevel.VILLAGE),
)
FORM_VALUES = _values_of(FORM_LABELS, ("原件及复印件", Material.Form.BOTH))
AUTHORIZATION_VALUES = _values_of(AUTHORIZATION_LABELS)
FIELD_TYPE_VALUES = _values_of(FIELD_TYPE_LABELS, ("单选", FieldType.CHOICE))
MAIN_VALUES = {"主件": True, "附件": False, "是": True, "否": False}


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
    *[Column(f"{STEP_HEADERS[step]}（工作日）", limit_field(step), "int") for step in Step],
    # Issue 19 item 4: electronic licences (after the step limits: older workbooks still read).
    Column("出具电子证照", "issues_licence", "bool"),
    Column("证照有效期（年）", "licence_valid_years", "int"),
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
    Column("适用条件", "condition"),
    # Issue 18 item 5: the names of the blank form and sample files (files come in a zip with
    # the workbook; see catalog.spreadsheet.files).
    Column("空白表格文件", "blank_form_file"),
    Column("填写样本文件", "sample_file"),
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
FORM_FIELD_COLUMNS = (
    Column("实施编码", "code", required=True),
    Column("序号", "position", "int"),
    Column("字段键名", "key", required=True),
    Column("字段名称", "label", required=True),
    Column("字段类型", "field_type", "choice", choices=FIELD_TYPE_VALUES),
    Column("必填", "required", "bool"),
    Column("选项", "choices"),
    Column("填写提示", "help_text"),
)
SHEET_COLUMNS = {
    SHEET_ITEMS: ITEM_COLUMNS,
    SHEET_MATERIALS: MATERIAL_COLUMNS,
    SHEET_FEES: FEE_COLUMNS,
    SHEET_WINDOWS: WINDOW_COLUMNS,
    SHEET_FORM: FORM_FIELD_COLUMNS,
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
    "issues_licence": False,
    "licence_valid_years": None,
    "is_active": True,
    **dict.fromkeys(LIMIT_FIELDS),  # empty: the installation's default
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
    "issues_licence",
    "licence_valid_years",
    "is_active",
    *LIMIT_FIELDS,
)
