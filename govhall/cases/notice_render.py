"""Rendering notices: the A4 print page (HTML) and the PDF download.

Both render the same `document(notice)`, built from `Notice.content` (what the paper said when it
was issued, see `govhall.cases.services.notices`), so the printed page and the PDF agree.

`notice_context(notice, *, progress_url)` is the context of the template `cases/notice_print.html`
(a standalone A4 page; the view renders it as is). Keys:

- `notice`: the Notice row.
- `doc`: the document, a dict:
    - `center_name`, `center_address`, `center_phone`: the issuing center.
    - `issuer`: the name heading the paper and on its seal line (the center; the licensing
      department on a decision, 以部门名义).
    - `title`, `subtitle`, `number` (notice number), `case_number`, `kind`.
    - `addressee`: "张三丰：" (the applicant's full name, the salutation).
    - `facts`: list of (label, value) pairs for the heading block (case number, item, applicant,
      masked ID, department, dates ...); `fact_rows`: the same, two pairs per table row.
    - `body`: paragraphs before the tables; `tables`: list of {heading, columns, rows};
      `closing`: paragraphs after the tables (a table has `kind` "materials" or "plain", for
      the column widths); `rights`: the reconsideration/lawsuit text or "".
    - `window`, `clerk`: the issuing window and clerk; `issued_on`: "2025年10月9日".
    - `confirmed`: bool; `confirmed_by_name`; `confirmed_on`: "2025年10月9日 10:30" or "".
- `qr_svg`: the QR code to the progress page, inline SVG (safe to print with `{{ qr_svg }}`).
- `progress_url`: the URL in the QR code.
- `pdf_url`, `back_url`: None here; the view may set them (the print page shows the links then).

`notice_pdf(notice, *, progress_url)` returns the PDF bytes (reportlab, A4, the CID font
STSong-Light so no font file is needed, QR code, signature line).
`progress_url_for(case, request=None)` is the public progress page of a case.

At the app root, not in `queries/` or `services/`: it neither reads lists nor changes anything;
it draws what `services/notices.py` stored, for the workbench and the API alike.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from govhall.cases.models import Case, Notice
from govhall.cases.services.notices import FORM_LABELS, cn_date
from govhall.cases.statuses import NoticeKind

FONT = "STSong-Light"


def progress_url_for(case: Case, request: HttpRequest | None = None) -> str:
    """The public progress page of `case`: GOVHALL_PUBLIC_URL (or the request's host) + path."""
    try:
        path = reverse("portal:progress")
    except NoReverseMatch:  # the portal page is not installed yet
        path = "/progress/"
    relative = f"{path}?{urlencode({'number': case.number})}"
    base = getattr(settings, "GOVHALL_PUBLIC_URL", "")
    if base:
        return f"{base}{relative}"
    if request is not None:
        return request.build_absolute_uri(relative)
    return relative


# --- the document ---------------------------------------------------------------------------

MATERIAL_COLUMNS = ["序号", "材料名称", "类别", "形式", "份数"]


def _material_rows(rows: list[dict[str, Any]], start: int = 1) -> list[list[str]]:
    return [
        [
            str(index),
            row["name"],
            "主件" if row.get("is_main") else "附件",
            FORM_LABELS.get(row.get("form") or "", ""),
            str(row.get("copies") or ""),
        ]
        for index, row in enumerate(rows, start=start)
    ]


def _materials_table(heading: str, rows: list[list[str]]) -> dict[str, Any]:
    return {"heading": heading, "kind": "materials", "columns": MATERIAL_COLUMNS, "rows": rows}


def _tables(c: dict[str, Any]) -> list[dict[str, Any]]:
    kind = c.get("kind")
    tables: list[dict[str, Any]] = []
    received = c.get("materials_received") or []
    missing = c.get("materials_missing") or []
    pending = c.get("materials_pending") or []
    extra_missing = c.get("extra_missing") or []
    if kind == NoticeKind.ONE_TIME:
        rows = _material_rows(missing)
        rows += [
            [str(len(rows) + i), name, "", "", ""] for i, name in enumerate(extra_missing, start=1)
        ]
        tables.append(_materials_table("需补正的材料", rows))
        if received:
            tables.append(_materials_table("已收取的材料", _material_rows(received)))
    elif kind in (NoticeKind.ACCEPTANCE, NoticeKind.ESCALATED, NoticeKind.NOT_ACCEPTED):
        heading = "退回的材料" if kind == NoticeKind.NOT_ACCEPTED else "已收取的材料"
        if received:
            tables.append(_materials_table(heading, _material_rows(received)))
        if pending and kind == NoticeKind.ACCEPTANCE:
            tables.append(
                {
                    "heading": "容缺补交的材料",
                    "kind": "plain",
                    "columns": ["序号", "材料名称", "补交期限"],
                    "rows": [
                        [str(i), row["name"], cn_date(row.get("due_on"))]
                        for i, row in enumerate(pending, start=1)
                    ],
                }
            )
    elif kind == NoticeKind.JOINT:
        rows = [["1", c.get("lead_department", ""), "牵头", cn_date(c.get("promised_due_on"))]]
        rows += [
            [str(i), task["department"], "参与", cn_date(task.get("due_on"))]
            for i, task in enumerate(c.get("joint_tasks") or [], start=2)
        ]
        tables.append(
            {
                "heading": "联办部门及办理时限",
                "kind": "plain",
                "columns": ["序号", "部门", "职责", "办理期限"],
                "rows": rows,
            }
        )
    return tables


_WITH_DEADLINES = (
    NoticeKind.ACCEPTANCE,
    NoticeKind.JOINT,
    NoticeKind.ESCALATED,
    NoticeKind.EXTENSION,
)


def _facts(c: dict[str, Any]) -> list[tuple[str, str]]:
    kind = c.get("kind")
    item = c.get("item") or {}
    applicant = c.get("applicant") or {}
    facts: list[tuple[str, str]] = [
        ("办件号", c.get("case_number", "")),
        ("申请事项", item.get("name", "")),
        ("事项编码", item.get("code", "")),
        ("申请人", applicant.get("name", "")),
        ("证件号码", applicant.get("id_masked", "")),
        ("承办部门", c.get("department", "")),
        ("收件日期", cn_date(c.get("received_on"))),
    ]
    if c.get("accepted_on") and kind not in (
        NoticeKind.ONE_TIME,
        NoticeKind.NOT_ACCEPTED,
        NoticeKind.PREREVIEW_RETURN,
    ):
        facts.append(("受理日期", cn_date(c.get("accepted_on"))))
    if kind in _WITH_DEADLINES:
        if c.get("promised_due_on"):
            facts.append(("承诺办结日期", cn_date(c.get("promised_due_on"))))
        if c.get("legal_due_on"):
            facts.append(("法定办结日期", cn_date(c.get("legal_due_on"))))
    if kind == NoticeKind.EXTENSION:
        facts.append(("延长期限", f"{c.get('extension_days')}个工作日"))
    if kind == NoticeKind.ESCALATED or c.get("escalated_to"):
        facts.append(("转报机关", c.get("escalated_to", "")))
        if c.get("forward_by"):
            facts.append(("转报期限", cn_date(c.get("forward_by"))))
    if kind == NoticeKind.DECISION and c.get("certificate_number"):
        facts.append(("证照编号", c["certificate_number"]))
    return [(label, value) for label, value in facts if value]


def document(notice: Notice) -> dict[str, Any]:
    c = notice.content or {}
    center = c.get("center") or {}
    applicant = c.get("applicant") or {}
    facts = _facts(c)
    confirmed_on = ""
    if notice.confirmed_at:
        local = timezone.localtime(notice.confirmed_at)
        confirmed_on = f"{cn_date(local.date())} {local:%H:%M}"
    return {
        "kind": notice.kind,
        "center_name": center.get("name", ""),
        # Who heads, signs and seals the paper: the center, or for a decision the licensing
        # department (以部门名义); notices issued before the key existed were the center's.
        "issuer": c.get("issuer") or center.get("name", ""),
        "center_address": center.get("address", ""),
        "center_phone": center.get("phone", ""),
        "title": c.get("title", ""),
        "subtitle": c.get("subtitle", ""),
        "number": notice.number,
        "case_number": c.get("case_number", ""),
        "addressee": f"{applicant.get('name', '')}：",
        "facts": facts,
        "fact_rows": [[*facts[i : i + 2], ("", "")][:2] for i in range(0, len(facts), 2)],
        "body": list(c.get("body") or []),
        "tables": _tables(c),
        "closing": list(c.get("closing") or []),
        "rights": c.get("rights", ""),
        "window": c.get("window", ""),
        "clerk": c.get("clerk", ""),
        "issued_on": cn_date(c.get("issued_on")),
        "confirmed": notice.confirmed_at is not None,
        "confirmed_by_name": notice.confirmed_by_name,
        "confirmed_on": confirmed_on,
    }


def qr_svg(url: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(scale=3, title="QR")
    return mark_safe(svg)


def notice_context(notice: Notice, *, progress_url: str) -> dict[str, Any]:
    return {
        "notice": notice,
        "doc": document(notice),
        "qr_svg": qr_svg(progress_url),
        "progress_url": progress_url,
        "pdf_url": None,
        "back_url": None,
    }


# --- PDF ------------------------------------------------------------------------------------


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _qr_drawing(url: str, size: float) -> Any:
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def notice_pdf(notice: Notice, *, progress_url: str) -> bytes:
    """The notice as an A4 PDF with Chinese text, a QR code to `progress_url` and signature
    lines."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_font()
    doc = document(notice)

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.55)
        return ParagraphStyle(name, fontName=FONT, fontSize=size, wordWrap="CJK", **kw)

    center_style = style("center", 12, alignment=TA_CENTER)
    title_style = style("title", 20, alignment=TA_CENTER, spaceBefore=4, spaceAfter=2)
    subtitle_style = style("subtitle", 12, alignment=TA_CENTER)
    number_style = style("number", 9.5, alignment=TA_RIGHT, spaceAfter=6)
    body_style = style("body", 11, firstLineIndent=22, spaceAfter=2)
    plain_style = style("plain", 11, spaceAfter=2)
    cell_style = style("cell", 10, leading=13)
    number_cell_style = style("number_cell", 10, leading=13, alignment=TA_CENTER)
    small_style = style("small", 9)
    heading_style = style("heading", 11, spaceBefore=4, spaceAfter=2)

    def p(text: str, st: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), st)

    story: list[Any] = [
        p(doc["issuer"], center_style),
        p(doc["title"], title_style),
    ]
    if doc["subtitle"]:
        story.append(p(doc["subtitle"], subtitle_style))
    story.append(p(f"编号：{doc['number']}", number_style))

    if doc["fact_rows"]:
        rows = [
            [p(text, cell_style) for pair in fact_row for text in pair]
            for fact_row in doc["fact_rows"]
        ]
        width = A4[0] - 40 * mm
        facts_table = Table(rows, colWidths=[26 * mm, width / 2 - 26 * mm] * 2)
        facts_table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                    ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f2f2f2")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        story += [facts_table, Spacer(1, 5 * mm)]

    story.append(p(doc["addressee"], plain_style))
    story += [p(text, body_style) for text in doc["body"]]
    for table in doc["tables"]:
        story.append(p(table["heading"], heading_style))
        data = [
            [p(cell, number_cell_style if i == 0 else cell_style) for i, cell in enumerate(row)]
            for row in [table["columns"], *table["rows"]]
        ]
        width = A4[0] - 40 * mm
        columns = len(table["columns"])
        if table["columns"] == MATERIAL_COLUMNS:
            col_widths = [12 * mm, width - 12 * mm - 16 * mm - 26 * mm - 14 * mm]
            col_widths += [16 * mm, 26 * mm, 14 * mm]
        else:
            col_widths = [12 * mm] + [(width - 12 * mm) / (columns - 1)] * (columns - 1)
        grid = Table(data, colWidths=col_widths, repeatRows=1)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        story.append(grid)
    if doc["tables"]:
        story.append(Spacer(1, 3 * mm))
    ending: list[Any] = [p(text, body_style) for text in doc["closing"]]
    if doc["rights"]:
        ending.append(p(doc["rights"], body_style))

    issued = []
    if doc["window"]:
        issued.append(f"经办窗口：{doc['window']}")
    if doc["clerk"]:
        issued.append(f"经办人：{doc['clerk']}")
    if issued:
        issued_row = Table([[p(part, small_style) for part in issued]], hAlign="LEFT")
        issued_row.setStyle(TableStyle([("LEFTPADDING", (0, 0), (0, 0), 0)]))
        ending.append(issued_row)

    qr = _qr_drawing(progress_url, 22 * mm)
    applicant_lines = [
        p("申请人（签字）：____________", plain_style),
        p("日期：______年____月____日", plain_style),
    ]
    if doc["confirmed"]:
        applicant_lines.append(
            p(f"已签收：{doc['confirmed_by_name']}　{doc['confirmed_on']}", small_style)
        )
    seal_lines = [
        p(f"{doc['issuer']}（盖章）", plain_style),
        p(doc["issued_on"], plain_style),
    ]
    signature = Table(
        [[[qr, p("扫码查询办理进度", small_style)], applicant_lines, seal_lines]],
        colWidths=[32 * mm, 72 * mm, 66 * mm],
    )
    signature.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    # The closing words stay on the page of the signatures, never a signature block alone.
    story.append(KeepTogether([*ending, Spacer(1, 4 * mm), signature]))

    def footer(canvas: Any, _doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawCentredString(
            A4[0] / 2, 10 * mm, f"{doc['number']}　第{canvas.getPageNumber()}页"
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"{doc['title']} {doc['number']}",
        author=doc["issuer"],
        subject=doc["case_number"],
    )
    pdf.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
