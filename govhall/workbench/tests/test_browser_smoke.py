"""End to end in a real browser: a clerk logs in; a citizen opens a service guide on a phone."""

import pytest

from govhall.catalog.models import ServiceItem
from govhall.testing.factories import PASSWORD, FeeItemFactory, MaterialFactory, ServiceItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guide_item(county, department) -> ServiceItem:
    item = ServiceItemFactory(
        center=county,
        department=department,
        code="11330100MB2025000X4000110001",
        name="个体工商户设立登记",
        legal_days=15,
        promised_days=3,
        procedure="申请—受理—审核—发照",
        fee_free=False,
    )
    MaterialFactory(item=item, name="个体工商户登记（备案）申请书", is_main=True)
    FeeItemFactory(item=item, name="营业执照工本费", standard_amount="10.00")
    return item


def test_staff_login_reaches_workbench_and_shows_menu(page, director):
    page.goto(f"{page.base_url}/staff/")
    assert "/staff/login/" in page.url
    page.fill("#id_username", director.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form.stacked button[type=submit]").click()
    page.wait_for_url(f"{page.base_url}/staff/")
    nav = page.locator("#sidenav")
    assert nav.locator("a[href='/staff/items/']").count() == 1
    assert page.locator("h1").inner_text().strip() != ""
    # Chinese by default: the page is served in zh-hans and renders CJK glyphs.
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_wrong_password_stays_on_login_with_message(page, director):
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", director.username)
    page.fill("#id_password", "not-the-password")
    page.locator("form.stacked button[type=submit]").click()
    assert "/staff/login/" in page.url
    assert page.locator(".errorlist").count() >= 1


def test_citizen_finds_and_opens_a_guide_on_a_phone(phone_page, guide_item):
    page = phone_page
    page.goto(f"{page.base_url}/guides/")
    page.fill("input[type=search]", "个体")
    page.locator(".search-form button[type=submit]").click()
    page.locator(f"a[href='/guides/{guide_item.code}/']").first.click()
    page.wait_for_url(f"**/guides/{guide_item.code}/")
    body = page.locator("main").inner_text()
    for expected in (
        "个体工商户设立登记",
        "个体工商户登记（备案）申请书",
        "营业执照工本费",
        guide_item.department.name,
    ):
        assert expected in body
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
