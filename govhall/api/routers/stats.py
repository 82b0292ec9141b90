"""Statistics API (issue 18 item 1): the case figures of a period per dimension, with the
previous period (环比) and the same period a year before (同比), read from the daily rollups.

Each figure's definition is `govhall.stats.figures` (returned in `definitions`). Errors
(`govhall.api.schemas`): a caller who reads no figures → 404; a bad date, range, period or
dimension → 422. Figures are limited to the caller's centers (and department)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import BIGINT_MAX, ErrorOut, field_refusal
from govhall.core.models import User
from govhall.stats.access.stats import can_view_stats, stats_scope
from govhall.stats.figures import FIGURES
from govhall.stats.queries.figures import (
    DIMENSIONS,
    MAX_RANGE_DAYS,
    PERIODS,
    FigureFilters,
    figure_table,
    period_bounds,
)

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
    staff: int | None = Query(None, ge=1, le=BIGINT_MAX),
    item: int | None = Query(None, ge=1, le=BIGINT_MAX),
    kind: str = Query("", max_length=16),
    channel: str = Query("", max_length=16),
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
