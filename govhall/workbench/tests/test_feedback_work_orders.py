"""Workbench pages of the 12345 work orders: who opens them, the masked list with the overdue
first, the buttons from the state table, typing an order in, the deliveries page and its retry."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.models import Event
from govhall.feedback.models import DeliveryStatus, WebhookDelivery, WorkOrderStatus
from govhall.feedback.services.work_orders import work_order_sign
from govhall.testing.work_orders import make_work_order

pytestmark = pytest.mark.django_db

LIST = "/staff/feedback/work-orders/"
NEW = "/staff/feedback/work-orders/new/"
DELIVERIES = "/staff/feedback/work-orders/deliveries/"


@pytest.fixture
def order(director, department):  # type: ignore[no-untyped-def]
    return make_work_order(actor=director, center=director.staff.center, department=department)


@pytest.mark.parametrize(
    ("who", "list_page", "new_page"),
    [
        ("director", 200, 200),
        ("admin_user", 200, 200),
        ("dept_leader", 200, 404),
        ("window_head", 200, 404),
        ("reviewer", 200, 404),
        ("approver", 200, 404),
        ("clerk", 404, 404),
        ("guide", 404, 404),
        ("supervisor", 404, 404),
        ("social_supervisor", 404, 404),
        ("outsider", 200, 200),
    ],
)
def test_who_opens_the_pages(request, client_as, order, who, list_page, new_page):
    client = client_as(request.getfixturevalue(who))
    assert client.get(LIST).status_code == list_page
    assert client.get(NEW).status_code == new_page
    assert client.get(DELIVERIES).status_code == new_page
    detail = client.get(f"{LIST}{order.pk}/")
    assert detail.status_code == (200 if list_page == 200 and who != "outsider" else 404)


def test_the_list_masks_phones_and_puts_overdue_first(client_as, director, department, order):
    late = make_work_order(
        actor=director,
        center=director.staff.center,
        department=department,
        number="12345-LATE",
        received_at=timezone.now() - datetime.timedelta(days=10),
    )
    page = client_as(director).get(LIST)
    html = page.content.decode()
    assert "138****8000" in html and "13800138000" not in html
    assert html.index("12345-LATE") < html.index("12345-0001")
    overdue_only = client_as(director).get(LIST + "?overdue=1").content.decode()
    assert "12345-LATE" in overdue_only and "12345-0001" not in overdue_only
    assert late.pk


def test_buttons_follow_the_table_and_act(client_as, dept_leader, director, order):
    leader = client_as(dept_leader)
    page = leader.get(f"{LIST}{order.pk}/").content.decode()
    assert 'id="work-order-sign"' in page and 'id="work-order-send-back"' in page
    assert 'id="work-order-route"' not in page and 'id="work-order-return-visit"' not in page
    stale = leader.post(f"{LIST}{order.pk}/", {"action": "sign", "version": "9"}, follow=True)
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.RECEIVED and stale.status_code == 200
    signed = leader.post(f"{LIST}{order.pk}/", {"action": "sign", "version": "1"})
    assert signed.status_code == 302
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.SIGNED
    page = leader.get(f"{LIST}{order.pk}/").content.decode()
    assert 'id="work-order-reply-form"' in page and 'id="work-order-extend"' in page
    leader.post(f"{LIST}{order.pk}/", {"action": "reply", "p-version": "2", "p-reply": "已处理"})
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.REPLIED
    boss = client_as(director)
    page = boss.get(f"{LIST}{order.pk}/").content.decode()
    assert 'id="work-order-return-visit"' in page
    boss.post(
        f"{LIST}{order.pk}/",
        {"action": "return_visit", "v-version": "3", "v-satisfied": "no", "v-note": "没解决"},
    )
    order.refresh_from_db()
    assert order.status == WorkOrderStatus.SIGNED and order.redo_count == 1


def test_revealing_the_phone_is_logged(client_as, dept_leader, order):
    leader = client_as(dept_leader)
    assert "13800138000" not in leader.get(f"{LIST}{order.pk}/").content.decode()
    shown = leader.post(f"{LIST}{order.pk}/", {"action": "reveal", "x-purpose": "回访核实"})
    assert "13800138000" in shown.content.decode()
    assert Event.objects.filter(action="feedback.view_personal_data").count() == 1


def test_typing_an_order_in(client_as, director, department):
    boss = client_as(director)
    data = {
        "center": director.staff.center.pk,
        "hotline_number": "GD-PHONE-1",
        "kind": "help",
        "title": "求助",
        "content": "老人迷路",
        "citizen_phone": "13800138000",
        "department": department.pk,
    }
    done = boss.post(NEW, data)
    assert done.status_code == 302
    again = boss.post(NEW, data)  # the same number again: the same order
    assert again.status_code == 302 and again["Location"] == done["Location"]
    refused = boss.post(NEW, {**data, "content": "别的", "citizen_phone": "123"})
    assert refused.status_code == 200 and "has-error" in refused.content.decode()


def test_deliveries_page_and_retry(client_as, director, dept_leader, order):
    work_order_sign(actor=dept_leader, order=order)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    boss = client_as(director)
    page = boss.get(DELIVERIES).content.decode()
    assert "12345-0001:sign:1" in page
    boss.post(f"{DELIVERIES}{delivery.pk}/retry/")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0
    assert client_as(dept_leader).post(f"{DELIVERIES}{delivery.pk}/retry/").status_code == 404
