"""Issue 16 item 1: both sessions judged (seeds/002… 五: at the post 10 minutes before the morning
AND the afternoon opening), part-day leave, and explanations to the hall director (seeds/000…
篇5 考勤 2) that stop an accepted lateness or early leave from counting."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.core.validation import Conflict
from govhall.staffing.explanation_transitions import ExplanationAction
from govhall.staffing.models import Attendance, AttendanceExplanation, Leave
from govhall.staffing.models.attendance import ExplanationStatus, Lapse
from govhall.staffing.models.leave import LeaveKind, LeaveStatus
from govhall.staffing.queries.attendance import Month, my_month
from govhall.staffing.services.attendance import (
    attendance_explain,
    attendance_explanation_decide,
    attendance_sign_in,
    attendance_sign_out,
    explanation_actions,
)
from govhall.supervision.models import Alert
from govhall.supervision.services.people_scan import scan_people

pytestmark = pytest.mark.django_db

WORKDAY = datetime.date(2026, 11, 24)  # a Tuesday; hours 8:30–12:00 and 14:30–17:30
NOVEMBER = Month(2026, 11)


def at(hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(WORKDAY, datetime.time(hour, minute, second))
    )


def leave(user, center, start: datetime.datetime, end: datetime.datetime) -> Leave:
    return Leave.objects.create(
        user=user,
        center=center,
        kind=LeaveKind.PERSONAL,
        starts_at=start,
        ends_at=end,
        reason="看病",
        status=LeaveStatus.APPROVED,
    )


def full_day(clerk, *, m_in=(8, 15), m_out=(12, 0), a_in=(14, 15), a_out=(17, 30)) -> Attendance:
    attendance_sign_in(actor=clerk, at=at(*m_in))
    attendance_sign_out(actor=clerk, at=at(*m_out))
    attendance_sign_in(actor=clerk, at=at(*a_in))
    return attendance_sign_out(actor=clerk, at=at(*a_out))


@pytest.mark.parametrize(
    ("hour", "minute", "second", "late"),
    [(13, 0, 0, 0), (14, 20, 59, 0), (14, 21, 0, 1), (14, 30, 0, 10), (15, 0, 0, 40)],
)
def test_afternoon_arrival_judged_10_minutes_before_its_opening(clerk, hour, minute, second, late):
    attendance_sign_in(actor=clerk, at=at(8, 10))
    attendance_sign_out(actor=clerk, at=at(12, 0))
    row = attendance_sign_in(actor=clerk, at=at(hour, minute, second))
    assert row.afternoon_late_minutes == late
    assert row.late_minutes == 0
    assert row.afternoon_signed_in_at == at(hour, minute, second)


@pytest.mark.parametrize(
    ("hour", "minute", "early"), [(11, 50, 10), (11, 59, 1), (12, 0, 0), (13, 0, 0)]
)
def test_morning_departure_judged_against_the_morning_close(clerk, hour, minute, early):
    attendance_sign_in(actor=clerk, at=at(8, 10))
    row = attendance_sign_out(actor=clerk, at=at(hour, minute))
    assert row.morning_early_leave_minutes == early
    assert row.morning_signed_out_at == at(hour, minute)
    assert row.early_leave_minutes == 0 and row.signed_out_at is None


def test_each_session_signed_once(clerk):
    attendance_sign_in(actor=clerk, at=at(8, 10))
    with pytest.raises(Conflict):
        attendance_sign_in(actor=clerk, at=at(9, 0))
    attendance_sign_in(actor=clerk, at=at(14, 10))
    with pytest.raises(Conflict):
        attendance_sign_in(actor=clerk, at=at(14, 40))


def test_monthly_report_counts_each_session(clerk):
    full_day(clerk, m_in=(8, 25), m_out=(11, 50), a_in=(14, 27), a_out=(17, 20))
    figures = my_month(clerk, NOVEMBER)
    assert figures["morning_late"] == 1
    assert figures["afternoon_late"] == 1
    assert figures["morning_early_leaves"] == 1
    assert figures["afternoon_early_leaves"] == 1
    assert figures["late_count"] == 2
    assert figures["late_minutes_total"] == 5 + 7
    assert figures["early_leaves"] == 2


def test_part_day_leave_moves_the_due_arrival_to_its_end(county, clerk):
    leave(clerk, county, at(8, 30), at(10, 0))
    assert attendance_sign_in(actor=clerk, at=at(9, 59)).late_minutes == 0
    clerk2_row = Attendance.objects.get(user=clerk, date=WORKDAY)
    clerk2_row.delete()
    assert attendance_sign_in(actor=clerk, at=at(10, 5)).late_minutes == 5


def test_morning_on_leave_signs_in_for_the_afternoon(county, clerk):
    leave(clerk, county, at(8, 30), at(12, 0))
    row = attendance_sign_in(actor=clerk, at=at(11, 55))
    assert row.signed_in_at is None and row.afternoon_signed_in_at is not None
    assert row.late_minutes == 0 and row.afternoon_late_minutes == 0


def test_afternoon_on_leave_is_no_early_leave(county, clerk):
    leave(clerk, county, at(16, 0), at(17, 30))
    attendance_sign_in(actor=clerk, at=at(14, 10))
    assert attendance_sign_out(actor=clerk, at=at(16, 0)).early_leave_minutes == 0


def test_accepted_explanation_stops_counting_and_rejected_keeps_counting(county, clerk, director):
    row = full_day(clerk, m_in=(8, 25), a_in=(14, 27))
    morning = attendance_explain(
        actor=clerk, attendance=row, lapse=Lapse.MORNING_LATE, reason="堵车"
    )
    afternoon = attendance_explain(
        actor=clerk, attendance=row, lapse=Lapse.AFTERNOON_LATE, reason="开会"
    )
    assert morning.status == ExplanationStatus.PENDING
    attendance_explanation_decide(
        actor=director, explanation=morning, action=ExplanationAction.ACCEPT
    )
    attendance_explanation_decide(
        actor=director, explanation=afternoon, action=ExplanationAction.REJECT, note="理由不足"
    )
    figures = my_month(clerk, NOVEMBER)
    assert figures["morning_late"] == 0
    assert figures["afternoon_late"] == 1
    assert figures["late_count"] == 1
    assert figures["late_minutes_total"] == 7
    morning.refresh_from_db()
    assert morning.status == ExplanationStatus.ACCEPTED and morning.decided_by == director
    with pytest.raises(Conflict):
        attendance_explanation_decide(
            actor=director, explanation=morning, action=ExplanationAction.REJECT
        )


def test_explanation_rules(clerk, window_head, director):
    row = full_day(clerk, m_in=(8, 25))
    with pytest.raises(ValidationError):  # nothing to explain: on time in the afternoon
        attendance_explain(actor=clerk, attendance=row, lapse=Lapse.AFTERNOON_LATE, reason="x")
    with pytest.raises(ValidationError):  # only one's own day
        attendance_explain(actor=window_head, attendance=row, lapse=Lapse.MORNING_LATE, reason="x")
    with pytest.raises(ValidationError):  # a reason is required
        attendance_explain(actor=clerk, attendance=row, lapse=Lapse.MORNING_LATE, reason=" ")
    explanation = attendance_explain(
        actor=clerk, attendance=row, lapse=Lapse.MORNING_LATE, reason="堵车"
    )
    with pytest.raises(Conflict):
        attendance_explain(actor=clerk, attendance=row, lapse=Lapse.MORNING_LATE, reason="again")
    assert explanation_actions(clerk, explanation) == []
    assert explanation_actions(window_head, explanation) == []
    assert {r.action for r in explanation_actions(director, explanation)} == {"accept", "reject"}
    with pytest.raises(ValidationError):
        attendance_explanation_decide(
            actor=clerk, explanation=explanation, action=ExplanationAction.ACCEPT
        )
    assert AttendanceExplanation.objects.get().status == ExplanationStatus.PENDING


def test_scan_raises_afternoon_late_and_withdraws_on_accepted_explanation(clerk, director):
    row = full_day(clerk, m_in=(8, 10), a_in=(14, 45), a_out=(17, 0))
    scan_people(now=at(18, 0))
    late = {a.subject_key for a in Alert.objects.live().filter(rule__code="late_sign_in.yellow")}
    early = {a.subject_key for a in Alert.objects.live().filter(rule__code="early_leave.yellow")}
    assert late == {f"attendance:{row.pk}:late_pm"}
    assert early == {f"attendance:{row.pk}:early"}
    explanation = attendance_explain(
        actor=clerk, attendance=row, lapse=Lapse.AFTERNOON_LATE, reason="开会"
    )
    attendance_explanation_decide(
        actor=director, explanation=explanation, action=ExplanationAction.ACCEPT
    )
    scan_people(now=at(18, 10))
    assert not Alert.objects.live().filter(rule__code="late_sign_in.yellow").exists()
    assert Alert.objects.live().filter(rule__code="early_leave.yellow").exists()


def test_api_both_sessions_and_an_explanation(client_as, clerk, director):
    api = "/api/v1/staffing/attendance"
    client = client_as(clerk)
    for moment, path in (
        (at(8, 10), "/sign-in"),
        (at(12, 0), "/sign-out"),
        (at(14, 26), "/sign-in"),
    ):
        with mock.patch("django.utils.timezone.now", return_value=moment):
            response = client.post(api + path)
        assert response.status_code == 200, response.content
    body = response.json()
    assert body["afternoon_late_minutes"] == 6
    answer = client.post(
        f"{api}/{body['id']}/explanations",
        {"lapse": "afternoon_late", "reason": "开会"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    explanation_id = answer.json()["id"]
    assert answer.json()["actions"] == []
    refused = client.post(
        f"{api}/explanations/{explanation_id}/accept", {}, content_type="application/json"
    )
    assert refused.status_code == 404
    client = client_as(director)
    pending = client.get(f"{api}/explanations").json()
    assert [e["id"] for e in pending] == [explanation_id]
    decided = client.post(
        f"{api}/explanations/{explanation_id}/accept", {"note": ""}, content_type="application/json"
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "accepted"
    again = client.post(
        f"{api}/explanations/{explanation_id}/reject", {}, content_type="application/json"
    )
    assert again.status_code == 409
    assert my_month(clerk, NOVEMBER)["afternoon_late"] == 0
