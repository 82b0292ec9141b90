"""The case list as an xlsx workbook (issue 17 item 8): the rows the list shows with its
filters, ID and phone numbers masked unless the reader may export them in full."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from govhall.cases.models import Case
from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.spreadsheets import neutralise_row

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def window_label(case: Case) -> str:
    """The window with its center, so two centers' "window 1" are told apart."""
    if case.window is None:
        return ""
    return _("%(center)s · window %(number)s %(name)s") % {
        "center": case.center.name,
        "number": case.window.number,
        "name": case.window.name,
    }


def case_workbook(cases: Iterable[Case], *, unmasked: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Cases")
    sheet.append(
        [
            _("Case number"),
            _("Service item"),
            _("Center"),
            _("Department"),
            _("Window"),
            _("Applicant"),
            _("ID number"),
            _("Mobile phone"),
            _("Status"),
            _("Kind"),
            _("Channel"),
            _("Received at"),
            _("Promised date"),
        ]
    )
    for case in cases:
        applicant = case.applicant
        id_number = applicant.id_number if unmasked else mask_id(applicant.id_number)
        phone = applicant.phone if unmasked else mask_phone(applicant.phone)
        sheet.append(
            neutralise_row(
                [
                    case.number,
                    case.item.name,
                    case.center.name,
                    case.department.name,
                    window_label(case),
                    applicant.name,
                    id_number,
                    phone,
                    case.get_status_display(),
                    case.get_kind_display(),
                    case.get_channel_display(),
                    timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                    case.promised_due_on.isoformat() if case.promised_due_on else "",
                ]
            )
        )
    widths = (22, 30, 24, 24, 30, 12, 22, 14, 14, 10, 10, 18, 12)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
