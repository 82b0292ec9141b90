"""Public appointment pages: center → group → day → slot with free places, the form, the
confirmation with the booking code, refusals on the form, "my appointment" with cancel, and the
off-hours request. No login; only active centers and groups; full ID numbers never shown.

The pages book "now", so days here come from the real clock through the working-day calendar.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from govhall.core.idnumbers import id_check_character
from govhall.core.models import OutboundMessage
from govhall.frontdesk.models import Appointment, Slot
from govhall.testing.phone_codes import sms_code
from govhall.workdays.queries.calendar import calendar_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def id_number(n: int) -> str:
    first17 = f"11010119900307{n:03d}"
    return first17 + id_check_character(first17)


def next_workday(offset: int = 1) -> datetime.date:
    return calendar_for(None).add_workdays(timezone.localdate(), offset)


def person(n: int = 1, **extra: str) -> dict[str, str]:
    return {
        "name": "张三丰",
        "id_number": id_number(n),
        "phone": f"139{n:08d}",
        "matter": "营业执照变更",
        **extra,
    }


@pytest.fixture
def group(queue_groups):  # type: ignore[no-untyped-def]
    return queue_groups["A"]


def book_url(group) -> str:  # type: ignore[no-untyped-def]
    return reverse(
        "portal:appointment_book", kwargs={"code": group.center.code, "letter": group.letter}
    )


def coded(client, url: str, data: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """`data` with the SMS code of its phone, asked with the form's "Send code" button and
    read from the SMS like the applicant does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(url, {**data, "action": "send_code"})
    assert sent.status_code == 200 and 'id="appt-code-notice"' in sent.content.decode()
    return {**data, "phone_code": sms_code(data["phone"])}


def test_one_hall_goes_straight_to_its_groups(client, group):
    response = client.get(reverse("portal:appointments"))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:appointment_center", kwargs={"code": group.center.code}
    )
    page = client.get(response["Location"]).content.decode()
    assert "市场监管" in page and "不动产" in page


def test_unknown_or_inactive_center_and_group_are_404(client, group, queue_groups):
    assert client.get("/appointments/c/nope/").status_code == 404
    assert client.get(f"/appointments/c/{group.center.code}/Z/").status_code == 404
    queue_groups["B"].is_active = False
    queue_groups["B"].save()
    assert client.get(f"/appointments/c/{group.center.code}/B/").status_code == 404


def test_days_show_free_places_and_a_day_its_slots(client, group):
    url = reverse(
        "portal:appointment_group", kwargs={"code": group.center.code, "letter": group.letter}
    )
    page = client.get(url).content.decode()
    day = next_workday()
    assert f'data-date="{day.isoformat()}"' in page
    assert f'data-date="{timezone.localdate().isoformat()}"' not in page  # not today
    assert f'data-date="{next_workday(6).isoformat()}"' not in page  # beyond 5 working days
    page = client.get(url, {"date": day.isoformat()}).content.decode()
    assert page.count("data-starts=") == 13 and 'data-starts="08:30"' in page
    Slot.objects.filter(group=group, date=day, starts=datetime.time(8, 30)).update(booked=4)
    page = client.get(url, {"date": day.isoformat()}).content.decode()
    assert page.count("data-starts=") == 12  # the full one is not a link


