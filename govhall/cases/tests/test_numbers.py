"""Case numbers: center code + yyyyMMdd + 5-digit serial, never reused (SPEC §6)."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction

from govhall.cases.models import CaseNumberCounter
from govhall.cases.services.numbers import format_number, next_case_number, next_serial

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 10, 9)


def test_first_number_of_the_day_is_serial_one(county):
    with transaction.atomic():
        assert next_case_number(center=county, day=DAY) == "3301002025100900001"


def test_serials_count_up_per_center_and_day(county, other_county):
    with transaction.atomic():
        first = next_case_number(center=county, day=DAY)
        second = next_case_number(center=county, day=DAY)
        other = next_case_number(center=other_county, day=DAY)
        next_day = next_case_number(center=county, day=DAY + datetime.timedelta(days=1))
    assert (first, second) == ("3301002025100900001", "3301002025100900002")
    assert other == "4401002025100900001"
    assert next_day == "3301002025101000001"
    assert CaseNumberCounter.objects.get(prefix="330100", day=DAY).last == 2


def test_a_rolled_back_serial_is_handed_out_again_never_twice(county):
    with transaction.atomic():
        assert next_serial(prefix="330100", day=DAY) == 1
    try:
        with transaction.atomic():
            assert next_serial(prefix="330100", day=DAY) == 2
            raise RuntimeError("intake failed")
    except RuntimeError:
        pass
    with transaction.atomic():
        # The failed intake's number was never committed, so nothing carries it.
        assert next_serial(prefix="330100", day=DAY) == 2


def test_serials_past_five_digits_keep_growing():
    assert format_number("330100", DAY, 7) == "3301002025100900007"
    assert format_number("330100", DAY, 123456) == "33010020251009123456"
