"""The bad-rating overdue scan (issue 15 items 1 and 7): the call-back falls due at the closing
time of the next working day, the rectification at the closing time of the 5th — across a
weekend — and each alert is withdrawn when the step is done, the rating excluded or the rule
switched off."""

from __future__ import annotations

import datetime

import pytest

from govhall.core.models import User
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.feedback.services.rating_follow_up import rating_call_back, rating_rectify
from govhall.feedback.services.rating_scan import RULE_CODE, scan_rating_overdue, subject_key
from govhall.feedback.services.scans import FEEDBACK_SCANS
from govhall.org.models import Center, Department, Window
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.supervision.services.scans import SCANS
from govhall.testing.rating_follow_up import (
    bad_rating,
    ensure_feedback_rules,
    rated_case,
    rated_window,
)

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2025, 10, day, hour, minute, second, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _rules(db: None) -> None:
    ensure_feedback_rules()


@pytest.fixture
def window(county: Center, department: Department, window_head: User) -> Window:
    return rated_window(county, department, window_head)


@pytest.fixture
def rating(window: Window, department: Department, clerk: User) -> Rating:
    """Given on Friday 2025-10-17 at 15:00: call back by Monday 10-20 closing time, rectify by
    Friday 10-24 closing time (5 working days)."""
    return bad_rating(rated_case(window, department, clerk), rated_at=at(17, 15))


def _live() -> dict[str, Alert]:
    return {a.subject_key: a for a in Alert.objects.live().filter(rule__code=RULE_CODE)}


def test_the_deadlines_are_the_closing_times_of_working_days(
    rating: Rating, county: Center
) -> None:
    closes = county.closing_time
    assert rating.call_back_due_at == datetime.datetime.combine(
        datetime.date(2025, 10, 20), closes, tzinfo=TZ
    )
    assert rating.rectify_due_at == datetime.datetime.combine(
        datetime.date(2025, 10, 24), closes, tzinfo=TZ
    )
    assert SCANS["rating_overdue"] is FEEDBACK_SCANS["rating_overdue"]


def test_call_back_boundary_over_the_weekend(rating: Rating, clerk: User) -> None:
    due = rating.call_back_due_at
    assert due is not None
    for moment in (at(18, 12), at(19, 23), due):  # the weekend, then the closing moment itself
        assert scan_rating_overdue(now=moment).raised == 0
    assert _live() == {}
    result = scan_rating_overdue(now=due + datetime.timedelta(seconds=1))
    assert result.raised == 1
    alert = _live()[subject_key(rating.pk, "call_back")]
    assert alert.responsible == clerk and alert.case_id == rating.case_id
    assert alert.window_id == rating.window_id and alert.department_id == rating.department_id
    assert alert.due_on == datetime.date(2025, 10, 20)
    # idempotent
    assert scan_rating_overdue(now=due + datetime.timedelta(hours=1)).raised == 0
    assert len(_live()) == 1


def test_rectification_boundary_and_withdrawal_when_done(rating: Rating, window_head: User) -> None:
    due = rating.rectify_due_at
    assert due is not None
    scan_rating_overdue(now=due)
    assert set(_live()) == {subject_key(rating.pk, "call_back")}
    scan_rating_overdue(now=due + datetime.timedelta(minutes=1))
    assert set(_live()) == {
        subject_key(rating.pk, "call_back"),
        subject_key(rating.pk, "rectify"),
    }
    # called back (late): the call-back alert goes, the rectification's stays
    rating_call_back(actor=window_head, rating=rating, version=1, justified=True, note="属实")
    result = scan_rating_overdue(now=due + datetime.timedelta(minutes=2))
    assert result.withdrawn == 1 and set(_live()) == {subject_key(rating.pk, "rectify")}
    gone = Alert.objects.get(subject_key=subject_key(rating.pk, "call_back"))
    assert gone.withdrawal_reason == WithdrawalReason.NO_LONGER_HOLDS
    rating_rectify(actor=window_head, rating=rating, version=2, result="已整改")
    assert scan_rating_overdue(now=due + datetime.timedelta(minutes=3)).withdrawn == 1
    assert _live() == {}


def test_not_justified_needs_no_rectification(rating: Rating, window_head: User) -> None:
    rating_call_back(actor=window_head, rating=rating, version=1, justified=False, note="不属实")
    assert rating.rectify_due_at is not None
    scan_rating_overdue(now=rating.rectify_due_at + datetime.timedelta(days=3))
    assert _live() == {}


def test_excluded_and_switched_off_withdraw(
    rating: Rating, window: Window, department: Department, window_head: User
) -> None:
    second = bad_rating(rated_case(window, department, None), rated_at=at(17, 16))
    later = at(21, 9)
    scan_rating_overdue(now=later)
    live = _live()
    assert set(live) == {subject_key(rating.pk, "call_back"), subject_key(second.pk, "call_back")}
    # no staff member served: the window head answers for it
    assert live[subject_key(second.pk, "call_back")].responsible == window_head
    Rating.objects.filter(pk=rating.pk).update(follow_up=FollowUpStatus.EXCLUDED, excluded=True)
    assert scan_rating_overdue(now=later).withdrawn == 1
    assert set(_live()) == {subject_key(second.pk, "call_back")}
    AlertRule.objects.filter(code=RULE_CODE).update(is_active=False)
    result = scan_rating_overdue(now=later)
    assert result.withdrawn == 1 and result.raised == 0 and _live() == {}
    gone = Alert.objects.get(subject_key=subject_key(second.pk, "call_back"))
    assert gone.withdrawal_reason == WithdrawalReason.RULE_OFF


def test_an_appeal_does_not_stop_the_clock(rating: Rating, window_head: User) -> None:
    Rating.objects.filter(pk=rating.pk).update(follow_up=FollowUpStatus.APPEALED)
    scan_rating_overdue(now=at(21, 9))
    assert set(_live()) == {subject_key(rating.pk, "call_back")}
