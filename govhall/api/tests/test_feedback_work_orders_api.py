"""The 12345 work orders API: the hotline platform posts with its token (idempotent on its order
number, also under two posts at once on PostgreSQL), staff list and act; the error policy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from govhall.core.models import Event
from govhall.core.tokens import api_token_create
from govhall.feedback.models import WebhookDelivery, WorkOrder
from govhall.feedback.services.work_orders import work_order_receive
from govhall.testing.parallel import run_at_once
from govhall.testing.work_orders import local_receiver, make_hotline_account

URL = "/api/v1/feedback/work-orders/"


def order_body(**changes: Any) -> dict[str, Any]:
    body = {
        "hotline_number": "GD20261207001",
        "kind": "complaint",
        "title": "窗口态度差",
        "content": "办理营业执照时窗口人员态度差",
        "citizen_name": "李四",
        "citizen_phone": "13912345678",
        "department_code": "SCJG",
    }
    body.update(changes)
    return body


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def hotline(county):  # type: ignore[no-untyped-def]
    user = make_hotline_account(county)
    _token, key = api_token_create(actor=None, user=user, name="12345热线平台")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
def test_the_hotline_posts_an_order_idempotently(hotline, department):
    created = post(hotline, URL, order_body())
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "received" and data["department_code"] == "SCJG"
    assert data["citizen_phone"] == "139****5678" and data["source"] == "api"
    again = post(hotline, URL, order_body())
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    different = post(hotline, URL, order_body(content="另一件事"))
    assert different.status_code == 409
    assert "hotline_number" in different.json()["errors"]
    assert WorkOrder.objects.count() == 1
    bad = post(hotline, URL, order_body(hotline_number="N2", kind="gossip", title=""))
    assert bad.status_code == 422 and "kind" in bad.json()["errors"]
    unknown = post(hotline, URL, order_body(hotline_number="N3", department_code="NOPE"))
    assert unknown.status_code == 422 and "department_code" in unknown.json()["errors"]
    ancient = post(hotline, URL, order_body(hotline_number="N4", received_at="1900-01-01T08:00"))
    assert ancient.status_code == 422 and "received_at" in ancient.json()["errors"]
    assert Client().post(URL, "{}", content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_the_hotline_token_opens_nothing_else(hotline, other_county):
    assert hotline.get("/api/v1/cases/").json()["count"] == 0
    elsewhere = post(hotline, URL, order_body(center=other_county.pk))
    assert elsewhere.status_code == 404


@pytest.mark.django_db
def test_staff_act_through_the_api(hotline, department, client_as, dept_leader, director):
    order_id = post(hotline, URL, order_body()).json()["id"]
    staff = client_as(dept_leader)
    listed = staff.get(URL).json()
    assert listed["count"] == 1 and listed["items"][0]["citizen_phone"] == "139****5678"
    detail = staff.get(f"{URL}{order_id}")
    assert detail.json()["citizen_phone"] == "13912345678"
    assert Event.objects.filter(action="feedback.view_personal_data").count() == 1
    actions = staff.get(f"{URL}{order_id}/actions").json()
    assert [a["action"] for a in actions["actions"]] == ["sign", "send_back"]
    stale = post(staff, f"{URL}{order_id}/sign", {"version": 9})
    assert stale.status_code == 409
    signed = post(staff, f"{URL}{order_id}/sign", {"version": 1})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    again = post(staff, f"{URL}{order_id}/sign", {})
    assert again.status_code == 409
    extend = post(staff, f"{URL}{order_id}/extend", {"days": 11, "reason": "核查"})
    assert extend.status_code == 422 and "days" in extend.json()["errors"]
    assert post(staff, f"{URL}{order_id}/extend", {"days": 5, "reason": "核查"}).status_code == 200
    assert post(staff, f"{URL}{order_id}/extend", {"days": 1, "reason": "再"}).status_code == 409
    replied = post(staff, f"{URL}{order_id}/reply", {"reply": "已批评教育"})
    assert replied.json()["status"] == "replied"
    # The department does not record its own return visit; the hotline does.
    assert post(staff, f"{URL}{order_id}/return-visit", {"satisfied": True}).status_code == 422
    redo = post(hotline, f"{URL}{order_id}/return-visit", {"satisfied": False, "note": "不满意"})
    assert redo.json()["status"] == "signed" and redo.json()["redo_count"] == 1
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == ["reply", "sign"]


@pytest.mark.django_db
def test_outsiders_get_404(hotline, department, client_as, outsider, clerk):
    order_id = post(hotline, URL, order_body()).json()["id"]
    for user in (outsider, clerk):
        staff = client_as(user)
        assert staff.get(f"{URL}{order_id}").status_code == 404
        assert post(staff, f"{URL}{order_id}/sign", {}).status_code == 404
        assert staff.get(URL).json()["count"] == 0
        into_county = order_body(hotline_number="X1", center=department.center_id)
        assert post(staff, URL, into_county).status_code == 404


@pytest.mark.django_db
def test_management_types_in_and_routes(client_as, director, department):
    staff = client_as(director)
    created = post(staff, URL, order_body(hotline_number="", department_code=""))
    assert created.status_code == 201 and created.json()["source"] == "staff"
    order_id = created.json()["id"]
    assert created.json()["hotline_number"].startswith("RX")
    routed = post(staff, f"{URL}{order_id}/route", {"department": department.pk})
    assert routed.status_code == 200 and routed.json()["department_id"] == department.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs two real transactions at once (PostgreSQL)"
)
def test_two_posts_of_one_number_at_once_make_one_order(county, department):
    account = make_hotline_account(county)

    def receive() -> Any:
        return work_order_receive(
            actor=account,
            center=county,
            kind="consult",
            title="公积金",
            content="怎么提取公积金",
            hotline_number="GD-RACE-1",
            department=department,
            source="api",
        )

    results = run_at_once([receive, receive, receive])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _order, created in results) == [False, False, True]
    assert len({order.pk for order, _created in results}) == 1
    assert WorkOrder.objects.count() == 1


@pytest.mark.django_db
def test_end_to_end_the_reply_reaches_a_local_receiver_right_after_commit(
    settings, hotline, department, client_as, dept_leader, django_capture_on_commit_callbacks
):
    order_id = post(hotline, URL, order_body()).json()["id"]
    staff = client_as(dept_leader)
    with local_receiver("k", []) as receiver:
        settings.GOVHALL_HOTLINE_WEBHOOK_URL = receiver.url
        settings.GOVHALL_HOTLINE_WEBHOOK_SECRET = "k"
        with django_capture_on_commit_callbacks(execute=True):
            post(staff, f"{URL}{order_id}/sign", {})
        with django_capture_on_commit_callbacks(execute=True):
            post(staff, f"{URL}{order_id}/reply", {"reply": "已核实并整改"})
    assert [json.loads(r["body"])["event"] for r in receiver.requests] == ["sign", "reply"]
    assert all(receiver.valid(r) for r in receiver.requests)
    assert json.loads(receiver.requests[1]["body"])["reply"] == "已核实并整改"
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
