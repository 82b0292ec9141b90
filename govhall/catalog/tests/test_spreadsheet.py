"""Spreadsheet import and export: every bad row reported, nothing changed, round trip exact."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem
from govhall.catalog.services.imports import catalog_import_start, import_catalog
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.catalog.spreadsheet.reading import upload_problem
from govhall.catalog.spreadsheet.validating import PROGRESS_EVERY
from govhall.core.models import Event, Job
from govhall.testing.catalog_sheets import ITEM_HEADERS, item_row, snapshot, workbook_bytes
from govhall.testing.factories import (
    DepartmentFactory,
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

LEGAL = "法定时限（工作日）"
PROMISED = "承诺时限（工作日）"


def problems_of(outcome) -> set[tuple[str, Any, str]]:  # type: ignore[no-untyped-def]
    return {(p["sheet"], p["row"], p["column"]) for p in outcome.problems}


@pytest.fixture
def hall(county, department, other_department):  # type: ignore[no-untyped-def]
    WindowFactory(center=county, number=1)
    WindowFactory(center=county, number=2)
    return county


def test_import_creates_items_with_materials_fees_and_windows(hall, director, other_department):
    data = workbook_bytes(
        [
            item_row("A1", 联办部门编码="BDC", 是否收费="是", 即办="否", 决定层级="市级"),
            item_row("A2", 到现场次数=0, 网上办理="是", 公开="否"),
        ],
        materials=[
            {"实施编码": "A1", "序号": 2, "材料名称": "营业执照", "形式": "复印件", "份数": 2},
            {"实施编码": "A1", "序号": 1, "材料名称": "申请书", "主件/附件": "主件"},
            {"实施编码": "A2", "材料名称": "身份证", "主件/附件": "附件"},
        ],
        fees=[
            {
                "实施编码": "A1",
                "收费项目": "工本费",
                "收费标准（元）": 10.5,
                "收费依据": "发改价格〔2019〕1号",
            }
        ],
        windows=[{"实施编码": "A1", "窗口编号": 2, "授权方式": "全部授权"}],
    )
    outcome = import_catalog(actor=director, center=hall, source=data)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.updated, outcome.materials, outcome.fees, outcome.windows) == (
        2,
        0,
        3,
        1,
        1,
    )
    first = ServiceItem.objects.get(code="A1")
    assert list(first.materials.values_list("name", "form", "copies")) == [
        ("申请书", "original", 1),
        ("营业执照", "copy", 2),
    ]
    assert first.fees.get().standard_amount == Decimal("10.50")
    assert not first.fee_free
    assert first.deciding_level == "city"
    assert list(first.joint_departments.all()) == [other_department]
    assert first.item_windows.get().authorization == "full"
    second = ServiceItem.objects.get(code="A2")
    assert (second.visits_required, second.online_available, second.is_active) == (0, True, False)
    assert second.fee_free
    assert not second.materials.get().is_main
    assert Event.objects.for_object(first).get().action == "item.import"
    assert Event.objects.filter(action="catalog.import", center_id=hall.pk).count() == 1


def test_every_bad_row_is_reported_and_nothing_changes(hall, director, department):
    existing = ServiceItemFactory(center=hall, department=department, code="KEEP", name="原名称")
    MaterialFactory(item=existing, name="原材料")
    other = ServiceItemFactory(code="ELSEWHERE")  # an item of another center
    before = snapshot(hall)
    events_before = Event.objects.count()
    data = workbook_bytes(
        [
            item_row("KEEP", 事项名称="新名称"),  # fine on its own
            item_row("B1", **{LEGAL: "二十"}),  # row 3: not a number
            item_row("B2", **{PROMISED: 30}),  # row 4: promised > legal
            item_row("B3", 实施部门编码="NOPE"),  # row 5: unknown department
            item_row("B3"),  # row 6: duplicate code
            item_row("B4", 事项类型="税收"),  # row 7: unknown type
            item_row("", 事项名称="无编码"),  # row 8: code missing
            item_row(other.code),  # row 9: code of another center
            item_row("B5", 到现场次数=3, 决定层级="乡镇级"),  # row 10: visits, level
            item_row("B6", 是否收费="否"),  # row 11: free but has fees below
        ],
        materials=[
            {"实施编码": "KEEP", "材料名称": "新材料", "份数": 0},  # row 2: copies
            {"实施编码": "ZZZ", "材料名称": "孤儿材料"},  # row 3: unknown item code
            {"实施编码": "KEEP", "材料名称": "扫描件", "形式": "扫描"},  # row 4: form
        ],
        fees=[
            {"实施编码": "KEEP", "收费项目": "工本费", "收费标准（元）": 10},  # row 2: no basis
            {"实施编码": "KEEP", "收费项目": "证书费", "收费标准（元）": 0, "收费依据": "文"},
            {"实施编码": "B6", "收费项目": "工本费", "收费标准（元）": 5, "收费依据": "文"},
        ],
        windows=[
            {"实施编码": "KEEP", "窗口编号": 99},  # row 2: no such window
            {"实施编码": "KEEP", "窗口编号": 1, "授权方式": "全权"},  # row 3: authorization
        ],
    )
    outcome = import_catalog(actor=director, center=hall, source=data)
    assert not outcome.ok
    found = problems_of(outcome)
    expected = {
        ("事项", 3, "法定时限（工作日）"),
        ("事项", 4, "承诺时限（工作日）"),
        ("事项", 5, "实施部门编码"),
        ("事项", 6, "实施编码"),
        ("事项", 7, "事项类型"),
        ("事项", 8, "实施编码"),
        ("事项", 9, "实施编码"),
        ("事项", 10, "到现场次数"),
        ("事项", 10, "决定层级"),
        ("事项", 11, "是否收费"),
        ("材料", 2, "份数"),
        ("材料", 3, "实施编码"),
        ("材料", 4, "形式"),
        ("收费", 2, "收费依据"),
        ("收费", 3, "收费标准（元）"),
        ("窗口", 2, "窗口编号"),
        ("窗口", 3, "授权方式"),
    }
    assert found == expected
    assert all(p["message"] for p in outcome.problems)
    assert snapshot(hall) == before
    assert Event.objects.count() == events_before


def test_missing_sheet_and_columns_are_reported(hall, director):
    workbook = Workbook()
    assert workbook.active is not None
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = import_catalog(actor=director, center=hall, source=buffer.getvalue())
    assert [p["sheet"] for p in outcome.problems] == ["事项"]

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "事项"
    sheet.append(["实施编码", "事项名称"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = import_catalog(actor=director, center=hall, source=buffer.getvalue())
    assert {p["column"] for p in outcome.problems} == {
        "事项类型",
        "实施部门编码",
        "法定时限（工作日）",
        "承诺时限（工作日）",
    }
    assert {p["row"] for p in outcome.problems} == {1}


def test_a_file_that_is_not_a_workbook_is_refused(hall, director):
    outcome = import_catalog(actor=director, center=hall, source=b"PK\x03\x04 but not a zip")
    assert not outcome.ok
    assert outcome.problems[0]["message"]
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("name", "size", "head"),
    [
        ("catalog.csv", 100, b"a,b,"),
        ("catalog.xls", 100, b"\xd0\xcf\x11\xe0"),
        ("catalog.xlsx", 100, b"%PDF"),
        ("catalog.xlsx", 0, b""),
    ],
)
def test_wrong_file_types_are_refused(name, size, head):
    assert upload_problem(name, size, head)


def test_oversize_files_are_refused(settings):
    settings.GOVHALL_MAX_UPLOAD_BYTES = 2048
    assert upload_problem("catalog.xlsx", 2049, b"PK\x03\x04")
    assert upload_problem("catalog.xlsx", 2048, b"PK\x03\x04") is None


def test_upsert_updates_existing_items_and_replaces_their_materials(hall, director, department):
    item = ServiceItemFactory(center=hall, department=department, code="U1", name="旧")
    MaterialFactory(item=item, name="旧材料")
    untouched = ServiceItemFactory(center=hall, department=department, code="U2")
    MaterialFactory(item=untouched, name="不动")
    data = workbook_bytes(
        [item_row("U1", 事项名称="新", **{PROMISED: 10})],
        materials=[{"实施编码": "U1", "材料名称": "新材料"}],
    )
    outcome = import_catalog(actor=director, center=hall, source=data)
    assert (outcome.created, outcome.updated) == (0, 1)
    item.refresh_from_db()
    assert (item.name, item.promised_days) == ("新", 10)
    assert outcome.warnings == ["U1"]  # 10 of 20 days is above 40%
    assert list(item.materials.values_list("name", flat=True)) == ["新材料"]
    assert list(untouched.materials.values_list("name", flat=True)) == ["不动"]


def test_round_trip_export_then_import_into_the_emptied_center(
    hall, director, department, other_department
):
    for number in range(6):
        item = ServiceItemFactory(
            center=hall,
            department=department if number % 2 else other_department,
            code=f"RT{number}",
            name=f"往返事项{number}",
            legal_days=20,
            promised_days=number,
            basis="《行政许可法》\n第三十条",
            procedure="申请—受理—审核—决定",
            on_the_spot=number == 0,
            online_available=number % 3 == 0,
            visits_required=number % 3,
            phone="0571-12345678",
            place="一楼",
            deciding_level="city" if number == 5 else "",
            overdue_defaults_to_approval=number == 4,
            is_active=number != 3,
            fee_free=number % 2 == 0,
        )
        if number == 1:
            item.joint_departments.add(other_department)
        MaterialFactory(item=item, name="申请书", position=0)
        MaterialFactory(item=item, name="身份证", position=1, is_main=False, form="both", copies=2)
        if not item.fee_free:
            FeeItemFactory(item=item, name="工本费", standard_amount=Decimal("12.50"), unit="本")
        ItemWindowFactory(
            item=item,
            window=hall.windows.get(number=1 + number % 2),
            authorization=["full", "partial", "limited"][number % 3],
        )
    before = snapshot(hall)
    exported = export_catalog(hall)

    ServiceItem.objects.filter(center=hall).delete()
    outcome = import_catalog(actor=director, center=hall, source=exported)
    assert outcome.ok, outcome.problems
    assert outcome.created == 6
    assert snapshot(hall) == before

    # Importing the same file again changes nothing either.
    again = import_catalog(actor=director, center=hall, source=exported)
    assert (again.created, again.updated) == (0, 6)
    assert snapshot(hall) == before


def test_export_has_the_four_sheets_with_chinese_headers(hall, department):
    ServiceItemFactory(center=hall, department=department, code="E1")
    workbook = load_workbook(io.BytesIO(export_catalog(hall)))
    assert workbook.sheetnames[:4] == ["事项", "材料", "收费", "窗口"]
    assert [c.value for c in workbook["事项"][1]] == ITEM_HEADERS
    assert workbook["事项"]["A2"].value == "E1"


def test_import_job_reports_progress_and_result(hall, director, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    rows = [item_row(f"P{n:04d}") for n in range(450)]
    materials = [{"实施编码": f"P{n:04d}", "材料名称": "申请书"} for n in range(450)]
    upload = SimpleUploadedFile("catalog.xlsx", workbook_bytes(rows, materials=materials))
    job = catalog_import_start(actor=director, center=hall, upload=upload)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, (job.message, job.errors[:3])
    # 900 rows checked, then 450 items and 450 materials written.
    assert job.total == 1800
    assert job.done == job.total
    assert job.result["created"] == 450
    assert job.center_id == hall.pk
    assert ServiceItem.objects.filter(center=hall).count() == 450
    assert Material.objects.filter(item__center=hall).count() == 450
    assert not list(Path(tmp_path).rglob("*.xlsx")), "the uploaded file is removed"
    assert PROGRESS_EVERY < 450  # progress was written in several steps, not once per row


def test_failed_import_job_lists_problems(hall, director, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    upload = SimpleUploadedFile("catalog.xlsx", workbook_bytes([item_row("F1", **{PROMISED: 99})]))
    job = catalog_import_start(actor=director, center=hall, upload=upload)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [
        {
            "sheet": "事项",
            "row": 2,
            "column": "承诺时限（工作日）",
            "message": job.errors[0]["message"],
        }
    ]
    assert not ServiceItem.objects.exists()


def test_import_start_refuses_a_wrong_file_before_starting_a_job(hall, director):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        catalog_import_start(
            actor=director, center=hall, upload=SimpleUploadedFile("list.csv", b"a,b\n")
        )
    assert not Job.objects.exists()


def test_windows_of_another_center_are_unknown(hall, director, other_county):
    WindowFactory(center=other_county, number=5)
    DepartmentFactory(center=other_county, code="SCJG")
    data = workbook_bytes([item_row("W1")], windows=[{"实施编码": "W1", "窗口编号": 5}])
    outcome = import_catalog(actor=director, center=hall, source=data)
    assert problems_of(outcome) == {("窗口", 2, "窗口编号")}
    assert not ItemWindow.objects.exists() and not FeeItem.objects.exists()


@pytest.mark.parametrize("text", ["=SUM(A1:A2)", "_x0041_ 转义", "  前后空格  ", "甲\r\n乙"])
def test_awkward_text_round_trips_as_text(hall, director, department, text):
    from govhall.catalog.services.items import item_create

    item = item_create(
        actor=director,
        center=hall,
        department=department,
        code="AWK",
        name=text,
        item_type="licensing",
        legal_days=5,
        promised_days=1,
        basis=text,
    ).item
    before = snapshot(hall)
    exported = export_catalog(hall)
    ServiceItem.objects.filter(pk=item.pk).delete()
    outcome = import_catalog(actor=director, center=hall, source=exported)
    assert outcome.ok, outcome.problems
    assert snapshot(hall) == before
