"""A case's steps under random scans (issue 14 item 2): the one live step alert exists exactly
when the current step is over its limit on the day of the last scan, and no subject is ever
alerted twice."""

from __future__ import annotations

import datetime

from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.cases.steps import STEP_OF_STATUS
from govhall.catalog.models import ServiceItem
from govhall.catalog.step_limits import default_step_limit
from govhall.core.events import record_event
from govhall.org.models import Window
from govhall.supervision.models import Alert
from govhall.supervision.services.step_scan import scan_case_steps
from govhall.testing.cases import local, make_case
from govhall.workdays.queries.calendar import calendar_for

FIRST = datetime.date(2025, 1, 2)
NEXT: dict[str, str] = {
    CaseStatus.IN_REVIEW: CaseStatus.AWAITING_APPROVAL,
    CaseStatus.AWAITING_APPROVAL: CaseStatus.APPROVED,
    CaseStatus.APPROVED: CaseStatus.CERTIFICATE_READY,
    CaseStatus.CERTIFICATE_READY: CaseStatus.DELIVERED,
}


def expected_key(case: Case, review_limit: int, today: datetime.date) -> str | None:
    step = STEP_OF_STATUS.get(case.status)
    if step is None:
        return None
    limit = review_limit if step == "review" else default_step_limit(step)
    start = case.step_started_at.astimezone(local(2025, 1, 1).tzinfo).date()
    used = calendar_for(None).count_workdays(
        start + datetime.timedelta(days=1), today - datetime.timedelta(days=1)
    )
    if used < limit:
        return None
    return f"case:{case.pk}:{case.status}:{int(case.step_started_at.timestamp())}"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    offset=st.integers(min_value=0, max_value=300),
    hour=st.integers(min_value=8, max_value=17),
    review_limit=st.integers(min_value=1, max_value=6),
    timeline=st.lists(
        st.tuples(st.integers(min_value=0, max_value=4), st.booleans(), st.booleans()),
        min_size=1,
        max_size=10,
    ),
)
def test_the_live_step_alert_matches_its_condition(
    offset: int,
    hour: int,
    review_limit: int,
    timeline: list[tuple[int, bool, bool]],
    case_item: ServiceItem,
    hall_window: Window,
) -> None:
    case_item.limit_review_days = review_limit
    case_item.save(update_fields=["limit_review_days"])
    start = FIRST + datetime.timedelta(days=offset)
    started = local(start.year, start.month, start.day, hour)
    case = make_case(
        case_item, hall_window, status=CaseStatus.IN_REVIEW, received=started,
        step_started_at=started,
    )  # fmt: skip
    record_event(actor=None, action="case.forward", obj=case, center_id=case.center_id)
    today = start
    for days, advance, full in timeline:
        today += datetime.timedelta(days=days)
        if advance and case.status in NEXT:
            moved = local(today.year, today.month, today.day, 10)
            case.status = NEXT[case.status]
            case.step_started_at = max(moved, case.step_started_at)
            case.save(update_fields=["status", "step_started_at"])
            record_event(actor=None, action="case.review", obj=case, center_id=case.center_id)
        scan_case_steps(now=local(today.year, today.month, today.day, 18), full=full)
        live = list(Alert.objects.live().filter(case=case).values_list("subject_key", flat=True))
        key = expected_key(case, review_limit, today)
        assert live == ([key] if key else []), (today, case.status, case.step_started_at)
        twice = (
            Alert.objects.filter(case=case)
            .values("subject_key")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        assert not twice.exists()
