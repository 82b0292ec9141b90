"""The public disclosure pages on a phone (issue 18 item 5): at 390×844 a citizen finds the
phones, the notices and the hall's 办件公示 from the portal, the case list reads as cards without
sideways scrolling, and axe finds no serious violation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.frontdesk.models import HallNotice
from govhall.testing.axe import assert_accessible
from govhall.testing.cases import bare_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_disclosure_reads_on_a_phone(phone_page, county, department):
    county.complaint_phone = "0571-12345"
    county.supervision_phone = "0571-12346"
    county.save()
    HallNotice.objects.create(
        center=county,
        title="周六延时服务",
        body="每周六上午9:00-12:00提供不动产、社保业务延时服务。",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        is_published=True,
    )
    case = bare_case(
        county=county,
        department=department,
        number="33010020261207000001",
        name="欧阳明月",
        accepted_at=timezone.now() - datetime.timedelta(hours=3),
    )
    case.item.name = "企业开办（设立登记、公章刻制、发票申领、社保登记、公积金缴存登记“一件事”）"
    case.item.save()
    page = phone_page
    page.goto(f"{page.base_url}/disclosure/")
    page.get_by_role("link", name=county.name).click()
    page.wait_for_url(f"**/disclosure/{county.code}/")
    assert page.locator('[data-phone="complaint"]').inner_text() == "0571-12345"
    assert page.locator('[data-phone="supervision"]').is_visible()
    assert page.get_by_text("周六延时服务").is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    assert_accessible(page)

    page.locator("#link-cases").click()
    page.wait_for_url(f"**/disclosure/{county.code}/cases/")
    row = page.locator('[data-case="33010020261207000001"]')
    assert row.is_visible()
    assert row.locator('[data-field="applicant"]').inner_text().endswith("欧**月")
    assert "欧阳明月" not in page.content()
    assert page.evaluate(OVERFLOW) <= 0
    # The rows read as cards: nothing to scroll sideways inside the table either.
    wrap = "(() => { const w = document.querySelector('.table-wrap'); "
    wrap += "return w.scrollWidth - w.clientWidth; })()"
    assert page.evaluate(wrap) <= 0
    assert_accessible(page)
