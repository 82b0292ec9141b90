"""The reports the hall sends to each stationed department (issue 21 item 1b):

- half-yearly, its window staff's files in figures (seeds/002… 二3: 大厅管理部门每半年向派驻部门
  通报一次窗口工作人员的工作情况);
- monthly, its staff's attendance (seeds/002… 六4: 窗口工作人员考勤情况每月通报一次), the figures of
  `staffing.queries.attendance.staff_month_report`.

Each with the record of its sending, if sent. A fixed number of queries per report."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from govhall.assessment.models import DepartmentReport, ReportKind
from govhall.assessment.queries.person_file import PersonSummary, people_summaries
from govhall.org.models import Center, Department, Staff
from govhall.staffing.queries.attendance import Month, staff_month_report


@dataclass
class DepartmentHalfYear:
    department: Department
    rows: list[PersonSummary] = field(default_factory=list)
    sent: DepartmentReport | None = None


@dataclass
class DepartmentAttendance:
    department: Department
    rows: list[Staff] = field(default_factory=list)
    sent: DepartmentReport | None = None


def half_year_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def _sent(departments: list[Department], kind: str, period: datetime.date) -> dict[int, object]:
    return {
        r.department_id: r
        for r in DepartmentReport.objects.filter(
            department__in=departments, kind=kind, period=period
        ).select_related("sent_by")
    }


def half_year_reports(
    departments: QuerySet[Department], year: int, half: int
) -> list[DepartmentHalfYear]:
    start, end = half_year_bounds(year, half)
    listed = list(departments.order_by("code", "pk"))
    staff = list(
        Staff.objects.filter(department__in=listed, is_window_staff=True)
        .select_related("user")
        .order_by("user__username")
    )
    summaries = people_summaries([s.user for s in staff], start, end)
    by_department: dict[int, list[PersonSummary]] = defaultdict(list)
    for member in staff:
        assert member.department_id is not None
        by_department[member.department_id].append(summaries[member.user_id])
    sent = _sent(listed, ReportKind.HALF_YEAR, start)
    return [
        DepartmentHalfYear(
            department=d,
            rows=by_department[d.pk],
            sent=sent.get(d.pk),  # type: ignore[arg-type]
        )
        for d in listed
    ]


def attendance_reports(
    departments: QuerySet[Department], month: Month
) -> list[DepartmentAttendance]:
    listed = list(departments.order_by("code", "pk"))
    by_department: dict[int, list[Staff]] = defaultdict(list)
    for row in staff_month_report(
        Staff.objects.filter(department__in=listed, is_window_staff=True), month
    ):
        assert row.department_id is not None
        by_department[row.department_id].append(row)
    sent = _sent(listed, ReportKind.ATTENDANCE, month.first)
    return [
        DepartmentAttendance(
            department=d,
            rows=by_department[d.pk],
            sent=sent.get(d.pk),  # type: ignore[arg-type]
        )
        for d in listed
    ]


def departments_of(center: Center, department_id: int | None = None) -> QuerySet[Department]:
    departments = Department.objects.filter(center=center)
    if department_id is not None:
        departments = departments.filter(pk=department_id)
    return departments


def reports_sent(departments: QuerySet[Department], limit: int = 50) -> list[DepartmentReport]:
    """The latest reports sent to these departments (a department leader's list)."""
    return list(
        DepartmentReport.objects.filter(department__in=departments).select_related(
            "department", "sent_by"
        )[:limit]
    )
