"""Public guide pages: search by name, department, type and center; the six publics; 404s."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govhall.org.models import Center
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def licence(county, department, other_department):  # type: ignore[no-untyped-def]
    item = ServiceItemFactory(
        center=county,
        department=department,
        code="GUIDE-1",
        name="个体工商户设立登记",
        item_type="licensing",
        basis="《个体工商户条例》第八条",
        conditions="有经营能力的公民",
        procedure="申请—受理—审核—发照",
        legal_days=15,
        promised_days=3,
        place="政务服务中心一楼",
        phone="0571-88880000",
        online_available=True,
        visits_required=0,
        fee_free=False,
    )
    item.joint_departments.add(other_department)
    MaterialFactory(item=item, name="个体工商户登记（备案）申请书", is_main=True, copies=1)
    MaterialFactory(item=item, name="经营者身份证明", is_main=False, form="copy", position=1)
    FeeItemFactory(
        item=item,
        name="营业执照工本费",
        standard_amount=Decimal("10.00"),
        standard_basis="价费字〔2019〕1号",
    )
    window = WindowFactory(center=county, number=5, name="市场准入窗口")
    ItemWindowFactory(item=item, window=window, authorization="full")
    return item


@pytest.fixture
def benefit(county, other_department):  # type: ignore[no-untyped-def]
    return ServiceItemFactory(
        center=county,
        department=other_department,
        code="GUIDE-2",
        name="高龄津贴发放",
        item_type="benefit",
    )


def guide_links(response) -> set[str]:  # type: ignore[no-untyped-def]
    body = response.content.decode()
    return {
        code for code in ("GUIDE-1", "GUIDE-2", "GUIDE-3", "TOWN-1") if f"/guides/{code}/" in body
    }


def test_guide_list_is_public_and_lists_published_items(client, licence, benefit):
    ServiceItemFactory(
        center=licence.center, department=licence.department, code="GUIDE-3", is_active=False
    )
    response = client.get(reverse("portal:guides"))
    assert response.status_code == 200
    assert guide_links(response) == {"GUIDE-1", "GUIDE-2"}
    body = response.content.decode()
    assert 'type="search"' in body and 'class="search-form"' in body


def test_guide_list_search_by_name_department_and_type(client, licence, benefit, department):
    url = reverse("portal:guides")
    assert guide_links(client.get(url, {"q": "个体"})) == {"GUIDE-1"}
    assert guide_links(client.get(url, {"q": "津贴"})) == {"GUIDE-2"}
    assert guide_links(client.get(url, {"department": department.pk})) == {"GUIDE-1"}
    assert guide_links(client.get(url, {"type": "benefit"})) == {"GUIDE-2"}
    assert guide_links(client.get(url, {"q": "登记", "type": "benefit"})) == set()


def test_guide_list_per_center(client, licence, town):
    town_department = DepartmentFactory(center=town)
    ServiceItemFactory(center=town, department=town_department, code="TOWN-1", name="农村建房审批")
    url = reverse("portal:guides")
    assert guide_links(client.get(url)) == {"GUIDE-1", "TOWN-1"}
    assert guide_links(client.get(url, {"center": town.code})) == {"TOWN-1"}
    assert guide_links(client.get(url, {"center": licence.center.code})) == {"GUIDE-1"}
    # A department of another center is not a valid choice for this center: a message, no crash.
    response = client.get(url, {"center": town.code, "department": licence.department.pk})
    assert response.status_code == 200 and "banner-warn" in response.content.decode()
    # Unknown center: a message and all centers.
    response = client.get(url, {"center": "NOPE"})
    assert "banner-warn" in response.content.decode()
    assert guide_links(response) == {"GUIDE-1", "TOWN-1"}
    # Items of an inactive center are not public.
    Center.objects.filter(pk=town.pk).update(is_active=False)
    assert guide_links(client.get(url)) == {"GUIDE-1"}


def test_guide_list_query_count(client, county, department, django_assert_max_num_queries):
    for n in range(30):
        ServiceItemFactory(center=county, department=department, code=f"Q{n:02d}")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("portal:guides"))
    assert response.content.decode().count('href="/guides/Q') == 30


def test_guide_detail_shows_the_six_publics_and_prints(client, licence):
    response = client.get(reverse("portal:guide", args=[licence.code]))
    assert response.status_code == 200
    body = response.content.decode()
    for section in (
        "public-department",
        "public-item",
        "public-procedure",
        "public-materials",
        "public-time-limit",
        "public-fees",
    ):
        assert f'id="{section}"' in body
    for expected in (
        licence.department.name,  # department
        "县不动产登记中心",  # joint department
        "个体工商户设立登记",  # item
        "《个体工商户条例》第八条",  # basis
        "有经营能力的公民",  # conditions
        '<ol class="steps" id="procedure-steps"><li>申请</li><li>受理</li>',  # procedure
        "个体工商户登记（备案）申请书",  # materials
        "经营者身份证明",
        "营业执照工本费",  # fees
        "10.00",
        "价费字〔2019〕1号",
        "市场准入窗口",  # window
        "政务服务中心一楼",  # place
        "0571-88880000",  # phone
        licence.center.name,  # print header
        licence.code,
        "data-print",
        'class="six-publics"',
    ):
        assert expected in body, expected
    # Time limits: legal 15 and promised 3 working days.
    assert "15" in body and "3" in body


def test_unpublished_unknown_and_closed_center_guides_are_404(client, licence):
    assert client.get(reverse("portal:guide", args=["NOPE"])).status_code == 404
    licence.is_active = False
    licence.save()
    assert client.get(reverse("portal:guide", args=[licence.code])).status_code == 404
    other = ServiceItemFactory(center=CenterFactory(is_active=False), code="CLOSED-1")
    assert client.get(reverse("portal:guide", args=[other.code])).status_code == 404


def test_guide_detail_query_count(client, licence, django_assert_max_num_queries):
    for n in range(10):
        MaterialFactory(item=licence, name=f"材料{n}")
    with django_assert_max_num_queries(6):
        client.get(reverse("portal:guide", args=[licence.code]))
