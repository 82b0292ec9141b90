"""A case's timeline under random scans: at most one live alert per (rule, level, case), and a
live alert exists exactly when its condition holds on the day of the last scan."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases import clock
from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.org.models import Window
from govhall.supervision.models import Alert, AlertRule
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
    assert AlertRule.objects.count() == 3
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