def test_booking_shows_the_code_and_sends_it(client, group, django_capture_on_commit_callbacks):
    day = next_workday()
    form = client.get(book_url(group), {"date": day.isoformat(), "starts": "09:00"})
    assert form.status_code == 200 and 'id="appt-summary"' in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            book_url(group),
            coded(
                client, book_url(group), {"date": day.isoformat(), "starts": "09:00", **person()}
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:appointment_booked")
    appointment = Appointment.objects.get()
    assert appointment.channel == "portal" and appointment.status == "booked"
    page = client.get(response["Location"]).content.decode()
    assert f'<p class="appt-code" id="appt-code">{appointment.code}</p>' in page
    assert appointment.id_number not in page and "张*丰" in page
    sms = OutboundMessage.objects.get(purpose="appointment.book")
    assert appointment.code in sms.text and sms.to == "13900000001"


def test_refusals_show_the_reason_on_the_form(client, group):
    day = next_workday()
    client.post(
        book_url(group),
        coded(client, book_url(group), {"date": day.isoformat(), "starts": "09:00", **person()}),
    )
    again = client.post(
        book_url(group),
        coded(client, book_url(group), {"date": day.isoformat(), "starts": "10:00", **person()}),
        **EN,
    )
    assert again.status_code == 400
    assert f"already has an appointment on {day.isoformat()}" in again.content.decode()
    bad = client.post(
        book_url(group),
        coded(
            client,
            book_url(group),
            {"date": day.isoformat(), "starts": "10:00", **person(2, id_number="123")},
        ),
        **EN,
    )
    assert bad.status_code == 400 and "17 digits" in bad.content.decode()
    today = client.post(
        book_url(group),
        coded(
            client,
            book_url(group),
            {"date": timezone.localdate().isoformat(), "starts": "10:00", **person(3)},
        ),
        **EN,
    )
    assert today.status_code == 400 and 'id="appt-error"' in today.content.decode()
    assert "at least 1 day ahead" in today.content.decode()
    assert Appointment.objects.count() == 1


def test_refusal_is_chinese_by_default(client, group):
    response = client.post(
        book_url(group),
        coded(
            client,
            book_url(group),
            {"date": timezone.localdate().isoformat(), "starts": "10:00", **person()},
        ),
    )
    assert response.status_code == 400 and "预约" in response.content.decode()


def test_my_appointment_lookup_and_cancel(client, group, django_capture_on_commit_callbacks):
    day = next_workday(2)
    client.post(
        book_url(group),
        coded(client, book_url(group), {"date": day.isoformat(), "starts": "15:00", **person()}),
    )
    appointment = Appointment.objects.get()
    url = reverse("portal:appointment_mine")
    wrong = client.get(url, {"code": appointment.code, "last4": "0000"})
    assert wrong.status_code == 404 and 'id="appt-error"' in wrong.content.decode()
    last4 = appointment.id_number[-4:]
    found = client.get(url, {"code": appointment.code.lower(), "last4": last4})
    page = found.content.decode()
    assert found.status_code == 200 and 'id="appt-found"' in page and 'id="appt-cancel"' in page
    assert appointment.id_number not in page
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = client.post(url, {"code": appointment.code, "last4": last4, "action": "cancel"})
    assert 'id="appt-notice"' in cancelled.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled" and not appointment.cancelled_by_hall
    assert 'id="appt-cancel"' not in cancelled.content.decode()
    # Cancelling with a wrong last4 by POST changes nothing either (lookup fails first).
    assert client.post(url, {"code": appointment.code, "last4": "1111", "action": "cancel"})


def test_off_hours_request(client, group, county):
    url = reverse(
        "portal:appointment_off_hours", kwargs={"code": county.code, "letter": group.letter}
    )
    assert client.get(url).status_code == 200
    day = next_workday()
    inside = client.post(
        url, coded(client, url, {"date": day.isoformat(), "starts": "10:00", **person()}), **EN
    )
    assert inside.status_code == 400 and "within service hours" in inside.content.decode()
    response = client.post(
        url, coded(client, url, {"date": day.isoformat(), "starts": "18:30", **person()})
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.status == "requested" and appointment.is_off_hours
    page = client.get(response["Location"]).content.decode()
    assert appointment.code in page and 'id="appt-done"' in page


def test_the_confirmation_needs_the_session(client):
    assert client.get(reverse("portal:appointment_booked")).status_code == 302


def test_without_the_sms_code_nothing_is_booked(client, group):
    day = next_workday()
    data = {"date": day.isoformat(), "starts": "09:00", **person()}
    missing = client.post(book_url(group), data, **EN)
    assert missing.status_code == 400
    assert "Enter the code sent by SMS" in missing.content.decode()
    wrong = client.post(
        book_url(group), {**coded(client, book_url(group), data), "phone_code": "x"}
    )
    assert wrong.status_code == 400 and "验证码错误" in wrong.content.decode()
    assert not Appointment.objects.exists()
    assert sum(Slot.objects.values_list("booked", flat=True)) == 0


def test_send_code_keeps_what_was_typed_and_masks_the_phone(client, group):
    day = next_workday()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sent = client.post(
            book_url(group),
            {"date": day.isoformat(), "starts": "09:00", **person(), "action": "send_code"},
        )
    page = sent.content.decode()
    assert sent.status_code == 200 and "139****0001" in page
    assert id_number(1) in page  # typed by the applicant, kept in the form
    sms = OutboundMessage.objects.get(purpose="appointment.phone_code")
    assert sms.to == "13900000001" and sms_code("13900000001") in sms.text
    assert sms_code("13900000001") not in page  # only the SMS carries the code
    bad = client.post(book_url(group), {**person(phone="123"), "action": "send_code"})
    assert bad.status_code == 400 and 'id="appt-code-error"' in bad.content.decode()


def test_too_many_bookings_from_one_address_are_refused_with_429(client, group, settings):
    settings.GOVHALL_RATE_BOOKING_PER_ADDRESS_HOUR = 1
    day = next_workday()
    first = client.post(
        book_url(group),
        coded(client, book_url(group), {"date": day.isoformat(), "starts": "09:00", **person()}),
    )
    assert first.status_code == 302
    data = {"date": day.isoformat(), "starts": "10:00", **person(2)}
    refused = client.post(book_url(group), coded(client, book_url(group), data))
    assert refused.status_code == 429
    assert "预约请求过于频繁" in refused.content.decode()
    assert Appointment.objects.count() == 1


def test_my_appointment_lookups_are_limited(client, group, settings):
    settings.GOVHALL_RATE_LOOKUP_PER_ADDRESS_HOUR = 2
    url = reverse("portal:appointment_mine")
    for _n in range(2):
        assert client.get(url, {"code": "ABCDEFGH", "last4": "0000"}).status_code == 404
    limited = client.get(url, {"code": "ABCDEFGH", "last4": "0000"})
    assert limited.status_code == 429 and "查询过于频繁" in limited.content.decode()
