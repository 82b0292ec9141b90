"""First-inquiry API: log, list (masked), detail (logged), acknowledge, finish, follow-ups,
transfers, rates, OpenAPI."""

from __future__ import annotations

import pytest

from govhall.core.models import Event
from govhall.frontdesk.models import Inquiry, InquiryStatus
from govhall.frontdesk.services.inquiries import inquiry_log

pytestmark = pytest.mark.django_db
BASE = "/api/v1/frontdesk/inquiries"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
JSON = "application/json"


@pytest.fixture
def transfer(guide, county, other_department, clerk_two):
    return inquiry_log(
        actor=guide,
        center=county,
        channel="phone",
        matter="不动产登记要带什么",
        outcome="transferred",
        contact_name="王五",
        contact_phone="13800138000",
        transferred_department=other_department,
        transferred_contact="不动产窗口李工",
    )


def test_needs_login(client):
    assert client.get(f"{BASE}/").status_code == 401


def test_log_answered_and_list_masked(client_as, guide, county):
    client = client_as(guide)
    made = client.post(
        f"{BASE}/",
        {
            "channel": "visit",
            "matter": "营业执照",
            "outcome": "answered",
            "answer": "1号窗口",
            "contact_phone": "13800138000",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "done" and body["first_responder"]["id"] == guide.pk
    assert body["contact_phone"] == "138****8000"
    listed = client.get(f"{BASE}/", {"channel": "visit"}).json()
    assert listed["count"] == 1 and listed["items"][0]["contact_phone"] == "138****8000"
    assert client.get(f"{BASE}/", {"channel": "phone"}).json()["count"] == 0


def test_refusals_are_422_and_change_nothing(client_as, guide, county, other_county):
    from govhall.testing.factories import WindowFactory

    client = client_as(guide)
    missing_answer = client.post(
        f"{BASE}/",
        {"channel": "visit", "matter": "x", "outcome": "answered"},
        content_type=JSON,
        **EN,
    )
    assert missing_answer.status_code == 422
    assert "answer" in missing_answer.json()["errors"]
    foreign = WindowFactory(center=other_county)
    guided = client.post(
        f"{BASE}/",
        {"channel": "visit", "matter": "x", "outcome": "guided", "guided_window": foreign.pk},
        content_type=JSON,
        **EN,
    )
    assert guided.status_code == 422
    assert guided.json()["errors"]["guided_window"] == [
        "The window is not an open window of this center."
    ]
    bad_phone = client.post(
        f"{BASE}/",
        {
            "channel": "phone",
            "matter": "x",
            "outcome": "answered",
            "answer": "y",
            "contact_phone": "999",
        },
        content_type=JSON,
        **EN,
    )
    assert bad_phone.status_code == 422 and "contact_phone" in bad_phone.json()["errors"]
    assert Inquiry.objects.count() == 0


def test_transfer_flow(client_as, transfer, guide, clerk_two):
    client = client_as(guide)
    follow = client.get(f"{BASE}/follow-ups").json()
    assert [row["id"] for row in follow] == [transfer.pk]
    assert follow[0]["overdue"] is False and follow[0]["due_on"]
    refused = client.post(f"{BASE}/{transfer.pk}/finish", {"result": "好"}, content_type=JSON)
    assert refused.status_code == 422
    client = client_as(clerk_two)
    mine = client.get(f"{BASE}/transfers").json()
    assert [row["id"] for row in mine["items"]] == [transfer.pk]
    taken = client.post(f"{BASE}/{transfer.pk}/acknowledge")
    assert taken.status_code == 200 and taken.json()["acknowledged_by"]["id"] == clerk_two.pk
    again = client.post(f"{BASE}/{transfer.pk}/acknowledge", **EN)
    assert again.status_code == 409 and "already been taken on" in again.json()["detail"]
    empty = client.post(f"{BASE}/{transfer.pk}/finish", {"result": " "}, content_type=JSON)
    assert empty.status_code == 422 and "result" in empty.json()["errors"]
    done = client.post(f"{BASE}/{transfer.pk}/finish", {"result": "已回电"}, content_type=JSON)
    assert done.status_code == 200 and done.json()["status"] == "done"
    transfer.refresh_from_db()
    assert transfer.status == InquiryStatus.DONE and transfer.result == "已回电"
    assert client_as(guide).get(f"{BASE}/follow-ups").json() == []


def test_detail_shows_full_phone_and_logs_the_view(client_as, transfer, guide):
    client = client_as(guide)
    body = client.get(f"{BASE}/{transfer.pk}", {"purpose": "回电"}).json()
    assert body["contact_phone"] == "13800138000"
    viewed = Event.objects.get(action="inquiry.view_contact")
    assert viewed.actor_id == guide.pk and viewed.note == "回电"


def test_outsider_gets_404(client_as, transfer, outsider, county):
    client = client_as(outsider)
    assert client.get(f"{BASE}/{transfer.pk}").status_code == 404
    assert client.post(f"{BASE}/{transfer.pk}/acknowledge").status_code == 404
    assert (
        client.post(f"{BASE}/{transfer.pk}/finish", {"result": "x"}, content_type=JSON).status_code
        == 404
    )
    assert client.get(f"{BASE}/").json()["count"] == 0
    assert client.get(f"{BASE}/rates", {"center": county.pk}).status_code == 404
    made = client.post(
        f"{BASE}/",
        {"center": county.pk, "channel": "visit", "matter": "x", "outcome": "answered"},
        content_type=JSON,
    )
    assert made.status_code == 404
    transfer.refresh_from_db()
    assert transfer.status == InquiryStatus.OPEN and transfer.acknowledged_at is None


def test_rates(client_as, transfer, director, guide, clerk, county):
    denied = client_as(clerk).get(f"{BASE}/rates")
    assert denied.status_code == 404
    body = client_as(director).get(f"{BASE}/rates", {"period": "day"}).json()
    assert body["total"]["received"] == 1 and body["total"]["finished"] == 0
    assert body["total"]["finished_rate"] == 0.0 and body["total"]["meets_target"] is False
    assert body["by_staff"][0]["key"] == guide.pk and body["finished_target"] == 95.0
    assert body["by_receiver"][0]["open"] == 1


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert f"{BASE}/" in paths and f"{BASE}/rates" in paths
    assert f"{BASE}/{{inquiry_id}}/finish" in paths
    assert "InquiryIn" in schema["components"]["schemas"]
