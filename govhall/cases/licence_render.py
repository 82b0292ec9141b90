"""The electronic licence as a printable A4 PDF (issue 19 item 4), drawn with the notice PDF
machinery (`notice_render`: reportlab, the CID font STSong-Light, the QR drawing).

`licence_verify_url(licence, request=None)` is the public verification page of the licence
(GOVHALL_PUBLIC_URL or the request's host + /licences/verify/<token>/), the address in its QR code.
`licence_pdf(licence, *, verify_url)` returns the PDF bytes.

At the app root like `notice_render`: it draws, it neither reads lists nor changes anything.
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from govhall.cases.models import ElectronicLicence
from govhall.cases.notice_render import FONT, _qr_drawing, _register_font
from govhall.cases.services.notices import cn_date


def licence_verify_url(licence: ElectronicLicence, request: HttpRequest | None = None) -> str:
    try:
        path = reverse("portal:licence_verify", args=[licence.verify_token])
    except NoReverseMatch:  # the portal page is not installed
        path = f"/licences/verify/{licence.verify_token}/"
    base = getattr(settings, "GOVHALL_PUBLIC_URL", "")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def licence_pdf(licence: ElectronicLicence, *, verify_url: str) -> bytes:
    """The licence on one A4 page: issuer, title, holder, number, identifier, validity, the QR
    code to `verify_url` and the issuer's seal line."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _register_font()

    def style(name: str, size: float, **kw: Any) -> ParagraphStyle:
        kw.setdefault("leading", size * 1.55)
        return ParagraphStyle(name, fontName=FONT, fontSize=size, wordWrap="CJK", **kw)

    def p(text: str, st: ParagraphStyle) -> Paragraph:
        return Paragraph(escape(text), st)

    center_style = style("center", 13, alignment=TA_CENTER)
    title_style = style("title", 26, alignment=TA_CENTER, spaceBefore=10, spaceAfter=10)
    cell_style = style("cell", 12, leading=18)
    small_style = style("small", 9, alignment=TA_CENTER)
    holder = licence.holder
    rows = [
        ("证照名称", licence.name),
        ("持证主体", holder.name),
        ("主体代码", holder.id_number),
        ("证照编号", licence.number),
        ("证照标识", licence.identifier),
        ("有效期自", cn_date(licence.valid_from)),
        ("有效期至", cn_date(licence.valid_until) if licence.valid_until else "长期"),
        ("颁发机构", licence.department.name),
        ("办件编号", licence.case.number),
    ]
    width = A4[0] - 50 * mm
    table = Table(
        [[p(label, cell_style), p(value, cell_style)] for label, value in rows],
        colWidths=[32 * mm, width - 32 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    qr = _qr_drawing(verify_url, 32 * mm)
    seal = [
        p(f"{licence.department.name}（电子印章）", style("seal", 12)),
        p(cn_date(licence.valid_from), style("day", 12)),
    ]
    footer = Table(
        [[[qr, p("扫码核验证照真伪与状态", small_style)], seal]],
        colWidths=[45 * mm, width - 45 * mm],
    )
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    story: list[Any] = [
        p(licence.department.center.name, center_style),
        p("电子证照", title_style),
        p(licence.name, center_style),
        Spacer(1, 8 * mm),
        table,
        Spacer(1, 14 * mm),
        footer,
    ]
    if licence.revoked_at is not None:
        story.append(Spacer(1, 6 * mm))
        story.append(p(f"本证照已于{cn_date(licence.revoked_at.date())}注销", center_style))
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"电子证照 {licence.number}",
        author=licence.department.name,
        subject=licence.identifier,
    )
    pdf.build(story)
    return buffer.getvalue()
