"""The public booking doors as services (issue 12 item 3): the SMS code confirming the phone
(wrong tries stay counted although the booking is refused; a booking refused for another reason
leaves the code usable; staff bookings need none), the per-address and per-ID-number limits
counted before the booking's transaction, and pruning of old codes."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from govhall.core.idnumbers import id_check_character
from govhall.core.models import Event, RateCounter
from govhall.core.ratelimit import RateLimited
from govhall.frontdesk.models import Appointment, PhoneCode, Slot
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_slots import slots_ensure
from govhall.frontdesk.services.phone_codes import phone_code_send, phone_codes_prune
from govhall.testing.phone_codes import phone_code

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("hall_open")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
MON = datetime.datetime(2026, 6, 8, 10, 0, tzinfo=SHANGHAI)
TUE = datetime.date(2026, 6, 9)
PHONE = "13800000001"


def id_number(n: int) -> str:
    first17 = f"11010119900307{n:03d}"
    return first17 + id_check_character(first17)


def book(group, *, code: str, n: int = 1, actor=None, client: str = "10.0.0.1", **extra):  # type: ignore[no-untyped-def]
    fields = {
        "actor": actor,
        "group": group,
        "date": TUE,
        "starts": datetime.time(8, 30),
        "name": "申请人",
        "id_number": id_number(n),
        "phone": PHONE,
        "channel": "portal" if actor is None else "phone",
        "at": MON,
        "client": client,
        "phone_code": code,
        **extra,
    }
    return appointment_book(**fields)


@pytest.fixture
def group(queue_groups):  # type: ignore[no-untyped-def]
    return queue_groups["A"]


def test_wrong_tries_stay_counted_though_the_booking_is_refused(group):
    code = phone_code(PHONE, at=MON)
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError) as refused:
        book(group, code=wrong)
    assert "phone_code" in refused.value.message_dict
    assert PhoneCode.objects.get().tries == 1
    assert not Appointment.objects.exists() and not Slot.objects.filter(booked__gt=0).exists()
    assert book(group, code=code).status == "booked"
    assert PhoneCode.objects.get().used_at is not None


def test_a_booking_refused_for_another_reason_keeps_the_code(group):
    group.slot_capacity = 1
    group.save()
    slots_ensure(group, TUE)
    Slot.objects.filter(group=group, date=TUE, starts=datetime.time(8, 30)).update(booked=1)
    code = phone_code(PHONE, at=MON)
    with pytest.raises(ValidationError):
        book(group, code=code)  # full
    assert PhoneCode.objects.get().used_at is None
    assert book(group, code=code, starts=datetime.time(9, 0)).starts == datetime.time(9, 0)


def test_staff_book_by_phone_without_a_code(group, guide):
    booked = book(group, code="", actor=guide)
    assert booked.status == "booked" and not PhoneCode.objects.exists()
    assert not RateCounter.objects.exists()  # staff are not counted


def test_attempts_are_counted_per_address_and_id_number(group, settings):
    settings.GOVHALL_RATE_BOOKING_PER_ID_DAY = 2
    for _n in range(2):
        with pytest.raises(ValidationError):
            book(group, code="")  # refused (no code), still counted
    with pytest.raises(RateLimited) as limited:
        book(group, code=phone_code(PHONE, at=MON), client="10.0.0.2")
    # Until local midnight (Monday 10:00 in Shanghai: 14 hours).
    assert limited.value.retry_after == 14 * 3600 and "身份证号" in limited.value.message
    # The refused attempt gave its address hit back.
    counts = RateCounter.objects.filter(key__startswith="booking.address:")
    assert sorted(counts.values_list("count", flat=True)) == [0, 2]


def test_code_sms_and_pruning(group):
    with pytest.raises(ValidationError):
        phone_code_send(phone="12345", client="10.0.0.1")
    row = phone_code_send(phone=PHONE, client="10.0.0.1", at=MON)
    assert len(row.code_hash) == 64 and row.expires_at == MON + datetime.timedelta(minutes=10)
    assert Event.objects.filter(action="phone_code.send").exists()
    assert phone_codes_prune() == 1  # expired in 2026-06, long ago
    assert not PhoneCode.objects.exists()
