"""Appointments API: public days, slots, booking, off-hours request, lookup and cancel by code;
staff list, detail, decide, outage (preview and run), check-in at the desk, rates; scoping
(outsiders get 404), a bearer token acting as its user, and the OpenAPI document."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import TestCase
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.core.models import OutboundMessage
from govhall.core.tokens import api_token_create
from govhall.frontdesk.models import Appointment, PhoneCode, Slot, Ticket
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_off_hours import appointment_request_off_hours
from govhall.testing.phone_codes import phone_code, sms_code
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
BASE = "/api/v1/frontdesk/appointments"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2026, 6, 8, 10, 0, tzinfo=SHANGHAI)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def id_number(n: int) -> str:
    first17 = f"11010119900307{n:03d}"
    return first17 + id_check_character(first17)


def next_workday(offset: int = 1) -> datetime.date:
    return calendar_for(None).add_workdays(timezone.localdate(), offset)


def body(group, n=1, **extra):  # type: ignore[no-untyped-def]
    return {
        "center": group.center.code,
        "group": group.letter,
        "date": next_workday().isoformat(),
        "starts": "09:00",
        "name": "张三丰",
        "id_number": id_number(n),
        "phone": f"139{n:08d}",
        **extra,
    }


def fixed_booking(group, n=1):  # type: ignore[no-untyped-def]
    return appointment_book(
        actor=None,
        group=group,
        date=datetime.date(2026, 6, 9),
        starts=datetime.time(8, 30),
        name=f"申请人{n}",
        id_number=id_number(n),
        phone=f"138{n:08d}",
        channel="portal",
        at=MONDAY,
        phone_code=phone_code(f"138{n:08d}", at=MONDAY),
    )


def fixed_request(group):  # type: ignore[no-untyped-def]
    return appointment_request_off_hours(
        actor=None,
        group=group,
        date=datetime.date(2026, 6, 13),
        starts=datetime.time(9, 0),
        name="李四",
        id_number=id_number(5),
        phone="13900000005",
        channel="portal",
        at=MONDAY,
        phone_code=phone_code("13900000005", at=MONDAY),
    )


@pytest.fixture
def group(queue_groups):  # type: ignore[no-untyped-def]
    return queue_groups["A"]


def api_code(client, phone: str) -> str:  # type: ignore[no-untyped-def]
    """A valid SMS code of `phone`: the last one while usable, else one asked through the API
    (POST /public/phone-code) and read from the SMS."""
    latest = PhoneCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
    if latest is None or latest.used_at is not None or latest.tries >= 5:
        with TestCase.captureOnCommitCallbacks(execute=True):
            sent = client.post(
                f"{BASE}/public/phone-code", {"phone": phone}, content_type="application/json"
            )
        assert sent.status_code == 202, sent.content
    return sms_code(phone)


def post(client, url, data, **extra):  # type: ignore[no-untyped-def]
    if url.endswith(("/public/book", "/public/off-hours")) and "phone_code" not in data:
        data = {**data, "phone_code": api_code(client, data["phone"])}
    return client.post(url, data, content_type="application/json", **extra)


class TestPublic:
    def test_days_and_slots(self, client, group):
        days = client.get(f"{BASE}/public/{group.center.code}/A/days")
        assert days.status_code == 200
        listed = [d["date"] for d in days.json()]
        assert listed[0] == next_workday().isoformat() and len(listed) == 5
        assert {d["free"] for d in days.json()} == {13 * 4}
        slots = client.get(
            f"{BASE}/public/{group.center.code}/A/slots", {"date": next_workday().isoformat()}
        )
        assert slots.status_code == 200 and len(slots.json()) == 13
        assert slots.json()[0] == {
            "starts": "08:30:00",
            "ends": "09:00:00",
            "capacity": 4,
            "booked": 0,
            "free": 4,
            "closed_reason": "",
        }
        far = client.get(f"{BASE}/public/{group.center.code}/A/slots", {"date": "2030-01-07"}, **EN)
        assert far.status_code == 422 and "cannot be booked now" in far.json()["detail"]
        assert client.get(f"{BASE}/public/nope/A/days").status_code == 404

    def test_book_lookup_cancel(self, client, group, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(client, f"{BASE}/public/book", body(group))
        assert response.status_code == 201, response.content
        booked = response.json()
        assert booked["status"] == "booked" and booked["name"] == "张*丰"
        assert booked["group"] == "A 市场监管" and booked["starts"] == "09:00:00"
        assert Appointment.objects.get().channel == "api"
        assert OutboundMessage.objects.filter(text__contains=booked["code"]).exists()
        last4 = id_number(1)[-4:]
        found = client.get(f"{BASE}/public/lookup", {"code": booked["code"], "last4": last4})
        assert found.status_code == 200 and found.json()["code"] == booked["code"]
        assert id_number(1) not in found.content.decode()
        wrong = client.get(f"{BASE}/public/lookup", {"code": booked["code"], "last4": "0000"})
        assert wrong.status_code == 404
        cancelled = post(client, f"{BASE}/public/cancel", {"code": booked["code"], "last4": last4})
        assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"

    def test_refusals_are_422_or_409_with_field_messages(self, client, group):
        post(client, f"{BASE}/public/book", body(group))
        # A second booking of the person that day is a duplicate: a conflict.
        again = post(client, f"{BASE}/public/book", body(group, starts="10:00"), **EN)
        assert again.status_code == 409
        assert "one appointment per person per day" in again.json()["detail"]
        assert "id_number" in again.json()["errors"]
        today = post(
            client,
            f"{BASE}/public/book",
            body(group, n=2, date=timezone.localdate().isoformat()),
            **EN,
        )
        assert today.status_code == 422 and "date" in today.json()["errors"]
        assert Appointment.objects.count() == 1

    def test_off_hours_request(self, client, group):
        response = post(
            client, f"{BASE}/public/off-hours", body(group, starts="18:30", channel="portal")
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "requested" and response.json()["is_off_hours"]


class TestStaff:
    def test_anonymous_is_refused(self, client):
        assert client.get(f"{BASE}/").status_code == 401
        assert post(client, f"{BASE}/check-in", {"code": "X"}).status_code == 401

    def test_list_detail_and_scope(self, client_as, guide, outsider, group):
        booked = fixed_booking(group)
        client = client_as(guide)
        listed = client.get(f"{BASE}/", {"date_from": "2026-06-09", "status": "booked"})
        assert listed.status_code == 200 and listed.json()["count"] == 1
        item = listed.json()["items"][0]
        assert item["code"] == booked.code and item["id_number"] == booked.masked_id
        assert client.get(f"{BASE}/{booked.pk}").json()["phone"] == booked.phone
        outsider_client = client_as(outsider)
        assert outsider_client.get(f"{BASE}/").json()["count"] == 0
        assert outsider_client.get(f"{BASE}/{booked.pk}").status_code == 404
        assert outsider_client.get(f"{BASE}/", {"group": group.pk}).status_code == 404

    def test_decide(self, client_as, director, clerk, outsider, group):
        request = fixed_request(group)
        client = client_as(director)
        missing = post(client, f"{BASE}/{request.pk}/decide", {"approve": True}, **EN)
        assert missing.status_code == 422 and "assigned_to" in missing.json()["errors"]
        foreign = post(
            client,
            f"{BASE}/{request.pk}/decide",
            {"approve": True, "assigned_to": outsider.pk},
        )
        assert foreign.status_code == 422
        approved = post(
            client, f"{BASE}/{request.pk}/decide", {"approve": True, "assigned_to": clerk.pk}
        )
        assert approved.status_code == 200, approved.content
        assert approved.json()["status"] == "booked"
        assert approved.json()["assigned_to"]["username"] == "clerk"
        assert approved.json()["overtime_minutes"] == 60
        other = client_as(outsider)
        assert post(other, f"{BASE}/{request.pk}/decide", {"approve": False}).status_code == 404

    def test_clerk_cannot_decide(self, client_as, clerk, group):
        request = fixed_request(group)
        response = post(
            client_as(clerk),
            f"{BASE}/{request.pk}/decide",
            {"approve": False, "note": "no"},
            **EN,
        )
        assert response.status_code == 422 and "management" in response.json()["detail"]

    def test_outage_preview_then_run(self, client_as, director, clerk, county, group):
        day = next_workday()
        appointment_book(
            actor=None,
            group=group,
            date=day,
            starts=datetime.time(9, 0),
            name="停电",
            id_number=id_number(3),
            phone="13800000003",
            channel="portal",
            phone_code=phone_code("13800000003"),
        )
        client = client_as(director)
        data = {
            "center_id": county.pk,
            "start": f"{day.isoformat()}T08:30:00+08:00",
            "end": f"{day.isoformat()}T12:00:00+08:00",
            "reason": "停电",
            "preview": True,
        }
        preview = post(client, f"{BASE}/outage", data)
        assert preview.json() == {
            "preview": True,
            "affected": 1,
            "slots_closed": 0,
            "cancelled": 0,
            "rebooked": 0,
            "not_rebooked": 0,
        }
        assert Appointment.objects.get().status == "booked"
        done = post(client, f"{BASE}/outage", {**data, "preview": False})
        assert done.status_code == 200
        assert done.json()["cancelled"] == 1 and done.json()["rebooked"] == 1
        assert Appointment.objects.filter(status="booked").count() == 1
        # Not a clerk's operation: 404, as on the workbench (can_declare_outage).
        refused = post(client_as(clerk), f"{BASE}/outage", {**data, "preview": False})
        assert refused.status_code == 404

    def test_check_in_at_the_desk_with_a_token(self, guide, outsider, group):
        from django.test import Client

        # Today all day (an approved off-hours appointment has no slot): check-in is open.
        Appointment.objects.create(
            center=group.center,
            group=group,
            date=timezone.localdate(),
            starts=datetime.time(0, 0),
            ends=datetime.time(23, 59),
            code="TODAY123",
            name="今天",
            id_number=id_number(9),
            phone="13800000009",
            channel="phone",
            status="booked",
            is_off_hours=True,
        )
        _token, key = api_token_create(actor=None, user=guide, name="前台系统")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        unknown = post(client, f"{BASE}/check-in", {"code": "NOPE"}, **EN)
        assert unknown.status_code == 422 and "code" in unknown.json()["errors"]
        response = post(client, f"{BASE}/check-in", {"code": " today123 "})
        assert response.status_code == 201, response.content
        ticket = Ticket.objects.get()
        assert response.json()["number"] == ticket.number and ticket.priority == "appointment"
        assert ticket.issued_by == guide
        again = post(client, f"{BASE}/check-in", {"code": "TODAY123"}, **EN)
        assert again.status_code == 409 and "already been checked in" in again.json()["detail"]

    def test_rates(self, client_as, supervisor, outsider, group):
        fixed_booking(group)
        fixed_request(group)
        response = client_as(supervisor).get(
            f"{BASE}/rates", {"first": "2026-06-01", "last": "2026-06-30"}
        )
        assert response.status_code == 200
        assert response.json()["total"] == 2 and response.json()["taken_rate"] == 50.0
        assert response.json()["on_time_rate"] is None
        other = client_as(outsider).get(
            f"{BASE}/rates", {"first": "2026-06-01", "last": "2026-06-30"}
        )
        assert other.json()["total"] == 0
        too_long = client_as(supervisor).get(
            f"{BASE}/rates", {"first": "2026-01-01", "last": "2027-06-30"}
        )
        assert too_long.status_code == 422


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert f"{BASE}/public/book" in paths and f"{BASE}/outage" in paths
    book = paths[f"{BASE}/public/book"]["post"]
    assert "422" in book["responses"] and book["summary"].startswith("Book a slot")
    assert "PublicAppointmentOut" in schema["components"]["schemas"]


class TestPublicDoors:
    """Issue 12 item 3: the phone confirmed by an SMS code, and the limits of the public doors
    (429 with Retry-After, nothing booked)."""

    def test_a_booking_without_or_with_a_wrong_code_holds_no_place(self, client, group):
        missing = client.post(
            f"{BASE}/public/book", body(group), content_type="application/json", **EN
        )
        assert missing.status_code == 422 and "phone_code" in missing.json()["errors"]
        code = api_code(client, body(group)["phone"])
        wrong = "000000" if code != "000000" else "111111"
        refused = post(client, f"{BASE}/public/book", body(group, phone_code=wrong), **EN)
        assert refused.status_code == 422 and "code is wrong" in refused.json()["detail"]
        other = post(client, f"{BASE}/public/book", body(group, n=2, phone_code=code), **EN)
        assert other.status_code == 422 and "phone_code" in other.json()["errors"]
        assert Appointment.objects.count() == 0
        assert sum(Slot.objects.values_list("booked", flat=True)) == 0
        assert post(client, f"{BASE}/public/book", body(group, phone_code=code)).status_code == 201
        # A code books once.
        again = post(
            client, f"{BASE}/public/book", body(group, starts="10:00", phone_code=code), **EN
        )
        assert again.status_code == 422 and "already been used" in again.json()["detail"]

    def test_the_code_expires_and_wrong_tries_are_limited(self, client, group, settings):
        settings.GOVHALL_PHONE_CODE_MAX_TRIES = 2
        phone = body(group)["phone"]
        code = api_code(client, phone)
        PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        expired = post(client, f"{BASE}/public/book", body(group, phone_code=code), **EN)
        assert expired.status_code == 422 and "expired" in expired.json()["detail"]
        PhoneCode.objects.all().delete()
        code = api_code(client, phone)
        wrong = "000000" if code != "000000" else "111111"
        for _n in range(2):
            post(client, f"{BASE}/public/book", body(group, phone_code=wrong))
        # The right code comes too late: the tries are spent.
        late = post(client, f"{BASE}/public/book", body(group, phone_code=code), **EN)
        assert late.status_code == 422 and "Too many wrong codes" in late.json()["detail"]
        assert Appointment.objects.count() == 0

    def test_the_code_sms_is_limited_per_phone(self, client, settings):
        settings.GOVHALL_RATE_PHONE_CODE_PER_PHONE_HOUR = 2
        url = f"{BASE}/public/phone-code"
        for n in range(2):
            sent = client.post(
                url,
                {"phone": "13900000001"},
                content_type="application/json",
                REMOTE_ADDR=f"10.0.0.{n}",
            )
            assert sent.status_code == 202
        flood = client.post(
            url, {"phone": "13900000001"}, content_type="application/json", REMOTE_ADDR="10.9.9.9"
        )
        assert flood.status_code == 429 and int(flood["Retry-After"]) > 0
        assert flood.json()["detail"]
        assert PhoneCode.objects.count() == 2

    def test_the_21st_booking_from_one_address_is_429_and_books_nothing(self, client, group):
        starts = ["08:30", "09:00", "09:30", "10:00", "10:30", "11:00"]
        for n in range(1, 21):
            data = body(group, n=n, starts=starts[n % 6])
            data["phone_code"] = phone_code(data["phone"])
            response = post(client, f"{BASE}/public/book", data, REMOTE_ADDR="10.0.0.1")
            assert response.status_code == 201, (n, response.content)
        data = body(group, n=21, starts="11:30")
        data["phone_code"] = phone_code(data["phone"])
        refused = post(client, f"{BASE}/public/book", data, REMOTE_ADDR="10.0.0.1")
        assert refused.status_code == 429
        assert 0 < int(refused["Retry-After"]) <= 3600 and refused.json()["detail"]
        assert Appointment.objects.count() == 20
        assert sum(Slot.objects.values_list("booked", flat=True)) == 20
        # Another address is not affected.
        assert post(client, f"{BASE}/public/book", data, REMOTE_ADDR="10.0.0.2").status_code == 201

    def test_one_id_number_is_limited_per_day(self, client, group, settings):
        settings.GOVHALL_RATE_OFF_HOURS_PER_ID_DAY = 1
        url = f"{BASE}/public/off-hours"
        first = post(client, url, body(group, starts="18:30"), REMOTE_ADDR="10.0.0.1")
        assert first.status_code == 201
        second = post(
            client,
            url,
            body(group, starts="19:30", date=next_workday(2).isoformat()),
            REMOTE_ADDR="10.0.0.2",
        )
        assert second.status_code == 429 and second["Retry-After"]
        assert Appointment.objects.count() == 1

    def test_lookups_of_one_code_are_limited(self, client, group, settings):
        settings.GOVHALL_RATE_LOOKUP_PER_CODE_HOUR = 3
        booked = fixed_booking(group)
        for n in range(3):
            wrong = client.get(
                f"{BASE}/public/lookup",
                {"code": booked.code, "last4": f"{n:04d}"},
                REMOTE_ADDR=f"10.0.0.{n}",
            )
            assert wrong.status_code == 404
        right = {"code": booked.code, "last4": booked.id_number[-4:]}
        limited = client.get(f"{BASE}/public/lookup", right, REMOTE_ADDR="10.0.0.9")
        assert limited.status_code == 429 and limited["Retry-After"]
        cancel = post(client, f"{BASE}/public/cancel", right, REMOTE_ADDR="10.0.0.9")
        assert cancel.status_code == 429
        booked.refresh_from_db()
        assert booked.status == "booked"

    def test_openapi_documents_the_code_and_the_429s(self, client):
        schema = client.get("/api/v1/openapi.json").json()
        paths = schema["paths"]
        for path, method in [
            ("/public/phone-code", "post"),
            ("/public/book", "post"),
            ("/public/off-hours", "post"),
            ("/public/lookup", "get"),
            ("/public/cancel", "post"),
        ]:
            assert "429" in paths[f"{BASE}{path}"][method]["responses"], path
        book = paths[f"{BASE}/public/book"]["post"]
        assert "phone_code" in str(schema["components"]["schemas"]["BookIn"])
        assert "phone_code" in book["description"]
