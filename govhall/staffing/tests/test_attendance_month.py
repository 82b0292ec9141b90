"""Monthly attendance figures per staff member and per department, computed in SQL."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.core.roles import Role
from govhall.org.models import Department, Staff
from govhall.staffing.models import Absence, Attendance
from govhall.staffing.queries.attendance import (
    FIGURES,
    Month,
    department_month_report,
    my_month,
    staff_month_report,
)
from govhall.testing.factories import make_staff

pytestmark = pytest.mark.django_db

NOVEMBER = Month(2026, 11)


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def day_row(user, center, day, *, late=0, early=0, signed=True, missed=False, leave=False):
    return Attendance.objects.create(
        user=user,
        center=center,
        date=day,
        signed_in_at=at(day, 8, 20) if signed else None,
        late_minutes=late,
        early_leave_minutes=early,
        missed_sign_in=missed,
        on_leave=leave,
    )


@pytest.fixture
def month_data(county, department, other_department, clerk, window_head):
    other = make_staff(Role.CLERK, county, other_department, username="bdc-clerk")
    d = datetime.date
    day_row(clerk, county, d(2026, 11, 2))
    day_row(clerk, county, d(2026, 11, 3), late=5)
    day_row(clerk, county, d(2026, 11, 4), late=12, early=30)
    day_row(clerk, county, d(2026, 11, 5), signed=False, missed=True)
    day_row(clerk, county, d(2026, 11, 6), signed=False, leave=True)
    day_row(clerk, county, d(2026, 10, 30), late=99)  # another month
    day_row(clerk, county, d(2026, 12, 1), signed=False, missed=True)  # another month
    day_row(window_head, county, d(2026, 11, 2), late=1)
    day_row(other, county, d(2026, 11, 2), early=3)
    for starts, counted in (
        (at(d(2026, 11, 9), 9, 0), True),
        (at(d(2026, 11, 10), 9, 0), False),
        (at(d(2026, 10, 31), 9, 0), True),  # another month
    ):
        Absence.objects.create(
            user=clerk,
            center=county,
            whereabouts="外出",
            starts_at=starts,
            until=starts + datetime.timedelta(hours=3),
            counted_as_half_day_absenteeism=counted,
        )
    return other


def test_staff_month_report_figures(county, clerk, window_head, month_data):
    rows = {
        s.user.username: {name: getattr(s, name) for name in FIGURES}
        for s in staff_month_report(Staff.objects.filter(center=county), NOVEMBER)
    }
    assert rows["clerk"] == {
        "days_present": 3,
        "late_count": 2,
        "morning_late": 2,
        "afternoon_late": 0,
        "late_minutes_total": 17,
        "early_leaves": 1,
        "morning_early_leaves": 0,
        "afternoon_early_leaves": 1,
        "missed_sign_ins": 1,
        "leave_days": 1,
        "half_day_absences": 1,
    }
    assert rows["head"]["days_present"] == 1 and rows["head"]["late_minutes_total"] == 1
    assert rows["bdc-clerk"]["early_leaves"] == 1
    assert rows["bdc-clerk"]["half_day_absences"] == 0


def test_department_month_report_sums_staff(county, department, other_department, month_data):
    rows = {
        dep.code: (dep.staff_count, {name: getattr(dep, name) for name in FIGURES})
        for dep in department_month_report(Department.objects.filter(center=county), NOVEMBER)
    }
    count, figures = rows[department.code]
    assert count == 2  # clerk and window head
    assert figures == {
        "days_present": 4,
        "late_count": 3,
        "morning_late": 3,
        "afternoon_late": 0,
        "late_minutes_total": 18,
        "early_leaves": 1,
        "morning_early_leaves": 0,
        "afternoon_early_leaves": 1,
        "missed_sign_ins": 1,
        "leave_days": 1,
        "half_day_absences": 1,
    }
    assert rows[other_department.code][1]["early_leaves"] == 1
    assert rows[other_department.code][1]["half_day_absences"] == 0


def test_reports_take_constant_queries(county, month_data, django_assert_num_queries):
    for number in range(20):
        make_staff(Role.CLERK, county, username=f"extra{number}")
    with django_assert_num_queries(1):
        assert len(list(staff_month_report(Staff.objects.filter(center=county), NOVEMBER))) > 20
    with django_assert_num_queries(1):
        list(department_month_report(Department.objects.filter(center=county), NOVEMBER))


def test_my_month_and_an_empty_month(clerk, month_data):
    assert my_month(clerk, NOVEMBER)["late_minutes_total"] == 17
    assert my_month(clerk, Month(2026, 1)) == dict.fromkeys(FIGURES, 0)


def test_month_parse():
    assert Month.parse("2026-02").last == datetime.date(2026, 2, 28)
    assert Month.parse("2026-12").next() == Month(2027, 1)
    assert Month.parse("2026-01").previous() == Month(2025, 12)
    for bad in ("2026", "2026-13", "abc", "1900-01"):
        with pytest.raises(ValueError):
            Month.parse(bad)
