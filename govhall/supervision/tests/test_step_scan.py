"""The step scan (issue 14 item 2): each step's limit fires exactly when it is passed, once, and
is withdrawn when the case leaves the step."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.org.models import Window
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.supervision.services.scans import SCANS
from govhall.supervision.services.step_scan import scan_case_steps
from govhall.testing.cases import local, make_case

D = datetime.date
# Mon 2025-09-29 10:00; Tue 09-30 is a working day, Oct 1-8 are off (National Day).
MONDAY = local(2025, 9, 29)


def scan(day: datetime.date, **kwargs: object) -> int:
    return scan_case_steps(now=local(day.year, day.month, day.day, 9), **kwargs).raised  # type: ignore[arg-type]


def live(case: Case) -> list[str]:
    return sorted(Alert.objects.live().filter(case=case).values_list("subject_key", flat=True))


def in_step(item: ServiceItem, window: Window, status: str, **fields: object) -> Case:
    fields.setdefault("step_started_at", MONDAY)
    return make_case(item, window, status=status, received=MONDAY, **fields)  # type: ignore[arg-type]


def move(case: Case, status: str, at: datetime.datetime) -> Case:
    """Move the case as an action would: a new status, its step start, an event."""
    case.status = status
    case.step_started_at = at
    case.save(update_fields=["status", "step_started_at"])
    record_event(actor=None, action="case.review", obj=case, center_id=case.center_id)
    return case


def test_the_rule_is_seeded_and_the_scan_registered(db: None) -> None:
    assert AlertRule.objects.filter(code="case_step.yellow", subject="case_step").exists()
    assert SCANS["case_step"].run is scan_case_steps


def test_acceptance_over_one_working_day_fires_once_across_the_holiday(
    case_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = in_step(case_item, hall_window, CaseStatus.RECEIVED, received_by=clerk)
    assert scan(D(2025, 9, 29)) == 0
    assert scan(D(2025, 9, 30)) == 0  # its one working day
    assert scan(D(2025, 10, 1)) == 1  # Tuesday went by: over
    key = f"case:{case.pk}:received:{int(MONDAY.timestamp())}"
    assert live(case) == [key]
    alert = Alert.objects.get(case=case)
    assert alert.responsible == clerk and alert.level == "yellow"
    assert "1" in alert.detail and case.number in alert.detail
    assert scan(D(2025, 10, 2)) == 0
    assert scan(D(2025, 10, 9), full=True) == 0
    assert Alert.objects.filter(case=case).count() == 1


def test_an_items_own_limit_and_the_setting_change_the_day(
    settings: object, case_item: ServiceItem, hall_window: Window
) -> None:
    case = in_step(case_item, hall_window, CaseStatus.IN_REVIEW)
    # default review limit 3: Tue 30, Thu Oct 9, Fri Oct 10 → over on Sat Oct 11 (a working day)
    assert scan(D(2025, 10, 10)) == 0
    assert scan(D(2025, 10, 11)) == 1
    Alert.objects.all().delete()
    case_item.limit_review_days = 5
    case_item.save(update_fields=["limit_review_days"])
    # + Sat Oct 11, Mon Oct 13 → over on Tue Oct 14
    assert scan(D(2025, 10, 13), full=True) == 0
    assert scan(D(2025, 10, 14)) == 1
    assert live(case)


def test_leaving_the_step_withdraws_and_a_new_step_is_a_new_subject(
    case_item: ServiceItem, hall_window: Window, approver: User, department: object
) -> None:
    case = in_step(case_item, hall_window, CaseStatus.IN_REVIEW)
    assert scan(D(2025, 10, 11)) == 1
    first = Alert.objects.get(case=case)
    move(case, CaseStatus.AWAITING_APPROVAL, local(2025, 10, 13))
    result = scan_case_steps(now=local(2025, 10, 13, 11))
    assert (result.raised, result.withdrawn) == (0, 1)
    first.refresh_from_db()
    assert first.withdrawal_reason == WithdrawalReason.FINISHED
    # approval limit 2: Tue 14, Wed 15 → over on Thu Oct 16, a new alert, on the approver
    assert scan(D(2025, 10, 15)) == 0
    assert scan(D(2025, 10, 16)) == 1
    second = Alert.objects.live().get(case=case)
    assert second.subject_key.startswith(f"case:{case.pk}:awaiting_approval:")
    assert second.responsible == approver


def test_a_raised_limit_withdraws_as_no_longer_holding(
    case_item: ServiceItem, hall_window: Window
) -> None:
    case = in_step(case_item, hall_window, CaseStatus.APPROVED)  # certificate: 1 day
    assert scan(D(2025, 10, 1)) == 1
    case_item.limit_certificate_days = 10
    case_item.save(update_fields=["limit_certificate_days"])
    record_event(actor=None, action="item.update", obj=case_item, center_id=case_item.center_id)
    result = scan_case_steps(now=local(2025, 10, 2))
    assert result.withdrawn == 1
    assert Alert.objects.get(case=case).withdrawal_reason == WithdrawalReason.NO_LONGER_HOLDS


@pytest.mark.parametrize(
    ("status", "over_on"),
    [
        (CaseStatus.SUBMITTED, D(2025, 10, 1)),  # pre-review 1
        (CaseStatus.APPROVED, D(2025, 10, 1)),  # certificate 1
        (CaseStatus.AWAITING_APPROVAL, D(2025, 10, 10)),  # approval 2: Sep 30, Oct 9
        (CaseStatus.JOINT_REVIEW, D(2025, 10, 14)),  # joint 5
        (CaseStatus.CERTIFICATE_READY, D(2025, 10, 14)),  # delivery 5
        (CaseStatus.DENIED, D(2025, 10, 14)),
    ],
)
def test_each_step_fires_on_its_day(
    status: str, over_on: D, case_item: ServiceItem, hall_window: Window
) -> None:
    case = in_step(case_item, hall_window, status)
    day_before = over_on - datetime.timedelta(days=1)
    assert scan(day_before, full=True) == 0
    assert scan(over_on) == 1
    assert live(case)


def test_no_limit_in_a_suspended_or_final_status(
    case_item: ServiceItem, hall_window: Window
) -> None:
    for status in (CaseStatus.SUSPENDED, CaseStatus.DELIVERED, CaseStatus.AWAITING_SUPPLEMENT):
        in_step(case_item, hall_window, status)
    assert scan(D(2025, 11, 20)) == 0


def test_escalation_forwarding_and_pending_materials_use_their_dates(
    case_item: ServiceItem, hall_window: Window
) -> None:
    escalated = in_step(
        case_item, hall_window, CaseStatus.ESCALATED, kind="escalated", forward_by=D(2025, 10, 9)
    )
    pending = in_step(
        case_item,
        hall_window,
        CaseStatus.IN_REVIEW,
        green_channel=True,
        pending_due_on=D(2025, 10, 10),
        step_started_at=local(2025, 10, 10),
    )
    assert scan(D(2025, 10, 9)) == 0
    assert scan(D(2025, 10, 10)) == 1
    assert live(escalated) and not live(pending)
    assert scan(D(2025, 10, 11)) == 1
    assert live(pending) == [f"case:{pending.pk}:pending:2025-10-10"]
    # the materials come in: the pending alert is withdrawn as finished
    pending.pending_due_on = None
    pending.save(update_fields=["pending_due_on"])
    record_event(
        actor=None, action="case.receive_pending", obj=pending, center_id=pending.center_id
    )
    result = scan_case_steps(now=local(2025, 10, 11, 12))
    assert result.withdrawn == 1 and live(pending) == []


def test_a_switched_off_rule_withdraws_its_alerts(
    case_item: ServiceItem, hall_window: Window
) -> None:
    case = in_step(case_item, hall_window, CaseStatus.RECEIVED)
    scan(D(2025, 10, 1))
    AlertRule.objects.filter(code="case_step.yellow").update(is_active=False)
    assert scan_case_steps(now=local(2025, 10, 2)).withdrawn == 1
    assert live(case) == []


def test_queries_do_not_grow_with_the_cases(case_item: ServiceItem, hall_window: Window) -> None:
    def queries(day: datetime.date) -> int:
        with CaptureQueriesContext(connection) as captured:
            scan_case_steps(now=local(day.year, day.month, day.day), full=True)
        return len(captured)

    for _ in range(2):
        in_step(case_item, hall_window, CaseStatus.RECEIVED)
    few = queries(D(2025, 10, 1))
    for _ in range(20):
        in_step(case_item, hall_window, CaseStatus.RECEIVED)
    many = queries(D(2025, 10, 2))
    assert Alert.objects.live().count() == 22
    assert many <= few + 2  # the same statements, not one per case
    # an incremental scan with nothing new is a handful of statements
    assert queries(D(2025, 10, 2)) <= many
