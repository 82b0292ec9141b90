"""What keeps the case-deadline scan cheap (issue 14, bench/supervision.py) without changing what
it decides: each changed case is read once, withdrawal is one UPDATE … RETURNING per reason with
its events in bulk, and only the rows a statement withdrew are announced."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event
from govhall.org.models import Window
from govhall.supervision.models import Alert, WithdrawalReason
from govhall.supervision.services.raising import withdraw_alerts_each
from govhall.testing.cases import accepted_case
from govhall.testing.supervision import changed, live, promise, scan

D = datetime.date
OVERDUE = D(2025, 10, 15)  # 5 promised working days after 2025-09-30: due 2025-10-14


def _cases(item: ServiceItem, window: Window, count: int) -> list[Case]:
    return [promise(accepted_case(item, window), 5) for _ in range(count)]


def _case_reads(count: int, item: ServiceItem, window: Window) -> int:
    cases = _cases(item, window, count)
    scan(OVERDUE)
    for case in cases:
        changed(case, status=CaseStatus.APPROVED)
    with CaptureQueriesContext(connection) as queries:
        assert scan(OVERDUE).withdrawn == 3 * count
    return sum('FROM "cases_case"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("count", [1, 4])
def test_an_incremental_scan_reads_the_changed_cases_once(
    count: int, case_item: ServiceItem, hall_window: Window
) -> None:
    assert _case_reads(count, case_item, hall_window) == 1


def test_each_withdrawal_event_names_its_rule_and_reason(
    case_item: ServiceItem, hall_window: Window
) -> None:
    done, paused, moved = _cases(case_item, hall_window, 3)
    scan(OVERDUE)
    changed(done, status=CaseStatus.APPROVED)
    changed(paused, status=CaseStatus.SUSPENDED)
    promise(moved, 5, extension=20)
    changed(moved, extension_reason="专家评审")
    for full in (False, True):
        assert scan(OVERDUE, full=full).withdrawn == (0 if full else 9)
    expected = {
        done.pk: WithdrawalReason.FINISHED,
        paused.pk: WithdrawalReason.SUSPENDED,
        moved.pk: WithdrawalReason.DEADLINE_MOVED,
    }
    alerts = {str(a.pk): a for a in Alert.objects.select_related("rule")}
    events = Event.objects.filter(action="alert.withdraw")
    assert events.count() == 9
    for event in events:
        alert = alerts[event.object_id]
        assert alert.case_id is not None
        assert alert.withdrawal_reason == expected[alert.case_id]
        assert event.data == {"rule": alert.rule.code, "reason": alert.withdrawal_reason}


def test_a_full_scan_withdraws_with_the_reason_of_each_case(
    case_item: ServiceItem, hall_window: Window
) -> None:
    done, paused = _cases(case_item, hall_window, 2)
    scan(OVERDUE)
    # Changed without events (as a repair would): only the full scan sees them.
    Case.objects.filter(pk=done.pk).update(status=CaseStatus.APPROVED)
    Case.objects.filter(pk=paused.pk).update(status=CaseStatus.SUSPENDED)
    assert scan(OVERDUE).withdrawn == 0
    assert scan(OVERDUE, full=True).withdrawn == 6
    assert live(done) == live(paused) == set()
    reasons = dict(Alert.objects.values_list("case_id", "withdrawal_reason").distinct())
    assert reasons == {done.pk: "finished", paused.pk: "suspended"}


def test_only_what_a_statement_withdrew_is_announced(
    case_item: ServiceItem, hall_window: Window
) -> None:
    (case,) = _cases(case_item, hall_window, 1)
    scan(OVERDUE)
    alerts = Alert.objects.filter(case=case)
    moment = datetime.datetime(2025, 10, 15, 12, tzinfo=datetime.UTC)
    assert withdraw_alerts_each(alerts, reason=WithdrawalReason.CORRECTED, moment=moment) == 3
    assert withdraw_alerts_each(alerts, reason=WithdrawalReason.CORRECTED, moment=moment) == 0
    assert withdraw_alerts_each(Alert.objects.none(), reason="corrected", moment=moment) == 0
    assert Event.objects.filter(action="alert.withdraw").count() == 3
    assert set(alerts.values_list("withdrawal_reason", "withdrawn_at")) == {("corrected", moment)}
