"""Applying online on a phone (issue 19 item 2): from the guide's "在线申请" button a signed-in
citizen fills the form, uploads a file per material, chooses express with an address, submits
and sees the case number; nothing to scroll sideways."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from govhall.cases.models import Case
from govhall.online.services.sessions import session_start
from govhall.testing.online import make_account
from govhall.testing.online_apply import offer_online
from govhall.testing.online_files import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_fill_upload_submit_on_a_phone(phone_page, case_item, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = offer_online(case_item)
    _session, raw_key = session_start(account=make_account(name="王五"))
    page = phone_page
    page.set_default_timeout(30_000)  # the first page of a live server can be slow on CI
    page.context.add_cookies(
        [
            {
                "name": django_settings.GOVHALL_ONLINE_COOKIE_NAME,
                "value": raw_key,
                "url": page.base_url,
            }
        ]
    )
    page.goto(f"{page.base_url}/guides/{item.code}/")
    page.click("#apply-online a")
    page.wait_for_url("**/apply/*/")
    assert page.evaluate(OVERFLOW) <= 0
    page.fill("#id_field_shop_name", "老王面馆")
    page.select_option("#id_field_business", "热食类食品制售")
    required = list(item.materials.filter(condition="").order_by("position"))
    for index, material in enumerate(required):
        data, name, mime = (
            (PNG_BYTES, "photo.png", "image/png")
            if index == 0
            else (PDF_BYTES, "scan.pdf", "application/pdf")
        )
        page.set_input_files(
            f"#id_material_{material.pk}", files=[{"name": name, "mimeType": mime, "buffer": data}]
        )
    assert not page.locator("#field-delivery_address").is_visible()
    page.check("input[name=delivery_method][value=express]")
    assert page.locator("#field-delivery_address").is_visible()
    page.fill("#id_delivery_address", "县城建设路 8 号")
    page.click("#apply-submit")
    page.wait_for_url("**/done/")
    case = Case.objects.get()
    assert page.inner_text("#case-number") == case.number
    assert page.locator("#apply-to-my").is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    assert case.materials.exclude(file="").count() == len(required)
