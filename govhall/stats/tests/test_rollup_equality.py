"""Issue 18 item 6: the rollups equal a direct GROUP BY over the cases, for random cases."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.org.models import Center, Department
from govhall.stats.access.stats import StatsScope
from govhall.stats.models import CaseDayRollup
from govhall.stats.queries.figures import figure_sums
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import make_case
from govhall.testing.factories import ServiceItemFactory

START = datetime.datetime(2025, 3, 1, 8, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

case_strategy = st.tuples(
    st.integers(0, 40 * 24),  # hours after START received
    st.one_of(st.none(), st.integers(0, 48)),  # hours after receipt accepted (None: not yet)
    st.one_of(st.none(), st.integers(0, 30 * 24)),  # hours after acceptance decided
    st.one_of(st.none(), st.integers(-5, 20)),  # promised due: days after acceptance
    st.sampled_from(["immediate", "promised", "joint"]),
    st.sampled_from(["window", "online"]),
    st.integers(0, 1),  # which item
)


def direct(field: str, extra: Q | None = None) -> dict[tuple[datetime.date, int, int], int]:
    """The direct GROUP BY: cases per (local day of `field`, center, item)."""
    qs = Case.objects.filter(**{f"{field}__isnull": False})
    if extra is not None:
        qs = qs.filter(extra)
    return {
        (row["d"], row["center_id"], row["item_id"]): row["n"]
        for row in qs.annotate(d=TruncDate(field))
        .values("d", "center_id", "item_id")
        .annotate(n=Count("id"))
        .order_by()
    }


def rolled(counter: str) -> dict[tuple[datetime.date, int, int], int]:
    totals: dict[tuple[datetime.date, int, int], int] = {}
    for day, center, item, value in CaseDayRollup.objects.values_list(
        "day", "center_id", "item_id", counter
    ):
        if value:
            key = (day, center, item)
            totals[key] = totals.get(key, 0) + value
    return totals


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(case_strategy, max_size=25))
def test_rollups_equal_a_direct_group_by(
    cases: list[tuple], county: Center, town: Center, department: Department
) -> None:
    Case.objects.all().delete()
    items = [
        ServiceItemFactory(center=county, department=department),
        ServiceItemFactory(center=town, department=department),
    ]
    for received_h, accepted_h, decided_h, due_d, kind, channel, which in cases:
        received = START + datetime.timedelta(hours=received_h)
        accepted = None if accepted_h is None else received + datetime.timedelta(hours=accepted_h)
        decided = (
            None
            if accepted is None or decided_h is None
            else accepted + datetime.timedelta(hours=decided_h)
        )
        due = (
            None
            if accepted is None or due_d is None
            else accepted.date() + datetime.timedelta(days=due_d)
        )
        make_case(
            items[which],
            None,
            kind=kind,
            channel=channel,
            received=received,
            accepted=accepted,
            clock_started_on=accepted.date() if accepted else None,
            promised_due_on=due,
            status=CaseStatus.APPROVED if decided else CaseStatus.ACCEPTED,
            decided_at=decided,
        )
    rebuild()
    assert rolled("received") == direct("received_at")
    assert rolled("accepted") == direct("accepted_at")
    assert rolled("completed") == direct("decided_at")
    assert rolled("immediate") == direct("received_at", Q(kind="immediate"))
    assert rolled("online") == direct("received_at", Q(channel="online"))
    # On time: decided on or before the promised due day (or no due day), in local days.
    finished = [
        (case.decided_at.astimezone(START.tzinfo).date(), case.promised_due_on)
        for case in Case.objects.filter(decided_at__isnull=False)
        if case.decided_at is not None
    ]
    on_time = sum(1 for day, due in finished if due is None or day <= due)
    overdue = sum(1 for day, due in finished if due is not None and day > due)
    scope = StatsScope(centers=Center.objects.all(), department_id=None, everything=True)
    sums = figure_sums(scope, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))[None]
    assert sums["on_time"] == on_time
    assert sums["overdue"] == overdue
    assert sums["completed"] == len(finished)
