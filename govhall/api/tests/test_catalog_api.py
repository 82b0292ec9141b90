"""Public catalog API: search with filters and pagination, one guide with materials and fees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govhall.testing.factories import (
    DepartmentFactory,
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/catalog"


@pytest.fixture
def items(county, department, other_department, town):  # type: ignore[no-untyped-def]
    licence = ServiceItemFactory(
        center=county,
        department=department,
        code="API-1",
        name="个体工商户设立登记",
        fee_free=False,
    )
    licence.joint_departments.add(other_department)
    MaterialFactory(item=licence, name="申请书", position=0)
    MaterialFactory(item=licence, name="身份证", position=1, is_main=False, form="copy")
    FeeItemFactory(
        item=licence, name="工本费", standard_amount=Decimal("10.00"), standard_basis="文件"
    )
    ItemWindowFactory(
        item=licence, window=WindowFactory(center=county, number=4), authorization="limited"
    )
    ServiceItemFactory(
        center=county,
        department=other_department,
        code="API-2",
        name="高龄津贴",
        item_type="benefit",
    )
    ServiceItemFactory(center=county, department=department, code="API-3", is_active=False)
    ServiceItemFactory(
        center=town,
        department=DepartmentFactory(center=town, code="SCJG"),
        code="API-4",
        name="镇事项",
    )
    return licence


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return sorted(item["code"] for item in response.json()["items"])


def test_list_is_public_and_hides_unpublished(client, items):
    response = client.get(f"{BASE}/items")
    assert codes(response) == ["API-1", "API-2", "API-4"]
    assert response.json()["count"] == 3
    first = next(i for i in response.json()["items"] if i["code"] == "API-1")
    assert first["department"] == {"code": "SCJG", "name": "县市场监督管理局"}
    assert first["item_type"] == "licensing" and first["item_type_label"]


def test_list_filters(client, items, county, town):
    assert codes(client.get(f"{BASE}/items", {"q": "个体"})) == ["API-1"]
    assert codes(client.get(f"{BASE}/items", {"type": "benefit"})) == ["API-2"]
    assert codes(client.get(f"{BASE}/items", {"department": "SCJG"})) == ["API-1", "API-4"]
    assert codes(client.get(f"{BASE}/items", {"center": town.code})) == ["API-4"]
    assert codes(client.get(f"{BASE}/items", {"center": county.code, "department": "SCJG"})) == [
        "API-1"
    ]


def test_list_pagination(client, items):
    response = client.get(f"{BASE}/items", {"page_size": 2, "page": 2})
    data = response.json()
    assert (data["count"], data["page"], data["pages"], data["page_size"]) == (3, 2, 2, 2)
    assert len(data["items"]) == 1


def test_list_bad_input(client, items):
    assert client.get(f"{BASE}/items", {"type": "tax"}).status_code == 422
    assert client.get(f"{BASE}/items", {"page_size": 1000}).status_code == 422
    assert client.get(f"{BASE}/items", {"center": "NOPE"}).status_code == 404


def test_one_guide_with_materials_fees_and_windows(client, items):
    response = client.get(f"{BASE}/items/API-1")
    assert response.status_code == 200
    guide = response.json()
    assert [m["name"] for m in guide["materials"]] == ["申请书", "身份证"]
    assert guide["materials"][1]["is_main"] is False
    assert guide["fees"] == [
        {"name": "工本费", "standard_amount": "10.00", "unit": "件", "standard_basis": "文件"}
    ]
    assert guide["windows"][0]["number"] == 4 and guide["windows"][0]["authorization"] == "limited"
    assert guide["joint_departments"] == [{"code": "BDC", "name": "县不动产登记中心"}]
    assert guide["center"]["code"] == "330100"


def test_unpublished_and_unknown_guides_are_404(client, items):
    assert client.get(f"{BASE}/items/API-3").status_code == 404
    assert client.get(f"{BASE}/items/NOPE").status_code == 404


def test_openapi_documents_the_catalog(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert f"{BASE}/items" in schema["paths"] and f"{BASE}/items/{{code}}" in schema["paths"]
    guide = schema["components"]["schemas"]["ItemGuide"]
    assert "materials" in guide["properties"] and "fees" in guide["properties"]
    fee = schema["components"]["schemas"]["FeeOut"]
    assert "approved standard" in fee["properties"]["standard_amount"]["description"].lower()
