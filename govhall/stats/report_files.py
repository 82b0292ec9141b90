"""A period report's files (issue 18 item 4): the workbook (openpyxl, one sheet per section)
and the A4 PDF (reportlab with the CID font STSong-Light, as the assessment exports and the
notices do, so no font file is needed). The PDF's charts are reportlab vector drawings
(`reportlab.graphics`): a bar chart per section that names a chart column. Both files are drawn
from the same `ReportContent`, so they agree. Text is neutralised so no spreadsheet runs it as a
formula."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from govhall.core.spreadsheets import neutralise_formula
from govhall.stats.queries.report_content import Cell, ReportContent, Section

FONT = "STSong-Light"
# At most this many bars in a chart (the largest values); the table lists every row.
CHART_BARS = 12


def _text(value: object) -> str:
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def _cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    return _text(value)


def _shown(value: Cell) -> str:
    return "—" if value is None else str(value)


def report_xlsx(title: str, content: ReportContent, generated: str) -> bytes:
    workbook = Workbook()
    cover = workbook.active
    assert cover is not None
    cover.title = _text(_("Report"))[:31]
    cover.append([_text(title)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([_text(_("Period")), f"{content.first:%Y-%m-%d} – {content.last:%Y-%m-%d}"])
    cover.append([_text(_("Generated")), _text(generated)])
    for section in content.sections:
        sheet = workbook.create_sheet(_text(section.title)[:31])
        sheet.append([_text(h) for h in section.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([_cell(v) for v in row])
        if section.note:
            sheet.append([])
            sheet.append([_text(section.note)])
        sheet.column_dimensions["A"].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _chart(section: Section, width: float) -> Drawing | None:
    column = section.chart_value
    if column is None:
        return None
    points: list[tuple[str, float]] = []
    for row in section.rows:
        value = row[column]
        if isinstance(value, int | float) and str(row[0]) != _("All"):
            points.append((str(row[0]), float(value)))
    if not points:
        return None
    points = sorted(points, key=lambda p: -p[1])[:CHART_BARS]
    points.reverse()  # the largest at the top
    bar_height = 14
    height = 30 + bar_height * len(points) + 20
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 110
    chart.y = 20
    chart.width = width - 140
    chart.height = bar_height * len(points)
    chart.data = [[value for _label, value in points]]
    chart.bars[0].fillColor = colors.HexColor("#3b6fb6")
    chart.bars[0].strokeColor = None
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = [label[:14] for label, _value in points]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.barLabelFormat = "%g"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    drawing.add(chart)
    drawing.add(String(0, height - 12, section.chart_title, fontName=FONT, fontSize=9))
    return drawing


def report_pdf(title: str, content: ReportContent, generated: str) -> bytes:
    _register_font()

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.45)
        return ParagraphStyle(name, fontName=FONT, fontSize=size, wordWrap="CJK", **kw)

    title_style = style("title", 16, alignment=TA_CENTER, spaceAfter=4)
    sub = style("sub", 9, alignment=TA_CENTER, spaceAfter=8, textColor=colors.HexColor("#555555"))
    heading = style("heading", 12, spaceBefore=10, spaceAfter=4)
    cell = style("cell", 8)
    note = style("note", 7.5, textColor=colors.HexColor("#555555"), spaceBefore=2)

    def p(value: object, st: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape("" if value is None else str(value)), st)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    width = A4[0] - 30 * mm
    story: list[Any] = [
        p(title, title_style),
        p(
            _("Period %(first)s to %(last)s · generated %(generated)s")
            % {
                "first": f"{content.first:%Y-%m-%d}",
                "last": f"{content.last:%Y-%m-%d}",
                "generated": generated,
            },
            sub,
        ),
    ]
    for section in content.sections:
        block: list[Any] = [p(section.title, heading)]
        if section.rows:
            grid = Table(
                [[p(h) for h in section.headers]]
                + [[p(_shown(v)) for v in row] for row in section.rows],
                repeatRows=1,
                colWidths=[width * 0.26]
                + [width * 0.74 / (len(section.headers) - 1)] * (len(section.headers) - 1),
            )
            grid.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ]
                )
            )
            block.append(grid)
        else:
            block.append(p(_("Nothing recorded in the period.")))
        if section.note:
            block.append(p(section.note, note))
        story.append(KeepTogether(block[:2]))
        story += block[2:]
        chart = _chart(section, width)
        if chart is not None:
            story += [Spacer(1, 3 * mm), chart]
    document.build(story)
    return buffer.getvalue()


# --- downloads (the workbench page and the API serve the stored files the same way) -----------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
REPORT_FORMATS = ("xlsx", "pdf")


def report_file(report: Any, file_format: str) -> tuple[bytes, str, str]:
    """The stored file of a `StatsReport` in `file_format` (xlsx or pdf): its bytes, content
    type and download name (report-<center code>-<period>-<YYYY-MM>-v<version>.<format>)."""
    if file_format not in REPORT_FORMATS:
        raise ValueError(file_format)
    data = report.xlsx if file_format == "xlsx" else report.pdf
    name = (
        f"report-{report.center.code}-{report.period}-{report.first:%Y-%m}"
        f"-v{report.version}.{file_format}"
    )
    return bytes(data), XLSX_TYPE if file_format == "xlsx" else PDF_TYPE, name
