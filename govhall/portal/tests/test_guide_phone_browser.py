"""The guide on a phone (issue 17 item 9): at 390×844 the materials read as cards with form,
copies, source and remarks in view and nothing to scroll sideways, the procedure is a numbered
list, and the guide leads to booking at the queue group that serves the item."""

from __future__ import annotations

import pytest

from govhall.testing.factories import MaterialFactory, ServiceItemFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("hall_open"),
]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def test_guide_reads_on_a_phone_and_leads_to_booking(phone_page, county, queue_groups):
    group = queue_groups["B"]
    item = ServiceItemFactory(
        center=county,
        department=group.department,
        code="PHONE-GUIDE-1",
        name="不动产抵押权首次登记（含在建建筑物抵押、预购商品房抵押预告登记转本登记）",
        procedure="1. 申请：到4号窗口提交申请；2. 受理：窗口一次收齐材料；3. 办结：当场登簿发证。",
        online_available=True,
    )
    MaterialFactory(
        item=item,
        name="不动产登记申请书（抵押权人与抵押人共同申请，须加盖公章并由法定代表人签字）",
        form="copy",
        copies=3,
        source="申请人自备；政务服务网“表格下载”栏目提供空白表格及填写样本",
        note="复印件须注明“与原件一致”并签名，原件核对后当场退还",
    )
    MaterialFactory(item=item, name="授权委托书", condition="委托他人代办时", position=1)
    group.items.add(item)

    page = phone_page
    page.goto(f"{page.base_url}/guides/{item.code}/")
    assert page.evaluate(OVERFLOW) <= 0  # nothing to scroll sideways
    card = page.locator("#material-cards li").first
    for fact, text in (
        ("form", "复印件"),
        ("copies", "3"),
        ("source", "表格下载"),
        ("note", "与原件一致"),
    ):
        cell = card.locator(f"[data-fact='{fact}']")
        assert text in cell.inner_text()
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, fact
    condition = page.locator("#material-cards li").nth(1).locator("[data-fact='condition']")
    assert condition.inner_text() == "委托他人代办时"
    steps = page.locator("#procedure-steps li")
    assert steps.all_inner_texts() == [
        "申请：到4号窗口提交申请",
        "受理：窗口一次收齐材料",
        "办结：当场登簿发证。",
    ]
    assert "可网上办理" in page.inner_text("#apply-online")
    assert "B 不动产" in page.inner_text("#apply-kiosk")

    page.click("#apply-book-B")
    page.wait_for_url(f"**/appointments/c/{county.code}/B/**")
    assert page.locator("#appt-days").is_visible()
