"""Issue 18, the second round: the figures per channel (window, online, 12345 hotline, assigned
by a higher level), per staff member (received by / decided by, within the reader's scope),
drill-down by the right date, and ONE on-time rule for the figures, the period reports and the
public /on-time/ page.

October 2025 as in test_figures: every case below was accepted on 30 September with a promised
deadline of Tuesday 14 October (5 working days: 9, 10, 11, 13, 14 October); the clerk received
them all (29 September), the approver decided them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.cases.statuses import CaseStatus, Channel
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.stats.access.stats import stats_scope
from govhall.stats.figures import BY_CODE, share
from govhall.stats.queries.figures import FigureFilters, drill_params, figure_sums, figure_table
from govhall.stats.queries.ontime import month_start, previous_month
from govhall.stats.queries.report_content import report_content
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import accepted_case, local, make_case
from govhall.testing.factories import ServiceItemFactory, make_staff

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2025, 10, 1), datetime.date(2025, 10, 31))


def decided(day: int, by: User, status: str = CaseStatus.APPROVED) -> dict[str, object]:
    moment = local(2025, 10, day, 15)
    return {"status": status, "decided_at": moment, "completed_at": moment, "decided_by": by}


@pytest.fixture
def hall(county: Center, department: Department, clerk: User, approver: User) -> dict:
    item = ServiceItemFactory(center=county, department=department, visits_required=1)
    cases = {
        # a 12345 hotline case decided on its due day: on time (not early)
        "hotline": accepted_case(
            item, None, channel=Channel.HOTLINE, received_by=clerk, **decided(14, approver)
        ),
        # an assigned case (上级交办) decided a day late: overdue
        "assigned": accepted_case(
            item, None, channel=Channel.ASSIGNED, received_by=clerk, **decided(15, approver)
        ),
        # window, early (10 October)
        "early": accepted_case(item, None, received_by=clerk, **decided(10, approver)),
        # window, suspended 2 working days, the deadline moved to 16 October: on time, 5 days
        "suspended": accepted_case(
            item,
            None,
            received_by=clerk,
            suspended_days=2,
            promised_due_on=datetime.date(2025, 10, 16),
            **decided(16, approver),
        ),
        # decided, then voided / withdrawn: not completed at all
        "voided": accepted_case(
            item, None, received_by=clerk, **decided(13, approver, CaseStatus.VOIDED)
        ),
        "withdrawn": accepted_case(
            item, None, received_by=clerk, **decided(13, approver, CaseStatus.WITHDRAWN)
        ),
        # received in October and still open: a hotline and an assigned one
        "open_hotline": make_case(
            item, None, channel=Channel.HOTLINE, received_by=clerk, received=local(2025, 10, 20)
        ),
        "open_assigned": make_case(
            item, None, channel=Channel.ASSIGNED, received_by=clerk, received=local(2025, 10, 21)
        ),
    }
    rebuild()
    return cases


def test_figures_per_channel_all_four_with_labels(hall: dict, director: User) -> None:
    table = figure_table(stats_scope(director), *OCTOBER, dimension="channel", period="month")
    rows = {row.key: row for row in table.rows}
    assert set(rows) == {"window", "hotline", "assigned"}
    assert rows["hotline"].label == str(Channel.HOTLINE.label)
    hotline, assigned, window = (rows[c].values for c in ("hotline", "assigned", "window"))
    assert (hotline["received"], hotline["completed"], hotline["on_time"]) == (1, 1, 1)
    assert (hotline["early"], hotline["overdue"], hotline["on_time_rate"]) == (0, 0, 100.0)
    assert (assigned["received"], assigned["completed"], assigned["overdue"]) == (1, 1, 1)
    assert assigned["on_time_rate"] == 0.0
    assert (window["received"], window["completed"], window["early"]) == (0, 2, 1)
    assert window["avg_days_used"] == 3.5  # early 2 days, suspended 7 − 2 = 5
    total = table.total.values
    # voided and withdrawn: not completed; 4 completed, 3 on time
    assert (total["completed"], total["on_time"], total["on_time_rate"]) == (4, 3, 75.0)
    only_hotline = figure_table(
        stats_scope(director), *OCTOBER, filters=FigureFilters(channel="hotline")
    )
    assert only_hotline.total.values["received"] == 1
    assert FigureFilters.from_query({"channel": "assigned"}).channel == "assigned"


def test_staff_received_by_the_receiver_decided_by_the_decider(
    hall: dict, director: User, clerk: User, approver: User
) -> None:
    sums = figure_sums(stats_scope(director), *OCTOBER, dimension="staff")
    assert sums[clerk.pk]["received"] == 2 and sums[clerk.pk]["completed"] == 0
    assert sums[approver.pk]["received"] == 0
    assert (sums[approver.pk]["completed"], sums[approver.pk]["on_time"]) == (4, 3)
    assert sums[approver.pk]["days_used_sum"] == 5 + 6 + 2 + 5
    for code in ("received", "accepted", "completed", "on_time"):
        hint = str(BY_CODE[code].hint)
        assert "staff member" in hint or "经办人" in hint or "人员" in hint, code


def test_decided_figures_drill_down_to_the_cases_decided_in_the_period(
    hall: dict, client_as, director: User, approver: User, county: Center
) -> None:
    params = drill_params(
        *OCTOBER,
        FigureFilters(center_id=county.pk),
        dimension="staff",
        key=approver.pk,
        drill="on_time",
    )
    assert params == {
        "status": "all",
        "decided_from": "2025-10-01",
        "decided_to": "2025-10-31",
        "center": str(county.pk),
        "decided_by": str(approver.pk),
        "timely": "on_time",
    }
    listed = client_as(director).get(reverse("workbench:cases"), params)
    numbers = {row["case"].number for row in listed.context["rows"]}
    # On time: the due-day, the early and the suspended cases (not voided, not overdue).
    assert numbers == {hall[k].number for k in ("hotline", "early", "suspended")}
    completed = drill_params(*OCTOBER, FigureFilters(), drill="completed")
    listed = client_as(director).get(reverse("workbench:cases"), completed)
    numbers = {row["case"].number for row in listed.context["rows"]}
    assert numbers == {hall[k].number for k in ("hotline", "assigned", "early", "suspended")}
    overdue = drill_params(*OCTOBER, FigureFilters(), drill="overdue")
    listed = client_as(director).get(reverse("workbench:cases"), overdue)
    assert [row["case"].number for row in listed.context["rows"]] == [hall["assigned"].number]
    # Received: by the day of receipt and who received the case.
    received = drill_params(*OCTOBER, FigureFilters(staff_id=1), drill="received")
    assert (received["from"], received["received_by"]) == ("2025-10-01", "1")
    assert "timely" not in received and "decided_from" not in received


def test_the_page_links_decided_numbers_to_decided_cases(
    hall: dict, client_as, director: User
) -> None:
    response = client_as(director).get(
        reverse("workbench:stats_figures"),
        {"period": "month", "date": "2025-10-15", "dimension": "channel"},
    )
    assert response.status_code == 200
    total = {figure["code"]: figure for figure in response.context["totals"]}
    assert "decided_from=2025-10-01" in total["completed"]["link"]
    assert "timely=on_time" in total["on_time"]["link"]
    assert "from=2025-10-01" in total["received"]["link"]
    assert "decided_from" not in total["received"]["link"]
    assert "accepted_from=2025-10-01" in total["accepted"]["link"]
    html = response.content.decode()
    assert str(Channel.ASSIGNED.label) in html


def test_a_manager_picks_only_staff_within_scope(
    hall: dict, client_as, director: User, approver: User, other_county: Center, town: Center
) -> None:
    stranger = make_staff(Role.APPROVER, other_county, username="far-approver")
    page = client_as(director).get(
        reverse("workbench:stats_figures"),
        {"period": "month", "date": "2025-10-15", "staff": stranger.pk},
    )
    assert page.status_code == 200 and page.context["error"]
    assert page.context["choice"].filters.staff_id is None
    assert approver in page.context["staff"] and stranger not in page.context["staff"]
    api = client_as(director)
    url = "/api/v1/stats/figures"
    refused = api.get(url, {"period": "month", "date": "2025-10-15", "staff": stranger.pk})
    assert refused.status_code == 422 and "staff" in refused.json()["errors"]
    answer = api.get(url, {"period": "month", "date": "2025-10-15", "staff": approver.pk})
    assert answer.status_code == 200
    assert answer.json()["total"]["values"]["completed"] == 4
    # A town director does not see the county's approver.
    town_director = make_staff(Role.DIRECTOR, town, username="town-director")
    assert (
        client_as(town_director)
        .get(url, {"period": "month", "date": "2025-10-15", "staff": approver.pk})
        .status_code
        == 422
    )


# --- one on-time rule ------------------------------------------------------------------------


def test_one_on_time_rate_on_the_public_page_in_the_report_and_in_the_figures(
    client, county: Center, department: Department, director: User, approver: User
) -> None:
    first = previous_month(month_start(timezone.localdate()))
    last = month_start(timezone.localdate()) - datetime.timedelta(days=1)
    item = ServiceItemFactory(center=county, department=department)
    due = first + datetime.timedelta(days=9)
    start = first - datetime.timedelta(days=5)

    def case(day_offset: int, status: str = CaseStatus.APPROVED, due_on=due):
        moment = timezone.make_aware(
            datetime.datetime.combine(
                first + datetime.timedelta(days=day_offset), datetime.time(22)
            )
        )
        return make_case(
            item,
            None,
            status=status,
            received=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9))),
            accepted=timezone.make_aware(datetime.datetime.combine(start, datetime.time(9))),
            clock_started_on=start,
            promised_due_on=due_on,
            decided_at=moment,
            decided_by=approver,
        )

    case(4, CaseStatus.VOIDED)  # decided, then voided: not counted
    case(4, CaseStatus.WITHDRAWN, due_on=first)  # would be overdue: not counted
    case(2)  # early
    case(9)  # on its due day, 22:00 local: on time
    case(10)  # a day late: overdue
    rebuild()
    expected = 66.7  # 2 on time of 3 completed

    sums = figure_sums(stats_scope(director), first, last, dimension="department")[department.pk]
    assert (sums["completed"], sums["on_time"]) == (3, 2)
    assert share(sums["on_time"], sums["completed"]) == expected

    page = client.get(reverse("portal:on_time"), {"center": county.code})
    row = next(r for r in page.context["rows"] if r.department_id == department.pk)
    assert (row.last_month.finished, row.last_month.on_time) == (3, 2)
    assert row.last_month.rate == Decimal("66.7")

    content = report_content(county, "month", first, last, now=timezone.now())
    sections = {section.key: section for section in content.sections}
    by_department = {row[0]: row for row in sections["cases_by_department"].rows}
    assert by_department[department.name][3] == expected  # the on-time rate column
    summary = {row[0]: row[1] for row in sections["cases"].rows}
    assert summary[f"{BY_CODE['on_time_rate'].label} (%)"] == expected
