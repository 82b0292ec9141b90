"""The reports to a department as workbooks (xlsx), drawn from `queries.department_reports` like
the printable pages, so both agree; text neutralised like the month's workbook."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from govhall.assessment.exports import _cell, _text
from govhall.assessment.queries.department_reports import (
    DepartmentAttendance,
    DepartmentHalfYear,
)


def half_year_headers() -> list[str]:
    return [
        _("Staff member"),
        _("Months published"),
        _("Average score"),
        _("Grade"),
        _("Patrol findings"),
        _("Notices of criticism"),
        _("Complaints found true"),
        _("Ratings"),
        _("Bad ratings"),
        _("Study sessions missed"),
        _("Trainings"),
        _("Attendance lapses"),
    ]


def half_year_rows(report: DepartmentHalfYear) -> list[list[object]]:
    return [
        [
            row.person.display_name,
            row.months,
            row.average,
            row.grade.label if row.grade else "",
            row.findings,
            row.notices,
            row.complaints_found_true,
            row.ratings,
            row.bad_ratings,
            row.missed_study,
            row.trainings,
            row.lapses.total,
        ]
        for row in report.rows
    ]


def attendance_headers() -> list[str]:
    return [
        _("Staff member"),
        _("Days present"),
        _("Late"),
        _("Minutes late"),
        _("Early leaves"),
        _("Missed sign-ins"),
        _("Leave days"),
        _("Half-day absences"),
    ]


def attendance_rows(report: DepartmentAttendance) -> list[list[object]]:
    return [
        [
            row.user.display_name,
            getattr(row, "days_present", 0),
            getattr(row, "late_count", 0),
            getattr(row, "late_minutes_total", 0),
            getattr(row, "early_leaves", 0),
            getattr(row, "missed_sign_ins", 0),
            getattr(row, "leave_days", 0),
            getattr(row, "half_day_absences", 0),
        ]
        for row in report.rows
    ]


def report_xlsx(title: str, headers: list[str], rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _text(_("Report"))[:31]
    sheet.append([_text(title)])
    sheet.append([_text(h) for h in headers])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
