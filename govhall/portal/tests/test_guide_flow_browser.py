"""The guide's flow chart and downloads on a phone (issue 18 item 5): at 390×844 the flow chart
runs top to bottom in the procedure's order with nothing to scroll sideways, it stays on the
printed page, and the material's blank form downloads with the same bytes."""

from __future__ import annotations

import os

import pytest

from govhall.catalog.services.material_files import material_file_attach
from govhall.testing.factories import MaterialFactory, ServiceItemFactory
from govhall.testing.material_files import PDF_BYTES, upload_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_flow_chart_reads_top_to_bottom_on_a_phone(
    phone_page, county, director, settings, tmp_path
):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    item = ServiceItemFactory(
        center=county,
        code="FLOW-PHONE-1",
        procedure=(
            "申请：申请人通过政务服务网或到窗口提交不动产登记申请及全部材料\n"
            "受理：窗口工作人员一次性告知并当场受理\n"
            "审核（含实地查看、公告及利害关系人意见征询的特殊情形）：登记机构审核\n"
            "登簿\n"
            "缮证发证：窗口发放不动产权证书或电子证照"
        ),
    )
    material = MaterialFactory(item=item, name="不动产登记申请书")
    material_file_attach(
        actor=director, material=material, slot="blank_form", upload=upload_of(PDF_BYTES)
    )

    page = phone_page
    page.set_default_timeout(60_000)  # the shared CI machine may be slow
    page.goto(f"{page.base_url}/guides/{item.code}/")
    assert page.evaluate(OVERFLOW) <= 0  # nothing to scroll sideways
    boxes = page.locator("#procedure-flow .flow-step")
    assert page.locator("#procedure-flow .flow-title").all_inner_texts() == [
        "申请",
        "受理",
        "审核（含实地查看、公告及利害关系人意见征询的特殊情形）",
        "登簿",
        "缮证发证",
    ]
    tops = []
    for index in range(boxes.count()):
        box = boxes.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        tops.append(box["y"])
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # one under the other

    link = page.locator("#material-cards [data-file='blank_form']")
    response = page.request.get(f"{page.base_url}{link.get_attribute('href')}")
    assert response.status == 200 and response.body() == PDF_BYTES

    if shots := os.environ.get("GOVHALL_SCREENSHOTS"):  # a person looks at the page
        page.screenshot(path=f"{shots}/guide-flow-phone.png", full_page=True)
    page.emulate_media(media="print")
    assert page.locator("#procedure-flow").is_visible()
    assert not link.is_visible()
