"""The guide's ways to apply (issue 17 item 9): booking at the queue group that serves the item
(its own list of items first, else its department's plain line), the kiosk button to touch,
online application where the item allows it, and the procedure as numbered steps."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhall.catalog.queries.guides import procedure_steps
from govhall.frontdesk.models import ServiceGroup
from govhall.testing.factories import ServiceItemFactory

pytestmark = pytest.mark.django_db


def guide(client, item) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse("portal:guide", args=[item.code]))
    assert response.status_code == 200
    return str(response.content.decode())


def test_booking_links_the_group_listing_the_item_else_the_department_line(
    client, county, department
):
    item = ServiceItemFactory(center=county, department=department, code="LINK-1")
    plain = ServiceGroup.objects.create(
        center=county, letter="A", name="市场监管", department=department
    )
    body = guide(client, item)
    booking = reverse("portal:appointment_group", args=[county.code, "A"])
    assert f'href="{booking}?item=LINK-1"' in body  # the department's plain line
    assert "A 市场监管" in body

    themed = ServiceGroup.objects.create(center=county, letter="C", name="开办企业", position=1)
    themed.items.add(item)
    body = guide(client, item)
    assert 'id="apply-book-C"' in body and 'id="apply-book-A"' not in body
    plain.items.add(ServiceItemFactory(center=county, department=department, code="LINK-2"))
    themed.is_active = False
    themed.save()
    body = guide(client, item)  # no active group serves it: no booking link, no kiosk hint
    assert "apply-book-" not in body and 'id="apply-kiosk"' not in body


def test_online_application_where_the_item_allows_it(client, settings, county, department):
    item = ServiceItemFactory(
        center=county, department=department, code="ONLINE-1", online_available=True
    )
    settings.GOVHALL_ONLINE_HALL_URL = ""
    body = guide(client, item)
    assert 'id="apply-online"' in body and "可网上办理" in body
    online = body.split('id="apply-online"')[1].split("</li>")[0]
    assert "https://" not in online
    # The online hall's own application (issue 19 item 2).
    assert 'href="/apply/items/ONLINE-1/"' in online
    settings.GOVHALL_ONLINE_HALL_URL = "https://zwfw.example.gov.cn/apply"
    assert 'href="https://zwfw.example.gov.cn/apply?item=ONLINE-1"' in guide(client, item)
    item.online_available = False
    item.save()
    assert 'id="apply-online"' not in guide(client, item)


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        ("申请—受理—审核—发照", ["申请", "受理", "审核", "发照"]),
        (
            "1. 申请：到窗口提交；2. 受理：一次收齐；3. 办结。",
            ["申请：到窗口提交", "受理：一次收齐", "办结。"],
        ),
        ("1. 申请\n\n2、受理\n（3）审核\n第四步：发证", ["申请", "受理", "审核", "发证"]),
        ("窗口收件后当场办结，全程1个工作日", ["窗口收件后当场办结，全程1个工作日"]),
        ("", []),
    ],
)
def test_procedure_steps(text: str, steps: list[str]) -> None:
    assert procedure_steps(text) == steps
