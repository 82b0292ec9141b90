"""The clock of a case (SPEC §4): working-day deadlines, §32, suspension, extension, urgency."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from govhall.cases import clock
from govhall.cases.clock import Urgency
from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.clock import on_calendar_change
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive, case_submit_online
from govhall.cases.statuses import CaseStatus
from govhall.workdays.queries.work_calendar import WorkCalendar, package_schedule
from govhall.workdays.services.changes import CalendarChange

CAL = WorkCalendar(package_schedule())
TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: str, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(D.fromisoformat(day), datetime.time(hour), tzinfo=TZ)


# --- hand-computed deadlines across holidays -------------------------------------------------


def test_national_day_2025_promised_and_legal():
    # Accepted Fri 26 Sep 2025. Sun 28 Sep is a make-up working day, 1–8 Oct are off,
    # Sat 11 Oct is a make-up working day.
    start = D(2025, 9, 26)
    # 28 Sep, 29 Sep, 30 Sep, 9 Oct, 10 Oct
    assert clock.due_on(CAL, start, 5) == D(2025, 10, 10)
    # … 11 Oct (Sat), 13–17, 20–24, 27–30 Oct
    assert clock.due_on(CAL, start, 20) == D(2025, 10, 30)


def test_spring_festival_2026_promised_and_legal():
    # Accepted Fri 13 Feb 2026. Sat 14 Feb is a make-up working day, 15–23 Feb are off,
    # Sat 28 Feb is a make-up working day.
    start = D(2026, 2, 13)
    # 14 Feb, 24, 25, 26, 27 Feb
    assert clock.due_on(CAL, start, 5) == D(2026, 2, 27)
    # … 28 Feb (Sat), 2–6 Mar, 9–13 Mar, 16–19 Mar
    assert clock.due_on(CAL, start, 20) == D(2026, 3, 19)


def test_acceptance_day_is_not_counted_and_zero_days_is_the_same_day():
    assert clock.due_on(CAL, D(2025, 9, 29), 1) == D(2025, 9, 30)
    assert clock.due_on(CAL, D(2025, 9, 29), 0) == D(2025, 9, 29)


def test_suspension_and_extension_move_the_deadline_by_working_days():
    start = D(2025, 9, 26)
    # Suspended Tue 30 Sep, resumed Fri 10 Oct: working days in (30 Sep, 10 Oct] are 9 and 10 Oct.
    suspended = clock.suspended_workdays(CAL, D(2025, 9, 30), D(2025, 10, 10))
    assert suspended == 2
    # promised 5 + 2 suspended + 3 extension = 10 working days: … 10 Oct, 11 Oct, 13–16 Oct
    assert clock.due_on(CAL, start, 5, suspended_days=2, extension_days=3) == D(2025, 10, 16)


def test_suspension_over_a_holiday_only_counts_working_days():
    assert clock.suspended_workdays(CAL, D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert clock.suspended_workdays(CAL, D(2025, 10, 10), D(2025, 10, 10)) == 0


# --- 行政许可法 §32 ------------------------------------------------------------------------------


def test_clock_starts_on_acceptance_without_a_notice():
    start = clock.clock_start(CAL, received_on=D(2025, 9, 22), accepted_on=D(2025, 9, 22))
    assert start == D(2025, 9, 22)


def test_clock_starts_when_materials_are_complete_after_a_timely_notice():
    # Received Mon 22 Sep, told on Thu 25 Sep (3rd working day), complete Tue 30 Sep.
    start = clock.clock_start(
        CAL,
        received_on=D(2025, 9, 22),
        accepted_on=D(2025, 9, 30),
        notice_on=D(2025, 9, 25),
        complete_on=D(2025, 9, 30),
    )
    assert start == D(2025, 9, 30)


def test_notice_on_the_fifth_working_day_is_timely_the_sixth_is_late():
    received = D(2025, 9, 22)  # Mon; 5th working day after: Sun 28 Sep (make-up), 6th: 29 Sep
    assert clock.notice_deadline(CAL, received, 5) == D(2025, 9, 28)
    timely = clock.clock_start(
        CAL,
        received_on=received,
        accepted_on=D(2025, 10, 10),
        notice_on=D(2025, 9, 28),
        complete_on=D(2025, 10, 10),
    )
    late = clock.clock_start(
        CAL,
        received_on=received,
        accepted_on=D(2025, 10, 10),
        notice_on=D(2025, 9, 29),
        complete_on=D(2025, 10, 10),
    )
    assert timely == D(2025, 10, 10)
    assert late == received  # counts as accepted on the day of receipt


def test_never_told_and_accepted_late_counts_from_receipt():
    received = D(2025, 9, 22)
    assert clock.clock_start(CAL, received_on=received, accepted_on=D(2025, 9, 29)) == received
    assert clock.clock_start(CAL, received_on=received, accepted_on=D(2025, 9, 28)) == D(
        2025, 9, 28
    )


# --- properties ------------------------------------------------------------------------------

days_2025_2026 = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
limits = st.integers(min_value=0, max_value=60)


@given(start=days_2025_2026, days=limits, more=st.integers(min_value=0, max_value=20))
def test_more_days_never_end_earlier(start, days, more):
    assert clock.due_on(CAL, start, days) <= clock.due_on(CAL, start, days + more)


@given(a=days_2025_2026, b=days_2025_2026, days=limits)
def test_a_later_start_never_ends_earlier(a, b, days):
    first, second = sorted((a, b))
    assert clock.due_on(CAL, first, days) <= clock.due_on(CAL, second, days)


@given(start=days_2025_2026, days=st.integers(min_value=1, max_value=60))
def test_a_deadline_is_a_working_day_exactly_n_working_days_after_the_start(start, days):
    due = clock.due_on(CAL, start, days)
    assert CAL.is_workday(due)
    assert CAL.count_workdays(start + datetime.timedelta(days=1), due) == days


@given(
    start=days_2025_2026,
    days=st.integers(min_value=1, max_value=40),
    offset=st.integers(min_value=0, max_value=60),
    length=st.integers(min_value=0, max_value=40),
)
def test_suspension_adds_exactly_the_suspended_working_days(start, days, offset, length):
    suspended_on = start + datetime.timedelta(days=offset)
    resumed_on = suspended_on + datetime.timedelta(days=length)
    suspended = clock.suspended_workdays(CAL, suspended_on, resumed_on)
    before = clock.due_on(CAL, start, days)
    after = clock.due_on(CAL, start, days, suspended_days=suspended)
    assert CAL.count_workdays(before + datetime.timedelta(days=1), after) == suspended
    assert suspended == CAL.count_workdays(suspended_on + datetime.timedelta(days=1), resumed_on)


@given(received=days_2025_2026, wait=st.integers(min_value=0, max_value=30))
def test_clock_never_starts_before_receipt_or_after_acceptance(received, wait):
    accepted = received + datetime.timedelta(days=wait)
    start = clock.clock_start(CAL, received_on=received, accepted_on=accepted)
    assert received <= start <= accepted


@given(today=days_2025_2026, due=days_2025_2026)
def test_days_left_sign_follows_the_deadline(today, due):
    left = clock.workdays_between(CAL, today, due)
    if due < today:
        assert left < 0
    elif due == today:
        assert left == 0
    else:
        assert left >= 0
        assume(left > 0)
        assert CAL.add_workdays(today, left) <= due


# --- days left and urgency -------------------------------------------------------------------


DUE = D(2025, 10, 16)


@dataclass
class FakeCase:
    center_id: int = 1
    status: str = CaseStatus.ACCEPTED
    promised_days: int = 10
    extension_days: int = 0
    promised_due_on: datetime.date | None = DUE  # 10 working days after 26 Sep
    suspended_at: datetime.datetime | None = None


@pytest.mark.parametrize(
    ("today", "left", "colour"),
    [
        (D(2025, 9, 26), 10, Urgency.OK),  # accepted: 10 of 10 working days left
        (D(2025, 10, 10), 5, Urgency.OK),  # 11, 13, 14, 15, 16 Oct left
        (D(2025, 10, 13), 3, Urgency.OK),  # 7 of 10 used
        (D(2025, 10, 14), 2, Urgency.YELLOW),  # 8 of 10 used
        (D(2025, 10, 15), 1, Urgency.NEAR),
        (D(2025, 10, 16), 0, Urgency.DUE_TODAY),
        (D(2025, 10, 17), -1, Urgency.OVERDUE),
        (D(2025, 10, 18), -1, Urgency.OVERDUE),  # a Saturday after the deadline
        (D(2025, 10, 20), -2, Urgency.OVERDUE),
    ],
)
def test_days_left_and_urgency(today, left, colour):
    case = FakeCase()
    assert clock.days_left(case, today, CAL) == left
    assert clock.urgency(case, today, CAL) == colour


def test_no_clock_before_acceptance_and_after_the_decision():
    assert clock.days_left(FakeCase(promised_due_on=None), D(2025, 10, 1), CAL) is None
    decided = FakeCase(status=CaseStatus.APPROVED)
    assert clock.days_left(decided, D(2025, 10, 1), CAL) is None
    assert clock.urgency(decided, D(2025, 10, 1), CAL) == Urgency.NONE


def test_a_suspended_case_shows_what_was_left_when_it_stopped():
    case = FakeCase(status=CaseStatus.SUSPENDED, suspended_at=at("2025-10-13"))
    assert clock.days_left(case, D(2025, 10, 30), CAL) == 3
    assert clock.urgency(case, D(2025, 10, 30), CAL) == Urgency.SUSPENDED


# --- the engine writes the clock -------------------------------------------------------------


@pytest.fixture
def promised_case(clerk, case_item, hall_window, applicant_data, all_received) -> Case:
    return case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
        at=at("2025-09-26"),
    )


@pytest.mark.django_db
def test_acceptance_persists_clock_start_and_both_deadlines(promised_case):
    assert promised_case.clock_started_on == D(2025, 9, 26)
    assert promised_case.promised_due_on == D(2025, 10, 10)
    assert promised_case.legal_due_on == D(2025, 10, 30)


@pytest.mark.django_db
def test_suspend_resume_extend_move_both_deadlines(promised_case, window_head, approver):
    case = case_act(
        actor=window_head,
        case=promised_case,
        action="suspend",
        params=action_params("suspend", {"reason": "现场核查"}),
        at=at("2025-09-30"),
    )
    assert case.status == CaseStatus.SUSPENDED and case.suspended_from == CaseStatus.ACCEPTED
    case = case_act(actor=window_head, case=case, action="resume", at=at("2025-10-10"))
    assert case.status == CaseStatus.ACCEPTED
    assert case.suspended_days == 2  # 9 and 10 Oct
    assert case.promised_due_on == D(2025, 10, 13)  # 10 Oct + 2 working days (11 Oct, 13 Oct)
    assert case.legal_due_on == clock.due_on(CAL, D(2025, 9, 26), 22)
    case = case_act(
        actor=approver,
        case=case,
        action="extend",
        params=action_params("extend", {"days": 3, "reason": "需专家评审"}),
        at=at("2025-10-13"),
    )
    assert case.extension_days == 3
    assert case.promised_due_on == D(2025, 10, 16)
    assert case.legal_due_on == clock.due_on(CAL, D(2025, 9, 26), 25)
    assert case.notices.filter(kind="extension").count() == 1
    with pytest.raises(ValidationError, match="already extended"):
        case_act(
            actor=approver,
            case=case,
            action="extend",
            params=action_params("extend", {"days": 1, "reason": "再延"}),
        )


@pytest.mark.django_db
def test_extension_is_limited_to_the_configured_days(promised_case, approver, settings):
    settings.GOVHALL_EXTENSION_MAX_DAYS = 10
    with pytest.raises(ValidationError) as error:
        case_act(
            actor=approver,
            case=promised_case,
            action="extend",
            params=action_params("extend", {"days": 11, "reason": "x"}),
        )
    assert "days" in error.value.message_dict
    promised_case.refresh_from_db()
    assert promised_case.extension_days == 0


@pytest.mark.django_db
def test_immediate_case_is_due_the_same_day(
    clerk, immediate_item, hall_window, applicant_data, all_received
):
    case = case_receive(
        actor=clerk,
        item=immediate_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(immediate_item),
        outcome=Outcome.IMMEDIATE,
        at=at("2025-09-26"),
    )
    assert case.promised_due_on == D(2025, 9, 26)
    assert case.status == CaseStatus.APPROVED


@pytest.mark.django_db
def test_supplement_case_starts_its_clock_when_materials_are_complete(
    clerk, case_item, hall_window, applicant_data
):
    materials = [
        MaterialCheck(material_id=m.pk, received=m.is_main) for m in case_item.materials.all()
    ]
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=materials,
        outcome=Outcome.SUPPLEMENT,
        at=at("2025-09-22"),
    )
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": missing}),
        at=at("2025-09-29"),
    )
    case = case_act(actor=clerk, case=case, action="accept", at=at("2025-09-30"))
    assert case.clock_started_on == D(2025, 9, 29)  # complete on 29 Sep, not accepted 30 Sep
    assert case.promised_due_on == clock.due_on(CAL, D(2025, 9, 29), 5)


@pytest.mark.django_db
def test_section_32_late_notice_counts_from_receipt(clerk, case_item, applicant_data):
    # Submitted online Mon 22 Sep; the one-time notice comes on Mon 29 Sep, the 6th working day.
    case_item.online_available = True
    case_item.save(update_fields=["online_available"])
    materials = [
        MaterialCheck(material_id=m.pk, received=m.is_main) for m in case_item.materials.all()
    ]
    case, _created = case_submit_online(
        actor=clerk,
        item=case_item,
        applicant=applicant_data,
        materials=materials,
        idempotency_key=None,
        at=at("2025-09-22"),
    )
    missing = list(case.materials.filter(received=False).values_list("pk", flat=True))
    case = case_act(
        actor=clerk,
        case=case,
        action="request_supplement",
        params=action_params("request_supplement", {"missing": missing}),
        at=at("2025-09-29"),
    )
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": missing}),
        at=at("2025-10-10"),
    )
    case = case_act(
        actor=clerk,
        case=case,
        action="accept",
        # The promise ran out before the acceptance: the clerk confirms the notice (issue 17).
        params=action_params("accept", {"kind": "promised", "confirm_past_promise": True}),
        at=at("2025-10-10"),
    )
    assert case.clock_started_on == D(2025, 9, 22)
    assert case.promised_due_on == clock.due_on(CAL, D(2025, 9, 22), 5)


@pytest.mark.django_db
def test_calendar_change_recomputes_open_deadlines_only(
    promised_case,
    clerk,
    case_item,
    hall_window,
    applicant_data,
    all_received,
    director,
    django_capture_on_commit_callbacks,
):
    from govhall.workdays.services.center_days import center_day_set

    decided = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_received(case_item),
        outcome=Outcome.PROMISED,
        at=at("2025-09-26"),
    )
    decided = case_act(actor=clerk, case=decided, action="review", at=at("2025-09-29"))
    Case.objects.filter(pk=decided.pk).update(status=CaseStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        center_day_set(
            actor=director,
            center_id=promised_case.center_id,
            date=D(2025, 10, 9),
            kind="closed",
            reason="停电",
        )
    promised_case.refresh_from_db()
    decided.refresh_from_db()
    assert promised_case.promised_due_on == D(2025, 10, 11)  # 9 Oct closed: Sat 11 Oct instead
    assert promised_case.legal_due_on == D(2025, 10, 31)
    assert decided.promised_due_on == D(2025, 10, 10)  # decided: its deadline is history


@pytest.mark.django_db
def test_calendar_change_of_another_center_changes_nothing(promised_case, other_county):
    on_calendar_change(
        CalendarChange(
            action="center_day.set",
            center_ids=frozenset({other_county.pk}),
            years=frozenset({2025}),
            since=D(2025, 1, 1),
        )
    )
    promised_case.refresh_from_db()
    assert promised_case.promised_due_on == D(2025, 10, 10)


@pytest.mark.django_db
def test_recompute_reads_and_writes_in_batches(
    clerk, case_item, hall_window, applicant_data, all_received, django_assert_max_num_queries
):
    from govhall.cases.services.clock import affected_cases, recompute_due_dates
    from govhall.workdays.models import CenterDay
    from govhall.workdays.queries.calendar import calendar_for, drop_cached_calendars

    cases = [
        case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=all_received(case_item),
            outcome=Outcome.PROMISED,
            at=at("2025-09-26"),
        )
        for _ in range(5)
    ]
    CenterDay.objects.create(center_id=case_item.center_id, date=D(2025, 10, 9), kind="closed")
    drop_cached_calendars()
    calendar_for(case_item.center_id)  # built outside the counted block
    change = CalendarChange(
        action="center_day.set",  # what workdays passes for a center closure
        center_ids=frozenset({case_item.center_id}),
        years=frozenset({2025}),
        since=D(2025, 10, 9),
    )
    # 3 pages of at most 2 rows, an empty last page, one bulk update per page.
    with django_assert_max_num_queries(12):
        moved = recompute_due_dates(affected_cases(change), batch_size=2)
    assert moved == 5
    assert {c.promised_due_on for c in Case.objects.filter(pk__in=[c.pk for c in cases])} == {
        D(2025, 10, 11)
    }
    assert recompute_due_dates(affected_cases(change)) == 0  # nothing moves twice
