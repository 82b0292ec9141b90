"""The licence verification page on a phone (issue 19 item 4): at 390×844 the QR code's address
shows the state big and the facts without sideways scrolling, the holder masked; axe finds no
serious violation."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.cases.models import ElectronicLicence
from govhall.testing.axe import assert_accessible
from govhall.testing.cases import bare_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_the_licence_verifies_on_a_phone(phone_page, county, department):
    case = bare_case(county=county, department=department, name="欧阳明月")
    today = timezone.localdate()
    ElectronicLicence.objects.create(
        case=case,
        holder=case.applicant,
        item=case.item,
        department=department,
        name="食品经营许可证",
        number="SCJG-2026-00001",
        identifier="330100SCJG.ITEM.202600001.8",
        verify_token="p" * 43,
        valid_from=today - datetime.timedelta(days=3),
        valid_until=today + datetime.timedelta(days=365),
        issued_at=timezone.now(),
    )
    page = phone_page
    page.goto(f"{page.base_url}/licences/verify/{'p' * 43}/")
    assert page.locator("#licence-state").is_visible()
    assert page.locator("#licence-verify").get_attribute("data-state") == "valid"
    assert page.locator("#licence-holder").inner_text() == "欧**月"
    assert "欧阳明月" not in page.content()
    assert page.evaluate(OVERFLOW) <= 0
    assert_accessible(page)
