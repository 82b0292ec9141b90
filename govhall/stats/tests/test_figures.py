"""Issue 18 items 1 and 6: every case figure against hand-counted cases, the rollups kept by
the worker, scope, periods and the fixed number of queries.

The hall's calendar around National Day 2025: 1–8 October off, Saturday 11 October a make-up
working day. Every case below was accepted on 30 September (clock started that day) with a
promised deadline of Tuesday 14 October (5 working days: 9, 10, 11, 13, 14 October).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.stats.access.stats import can_view_stats, stats_scope
from govhall.stats.figures import BY_CODE, FIGURES
from govhall.stats.models import CaseDayRollup
from govhall.stats.queries.figures import (
    FigureFilters,
    drill_params,
    figure_sums,
    figure_table,
    period_bounds,
    previous_period,
    year_before,
)
from govhall.stats.services.rollups import rebuild, refresh_changed
from govhall.testing.cases import accepted_case, local, make_case
from govhall.testing.factories import DepartmentFactory, ServiceItemFactory, make_staff
from govhall.testing.ratings import make_rating

OCTOBER = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))
DUE = datetime.date(2025, 10, 14)


def decided(day: int, hour: int = 15) -> dict[str, object]:
    moment = local(2025, 10, day, hour)
    return {"status": CaseStatus.APPROVED, "decided_at": moment, "completed_at": moment}


@pytest.fixture
def hall(county: Center, town: Center, department: Department) -> dict[str, object]:
    item = ServiceItemFactory(center=county, department=department, visits_required=1)
    no_visit = ServiceItemFactory(center=county, department=department, visits_required=0)
    town_department = DepartmentFactory(center=town)
    town_item = ServiceItemFactory(center=town, department=town_department, visits_required=2)
    cases = {
        # decided on its due day: on time, not early; 5 working days used
        "due_day": accepted_case(item, None, **decided(14)),
        # a day late: overdue; 6 working days used
        "late": accepted_case(item, None, **decided(15)),
        # early: 2 working days used (9 and 10 October)
        "early": accepted_case(item, None, **decided(10)),
        # suspended 2 working days, the deadline moved to 16 October: on time; 7 − 2 = 5 used
        "suspended": accepted_case(
            item, None, suspended_days=2, promised_due_on=datetime.date(2025, 10, 16), **decided(16)
        ),
        # an immediate case applied online for a no-visit item, done the same day
        "immediate": make_case(
            no_visit,
            None,
            kind=CaseKind.IMMEDIATE,
            channel="online",
            received=local(2025, 10, 13, 9),
            accepted=local(2025, 10, 13, 9),
            clock_started_on=datetime.date(2025, 10, 13),
            **decided(13, 10),
        ),
        # the town's case, received and still open
        "town": make_case(town_item, None, received=local(2025, 10, 20)),
    }
    rebuild()
    return {"item": item, "town_department": town_department, **cases}


def test_every_figure_against_hand_counted_cases(hall: dict[str, object], director: User) -> None:
    values = figure_table(stats_scope(director), *OCTOBER, period="month").total.values
    assert values["received"] == 2  # the immediate and the town's; the others in September
    assert values["accepted"] == 1
    assert values["completed"] == 5
    assert values["on_time"] == 4  # the due-day, early, suspended and immediate cases
    assert values["early"] == 1  # the immediate case has no deadline: on time, not early
    assert values["overdue"] == 1
    assert values["on_time_rate"] == 80.0
    assert values["immediate_share"] == 50.0
    assert values["online_share"] == 50.0
    assert values["full_online_share"] == 50.0
    assert values["visits_per_case"] == 1.0  # (0 + 2) / 2
    assert values["visits_0_share"] == 50.0
    assert values["visits_1_share"] == 0.0
    assert values["visits_2_share"] == 50.0
    assert values["avg_days_used"] == 3.6  # (5 + 6 + 2 + 5 + 0) / 5
    # legal 20 and promised 5 per case: 1 − 18/100 and 1 − 18/25
    assert values["legal_compression"] == 82.0
    assert values["promised_compression"] == 28.0


def test_a_case_decided_on_its_due_day_is_on_time_and_one_a_day_later_is_not(
    hall: dict[str, object], director: User
) -> None:
    scope = stats_scope(director)
    assert figure_table(scope, DUE, DUE).total.values["on_time"] == 1
    assert figure_table(scope, DUE, DUE).total.values["overdue"] == 0
    day_after = DUE + datetime.timedelta(days=1)
    assert figure_table(scope, day_after, day_after).total.values["overdue"] == 1


def test_suspended_days_are_not_counted_as_days_used(
    hall: dict[str, object], director: User
) -> None:
    day = datetime.date(2025, 10, 16)
    sums = figure_sums(stats_scope(director), day, day)[None]
    assert sums["completed"] == 1 and sums["on_time"] == 1
    assert sums["days_used_sum"] == 5  # 7 working days from 1 to 16 October, 2 suspended


def test_a_town_director_sees_only_the_town(
    hall: dict[str, object], town: Center, county: Center, director: User
) -> None:
    town_director = make_staff(Role.DIRECTOR, town)
    values = figure_table(stats_scope(town_director), *OCTOBER).total.values
    assert values["received"] == 1 and values["completed"] == 0
    # Asking for the county's subtree does not widen the scope.
    widened = figure_table(
        stats_scope(town_director), *OCTOBER, filters=FigureFilters(center_id=county.pk)
    )
    assert widened.total.values["received"] == 1
    # The county director's rows per center show both.
    rows = figure_table(stats_scope(director), *OCTOBER, dimension="center").rows
    assert {row.key: row.values["received"] for row in rows} == {county.pk: 1, town.pk: 1}


def test_a_department_leader_sees_only_the_department(
    hall: dict[str, object], dept_leader: User, department: Department
) -> None:
    assert can_view_stats(dept_leader)
    rows = figure_table(stats_scope(dept_leader), *OCTOBER, dimension="department").rows
    assert [row.key for row in rows] == [department.pk]
    assert rows[0].values["completed"] == 5


def test_a_clerk_reads_no_figures(hall: dict[str, object], clerk: User) -> None:
    assert not can_view_stats(clerk)
    assert figure_table(stats_scope(clerk), *OCTOBER).total.values["completed"] == 0


def test_dimensions_and_filters(hall: dict[str, object], director: User) -> None:
    scope = stats_scope(director)
    kinds = {
        row.key: row.values["completed"]
        for row in figure_table(scope, *OCTOBER, dimension="kind").rows
    }
    assert kinds == {"promised": 4, "immediate": 1}
    channels = {
        row.key: row.values["received"]
        for row in figure_table(scope, *OCTOBER, dimension="channel").rows
    }
    assert channels == {"online": 1, "window": 1}
    online = figure_table(scope, *OCTOBER, filters=FigureFilters(channel="online"))
    assert online.total.values["completed"] == 1
    days = {
        row.key: row.values["completed"]
        for row in figure_table(scope, *OCTOBER, dimension="day").rows
    }
    assert days[DUE] == 1 and days[datetime.date(2025, 10, 13)] == 1
    months = figure_table(scope, datetime.date(2025, 9, 1), OCTOBER[1], dimension="month").rows
    assert {row.key: row.values["received"] for row in months} == {
        datetime.date(2025, 9, 1): 4,
        datetime.date(2025, 10, 1): 2,
    }


def test_month_on_month_and_year_on_year(hall: dict[str, object], director: User) -> None:
    table = figure_table(stats_scope(director), *OCTOBER, period="month")
    assert table.previous_bounds == (datetime.date(2025, 9, 1), datetime.date(2025, 9, 30))
    assert table.last_year_bounds == (datetime.date(2024, 10, 1), datetime.date(2024, 10, 31))
    assert table.total.previous["received"] == 4 and table.total.previous["accepted"] == 4
    assert table.total.last_year["received"] == 0


def test_periods() -> None:
    day = datetime.date(2025, 11, 13)  # a Thursday
    assert period_bounds("day", day) == (day, day)
    assert period_bounds("week", day) == (datetime.date(2025, 11, 10), datetime.date(2025, 11, 16))
    assert period_bounds("month", day) == (datetime.date(2025, 11, 1), datetime.date(2025, 11, 30))
    assert period_bounds("quarter", day) == (
        datetime.date(2025, 10, 1),
        datetime.date(2025, 12, 31),
    )
    assert period_bounds("year", day)[1] == datetime.date(2025, 12, 31)
    assert previous_period(*period_bounds("quarter", day), "quarter") == (
        datetime.date(2025, 7, 1),
        datetime.date(2025, 9, 30),
    )
    assert previous_period(day, day + datetime.timedelta(days=2)) == (
        day - datetime.timedelta(days=3),
        day - datetime.timedelta(days=1),
    )
    assert year_before(datetime.date(2024, 2, 29), datetime.date(2024, 2, 29))[0] == (
        datetime.date(2023, 2, 28)
    )


def test_satisfaction_and_bad_ratings_come_from_feedback(
    hall: dict[str, object], director: User, supervisor: User
) -> None:
    case = hall["due_day"]
    for level in (5, 4, 3, 2):
        make_rating(case, level=level, occasion=f"o{level}", rated_at=local(2025, 10, 15))  # type: ignore[arg-type]
    make_rating(case, level=1, occasion="old", rated_at=local(2025, 9, 15))  # type: ignore[arg-type]
    values = figure_table(stats_scope(director), *OCTOBER).total.values
    assert values["satisfaction_rate"] == 75.0  # 3 of 4 at 基本满意 or better
    assert values["bad_ratings"] == 1


def test_the_worker_follows_changed_cases(
    county: Center, department: Department, director: User
) -> None:
    item = ServiceItemFactory(center=county, department=department)
    accepted_case(item, None, received=local(2025, 9, 1))
    assert refresh_changed() == 1  # the first run rebuilds everything
    assert CaseDayRollup.objects.filter(day=datetime.date(2025, 9, 1)).exists()
    case = accepted_case(item, None)
    Event.objects.create(action="case.receive", object_type="cases.case", object_id=str(case.pk))
    assert refresh_changed() == 1
    scope = stats_scope(director)
    assert figure_table(scope, *OCTOBER).total.values["completed"] == 0
    case.status, case.decided_at = CaseStatus.APPROVED, local(2025, 10, 14)
    case.save()
    Event.objects.create(action="case.approve", object_type="cases.case", object_id=str(case.pk))
    assert refresh_changed() == 1
    assert figure_table(scope, *OCTOBER).total.values["on_time"] == 1
    assert refresh_changed() == 0  # nothing new: nothing read
    # The recomputed day holds exactly what a full rebuild writes.
    before = sorted(CaseDayRollup.objects.values_list("day", "received", "accepted", "completed"))
    rebuild()
    after = sorted(CaseDayRollup.objects.values_list("day", "received", "accepted", "completed"))
    assert before == after


def test_rebuild_from_a_day_keeps_the_days_before(hall: dict[str, object]) -> None:
    first = CaseDayRollup.objects.filter(day__lt=datetime.date(2025, 10, 10)).count()
    CaseDayRollup.objects.filter(day__gte=datetime.date(2025, 10, 10)).delete()
    rebuild(since=datetime.date(2025, 10, 10))
    assert CaseDayRollup.objects.filter(day__lt=datetime.date(2025, 10, 10)).count() == first
    assert CaseDayRollup.objects.filter(day=DUE).exists()


def test_the_number_of_queries_does_not_grow_with_the_data(
    hall: dict[str, object], director: User
) -> None:
    scope = stats_scope(director)
    with CaptureQueriesContext(connection) as small:
        figure_table(scope, *OCTOBER, dimension="item", period="month")
    item = hall["item"]
    for day in range(13, 18):
        accepted_case(item, None, **decided(day))  # type: ignore[arg-type]
    rebuild()
    scope = stats_scope(director)
    with CaptureQueriesContext(connection) as large:
        figure_table(scope, *OCTOBER, dimension="item", period="month")
    assert len(large) == len(small) <= 12


def test_drill_down_links_to_the_cases_received(hall: dict[str, object], county: Center) -> None:
    params = drill_params(
        *OCTOBER, FigureFilters(center_id=county.pk), dimension="kind", key="immediate"
    )
    assert params == {
        "status": "all",
        "from": "2025-10-01",
        "to": "2025-10-31",
        "center": str(county.pk),
        "kind": "immediate",
    }


def test_every_figure_has_a_label_and_a_hint() -> None:
    assert len(BY_CODE) == len(FIGURES)
    for figure in FIGURES:
        assert str(figure.label) and len(str(figure.hint)) > 10
    with translation.override("en"):
        assert "due day" in str(BY_CODE["on_time"].hint)
    assert "到期当日办结的算按时" in str(BY_CODE["on_time"].hint)  # zh-hans, the default


def test_rebuild_command(hall: dict[str, object], county: Center) -> None:
    from django.core.management import call_command

    CaseDayRollup.objects.all().delete()
    call_command("stats_rebuild", "--center", county.code, "--from", "2025-10-01")
    assert CaseDayRollup.objects.filter(day=DUE).exists()
    assert not CaseDayRollup.objects.filter(day__lt=datetime.date(2025, 10, 1)).exists()
