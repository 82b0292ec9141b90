"""Validating an import: the rows read from the workbook checked against the catalog's rules
and the target center, every problem found, into a plan that `writing` applies.

Nothing is written here: the existing items, departments, windows and fee counts are read in
chunks, each row is checked with the same rules as the catalog services (`item_rule_errors`,
`material_rule_errors`, `fee_rule_errors`), and every problem goes to the `ProblemList` with its
sheet, row and column. Only a plan without problems is ever written.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from govhall.catalog.models import (
    Authorization,
    FeeItem,
    FormField,
    ItemWindow,
    Material,
    ServiceItem,
)
from govhall.catalog.services.fees import fee_rule_errors
from govhall.catalog.services.form_fields import form_field_errors
from govhall.catalog.services.items import code_taken_message, item_rule_errors
from govhall.catalog.services.material_files import SLOTS, check_file_bytes
from govhall.catalog.services.materials import material_rule_errors
from govhall.catalog.spreadsheet.files import (
    FILE_COLUMN_OF_SLOT,
    FilesArchive,
    new_file,
    stored_files,
)
from govhall.catalog.spreadsheet.format import (
    FEE_COLUMNS,
    FORM_FIELD_COLUMNS,
    ITEM_COLUMNS,
    ITEM_DEFAULTS,
    MATERIAL_COLUMNS,
    SHEET_COLUMNS,
    SHEET_FEES,
    SHEET_FORM,
    SHEET_ITEMS,
    SHEET_MATERIALS,
    SHEET_WINDOWS,
    WINDOW_COLUMNS,
)
from govhall.catalog.spreadsheet.reading import (
    CellError,
    ProblemList,
    SheetRows,
    cell_text,
    parse_cell,
)
from govhall.core.tasks import job_progress
from govhall.core.validation import FieldErrors
from govhall.org.models import Center, Department, Window

PROGRESS_EVERY = 200  # rows between two progress updates: a few queries even for huge files
QUERY_CHUNK = 500  # ids or codes per IN (...) list


def chunks(values: Sequence[Any], size: int = QUERY_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class Progress:
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
class ItemRow:
    row: int
    item: ServiceItem
    is_new: bool
    joint: list[Department] | None
    charges_fees: bool | None
    fee_rows: int = 0
    # Joint departments' own time limits {department id: days} (with `joint`, issue 16 item 7).
    joint_days: dict[int, int] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What an import will write: the items by code, and the rows of the other sheets present."""

    center: Center
    sheets: dict[str, SheetRows]
    items: dict[str, ItemRow] = field(default_factory=dict)
    materials: list[tuple[str, Material]] = field(default_factory=list)
    fees: list[tuple[str, FeeItem]] = field(default_factory=list)
    windows: list[tuple[str, ItemWindow]] = field(default_factory=list)
    # Issue 19 item 2: the online application form's fields (the 表单 sheet).
    form_fields: list[tuple[str, FormField]] = field(default_factory=list)
    # Issue 18 item 5: the zip of blank forms and samples uploaded with the workbook, and the
    # files the import attaches from it (code, material name, slot, type, bytes) for events.
    files: FilesArchive | None = None
    new_files: list[tuple[str, str, str, str, int]] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(sheet.rows) for sheet in self.sheets.values())


def validate_import(
    center: Center,
    sheets: dict[str, SheetRows],
    problems: ProblemList,
    progress: Progress,
    files: FilesArchive | None = None,
) -> ImportPlan:
    """Check every row of `sheets` for an import into `center`; the plan is complete only when
    `problems` stays empty. `files`: the zip of the materials' files named in the 材料 sheet."""
    plan = ImportPlan(center=center, sheets=sheets, files=files)
    _Validator(plan, problems, progress).validate()
    return plan


