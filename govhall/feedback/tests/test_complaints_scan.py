"""The complaint overdue scan: "complaint_overdue.yellow" at the boundary of `due_at` and of the
交办单's `assignment_due_at` (working days), idempotent, withdrawn when answered or the rule is
switched off; it runs with the supervision scans."""

from __future__ import annotations

import datetime

import pytest

from govhall.feedback.models import ComplaintFinding
from govhall.feedback.services.complaint_scan import scan_complaints
from govhall.feedback.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_reply,
)
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.supervision.services.scans import SCANS
from govhall.testing.complaints import local, make_complaint

pytestmark = pytest.mark.django_db
SECOND = datetime.timedelta(seconds=1)
RULE = "complaint_overdue.yellow"


def live(prefix="complaint:"):
    return list(
        Alert.objects.live()
        .filter(rule__code=RULE, subject_key__startswith=prefix)
        .values_list("subject_key", "responsible_id")
    )


def test_the_scan_is_registered_with_supervision():
    assert SCANS["complaint_overdue"].run is scan_complaints


def test_unanswered_at_the_boundary_of_the_next_working_day(county, director):
    # Friday 5 December 2025: due Monday 8 December 17:30 (the weekend does not count)
    complaint = make_complaint(director, county, received_at=local(2025, 12, 5, 16, 0))
    assert scan_complaints(now=local(2025, 12, 7, 12, 0)).raised == 0  # Sunday
    assert scan_complaints(now=complaint.due_at).raised == 0  # exactly at closing time
    assert scan_complaints(now=complaint.due_at + SECOND).raised == 1
    assert scan_complaints(now=complaint.due_at + 2 * SECOND).raised == 0  # idempotent
    assert live() == [(f"complaint:{complaint.pk}", director.pk)]
    alert = Alert.objects.get()
    assert alert.due_on == datetime.date(2025, 12, 8) and alert.points == 1

    complaint_answer(
        actor=director,
        complaint=complaint,
        version=1,
        finding=ComplaintFinding.UNFOUNDED,
        result="说明",
        delay_reason="核实中",
        now=complaint.due_at + 3 * SECOND,
    )
    result = scan_complaints(now=complaint.due_at + 4 * SECOND)
    assert (result.raised, result.withdrawn) == (0, 1)
    alert.refresh_from_db()
    assert alert.withdrawal_reason == WithdrawalReason.NO_LONGER_HOLDS
    assert live() == []


def test_an_unreplied_assignment_alerts_the_department_leader(
    county, department, director, clerk, dept_leader
):
    complaint = make_complaint(
        director, county, received_at=local(2025, 12, 1, 9, 0), complexity="complex"
    )
    complaint_assign(
        actor=director,
        complaint=complaint,
        version=1,
        department_id=department.pk,
        due_on=datetime.date(2025, 12, 3),
        now=local(2025, 12, 1, 10, 0),
    )
    complaint.refresh_from_db()
    assert complaint.assignment_due_at == local(2025, 12, 3, 17, 30)
    assert scan_complaints(now=local(2025, 12, 3, 17, 30)).raised == 0
    assert scan_complaints(now=local(2025, 12, 3, 17, 31)).raised == 1
    assert live("complaint_assignment:") == [
        (f"complaint_assignment:{complaint.pk}", dept_leader.pk)
    ]
    assert live("complaint:") == []  # the complaint itself is due on 8 December
    complaint_reply(actor=clerk, complaint=complaint, version=2, reply="已处理")
    assert scan_complaints(now=local(2025, 12, 3, 17, 32)).withdrawn == 1
    assert live("complaint_assignment:") == []


def test_switching_the_rule_off_withdraws_and_raises_nothing(county, director):
    complaint = make_complaint(director, county, received_at=local(2025, 12, 1, 9, 0))
    assert scan_complaints(now=complaint.due_at + SECOND).raised == 1
    AlertRule.objects.filter(code=RULE).update(is_active=False)
    result = scan_complaints(now=complaint.due_at + 2 * SECOND)
    assert (result.raised, result.withdrawn) == (0, 1)
    assert Alert.objects.get().withdrawal_reason == WithdrawalReason.RULE_OFF
