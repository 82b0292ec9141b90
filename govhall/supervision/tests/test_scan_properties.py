"""A case's timeline under random scans: at most one live alert per (rule, level, case), and a
live alert exists exactly when its condition holds on the day of the last scan."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases import clock
from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import Event
from govhall.org.models import Window
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.services.scans import SCANS, run_scans
from govhall.testing.cases import accepted_case, local
from govhall.testing.parallel import run_at_once
from govhall.testing.supervision import changed, scan
from govhall.workdays.queries.calendar import calendar_for

FIRST = datetime.date(2025, 1, 2)

steps = st.lists(
    st.tuples(
        st.integers(min_value=-3, max_value=6),  # days to the next scan (back: a late clock)
        st.sampled_from(["none", "none", "extend", "finish", "suspend", "resume"]),
        st.integers(min_value=1, max_value=5),
    ),
    min_size=1,
    max_size=8,
)


def expected(case: Case, today: datetime.date) -> set[str]:
    if case.status not in CLOCK_RUNNING_STATUSES or case.promised_due_on is None:
        return set()
    cal = calendar_for(None)
    left = clock.workdays_between(cal, today, case.promised_due_on)
    total = case.promised_days + case.extension_days
    levels = set()
    if left <= 1:
        levels.add("reminder")
    if total > 0 and (total - left) * 100 >= total * 80:
        levels.add("yellow")
    if case.promised_due_on < today:
        levels.add("red")
    return levels


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    accept=st.integers(min_value=0, max_value=300),
    promised=st.integers(min_value=1, max_value=15),
    timeline=steps,
)
def test_live_alerts_match_their_conditions(
    accept: int,
    promised: int,
    timeline: list[tuple[int, str, int]],
    case_item: ServiceItem,
    hall_window: Window,
) -> None:
    cal = calendar_for(None)
    start = FIRST + datetime.timedelta(days=accept)
    case = accepted_case(
        case_item,
        hall_window,
        accepted=local(start.year, start.month, start.day),
        clock_started_on=start,
        promised_due_on=cal.add_workdays(start, promised),
    )
    changed(case, promised_days=promised)  # accepted: the action writes an event
    today = start
    for step, action, days in timeline:
        today = max(start, today + datetime.timedelta(days=step))
        running = case.status in CLOCK_RUNNING_STATUSES
        if action == "extend" and running:
            extension = case.extension_days + days
            changed(
                case,
                extension_days=extension,
                promised_due_on=cal.add_workdays(start, promised + extension),
            )
        elif action == "finish" and running:
            changed(case, status=CaseStatus.APPROVED)
        elif action == "suspend" and running:
            changed(case, status=CaseStatus.SUSPENDED)
        elif action == "resume" and case.status == CaseStatus.SUSPENDED:
            changed(case, status=CaseStatus.IN_REVIEW)
        scan(today)
        alerts = Alert.objects.filter(case=case)
        live_levels = list(alerts.live().values_list("level", flat=True))
        assert len(live_levels) == len(set(live_levels)), live_levels
        assert set(live_levels) == expected(case, today), (today, case.promised_due_on)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_raise_each_alert_once(
    case_item: ServiceItem, hall_window: Window
) -> None:
    assert AlertRule.objects.filter(subject="case_deadline").count() == 3
    cases = [accepted_case(case_item, hall_window) for _ in range(5)]  # due Tue 2025-10-14
    moment = datetime.date(2025, 10, 15)

    def once() -> Any:
        return scan(moment, full=True)

    results = run_at_once([once, once, once])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.raised for r in results) == 15
    for case in cases:
        assert sorted(Alert.objects.filter(case=case).values_list("level", flat=True)) == [
            "red",
            "reminder",
            "yellow",
        ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks and real parallelism"
)
@pytest.mark.django_db(transaction=True)
def test_every_registered_scan_run_twice_at_once_alerts_each_subject_once(
    case_item: ServiceItem, hall_window: Window
) -> None:
    """Two workers run the whole registry (`run_scans`, every scan of SCANS) at the same moment:
    nothing fails, every subject has exactly one live alert per rule, each alert was announced
    once, and a later run finds nothing left to raise."""
    assert len(SCANS) >= 1
    cases = [accepted_case(case_item, hall_window) for _ in range(5)]  # due Tue 2025-10-14
    moment = local(2025, 10, 15)  # Wednesday 10:00: overdue, rounds and posts to check

    def worker() -> Any:
        return run_scans(now=moment, full=True)

    results = run_at_once([worker, worker])
    assert not [r for r in results if isinstance(r, Exception)], results
    alerts = Alert.objects.all()
    assert not alerts.exclude(withdrawn_at=None).exists()  # same moment: nothing to withdraw
    per_subject = alerts.values("rule", "subject_key").annotate(n=Count("id"))
    assert [row for row in per_subject if row["n"] != 1] == []
    # Each raised by exactly one of the workers, and announced once.
    assert sum(sum(r.values()) for r in results) == alerts.count()
    assert all(set(r) == set(SCANS) for r in results)
    subjects = set(alerts.values_list("rule__subject", flat=True))
    assert {"case_deadline", "patrol_missing"} <= subjects, subjects  # more than one scan raced
    assert Event.objects.filter(action="alert.raise").count() == alerts.count()
    for case in cases:
        levels = Alert.objects.filter(case=case, rule__subject="case_deadline")
        assert sorted(levels.values_list("level", flat=True)) == ["red", "reminder", "yellow"]
    # Nothing was missed: the same run again raises nothing new.
    before = alerts.count()
    assert sum(run_scans(now=moment, full=True).values()) == 0
    assert Alert.objects.live().count() == before
