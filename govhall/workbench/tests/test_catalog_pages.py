"""Catalog pages of the workbench: lists, detail, editing, import and export, with scoping."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem
from govhall.catalog.spreadsheet.format import ITEM_COLUMNS, XLSX_CONTENT_TYPE
from govhall.core.models import Event, Job
from govhall.testing.factories import (
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def item(county, department):  # type: ignore[no-untyped-def]
    item = ServiceItemFactory(
        center=county,
        department=department,
        code="ITEM-1",
        name="个体工商户设立登记",
        legal_days=20,
        promised_days=3,
        fee_free=False,
    )
    MaterialFactory(item=item, name="登记申请书", position=0)
    FeeItemFactory(item=item, name="营业执照工本费", standard_amount=Decimal("10.00"))
    ItemWindowFactory(
        item=item, window=WindowFactory(center=county, number=3), authorization="full"
    )
    return item


@pytest.fixture
def other_item(county, other_department):  # type: ignore[no-untyped-def]
    return ServiceItemFactory(
        center=county, department=other_department, code="ITEM-2", name="不动产登记"
    )


def item_form_data(department, **changes):  # type: ignore[no-untyped-def]
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


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "事项"
    sheet.append([c.header for c in ITEM_COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- list ---------------------------------------------------------------------------------------


def test_items_list_shows_scope_with_badges_and_windows(client_as, director, item, other_item):
    ServiceItemFactory(
        center=item.center,
        department=item.department,
        legal_days=10,
        promised_days=9,
        name="超时承诺事项",
    )
    response = client_as(director).get(reverse("workbench:items"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "个体工商户设立登记" in body and "不动产登记" in body
    assert body.count('class="badge badge-warn"') >= 1  # the 40% badge of 9 of 10 days
    assert ">3</span>" in body  # window number


def listed(response, item) -> bool:  # type: ignore[no-untyped-def]
    return f'href="{reverse("workbench:item", args=[item.pk])}"' in response.content.decode()


def test_items_list_filters(client_as, director, item, other_item, department):
    client = client_as(director)
    url = reverse("workbench:items")
    assert listed(client.get(url, {"q": "个体"}), item)
    assert not listed(client.get(url, {"q": "个体"}), other_item)
    assert listed(client.get(url, {"q": "ITEM-2"}), other_item)
    by_department = client.get(url, {"department": department.pk})
    assert listed(by_department, item) and not listed(by_department, other_item)
    ServiceItem.objects.filter(pk=other_item.pk).update(is_active=False, item_type="benefit")
    assert not listed(client.get(url, {"published": "yes"}), other_item)
    hidden_benefits = client.get(url, {"item_type": "benefit", "published": "no"})
    assert listed(hidden_benefits, other_item) and not listed(hidden_benefits, item)


def test_outsider_and_department_staff_see_only_their_scope(
    client_as, outsider, clerk, item, other_item
):
    assert not listed(client_as(outsider).get(reverse("workbench:items")), item)
    response = client_as(clerk).get(reverse("workbench:items"))
    assert listed(response, item) and not listed(response, other_item)


def test_items_list_query_count_does_not_grow_with_items(
    client_as, director, county, department, django_assert_max_num_queries
):
    client = client_as(director)
    url = reverse("workbench:items")
    windows = [WindowFactory(center=county, number=n) for n in range(1, 4)]

    def make(count: int, start: int) -> None:
        for n in range(start, start + count):
            entry = ServiceItemFactory(center=county, department=department, code=f"Q{n}")
            MaterialFactory(item=entry)
            FeeItemFactory(item=entry)
            ItemWindowFactory(item=entry, window=windows[n % 3])

    make(3, 0)
    client.get(url)  # warm caches (calendar, sessions)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    make(27, 3)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.content.decode().count("<tr>") >= 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- detail ---------------------------------------------------------------------------------------


def test_item_detail_shows_materials_fees_windows_and_events(client_as, director, item):
    Event.objects.create(
        action="item.update", object_type="catalog.serviceitem", object_id=str(item.pk)
    )
    response = client_as(director).get(reverse("workbench:item", args=[item.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    for expected in ("登记申请书", "营业执照工本费", "10.00", "item.update", 'id="windows"'):
        assert expected in body
    assert reverse("workbench:item_edit", args=[item.pk]) in body


def test_item_detail_denied_outside_scope(client_as, outsider, dept_leader, item, other_item):
    assert client_as(outsider).get(reverse("workbench:item", args=[item.pk])).status_code == 404
    leader = client_as(dept_leader)
    assert leader.get(reverse("workbench:item", args=[other_item.pk])).status_code == 404
    page = leader.get(reverse("workbench:item", args=[item.pk]))
    assert page.status_code == 200
    assert reverse("workbench:item_edit", args=[item.pk]) not in page.content.decode()
    assert leader.get(reverse("workbench:item", args=[999999])).status_code == 404


# --- create and edit ----------------------------------------------------------------------------


def test_manager_creates_item_and_sees_the_40_percent_warning(client_as, director, department):
    client = client_as(director)
    assert client.get(reverse("workbench:item_new")).status_code == 200
    response = client.post(
        reverse("workbench:item_new"), item_form_data(department, promised_days=12), follow=True
    )
    item = ServiceItem.objects.get(code="NEW-1")
    assert response.redirect_chain[-1][0] == reverse("workbench:item", args=[item.pk])
    body = response.content.decode()
    assert "40%" in body
    assert Event.objects.for_object(item).filter(action="item.create", actor=director).exists()


def test_create_errors_are_shown_and_nothing_is_saved(client_as, director, department, item):
    client = client_as(director)
    response = client.post(
        reverse("workbench:item_new"), item_form_data(department, promised_days=25)
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    response = client.post(
        reverse("workbench:item_new"), item_form_data(department, code=item.code)
    )
    assert item.code in response.content.decode()
    assert not ServiceItem.objects.filter(code="NEW-1").exists()


def test_non_managers_and_outsiders_cannot_create(client_as, clerk, outsider, county, department):
    url = reverse("workbench:item_new")
    assert client_as(clerk).get(url).status_code == 404
    assert client_as(clerk).post(url, item_form_data(department)).status_code == 404
    # An outsider cannot create in a center outside their scope.
    response = client_as(outsider).post(f"{url}?center={county.pk}", item_form_data(department))
    assert response.status_code == 404
    assert not ServiceItem.objects.filter(code="NEW-1").exists()


def test_manager_edits_item(client_as, director, item, department, other_department):
    client = client_as(director)
    url = reverse("workbench:item_edit", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    version = page.context["form"].initial["version"]
    data = item_form_data(
        department,
        code=item.code,
        name="个体工商户设立登记（变更）",
        joint_departments=[other_department.pk],
        version=version,
    )
    response = client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.name == "个体工商户设立登记（变更）"
    assert list(item.joint_departments.all()) == [other_department]
    # The same form again is stale: refused, nothing changes.
    stale = client.post(url, {**data, "name": "覆盖"})
    assert stale.status_code == 200
    item.refresh_from_db()
    assert item.name == "个体工商户设立登记（变更）"


def test_edit_denied_to_non_managers_and_outsiders(client_as, clerk, outsider, item, department):
    url = reverse("workbench:item_edit", args=[item.pk])
    for user in (clerk, outsider):
        client = client_as(user)
        assert client.get(url).status_code == 404
        assert client.post(url, item_form_data(department, code=item.code)).status_code == 404
    item.refresh_from_db()
    assert item.name == "个体工商户设立登记"


def test_publish_and_unpublish(client_as, director, clerk, item):
    client = client_as(director)
    client.post(reverse("workbench:item_unpublish", args=[item.pk]))
    assert not ServiceItem.objects.get(pk=item.pk).is_active
    client.post(reverse("workbench:item_publish", args=[item.pk]))
    assert ServiceItem.objects.get(pk=item.pk).is_active
    response = client_as(clerk).post(reverse("workbench:item_unpublish", args=[item.pk]))
    assert response.status_code == 404
    assert ServiceItem.objects.get(pk=item.pk).is_active


# --- materials, fees, windows -------------------------------------------------------------------


def test_material_add_inline_edit_move_remove(client_as, director, item):
    client = client_as(director)
    response = client.post(
        reverse("workbench:material_add", args=[item.pk]),
        {"name": "身份证", "form": "copy", "copies": 1},
        **HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<section class="panel" id="materials">') and "身份证" in body
    added = item.materials.get(name="身份证")
    assert not added.is_main
    bad = client.post(
        reverse("workbench:material_add", args=[item.pk]), {"name": "", "form": "copy"}, **HTMX
    )
    assert 'class="errorlist' in bad.content.decode()
    assert item.materials.count() == 2
    client.post(reverse("workbench:material_move", args=[added.pk]), {"direction": "up"}, **HTMX)
    assert list(item.materials.values_list("name", flat=True)) == ["身份证", "登记申请书"]
    edit = client.post(
        reverse("workbench:material_edit", args=[added.pk]),
        {"name": "居民身份证", "is_main": "on", "form": "both", "copies": 2},
    )
    assert edit.status_code == 302
    added.refresh_from_db()
    assert (added.name, added.is_main, added.copies) == ("居民身份证", True, 2)
    removed = client.post(reverse("workbench:material_remove", args=[added.pk]))
    assert removed.status_code == 302
    assert not Material.objects.filter(pk=added.pk).exists()


def test_material_changes_denied(client_as, clerk, outsider, item):
    material = item.materials.get()
    for user in (clerk, outsider):
        client = client_as(user)
        assert (
            client.post(
                reverse("workbench:material_add", args=[item.pk]), {"name": "x"}
            ).status_code
            == 404
        )
        assert (
            client.post(reverse("workbench:material_remove", args=[material.pk])).status_code == 404
        )
        assert client.get(reverse("workbench:material_edit", args=[material.pk])).status_code == 404
    assert item.materials.count() == 1


def test_fee_add_requires_a_standard_and_remove_makes_the_item_free(client_as, director, item):
    client = client_as(director)
    bad = client.post(
        reverse("workbench:fee_add", args=[item.pk]),
        {"name": "证书费", "standard_amount": "0", "unit": "件", "standard_basis": ""},
        **HTMX,
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and body.count('class="errorlist') >= 1
    assert item.fees.count() == 1
    ok = client.post(
        reverse("workbench:fee_add", args=[item.pk]),
        {"name": "证书费", "standard_amount": "5.50", "unit": "本", "standard_basis": "文件"},
        **HTMX,
    )
    assert "证书费" in ok.content.decode()
    for fee in list(item.fees.all()):
        client.post(reverse("workbench:fee_remove", args=[fee.pk]), **HTMX)
    assert ServiceItem.objects.get(pk=item.pk).fee_free
    assert not FeeItem.objects.filter(item=item).exists()


def test_fee_edit_and_denial(client_as, director, clerk, item):
    fee = item.fees.get()
    assert client_as(clerk).get(reverse("workbench:fee_edit", args=[fee.pk])).status_code == 404
    response = client_as(director).post(
        reverse("workbench:fee_edit", args=[fee.pk]),
        {"name": "营业执照工本费", "standard_amount": "8", "unit": "件", "standard_basis": "文"},
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.standard_amount == Decimal("8.00")
    # A fee without the basis of its standard is refused on the page and changes nothing.
    refused = client_as(director).post(
        reverse("workbench:fee_edit", args=[fee.pk]),
        {"name": "营业执照工本费", "standard_amount": "9", "unit": "件", "standard_basis": ""},
    )
    assert refused.status_code == 200
    assert "errorlist" in refused.content.decode()
    fee.refresh_from_db()
    assert fee.standard_amount == Decimal("8.00")


def test_window_assignment(client_as, director, clerk, item, county, other_county):
    client = client_as(director)
    window = WindowFactory(center=county, number=8)
    response = client.post(
        reverse("workbench:item_window_set", args=[item.pk]),
        {"window": window.pk, "authorization": "limited"},
        **HTMX,
    )
    assert "8" in response.content.decode()
    assert ItemWindow.objects.get(item=item, window=window).authorization == "limited"
    foreign = WindowFactory(center=other_county, number=9)
    refused = client.post(
        reverse("workbench:item_window_set", args=[item.pk]),
        {"window": foreign.pk, "authorization": "full"},
        **HTMX,
    )
    assert 'class="errorlist' in refused.content.decode()
    assert not ItemWindow.objects.filter(window=foreign).exists()
    link = ItemWindow.objects.get(item=item, window=window)
    denied = client_as(clerk).post(reverse("workbench:item_window_remove", args=[link.pk]))
    assert denied.status_code == 404
    client_as(director).post(reverse("workbench:item_window_remove", args=[link.pk]), **HTMX)
    assert not ItemWindow.objects.filter(pk=link.pk).exists()


# --- import and export ----------------------------------------------------------------------------


def test_import_page_only_for_managers(client_as, director, clerk, outsider, county):
    assert client_as(director).get(reverse("workbench:catalog_import")).status_code == 200
    assert client_as(clerk).get(reverse("workbench:catalog_import")).status_code == 404
    upload = SimpleUploadedFile("c.xlsx", xlsx([["X1", "事项", "行政许可", "SCJG", "", 5, 1]]))
    response = client_as(outsider).post(
        reverse("workbench:catalog_import"), {"center": county.pk, "file": upload}
    )
    assert response.status_code == 200  # the form refuses a center outside the scope
    assert not Job.objects.exists() and not ServiceItem.objects.exists()


def test_import_refuses_wrong_type_and_oversize(client_as, director, county, settings):
    client = client_as(director)
    url = reverse("workbench:catalog_import")
    response = client.post(
        url, {"center": county.pk, "file": SimpleUploadedFile("list.csv", b"code,name\n")}
    )
    assert response.status_code == 200
    assert ".xlsx" in response.content.decode()
    settings.GOVHALL_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * 2000)
    response = client.post(url, {"center": county.pk, "file": big})
    assert 'class="errorlist' in response.content.decode()
    assert not Job.objects.exists()


def test_import_runs_a_job_and_shows_its_result(
    client_as, director, county, department, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = client_as(director)
    upload = SimpleUploadedFile(
        "c.xlsx", xlsx([["X1", "导入事项", "行政许可", department.code, "", 20, 5]])
    )
    response = client.post(
        reverse("workbench:catalog_import"), {"center": county.pk, "file": upload}
    )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("workbench:job", args=[job.pk])
    page = client.get(response["Location"])
    assert job.status == Job.Status.SUCCEEDED
    assert "100%" in page.content.decode()
    assert ServiceItem.objects.get(code="X1").name == "导入事项"


def test_import_problems_are_listed_on_the_job_page(
    client_as, director, county, department, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    client = client_as(director)
    data = xlsx(
        [
            ["X1", "好事项", "行政许可", department.code, "", 20, 5],
            ["X2", "坏事项", "行政许可", "NOPE", "", 5, 9],
        ]
    )
    response = client.post(
        reverse("workbench:catalog_import"),
        {"center": county.pk, "file": SimpleUploadedFile("c.xlsx", data)},
        follow=True,
    )
    body = response.content.decode()
    assert 'class="job-errors"' in body
    assert "实施部门编码" in body and "承诺时限（工作日）" in body
    assert Job.objects.get().status == Job.Status.FAILED
    assert not ServiceItem.objects.exists()


def test_export_downloads_the_centers_catalog(client_as, director, clerk, outsider, county, item):
    response = client_as(director).get(reverse("workbench:catalog_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["事项"]["A2"].value == item.code
    assert client_as(clerk).get(reverse("workbench:catalog_export")).status_code == 404
    outsider_response = client_as(outsider).get(
        reverse("workbench:catalog_export"), {"center": county.pk}
    )
    assert outsider_response.status_code == 404