class _Validator:
    def __init__(self, plan: ImportPlan, problems: ProblemList, progress: Progress) -> None:
        self.plan = plan
        self.problems = problems
        self.progress = progress
        self.item_codes_in_file: set[str] = set()
        self.departments: dict[str, Department] = {}
        self.center_windows: dict[int, Window] = {}
        self.existing: dict[str, ServiceItem] = {}
        self.existing_fee_counts: dict[int, int] = {}
        self.existing_links: set[tuple[int, int]] = set()
        self.stored_files: dict[tuple[str, str, str], str] = {}

    def _cells(self, sheet: SheetRows, row: int, raw: dict[str, Any]) -> dict[str, Any] | None:
        """Parsed values of one row; None (with problems recorded) when a cell is bad."""
        values: dict[str, Any] = {}
        ok = True
        for name, column in sheet.columns.items():
            try:
                value = parse_cell(column, raw.get(name))
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

    def _report(self, sheet: str, row: int, errors: FieldErrors, columns: dict[str, str]) -> None:
        for key, messages in errors.by_field.items():
            for message in messages:
                self.problems.add(sheet, row, columns.get(key, ""), message)

    def validate(self) -> None:
        center = self.plan.center
        self.departments = {d.code: d for d in Department.objects.filter(center=center)}
        self.center_windows = {w.number: w for w in Window.objects.filter(center=center)}
        item_sheet = self.plan.sheets[SHEET_ITEMS]
        codes = sorted({cell_text(raw.get("code")) for _row, raw in item_sheet.rows} - {""})
        existing: dict[str, ServiceItem] = {}
        taken_elsewhere: set[str] = set()
        for chunk in chunks(codes):
            for item in ServiceItem.objects.filter(code__in=chunk):
                if item.center_id == center.pk:
                    existing[item.code] = item
                else:
                    taken_elsewhere.add(item.code)
        existing_ids = [item.pk for item in existing.values()]
        for chunk in chunks(existing_ids):
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
        if SHEET_MATERIALS in self.plan.sheets:
            self._validate_materials(self.plan.sheets[SHEET_MATERIALS])
        if SHEET_FEES in self.plan.sheets:
            self._validate_fees(self.plan.sheets[SHEET_FEES])
        if SHEET_WINDOWS in self.plan.sheets:
            self._validate_windows(self.plan.sheets[SHEET_WINDOWS])
        if SHEET_FORM in self.plan.sheets:
            self._validate_form_fields(self.plan.sheets[SHEET_FORM])
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
            code = cell_text(raw.get("code"))
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
            center = self.plan.center
            item = ServiceItem(center=center, code=code, **ITEM_DEFAULTS) if is_new else current
            assert item is not None
            errors = FieldErrors()
            department_code = values.pop("department", None)
            if department_code is not None:
                department = self.departments.get(department_code)
                if department is None:
                    errors.add(
                        "department",
                        _("No department with code %(code)s in %(center)s.")
                        % {"code": department_code, "center": center.name},
                    )
                else:
                    item.department = department
            joint: list[Department] | None = None
            joint_days: dict[int, int] = {}
            bad_days = False
            if "joint_departments" in sheet.columns:
                joint = []
                for token in values.pop("joint_departments", None) or []:
                    # "CODE:days" gives the department its own time limit (issue 16 item 7).
                    joint_code, _sep, days_text = token.replace("：", ":").partition(":")
                    department = self.departments.get(joint_code)
                    if days_text and department is not None:
                        if days_text.isdigit() and int(days_text) >= 1:
                            joint_days[department.pk] = int(days_text)
                        else:
                            bad_days = True
                    if department is None:
                        errors.add(
                            "joint_departments",
                            _("No department with code %(code)s in %(center)s.")
                            % {"code": joint_code, "center": center.name},
                        )
                    elif department not in joint:
                        joint.append(department)
                if item.department_id is not None and any(
                    d.pk == item.department_id for d in joint
                ):
                    errors.add(
                        "joint_departments",
                        _("The lead department cannot also be a joint department."),
                    )
            charges_fees = values.pop("charges_fees", None)
            values.pop("code", None)
            # A column present in the file is authoritative: an empty cell means the default.
            for name, value in values.items():
                setattr(item, name, ITEM_DEFAULTS.get(name, "") if value is None else value)
            top = max(item.legal_days or 0, 1)
            if bad_days or any(days > top for days in joint_days.values()):
                errors.add(
                    "joint_departments",
                    _(
                        "A joint department's time limit (CODE:days) is from 1 to %(max)d "
                        "working days (the legal limit)."
                    )
                    % {"max": top},
                )
            errors.merge(item_rule_errors(item, center.level))
            self._report(sheet.name, row, errors, headers)
            if not errors:
                self.plan.items[code] = ItemRow(
                    row=row,
                    item=item,
                    is_new=is_new,
                    joint=joint,
                    charges_fees=charges_fees,
                    joint_days=joint_days,
                )

    def _item_code(self, sheet: SheetRows, row: int, raw: dict[str, Any]) -> str | None:
        code = cell_text(raw.get("code"))
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
        codes = {cell_text(raw.get("code")) for _row, raw in sheet.rows} - {""}
        self.stored_files = stored_files(self.plan.center, codes)
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
                condition=values.get("condition") or "",
            )
            errors = material_rule_errors(material)
            self._report(sheet.name, row, errors, headers)
            files_ok = self._material_files(sheet, row, code, values, material, headers)
            if not errors and files_ok:
                self.plan.materials.append((code, material))

    def _material_files(
        self,
        sheet: SheetRows,
        row: int,
        code: str,
        values: dict[str, Any],
        material: Material,
        headers: dict[str, str],
    ) -> bool:
        """Attach the files the row names (see catalog.spreadsheet.files); False on a problem."""
        ok = True
        for slot in SLOTS:
            column = FILE_COLUMN_OF_SLOT[slot]
            if column not in sheet.columns:
                kept = self.stored_files.get((code, slot, "=" + material.name))
                if kept:
                    setattr(material, slot, kept)
                continue
            name = values.get(column) or ""
            if not name:
                continue
            archive = self.plan.files
            if archive is not None and name in archive:
                try:
                    data = archive.read(name)
                    kind = check_file_bytes(data, field=slot)
                except ValidationError as refused:
                    for message in refused.messages:
                        self.problems.add(sheet.name, row, headers[column], message)
                    ok = False
                    continue
                setattr(material, slot, new_file(data, kind.extension))
                self.plan.new_files.append((code, material.name, slot, kind.extension, len(data)))
                continue
            kept = self.stored_files.get((code, slot, name))
            if kept:
                setattr(material, slot, kept)
                continue
            self.problems.add(
                sheet.name,
                row,
                headers[column],
                _("No file named “%(name)s” in the uploaded zip.") % {"name": name},
            )
            ok = False
        return ok

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
                self.plan.fees.append((code, fee))
                if code in self.plan.items:
                    self.plan.items[code].fee_rows += 1

    def _validate_form_fields(self, sheet: SheetRows) -> None:
        headers = {c.field: c.header for c in FORM_FIELD_COLUMNS}
        keys: set[tuple[str, str]] = set()
        for row, raw in sheet.rows:
            self.progress.step()
            code = self._item_code(sheet, row, raw)
            values = self._cells(sheet, row, raw)
            if values is None or code is None:
                continue
            options = str(values.get("choices") or "").replace("|", "\n")
            cleaned, errors = form_field_errors(
                {**values, "choices": options, "required": values.get("required")}, item=None
            )
            if cleaned["key"] and (code, cleaned["key"]) in keys:
                errors.add("key", _("The item's form has a field with this key already."))
            self._report(sheet.name, row, errors, headers)
            if not errors:
                keys.add((code, cleaned["key"]))
                position = values.get("position") or 0
                self.plan.form_fields.append((code, FormField(position=position, **cleaned)))

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
                    % {"number": number, "center": self.plan.center.name},
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
            link = ItemWindow(window=window, authorization=authorization)
            self.plan.windows.append((code, link))

    def _validate_fee_flags(self) -> None:
        header = next(c.header for c in ITEM_COLUMNS if c.field == "charges_fees")
        fees_replaced = SHEET_FEES in self.plan.sheets
        for code, entry in self.plan.items.items():
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
