"""Conditional materials (issue 17 item 2): a material required only when a condition holds
(委托书 only when a representative applies) is kept in the catalog, edited on the workbench pages
and carried by the catalog workbook both ways."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from govhall.catalog.models import Material, ServiceItem
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.materials import material_add, material_update
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.factories import MaterialFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db
CONDITION = "委托代理人办理时"


@pytest.fixture
def item(county, department) -> ServiceItem:
    return ServiceItemFactory(center=county, department=department, code="C1", name="条件事项")


def test_material_add_and_update_keep_the_condition(director, item):
    material = material_add(actor=director, item=item, name="授权委托书", condition=CONDITION)
    assert Material.objects.get(pk=material.pk).condition == CONDITION
    material_update(actor=director, material=material, condition="")
    assert Material.objects.get(pk=material.pk).condition == ""
    with pytest.raises(ValidationError) as error:
        material_add(actor=director, item=item, name="x", condition="长" * 201)
    assert "condition" in error.value.message_dict


def test_workbook_exports_and_imports_the_condition(director, county, item):
    MaterialFactory(item=item, name="申请书", position=0)
    MaterialFactory(item=item, name="授权委托书", position=1, condition=CONDITION)
    exported = export_catalog(county)
    sheet = load_workbook(io.BytesIO(exported))["材料"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("适用条件")
    assert [row[column] for row in rows[1:]] == [None, CONDITION]
    Material.objects.filter(item=item).update(condition="")
    outcome = import_catalog(actor=director, center=county, source=exported)
    assert outcome.ok, outcome.problems
    assert item.materials.get(name="授权委托书").condition == CONDITION
    assert item.materials.get(name="申请书").condition == ""


def test_import_reports_a_condition_too_long(director, county, department):
    data = workbook_bytes(
        [item_row("C2")],
        materials=[{"实施编码": "C2", "材料名称": "委托书", "适用条件": "长" * 201}],
    )
    outcome = import_catalog(actor=director, center=county, source=data)
    assert not outcome.ok
    assert any(p["column"] == "适用条件" for p in outcome.problems)
    assert not ServiceItem.objects.filter(code="C2").exists()


def test_workbench_adds_edits_and_shows_the_condition(client_as, director, item):
    client = client_as(director)
    client.post(
        reverse("workbench:material_add", args=[item.pk]),
        {"name": "授权委托书", "form": "original", "copies": 1, "condition": CONDITION},
        HTTP_HX_REQUEST="true",
    )
    material = item.materials.get(name="授权委托书")
    assert material.condition == CONDITION
    page = client.get(reverse("workbench:item", args=[item.pk])).content.decode()
    assert "data-condition" in page and CONDITION in page
    edit = client.get(reverse("workbench:material_edit", args=[material.pk])).content.decode()
    assert f'value="{CONDITION}"' in edit
    client.post(
        reverse("workbench:material_edit", args=[material.pk]),
        {"name": "授权委托书", "form": "original", "copies": 1, "condition": "代办时"},
    )
    material.refresh_from_db()
    assert material.condition == "代办时"
