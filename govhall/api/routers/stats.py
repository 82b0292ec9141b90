"""Statistics API (issue 18 item 1): the case figures of a period per dimension, with the
previous period (环比) and the same period a year before (同比), read from the daily rollups.

Each figure's definition is `govhall.stats.figures` (returned in `definitions`). Errors
(`govhall.api.schemas`): a caller who reads no figures → 404; a bad date, range, period or
dimension → 422. Figures are limited to the caller's centers (and department).

Period reports (通报, issue 18 item 4): the list, one report's figures, its stored workbook or
PDF, and generating one on demand (`stats.services.reports.stats_report_generate`, the service
the workbench page uses). Who reads and who generates: `stats.access.reports` — a report of a
center outside the caller's subtree answers 404 like a missing one."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    BIGINT_MAX,
    SERVICE_REFUSALS,
    ErrorOut,
    FieldRefused,
    Id,
    Pagination,
    PersonOut,
    field_refusal,
    service_refusal,
)
from govhall.core.models import User
from govhall.org.access.scope import centers_in_scope
from govhall.org.models import Center
from govhall.stats.access.reports import (
    access_stats_report,
    can_generate_report_of,
    can_generate_stats_reports,
    can_read_stats_reports,
    reports_in_scope,
)
from govhall.stats.access.stats import can_view_stats, stats_scope, stats_staff
from govhall.stats.figures import FIGURES
from govhall.stats.models.reports import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.queries.figures import (
    DIMENSIONS,
    MAX_RANGE_DAYS,
    PERIODS,
    FigureFilters,
    figure_table,
    period_bounds,
)
from govhall.stats.queries.reports import reports_listed
from govhall.stats.report_files import PDF_TYPE, REPORT_FORMATS, XLSX_TYPE, report_file
from govhall.stats.services.reports import stats_report_generate

router = Router(auth=SESSION_OR_TOKEN)

Value = float | int | None


class DefinitionOut(Schema):
    code: str
    label: str
    hint: str = Field(..., description="The figure's definition (our formula)")
    unit: str = Field(..., description='"%" for rates, "" otherwise')


class FigureRowOut(Schema):
    key: str | None = Field(None, description="The group: an id, a code or a day; null: total")
    label: str
    values: dict[str, Value]
    previous: dict[str, Value] = Field(..., description="The previous period (环比)")
    last_year: dict[str, Value] = Field(..., description="The same period a year before (同比)")


class StatsFiguresOut(Schema):
    first: datetime.date
    last: datetime.date
    dimension: str
    previous_first: datetime.date
    previous_last: datetime.date
    last_year_first: datetime.date
    last_year_last: datetime.date
    total: FigureRowOut
    rows: list[FigureRowOut]
    definitions: list[DefinitionOut]


def _day(name: str, raw: str | None, default: datetime.date) -> datetime.date:
    if not raw:
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(name) from None


def _row(row: Any) -> dict[str, Any]:
    key = row.key
    return {
        "key": None
        if key is None
        else (key.isoformat() if hasattr(key, "isoformat") else str(key)),
        "label": row.label,
        "values": row.values,
        "previous": row.previous,
        "last_year": row.last_year,
    }


@router.get(
    "/figures",
    response={200: StatsFiguresOut, 404: ErrorOut, 422: ErrorOut},
    summary="Case figures of a period per dimension, with 环比 and 同比",
)
def figures(
    request: HttpRequest,
    period: str = Query("month", description=" | ".join(PERIODS)),
    date: str | None = Query(None, max_length=10, description="A day in the period, YYYY-MM-DD"),
    first: str | None = Query(None, alias="from", max_length=10, description="range: first day"),
    last: str | None = Query(None, alias="to", max_length=10, description="range: last day"),
    dimension: str = Query("total", description=" | ".join(DIMENSIONS)),
    center: int | None = Query(None, ge=1, le=BIGINT_MAX, description="a center's subtree"),
    department: int | None = Query(None, ge=1, le=BIGINT_MAX),
    window: int | None = Query(None, ge=1, le=BIGINT_MAX),
    staff: int | None = Query(
        None,
        ge=1,
        le=BIGINT_MAX,
        description=(
            "a staff member of the caller's scope (user id): received and accepted count for "
            "who received the case, completed / on time / early / overdue for who decided it"
        ),
    ),
    item: int | None = Query(None, ge=1, le=BIGINT_MAX),
    kind: str = Query("", max_length=16),
    channel: str = Query("", max_length=16, description="window | online | hotline | assigned"),
):
    user = request.user
    assert isinstance(user, User)
    if not can_view_stats(user):
        raise Http404
    if period not in PERIODS:
        return field_refusal("period", _("Choose one of: %s.") % ", ".join(PERIODS))
    if dimension not in DIMENSIONS:
        return field_refusal("dimension", _("Choose one of: %s.") % ", ".join(DIMENSIONS))
    today = timezone.localdate()
    try:
        if period == "range":
            start = _day("from", first, today.replace(day=1))
            end = _day("to", last, today)
        else:
            start, end = period_bounds(period, _day("date", date, today))
    except ValueError as error:
        return field_refusal(str(error), _("Write the day as YYYY-MM-DD."))
    if end < start:
        return field_refusal("to", _("The last day is before the first day."))
    if (end - start).days > MAX_RANGE_DAYS:
        return field_refusal("to", _("Choose a range of at most ten years."))
    filters = FigureFilters.from_query(
        {
            "center": str(center or ""),
            "department": str(department or ""),
            "window": str(window or ""),
            "staff": str(staff or ""),
            "item": str(item or ""),
            "kind": kind,
            "channel": channel,
        }
    )
    if kind and not filters.kind:
        return field_refusal("kind", _("Unknown kind."))
    if channel and not filters.channel:
        return field_refusal("channel", _("Unknown channel."))
    if staff is not None and not stats_staff(user).filter(pk=staff).exists():
        return field_refusal("staff", _("Choose a staff member of your part of the hall."))
    table = figure_table(
        stats_scope(user), start, end, dimension=dimension, filters=filters, period=period
    )
    return {
        "first": start,
        "last": end,
        "dimension": dimension,
        "previous_first": table.previous_bounds[0],
        "previous_last": table.previous_bounds[1],
        "last_year_first": table.last_year_bounds[0],
        "last_year_last": table.last_year_bounds[1],
        "total": _row(table.total),
        "rows": [_row(row) for row in table.rows],
        "definitions": [
            {"code": f.code, "label": str(f.label), "hint": str(f.hint), "unit": f.unit}
            for f in FIGURES
        ],
    }


# --- period reports (通报, issue 18 item 4) -----------------------------------------------------

MONTH_PATTERN = r"^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$"
KINDS = " | ".join(ReportPeriod.values)


class StatsReportOut(Schema):
    id: int
    center_id: int
    center_code: str
    center_name: str
    kind: str = Field(..., validation_alias="period", description=KINDS)
    kind_label: str
    first: datetime.date = Field(..., description="First day of the period")
    last: datetime.date = Field(..., description="Last day of the period")
    version: int = Field(..., description="1, 2, …: generating the period again adds one")
    trigger: str = Field(..., description="schedule (the worker) | demand (someone asked)")
    generated_at: datetime.datetime
    generated_by: PersonOut | None = Field(None, description="null: made on schedule")
    title: str
    xlsx_url: str = Field(..., description="The stored workbook")
    pdf_url: str = Field(..., description="The stored A4 PDF")

    @staticmethod
    def resolve_center_code(obj: StatsReport) -> str:
        return obj.center.code

    @staticmethod
    def resolve_center_name(obj: StatsReport) -> str:
        return obj.center.name

    @staticmethod
    def resolve_kind_label(obj: StatsReport) -> str:
        return str(obj.get_period_display())

    @staticmethod
    def resolve_xlsx_url(obj: StatsReport) -> str:
        return f"/api/v1/stats/reports/{obj.pk}/file?format=xlsx"

    @staticmethod
    def resolve_pdf_url(obj: StatsReport) -> str:
        return f"/api/v1/stats/reports/{obj.pk}/file?format=pdf"


class StatsReportSectionOut(Schema):
    key: str = Field(..., description="cases, attendance, queue, appointments, inquiries, …")
    title: str
    headers: list[str]
    rows: list[list[str | int | float | None]]
    note: str = ""


class StatsReportDetailOut(StatsReportOut):
    sections: list[StatsReportSectionOut] = Field(
        ..., description="The figures the files were drawn from, as they were then"
    )

    @staticmethod
    def resolve_sections(obj: StatsReport) -> list[dict[str, Any]]:
        return list((obj.content or {}).get("sections", []))


class StatsReportIn(Schema):
    center: Id = Field(..., description="The center whose subtree the report covers")
    kind: str = Field(..., max_length=16, description=KINDS)
    month: str = Field(
        ..., max_length=7, description="YYYY-MM: a month of the period (its quarter, its year)"
    )
    replace: bool = Field(
        False,
        description="The period has a report already: false answers 409, true makes the "
        "next version (as the workbench page does)",
    )


def _reader(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_read_stats_reports(user):
        raise Http404
    return user


def _month(field: str, raw: str) -> datetime.date:
    try:
        year_text, month_text = raw.split("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError(raw)
        return datetime.date(int(year_text), int(month_text), 1)
    except ValueError:
        raise FieldRefused(field, _("Enter a month as YYYY-MM.")) from None


@router.get(
    "/reports",
    response=list[StatsReportOut],
    summary="Period reports (通报) of your centers, newest first",
    description=(
        "The monthly, quarterly and yearly reports of the centers in your subtree (a town "
        "director: the town and its villages), every version. Filters: `kind`, `period` (a "
        "month YYYY-MM the report covers), `center` (a center of your subtree; another: 404). "
        "Who does not read reports (a department leader, a clerk) gets 404."
    ),
)
@paginate(Pagination)
def reports(
    request: HttpRequest,
    kind: str = Query("", max_length=16, description=KINDS),
    period: str = Query("", max_length=7, description="YYYY-MM: reports covering this month"),
    center: int | None = Query(None, ge=1, le=BIGINT_MAX, description="one center"),
):
    user = _reader(request)
    if kind and kind not in ReportPeriod.values:
        raise FieldRefused("kind", _("Choose one of: %s.") % ", ".join(ReportPeriod.values))
    month = _month("period", period) if period else None
    if center is not None and not centers_in_scope(user).filter(pk=center).exists():
        raise Http404
    return reports_listed(reports_in_scope(user), center_id=center, kind=kind, month=month)


@router.get(
    "/reports/{report_id}",
    response={200: StatsReportDetailOut, 404: ErrorOut},
    summary="One period report with its figures",
)
def report(request: HttpRequest, report_id: Id):
    return access_stats_report(_reader(request), report_id)


@router.get(
    "/reports/{report_id}/file",
    response={404: ErrorOut, 422: ErrorOut},
    summary="A period report's stored workbook or PDF",
    description="The very file generated then (`format`: xlsx or pdf), as an attachment.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    PDF_TYPE: {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def report_download(
    request: HttpRequest,
    report_id: Id,
    file_format: str = Query("pdf", alias="format", max_length=8, description="xlsx | pdf"),
):
    found = access_stats_report(_reader(request), report_id)
    if file_format not in REPORT_FORMATS:
        return field_refusal("format", _("Choose one of: %s.") % ", ".join(REPORT_FORMATS))
    data, content_type, name = report_file(found, file_format)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The service names the period kind `period` and the asked day `day`; the API says kind, month.
_REPORT_FIELDS = {"period": "kind", "day": "month"}


@router.post(
    "/reports",
    response={201: StatsReportDetailOut, **SERVICE_REFUSALS},
    summary="Generate a period report now",
    description=(
        "For the managers of the center (a director or administrator whose subtree holds it; "
        "another center: 404). The report covers the month, quarter or year (`kind`) holding "
        "`month`, over the center's subtree. A period not begun yet or a bad month: 422. A "
        "period with a report already: 409 unless `replace` is true (then the next version, "
        "as the workbench page makes); one being generated by another request: 409."
    ),
)
def report_generate(request: HttpRequest, payload: StatsReportIn):
    user = _reader(request)
    if not can_generate_stats_reports(user) or not can_generate_report_of(user, payload.center):
        raise Http404
    if payload.kind not in ReportPeriod.values:
        return field_refusal("kind", _("Choose one of: %s.") % ", ".join(ReportPeriod.values))
    month = _month("month", payload.month)
    center = Center.objects.get(pk=payload.center)
    try:
        made = stats_report_generate(
            actor=user,
            center=center,
            kind=payload.kind,
            day=month,
            trigger=ReportTrigger.DEMAND,
            replace=payload.replace,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            error = type(error)(
                {_REPORT_FIELDS.get(key, key): value for key, value in error.error_dict.items()}
            )
        return service_refusal(error)
    return Status(201, access_stats_report(user, made.pk))
