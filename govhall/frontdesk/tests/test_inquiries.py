"""First inquiries (首问负责制): logging rules, taking on and finishing transfers, follow-ups,
the phone book and the rates (seeds/000… 篇1 工作标准: 受理率 100%, 办结率 ≥ 95%)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from govhall.core.models import Event
from govhall.frontdesk.models import Inquiry, InquiryStatus
from govhall.frontdesk.queries.inquiries import (
    PERIOD_DAY,
    PERIOD_MONTH,
    PERIOD_WEEK,
    follow_ups,
    period_of,
    phone_book,
    rates_for,
    transfers_to_me,
)
from govhall.frontdesk.services.inquiries import (
    inquiry_acknowledge,
    inquiry_finish,
    inquiry_log,
)
from govhall.testing.factories import DepartmentFactory, WindowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    # Messages are matched by their English msgid.
    with translation.override("en"):
        yield


def at(day: str, clock: str = "10:00") -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day}T{clock}"))


def inquiry_events() -> list[str]:
    return list(
        Event.objects.filter(object_type="frontdesk.inquiry")
        .order_by("id")
        .values_list("action", flat=True)
    )


def log(actor: Any, center: Any, **kwargs: Any) -> Inquiry:
    data: dict[str, Any] = {
        "channel": "visit",
        "matter": "营业执照怎么办",
        "outcome": "answered",
        "answer": "带身份证到1号窗口",
    }
    data.update(kwargs)
    return inquiry_log(actor=actor, center=center, **data)


def test_answered_visit_is_done_at_once(guide, county):
    inquiry = log(guide, county, contact_name="张三", contact_phone="138 0013 8000")
    assert inquiry.status == InquiryStatus.DONE
    assert inquiry.done_at == inquiry.received_at and inquiry.done_by == guide
    assert inquiry.first_responder == guide and inquiry.window is None
    assert inquiry.contact_phone == "13800138000"
    assert inquiry_events() == ["inquiry.log"]


def test_clerk_logs_at_the_window_served_now(clerk, county, hall_window):
    inquiry = log(clerk, county, channel="phone")
    assert inquiry.window == hall_window


def test_irrelevant_fields_are_dropped(guide, county, hall_window, department):
    inquiry = log(
        guide,
        county,
        guided_window=hall_window,
        transferred_department=department,
        transferred_contact="李四",
    )
    assert inquiry.guided_window is None and inquiry.transferred_department is None
    assert inquiry.transferred_contact == ""


def test_landline_number_is_accepted(guide, county):
    assert log(guide, county, contact_phone="0571-88881234").contact_phone == "0571-88881234"


def test_guided_to_a_window(guide, county, hall_window):
    inquiry = log(guide, county, outcome="guided", answer="", guided_window=hall_window)
    assert inquiry.status == InquiryStatus.DONE and inquiry.guided_window == hall_window


@pytest.fixture
def bad_cases(county, other_county, department, hall_window):
    foreign_window = WindowFactory(center=other_county, number=9)
    closed_window = WindowFactory(center=county, number=8, is_active=False)
    foreign_department = DepartmentFactory(center=other_county, code="X")
    return {
        "channel": {"channel": "telegram"},
        "outcome": {"outcome": "ignored"},
        "matter": {"matter": "   "},
        "answer": {"answer": ""},
        "outside-answer": {"outcome": "outside", "answer": " "},
        "guided-none": {"outcome": "guided", "guided_window": None},
        "guided-foreign": {"outcome": "guided", "guided_window": foreign_window},
        "guided-closed": {"outcome": "guided", "guided_window": closed_window},
        "transfer-none": {"outcome": "transferred", "transferred_contact": "李四"},
        "transfer-foreign": {
            "outcome": "transferred",
            "transferred_department": foreign_department,
            "transferred_contact": "李四",
        },
        "transfer-contact": {"outcome": "transferred", "transferred_department": department},
        "phone": {"contact_phone": "12345"},
        "landline": {"contact_phone": "0571-12"},
        "future": {"at": timezone.now() + datetime.timedelta(hours=2)},
        "window-not-served": {"window": hall_window},
    }


EXPECTED_FIELD = {
    "channel": "channel",
    "outcome": "outcome",
    "matter": "matter",
    "answer": "answer",
    "outside-answer": "answer",
    "guided-none": "guided_window",
    "guided-foreign": "guided_window",
    "guided-closed": "guided_window",
    "transfer-none": "transferred_department",
    "transfer-foreign": "transferred_department",
    "transfer-contact": "transferred_contact",
    "phone": "contact_phone",
    "landline": "contact_phone",
    "future": "at",
    "window-not-served": "window",
}


@pytest.mark.parametrize("case", sorted(EXPECTED_FIELD))
def test_each_refusal_changes_nothing(case, bad_cases, guide, county):
    with pytest.raises(ValidationError) as refused:
        log(guide, county, **bad_cases[case])
    assert EXPECTED_FIELD[case] in refused.value.message_dict
    assert refused.value.message_dict[EXPECTED_FIELD[case]][0]
    assert Inquiry.objects.count() == 0 and inquiry_events() == []


def test_outsider_cannot_log_for_another_center(outsider, county):
    with pytest.raises(ValidationError, match="do not work in this center"):
        log(outsider, county)
    assert Inquiry.objects.count() == 0 and inquiry_events() == []


def test_transfer_stays_open_until_the_receiver_finishes(
    guide, county, other_department, clerk_two, director
):
    inquiry = log(
        guide,
        county,
        channel="phone",
        outcome="transferred",
        answer="",
        transferred_department=other_department,
        transferred_contact="王五",
    )
    assert inquiry.status == InquiryStatus.OPEN and inquiry.done_at is None
    assert list(follow_ups(guide)) == [inquiry]
    assert list(transfers_to_me(clerk_two)) == [inquiry]
    # The first responder follows it up but cannot close it.
    with pytest.raises(ValidationError, match="cannot close it"):
        inquiry_finish(actor=guide, inquiry=inquiry, result="已办")
    with pytest.raises(ValidationError):
        inquiry_acknowledge(actor=guide, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.acknowledged_at is None
    assert inquiry_events() == ["inquiry.log"]

    inquiry_acknowledge(actor=clerk_two, inquiry=inquiry)
    inquiry.refresh_from_db()
    assert inquiry.acknowledged_by == clerk_two and inquiry.acknowledged_at is not None
    with pytest.raises(ValidationError, match="already been taken on"):
        inquiry_acknowledge(actor=clerk_two, inquiry=inquiry)
    with pytest.raises(ValidationError) as empty:
        inquiry_finish(actor=clerk_two, inquiry=inquiry, result="  ")
    assert "result" in empty.value.message_dict
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN

    inquiry_finish(actor=clerk_two, inquiry=inquiry, result="已电话回复王先生")
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.done_by, inquiry.result) == (
        InquiryStatus.DONE,
        clerk_two,
        "已电话回复王先生",
    )
    assert list(follow_ups(guide)) == []
    assert list(transfers_to_me(clerk_two)) == []
    with pytest.raises(ValidationError, match="already finished"):
        inquiry_finish(actor=director, inquiry=inquiry, result="again")
    assert inquiry_events() == ["inquiry.log", "inquiry.acknowledge", "inquiry.finish"]


def test_staff_of_another_department_cannot_take_it_on(
    guide, county, other_department, clerk, outsider
):
    inquiry = log(
        guide,
        county,
        outcome="transferred",
        transferred_department=other_department,
        transferred_contact="王五",
    )
    for actor in (clerk, outsider):
        with pytest.raises(ValidationError):
            inquiry_acknowledge(actor=actor, inquiry=inquiry)
        with pytest.raises(ValidationError):
            inquiry_finish(actor=actor, inquiry=inquiry, result="x")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.OPEN and inquiry.acknowledged_at is None
    assert inquiry_events() == ["inquiry.log"]
    assert list(transfers_to_me(clerk)) == []


def test_manager_may_close_own_transfer_and_answers_cannot_be_taken_on(
    director, county, department
):
    inquiry = log(
        director,
        county,
        outcome="transferred",
        transferred_department=department,
        transferred_contact="赵六",
    )
    inquiry_finish(actor=director, inquiry=inquiry, result="已协调")
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.DONE and inquiry.acknowledged_by == director
    answered = log(director, county)
    with pytest.raises(ValidationError, match="Only a transferred matter"):
        inquiry_acknowledge(actor=director, inquiry=answered)


def test_overdue_after_follow_up_working_days(settings, guide, county, other_department):
    settings.GOVHALL_INQUIRY_FOLLOW_UP_DAYS = 3
    inquiry = log(
        guide,
        county,
        outcome="transferred",
        transferred_department=other_department,
        transferred_contact="王五",
        at=at("2026-11-20", "16:00"),  # a Friday
    )
    # Mon 23, Tue 24, Wed 25 are the three working days; overdue from Thursday 26.
    assert follow_ups(guide, datetime.date(2026, 11, 25)).get().overdue is False
    assert follow_ups(guide, datetime.date(2026, 11, 26)).get().overdue is True
    assert inquiry.pk == follow_ups(guide, datetime.date(2026, 11, 26)).get().pk


def test_phone_book_holds_phone_inquiries_in_the_range(guide, county):
    phone = log(guide, county, channel="phone", at=at("2026-11-02"))
    log(guide, county, channel="visit", at=at("2026-11-02"))
    log(guide, county, channel="phone", at=at("2026-10-30"))
    book = list(phone_book(guide, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)))
    assert book == [phone]


def test_periods():
    day = datetime.date(2026, 11, 18)  # a Wednesday
    assert period_of(PERIOD_DAY, day).first == day
    week = period_of(PERIOD_WEEK, day)
    assert (week.first, week.last) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    month = period_of(PERIOD_MONTH, day)
    assert (month.first, month.last) == (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    assert month.shifted(1).first == datetime.date(2026, 12, 1)
    assert period_of(PERIOD_MONTH, datetime.date(2026, 12, 5)).shifted(1).last == datetime.date(
        2027, 1, 31
    )


def test_rates_on_a_constructed_data_set(
    guide,
    clerk,
    clerk_two,
    county,
    hall_window,
    second_window,
    other_department,
    director,
    django_assert_num_queries,
):
    day = "2026-11-18"
    for minute in range(3):
        log(guide, county, at=at(day, f"09:0{minute}"))
    transfer = {
        "outcome": "transferred",
        "transferred_department": other_department,
        "transferred_contact": "王五",
    }
    log(guide, county, at=at(day, "09:10"), **transfer)  # stays open
    log(clerk, county, outcome="guided", guided_window=second_window, at=at(day, "09:20"))
    finished = log(clerk, county, at=at(day, "09:30"), **transfer)
    inquiry_finish(actor=clerk_two, inquiry=finished, result="已办结", at=at(day, "11:00"))
    log(guide, county, at=at("2026-10-30"))  # another month: not counted

    month = period_of(PERIOD_MONTH, datetime.date(2026, 11, 1))
    rates_for(director, month, today=datetime.date(2026, 11, 30))  # roles, scope, calendar
    with django_assert_num_queries(5):  # one query per table
        figures = rates_for(director, month, today=datetime.date(2026, 11, 30))
    total = figures.total
    assert (total.received, total.finished, total.transferred, total.open) == (6, 5, 2, 1)
    assert total.finished_rate == Decimal("83.3") and not total.meets_target
    assert total.overdue == 1
    staff = {row.key: row for row in figures.by_staff}
    assert (staff[guide.pk].received, staff[guide.pk].finished) == (4, 3)
    assert staff[guide.pk].finished_rate == Decimal("75.0")
    assert (staff[clerk.pk].received, staff[clerk.pk].finished_rate) == (2, Decimal("100.0"))
    assert staff[clerk.pk].meets_target
    windows = {row.key: row for row in figures.by_window}
    assert windows[None].received == 4 and windows[hall_window.pk].received == 2
    departments = {row.key: row for row in figures.by_department}
    assert departments[None].received == 4 and departments[clerk.staff.department_id].received == 2
    receivers = {row.key: row for row in figures.by_receiver}
    row = receivers[other_department.pk]
    assert (row.received, row.finished, row.acknowledged, row.open) == (2, 1, 1, 1)
    assert row.finished_rate == Decimal("50.0")
    # A day without inquiries has no rate (nothing to miss).
    empty = rates_for(director, period_of(PERIOD_DAY, datetime.date(2026, 11, 19)))
    assert empty.total.received == 0 and empty.total.finished_rate is None


def test_outsider_rates_are_empty(outsider, guide, county):
    log(guide, county)
    figures = rates_for(outsider, period_of(PERIOD_MONTH, timezone.localdate()))
    assert figures.total.received == 0 and figures.by_staff == []
