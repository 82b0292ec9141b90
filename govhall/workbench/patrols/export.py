"""The weekly patrol summary as an xlsx workbook (for management and the departments)."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from govhall.core.spreadsheets import neutralise_row
from govhall.supervision.queries.patrols import SessionCell, WeeklySummary

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_text(cell: SessionCell) -> str:
    return {
        "done": _("%(n)d done") % {"n": cell.rounds},
        "missed": _("Missed"),
        "pending": _("Not over yet"),
        "off": _("Day off"),
    }[cell.state]


def summary_workbook(summary: WeeklySummary) -> bytes:
    book = Workbook()
    rounds = book.active
    assert rounds is not None
    rounds.title = _("Rounds")
    rounds.append(
        neutralise_row(
            [
                summary.center.name,
                _("Week of %(monday)s to %(sunday)s")
                % {"monday": summary.monday.isoformat(), "sunday": summary.sunday.isoformat()},
            ]
        )
    )
    rounds.append([_("Day"), _("Morning"), _("Afternoon")])
    for row in summary.days:
        rounds.append([row.day.isoformat(), cell_text(row.morning), cell_text(row.afternoon)])
    rounds.append([_("Rounds done"), summary.rounds_done])
    rounds.append([_("Sessions missed"), summary.sessions_missed])
    rounds.append([_("Windows checked"), summary.windows_checked])

    by_point = book.create_sheet(_("By point"))
    by_point.append([_("Checklist point"), _("Findings")])
    for _point, label, count in summary.by_point:
        by_point.append(neutralise_row([label, count]))

    by_window = book.create_sheet(_("By window"))
    by_window.append([_("Window"), _("Name"), _("Findings")])
    for window, count in summary.by_window:
        by_window.append(neutralise_row([window.number, window.name, count]))

    by_department = book.create_sheet(_("By department"))
    by_department.append([_("Department"), _("Findings")])
    for name, count in summary.by_department:
        by_department.append(neutralise_row([name, count]))

    findings = book.create_sheet(_("Findings"))
    findings.append(
        [
            _("Day"),
            _("Session"),
            _("Window"),
            _("Department"),
            _("Checklist point"),
            _("What was seen"),
            _("Serving then"),
            _("Photo"),
        ]
    )
    for item in summary.findings:
        findings.append(
            neutralise_row(
                [
                    item.day.isoformat(),
                    item.session,
                    item.window.number,
                    item.departments,
                    item.finding.get_point_display(),
                    item.finding.note,
                    item.serving,
                    _("Yes") if item.finding.photo else "",
                ]
            )
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
