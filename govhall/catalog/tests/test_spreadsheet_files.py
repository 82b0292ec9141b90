"""Blank forms and samples through the catalog spreadsheet (issue 18 item 5): the 材料 sheet
names each file (空白表格文件, 填写样本文件) and the files come in a .zip; export writes the
names and a zip of the files, which import back with the same bytes; a name neither in the zip
nor the material's current file, or a file of another kind, is a problem and nothing changes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Material, ServiceItem
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.material_files import material_file_attach
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.catalog.spreadsheet.files import export_material_files
from govhall.core.models import Event
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.material_files import (
    DOCX_BYTES,
    EXE_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    upload_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


class _GbkName(zipfile.ZipInfo):
    def _encodeFilenameFlags(self):  # type: ignore[no-untyped-def]
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def _zip(members: dict[str, bytes], *, utf8: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            if utf8:
                archive.writestr(f"表格/{name}", data)
            else:  # as Chinese Windows writes it: GBK bytes, no UTF-8 flag
                archive.writestr(_GbkName(name), data)
    return buffer.getvalue()


def _files_of(code: str) -> list[tuple[str, bytes | None, bytes | None]]:
    rows = []
    for material in Material.objects.filter(item__code=code).order_by("position"):
        form = material.blank_form.open("rb").read() if material.blank_form else None
        sample = material.sample.open("rb").read() if material.sample else None
        rows.append((material.name, form, sample))
    return rows


def _catalog_with_files(director, county, department):  # type: ignore[no-untyped-def]
    department.code = "SCJG"
    department.save()
    outcome = import_catalog(
        actor=director,
        center=county,
        source=workbook_bytes(
            [item_row("F1")],
            materials=[
                {"实施编码": "F1", "材料名称": "申请书", "空白表格文件": "申请书.pdf"},
                {
                    "实施编码": "F1",
                    "材料名称": "营业执照",
                    "空白表格文件": "执照.docx",
                    "填写样本文件": "执照样本.png",
                },
                {"实施编码": "F1", "材料名称": "身份证"},
            ],
        ),
        files=_zip({"申请书.pdf": PDF_BYTES, "执照.docx": DOCX_BYTES, "执照样本.png": PNG_BYTES}),
    )
    assert outcome.ok, outcome.problems
    return ServiceItem.objects.get(code="F1")


EXPECTED = [
    ("申请书", PDF_BYTES, None),
    ("营业执照", DOCX_BYTES, PNG_BYTES),
    ("身份证", None, None),
]


def test_import_attaches_the_named_files_by_content(director, county, department):
    item = _catalog_with_files(director, county, department)
    assert _files_of("F1") == EXPECTED
    first = item.materials.get(name="申请书")
    assert first.blank_form.name.startswith("catalog/forms/")
    assert first.blank_form.name.endswith(".pdf")
    attached = Event.objects.filter(action=CatalogEvent.MATERIAL_FILE_ATTACH, center_id=county.pk)
    assert sorted(e.data["slot"] for e in attached) == ["blank_form", "blank_form", "sample"]


def test_round_trip_with_files(director, county, department, media):  # type: ignore[no-untyped-def]
    _catalog_with_files(director, county, department)
    workbook = export_catalog(county)
    files = export_material_files(county)
    # The catalog is gone (and its files with it); the workbook and zip bring it all back.
    ServiceItem.objects.filter(code="F1").delete()
    for stored in Path(media).rglob("*.*"):
        stored.unlink()
    outcome = import_catalog(actor=director, center=county, source=workbook, files=files)
    assert outcome.ok, outcome.problems
    assert _files_of("F1") == EXPECTED

    # Imported again without the zip: the names export wrote keep the files as they are.
    before = list(Material.objects.filter(item__code="F1").values_list("blank_form", "sample"))
    again = import_catalog(actor=director, center=county, source=export_catalog(county))
    assert again.ok, again.problems
    after = list(Material.objects.filter(item__code="F1").values_list("blank_form", "sample"))
    assert after == before
    assert _files_of("F1") == EXPECTED


def test_a_file_dropped_from_the_sheet_is_deleted(
    director, county, department, media, django_capture_on_commit_callbacks
):
    _catalog_with_files(director, county, department)
    old = Material.objects.get(item__code="F1", name="申请书").blank_form.name
    with django_capture_on_commit_callbacks(execute=True):
        outcome = import_catalog(
            actor=director,
            center=county,
            source=workbook_bytes(
                [item_row("F1")], materials=[{"实施编码": "F1", "材料名称": "申请书"}]
            ),
        )
    assert outcome.ok, outcome.problems
    assert not Material.objects.get(item__code="F1").blank_form
    assert not (Path(media) / old).exists()


def test_unknown_names_and_bad_content_are_problems_and_nothing_changes(
    director, county, department
):
    _catalog_with_files(director, county, department)
    outcome = import_catalog(
        actor=director,
        center=county,
        source=workbook_bytes(
            [item_row("F1", 事项名称="改名")],
            materials=[
                {"实施编码": "F1", "材料名称": "申请书", "空白表格文件": "没有这个.pdf"},
                {"实施编码": "F1", "材料名称": "程序", "填写样本文件": "setup.pdf"},
            ],
        ),
        files=_zip({"setup.pdf": EXE_BYTES}),
    )
    assert not outcome.ok
    problems = {(p["sheet"], p["row"], p["column"]) for p in outcome.problems}
    assert problems == {("材料", 2, "空白表格文件"), ("材料", 3, "填写样本文件")}
    assert "没有这个.pdf" in " ".join(p["message"] for p in outcome.problems)
    assert ServiceItem.objects.get(code="F1").name != "改名"
    assert _files_of("F1") == EXPECTED


def test_gbk_names_from_windows_zips_are_matched(director, county, department):
    department.code = "SCJG"
    department.save()
    outcome = import_catalog(
        actor=director,
        center=county,
        source=workbook_bytes(
            [item_row("F2")],
            materials=[{"实施编码": "F2", "材料名称": "申请书", "填写样本文件": "申请书样本.pdf"}],
        ),
        files=_zip({"申请书样本.pdf": PDF_BYTES}, utf8=False),
    )
    assert outcome.ok, outcome.problems
    assert _files_of("F2") == [("申请书", None, PDF_BYTES)]


def test_workbook_without_file_columns_keeps_files_by_material_name(director, county, department):
    item = _catalog_with_files(director, county, department)
    material_file_attach(
        actor=director,
        material=item.materials.get(name="身份证"),
        slot="sample",
        upload=upload_of(PNG_BYTES),
    )
    workbook = Workbook()
    workbook.remove(workbook.active)
    items = workbook.create_sheet("事项")
    row = item_row("F1")
    items.append(list(row))
    items.append(list(row.values()))
    materials = workbook.create_sheet("材料")
    materials.append(["实施编码", "材料名称"])
    for name in ("身份证", "申请书", "新材料"):
        materials.append(["F1", name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome = import_catalog(actor=director, center=county, source=buffer.getvalue())
    assert outcome.ok, outcome.problems
    assert _files_of("F1") == [
        ("身份证", None, PNG_BYTES),
        ("申请书", PDF_BYTES, None),
        ("新材料", None, None),
    ]
