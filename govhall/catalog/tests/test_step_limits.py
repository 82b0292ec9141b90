"""Each step's own limit on an item (issue 14 item 2): the default, the service's bounds, the item
form and the spreadsheet."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from govhall.catalog.models import ServiceItem
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.items import item_create, item_update
from govhall.catalog.spreadsheet.exporting import export_catalog
from govhall.catalog.step_limits import Step, default_step_limit, step_limit
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db

REVIEW = "审查时限（工作日）"
DELIVERY = "送达时限（工作日）"


def create(director, county, department, **fields):  # type: ignore[no-untyped-def]
    return item_create(
        actor=director,
        center=county,
        department=department,
        code="LIM-1",
        name="限时事项",
        item_type="licensing",
        legal_days=20,
        promised_days=5,
        **fields,
    ).item


def test_an_empty_limit_is_the_default_from_the_setting(settings, county, department):
    item = ServiceItemFactory(center=county, department=department)
    assert item.limit_review_days is None
    assert step_limit(item, Step.REVIEW) == default_step_limit(Step.REVIEW) == 3
    settings.GOVHALL_STEP_LIMIT_DAYS = {**settings.GOVHALL_STEP_LIMIT_DAYS, "review": 7}
    assert step_limit(item, Step.REVIEW) == 7
    item.limit_review_days = 2
    assert step_limit(item, Step.REVIEW) == 2
    assert step_limit(item, Step.PREREVIEW) == 1 and step_limit(item, Step.ACCEPTANCE) == 1


@pytest.mark.parametrize("bad", [0, -1, 61, 999, "3"])
def test_the_service_refuses_limits_out_of_bounds(bad, director, county, department):
    with pytest.raises(ValidationError) as caught:
        create(director, county, department, limit_review_days=bad)
    assert "limit_review_days" in caught.value.message_dict
    assert "60" in caught.value.message_dict["limit_review_days"][0]
    assert not ServiceItem.objects.filter(code="LIM-1").exists()


def test_the_service_saves_and_clears_a_limit(director, county, department):
    item = create(director, county, department, limit_review_days=4, limit_delivery_days=60)
    assert (item.limit_review_days, item.limit_delivery_days) == (4, 60)
    item = item_update(actor=director, item=item, limit_review_days=None).item
    item.refresh_from_db()
    assert item.limit_review_days is None and item.limit_delivery_days == 60


def form_data(department, **changes):  # type: ignore[no-untyped-def]
    data = {
        "code": "NEW-1",
        "name": "新事项",
        "item_type": "licensing",
        "department": department.pk,
        "legal_days": 20,
        "promised_days": 5,
        "visits_required": 1,
        "is_active": "on",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("bad", ["-2", "0", "61", "三"])
def test_the_item_form_explains_a_bad_limit(bad, client_as, director, department):
    response = client_as(director).post(
        reverse("workbench:item_new"), form_data(department, limit_approval_days=bad)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errorlist' in body
    assert "60" in body.split('class="errorlist', 1)[1][:300]
    assert not ServiceItem.objects.filter(code="NEW-1").exists()


def test_the_item_form_saves_a_limit_and_shows_it_for_editing(client_as, director, department):
    client = client_as(director)
    client.post(reverse("workbench:item_new"), form_data(department, limit_approval_days="4"))
    item = ServiceItem.objects.get(code="NEW-1")
    assert item.limit_approval_days == 4 and item.limit_review_days is None
    page = client.get(reverse("workbench:item_edit", args=[item.pk])).content.decode()
    assert 'name="limit_approval_days"' in page and 'value="4"' in page


def test_the_spreadsheet_reports_bad_limits_and_changes_nothing(county, department, director):
    data = workbook_bytes(
        [
            item_row("A1", **{REVIEW: -1}),
            item_row("A2", **{DELIVERY: 61}),
            item_row("A3", **{REVIEW: "两天"}),
        ]
    )
    outcome = import_catalog(actor=director, center=county, source=data)
    assert not outcome.ok
    found = {(p["row"], p["column"]) for p in outcome.problems}
    assert {(2, REVIEW), (3, DELIVERY), (4, REVIEW)} <= found
    assert not ServiceItem.objects.filter(center=county).exists()


def test_the_spreadsheet_imports_and_exports_limits(county, department, director):
    data = workbook_bytes([item_row("A1", **{REVIEW: 4}), item_row("A2")])
    outcome = import_catalog(actor=director, center=county, source=data)
    assert outcome.ok, outcome.problems
    assert ServiceItem.objects.get(code="A1").limit_review_days == 4
    assert ServiceItem.objects.get(code="A2").limit_review_days is None
    sheet = load_workbook(io.BytesIO(export_catalog(county)))["事项"]
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index(REVIEW)
    assert {row[0]: row[column] for row in rows[1:]} == {"A1": 4, "A2": None}
