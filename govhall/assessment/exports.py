"""A center's month as a workbook (xlsx, openpyxl) and as an A4 PDF (reportlab, the CID font
STSong-Light so no font file is needed), both drawn from `queries.sheets.month_view`, so the
page, the workbook and the PDF agree. Text from users is neutralised so that no spreadsheet runs
it as a formula."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from govhall.assessment.queries.sheets import MonthView
from govhall.core.spreadsheets import neutralise_formula

FONT = "STSong-Light"


def _text(value: object) -> str:
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    return _text(value)


def month_headers() -> list[object]:
    return [
        _("Staff member"),
        _("Department"),
        _("Window"),
        _("Score"),
        _("Grade"),
        _("Tier"),
        _("Status"),
        _("Window score"),
        _("Department score"),
    ]


def month_rows(view: MonthView) -> list[list[object]]:
    return [
        [
            row.sheet.person.display_name,
            row.sheet.department or "",
            row.sheet.window or "",
            row.sheet.score,
            row.grade.label,
            row.tier_label,
            row.sheet.get_status_display(),
            row.window_score,
            row.department_score,
        ]
        for row in view.rows
    ]


def month_title(view: MonthView) -> str:
    return _("%(center)s monthly assessment %(month)s") % {
        "center": view.center.name,
        "month": f"{view.month:%Y-%m}",
    }


def month_xlsx(view: MonthView) -> bytes:
    workbook = Workbook()
    staff = workbook.active
    assert staff is not None
    staff.title = _text(_("Staff"))[:31]
    staff.append([_text(month_title(view))])
    staff.append([_text(h) for h in month_headers()])
    for row in month_rows(view):
        staff.append([_cell(v) for v in row])
    for title, units in ((_("Windows"), view.windows), (_("Departments"), view.departments)):
        sheet = workbook.create_sheet(_text(title)[:31])
        sheet.append([_text(_("Name")), _text(_("Score")), _text(_("People"))])
        for unit in units:
            sheet.append([_cell(unit.name), _cell(unit.score), unit.people])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def month_pdf(view: MonthView) -> bytes:
    _register_font()

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.45)
        return ParagraphStyle(name, fontName=FONT, fontSize=size, wordWrap="CJK", **kw)

    title = style("title", 16, alignment=TA_CENTER, spaceAfter=6)
    cell = style("cell", 9)
    heading = style("heading", 11, spaceBefore=6, spaceAfter=3)

    def p(value: object, st: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape("" if value is None else str(value)), st)

    def table(rows: list[list[object]]) -> Table:
        grid = Table([[p(v) for v in row] for row in rows], repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return grid

    story: list[Any] = [p(month_title(view), title)]
    story.append(table([month_headers(), *month_rows(view)]))
    flags = "、".join(u.name for u in view.red_flag_windows) or "—"
    stars = "、".join(s.person.display_name for s in view.service_stars) or "—"
    story += [
        Spacer(1, 4 * mm),
        p(_("Red-flag windows: %(names)s") % {"names": flags}, heading),
        p(_("Service stars: %(names)s") % {"names": stars}, heading),
    ]
    for label, units in ((_("Windows"), view.windows), (_("Departments"), view.departments)):
        story.append(p(label, heading))
        story.append(
            table(
                [
                    [_("Name"), _("Score"), _("People")],
                    *([u.name, u.score, u.people] for u in units),
                ]
            )
        )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=month_title(view),
    ).build(story)
    return buffer.getvalue()
