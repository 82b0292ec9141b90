"""Temporary covers (issue 21 item 1b): criticised or complained about twice during their cover
periods → flagged for the department to replace (seeds/001… AB岗 五5); their violations during a
cover period come off the window's monthly score (seeds/000… 篇5 考勤 5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from govhall.assessment.queries.covers import flagged_covers
from govhall.assessment.queries.sheets import center_month_sheets, links_of, month_view
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Window
from govhall.testing.alerts import make_alert
from govhall.testing.cases import local
from govhall.testing.factories import PostFactory, WindowFactory, make_staff
from govhall.testing.person_files import YEAR, complaint, cover, finding, notice, sheets
from govhall.testing.supervision import ensure_default_rules

pytestmark = pytest.mark.django_db
TODAY = datetime.date(YEAR, 12, 31)
MARCH = datetime.date(YEAR, 3, 1)


@pytest.fixture
def temp(county: Center, other_department: Department) -> User:
    """A clerk of another department holding a post at another window."""
    user = make_staff(Role.CLERK, county, other_department, username="temp", window_staff=True)
    other = WindowFactory(center=county, name="不动产窗口")
    other.departments.add(other_department)
    PostFactory(window=other, a_staff=user)
    return user


def test_twice_criticised_or_complained_during_cover_is_flagged(
    county: Center,
    window: Window,
    clerk: User,
    temp: User,
    director: User,
    other_department: Department,
) -> None:
    cover(window, clerk, temp, month=3)
    notice(temp, window, director, local(YEAR, 3, 5))
    assert flagged_covers(county, today=TODAY) == []
    # Outside the cover period: does not count.
    complaint(temp, county, director, local(YEAR, 3, 20), true=True)
    complaint(temp, county, director, local(YEAR, 3, 7), true=False)
    assert flagged_covers(county, today=TODAY) == []
    finding(temp, window, director, local(YEAR, 3, 9))
    flags = flagged_covers(county, today=TODAY)
    assert [(f.user, f.count) for f in flags] == [(temp, 2)]
    assert flags[0].department == other_department
    assert {f.kind for f in flags[0].faults} == {"notice", "finding"}
    # The department leader of the cover's department sees it; another department does not.
    assert flagged_covers(county, today=TODAY, department_id=other_department.pk)
    assert not flagged_covers(county, today=TODAY, department_id=clerk.staff.department_id)
    # A year later the faults are past.
    assert flagged_covers(county, today=datetime.date(YEAR + 1, 6, 1)) == []


def test_a_temporary_covers_violation_costs_the_window(
    county: Center, window: Window, clerk: User, window_head: User, temp: User
) -> None:
    ensure_default_rules()
    sheets(clerk, window, {3: "100"})
    sheets(window_head, window, {3: "98"})
    cover(window, clerk, temp, month=3)
    during = make_alert(window, temp, occurred_on=datetime.date(YEAR, 3, 4))
    make_alert(window, temp, occurred_on=datetime.date(YEAR, 3, 25))  # after the cover
    make_alert(window, window_head, occurred_on=datetime.date(YEAR, 3, 4))  # B holds a post
    view = month_view(center_month_sheets(county, MARCH), county, MARCH)
    unit = next(u for u in view.windows if u.pk == window.pk)
    assert unit.cover_deduction == during.points
    assert unit.score == Decimal("99.0") - during.points
    sheet = view.rows[0].sheet
    assert links_of(sheet)["window_score"] == Decimal("99.0") - during.points
    # Another month: nothing taken off.
    april = datetime.date(YEAR, 4, 1)
    sheets(clerk, window, {4: "100"})
    unit = month_view(center_month_sheets(county, april), county, april).windows[0]
    assert unit.cover_deduction == 0 and unit.score == Decimal("100.0")
