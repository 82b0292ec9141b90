"""The case-deadline scan: each default level fires on its boundary day, never twice, and is
withdrawn when it no longer holds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event, OutboundMessage, User
from govhall.org.models import Window
from govhall.supervision.models import Alert, AlertRule, WithdrawalReason
from govhall.testing.cases import accepted_case
from govhall.testing.supervision import changed, live, promise, scan

D = datetime.date


@pytest.fixture
def case(case_item: ServiceItem, hall_window: Window, clerk: User) -> Case:
    # 5 promised working days after Tue 2025-09-30 end on Tue 2025-10-14 (Oct 1-8 off,
    # Saturday Oct 11 a make-up working day).
    return promise(accepted_case(case_item, hall_window, received_by=clerk), 5)


def test_the_defaults_of_spec_9_are_seeded(db: None) -> None:
    rules = {rule.level: rule for rule in AlertRule.objects.filter(subject="case_deadline")}
    assert rules["reminder"].threshold_days == 1
    assert rules["yellow"].threshold_percent == 80
    assert rules["red"].counts_as_violation and rules["red"].points == Decimal("2")


def test_each_level_fires_on_its_boundary_day_across_a_weekend(case: Case, clerk: User) -> None:
    assert case.promised_due_on == D(2025, 10, 14)
    for day in (D(2025, 10, 10), D(2025, 10, 11), D(2025, 10, 12)):
        scan(day)
        assert live(case) == set(), day
    # Monday: one working day left (4 of 5 used = 80%): reminder and yellow card.
    assert scan(D(2025, 10, 13)).raised == 2
    assert live(case) == {"reminder", "yellow"}
    assert scan(D(2025, 10, 14)).raised == 0  # due today: not overdue yet
    assert scan(D(2025, 10, 15)).raised == 1
    assert live(case) == {"reminder", "yellow", "red"}
    # Never twice: again, incremental or full.
    assert scan(D(2025, 10, 15)).raised == 0
    assert scan(D(2025, 10, 16), full=True).raised == 0
    assert Alert.objects.filter(case=case).count() == 3
    red = Alert.objects.get(case=case, level="red")
    assert red.responsible == clerk and red.is_violation and red.points == Decimal("2")
    assert Event.objects.filter(action="alert.raise").count() == 3


def test_yellow_at_80_percent_before_the_reminder(case: Case) -> None:
    promise(case, 10)  # due Tue 2025-10-21
    scan(D(2025, 10, 16))
    assert live(case) == set()
    scan(D(2025, 10, 17))  # 8 of 10 working days used
    assert live(case) == {"yellow"}
    scan(D(2025, 10, 18))  # Saturday: still two working days left
    scan(D(2025, 10, 19))
    assert live(case) == {"yellow"}
    scan(D(2025, 10, 20))
    assert live(case) == {"yellow", "reminder"}
    scan(D(2025, 10, 22))
    assert live(case) == {"yellow", "reminder", "red"}


def test_a_finished_case_has_its_alerts_withdrawn(case: Case) -> None:
    scan(D(2025, 10, 15))
    assert live(case) == {"reminder", "yellow", "red"}
    changed(case, status=CaseStatus.APPROVED)
    assert scan(D(2025, 10, 15)).withdrawn == 3
    assert live(case) == set()
    reasons = set(Alert.objects.filter(case=case).values_list("withdrawal_reason", flat=True))
    assert reasons == {WithdrawalReason.FINISHED}
    assert scan(D(2025, 10, 16)).raised == 0
    assert Event.objects.filter(action="alert.withdraw").count() == 3


def test_an_extension_withdraws_what_no_longer_holds(case: Case) -> None:
    scan(D(2025, 10, 13))
    assert live(case) == {"reminder", "yellow"}
    promise(case, 5, extension=5)  # now due Tue 2025-10-21
    changed(case, extension_reason="专家评审")
    result = scan(D(2025, 10, 13))
    assert result.withdrawn == 2 and not result.full
    assert live(case) == set()
    reasons = set(Alert.objects.filter(case=case).values_list("withdrawal_reason", flat=True))
    assert reasons == {WithdrawalReason.DEADLINE_MOVED}
    # The same conditions hold again later: a new live alert, the old one stays withdrawn.
    scan(D(2025, 10, 20))
    assert live(case) == {"reminder", "yellow"}
    assert Alert.objects.filter(case=case).count() == 4


def test_a_suspension_withdraws_and_a_full_scan_sees_a_silent_change(case: Case) -> None:
    scan(D(2025, 10, 15))
    changed(case, status=CaseStatus.SUSPENDED)
    scan(D(2025, 10, 15))
    assert live(case) == set()
    assert set(Alert.objects.values_list("withdrawal_reason", flat=True)) == {"suspended"}
    changed(case, status=CaseStatus.IN_REVIEW)
    scan(D(2025, 10, 15))
    assert live(case) == {"reminder", "yellow", "red"}
    # A deadline moved without an event on the case (as a calendar change does): the next
    # full scan (a new calendar revision makes it full) withdraws.
    Case.objects.filter(pk=case.pk).update(promised_due_on=D(2025, 12, 31))
    assert scan(D(2025, 10, 15), full=True).withdrawn == 3
    assert live(case) == set()


def test_an_incremental_scan_sees_new_cases_and_threshold_crossings(
    case: Case, case_item: ServiceItem, hall_window: Window
) -> None:
    assert scan(D(2025, 10, 10)).full
    other = promise(accepted_case(case_item, hall_window), 2)  # due Fri 2025-10-10
    changed(other, extension_reason="")  # accepted: its action wrote an event
    result = scan(D(2025, 10, 11))
    assert not result.full
    assert live(other) == {"reminder", "yellow", "red"} and live(case) == set()
    assert not scan(D(2025, 10, 13)).full
    assert live(case) == {"reminder", "yellow"}


def test_the_database_keeps_one_live_alert_per_rule_and_subject(case: Case) -> None:
    rule = AlertRule.objects.get(code="case_deadline.red")

    def alert() -> Alert:
        return Alert(
            rule=rule,
            level="red",
            subject_key=f"case:{case.pk}",
            case=case,
            center_id=case.center_id,
            occurred_on=case.received_at.date(),
            raised_at=case.received_at,
            batch="x",
        )

    Alert.objects.bulk_create([alert(), alert()], ignore_conflicts=True)
    assert Alert.objects.filter(case=case).count() == 1
    Alert.objects.update(withdrawn_at=case.received_at)
    Alert.objects.bulk_create([alert()], ignore_conflicts=True)
    assert Alert.objects.filter(case=case).count() == 2


def test_the_responsible_person_is_whoever_serves_the_window_else_the_clerk(
    case: Case, case_item: ServiceItem, clerk: User, clerk_b: User
) -> None:
    no_window = promise(accepted_case(case_item, None, received_by=clerk_b), 5)
    scan(D(2025, 10, 15))
    assert set(Alert.objects.filter(case=case).values_list("responsible", flat=True)) == {clerk.pk}
    assert set(Alert.objects.filter(case=no_window).values_list("responsible", flat=True)) == {
        clerk_b.pk
    }


def test_people_are_told_by_sms_after_commit(
    case: Case, clerk: User, window_head: User, django_capture_on_commit_callbacks
) -> None:
    User.objects.filter(pk=clerk.pk).update(phone="13800000001")
    User.objects.filter(pk=window_head.pk).update(phone="13800000002")
    with django_capture_on_commit_callbacks(execute=True):
        scan(D(2025, 10, 13))  # reminder: the clerk; yellow: the clerk and the window head
    sent = sorted(
        OutboundMessage.objects.filter(purpose="supervision.alert").values_list("to", flat=True)
    )
    assert sent == ["13800000001", "13800000001", "13800000002"]
    assert case.number in OutboundMessage.objects.first().text  # type: ignore[union-attr]


def test_the_queries_of_a_scan_do_not_grow_with_the_cases(
    case: Case,
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    django_assert_max_num_queries,
) -> None:
    scan(D(2025, 10, 1))  # warm the calendar cache
    with CaptureQueriesContext(connection) as queries:
        assert scan(D(2025, 10, 15), full=True).raised == 3
    few = len(queries)
    for _ in range(15):
        promise(accepted_case(case_item, hall_window, received_by=clerk), 5)
    Alert.objects.update(withdrawn_at=case.received_at)  # every case raises again
    with django_assert_max_num_queries(few):
        assert scan(D(2025, 10, 15), full=True).raised == 48


def test_the_worker_round_runs_the_scan(case: Case) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import translation

    out = StringIO()
    with translation.override("en"):
        call_command("worker", "--once", stdout=out)
    assert "deadline supervision" in out.getvalue()
