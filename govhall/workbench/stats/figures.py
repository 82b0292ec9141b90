"""The case figures page (issue 18 item 1): figures per period × dimension with 同比/环比, each
number linking to the cases behind it, the definitions as hints, and a chart.

Who reads what is asked of `govhall.stats.access.stats`; the figures come from
`govhall.stats.queries.figures` (the daily rollups), never from the cases.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.cases.statuses import CaseKind, Channel
from govhall.catalog.models import ServiceItem
from govhall.org.access.scope import centers_in_scope, departments_in_scope, windows_in_scope
from govhall.stats.access.stats import can_view_stats, stats_scope, stats_staff
from govhall.stats.figures import BY_CODE, FIGURES, Figure
from govhall.stats.queries.figures import (
    MAX_RANGE_DAYS,
    FigureFilters,
    FigureTable,
    change,
    drill_params,
    figure_table,
    period_bounds,
)
from govhall.workbench.request_input import staff_user

PICKER_LIMIT = 300
PERIOD_CHOICES = (
    ("day", gettext_lazy("Day")),
    ("week", gettext_lazy("Week")),
    ("month", gettext_lazy("Month")),
    ("quarter", gettext_lazy("Quarter")),
    ("year", gettext_lazy("Year")),
    ("range", gettext_lazy("Range")),
)
DIMENSION_CHOICES = (
    ("total", gettext_lazy("Total only")),
    ("center", gettext_lazy("Center")),
    ("department", gettext_lazy("Department")),
    ("window", gettext_lazy("Window")),
    ("staff", gettext_lazy("Staff member")),
    ("item", gettext_lazy("Service item")),
    ("kind", gettext_lazy("Kind")),
    ("channel", gettext_lazy("Channel")),
    ("day", gettext_lazy("Day")),
    ("month", gettext_lazy("Month")),
)
# The columns of the per-row table (all figures are in the total table above it).
ROW_COLUMNS = (
    "received",
    "accepted",
    "completed",
    "on_time_rate",
    "overdue",
    "immediate_share",
    "online_share",
    "avg_days_used",
    "satisfaction_rate",
    "bad_ratings",
    "complaints",
)


@dataclass(frozen=True)
class Choice:
    period: str
    first: datetime.date
    last: datetime.date
    dimension: str
    filters: FigureFilters


def parse_choice(query: QueryDict, today: datetime.date) -> Choice:
    """The period, days, dimension and filters asked for; ValidationError on bad dates."""
    period = query.get("period") or "month"
    if period not in dict(PERIOD_CHOICES):
        period = "month"
    dimension = query.get("dimension") or "department"
    if dimension not in dict(DIMENSION_CHOICES):
        dimension = "department"
    filters = FigureFilters.from_query(query)

    def day(name: str, default: datetime.date) -> datetime.date:
        raw = (query.get(name) or "").strip()[:10]
        if not raw:
            return default
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                _("%(text)s is not a date; write it as YYYY-MM-DD.") % {"text": raw}
            ) from None

    if period == "range":
        first = day("from", today.replace(day=1))
        last = day("to", today)
        if last < first:
            raise ValidationError(_("The last day is before the first day."))
        if (last - first).days > MAX_RANGE_DAYS:
            raise ValidationError(_("Choose a range of at most ten years."))
    else:
        first, last = period_bounds(period, day("date", today))
    return Choice(period, first, last, dimension, filters)


def _case_link(params: dict[str, str]) -> str:
    return f"{reverse('workbench:cases')}?{urlencode(params)}"


def _links(choice: Choice, *, dimension: str = "total", key: Any = None) -> dict[str, str]:
    """The case list behind each kind of number (`Figure.drill`): the cases received or
    accepted in the period, or DECIDED in it for the figures counted by the decision day."""
    drills = {figure.drill for figure in FIGURES if figure.drill and not figure.unit}
    return {
        drill: _case_link(
            drill_params(
                choice.first, choice.last, choice.filters, dimension=dimension, key=key, drill=drill
            )
        )
        for drill in drills
    }


def _link(figure: Figure, links: dict[str, str]) -> str:
    return links.get(figure.drill, "") if figure.drill and not figure.unit else ""


def _cells(
    table: FigureTable, values: dict[str, Any], links: dict[str, str]
) -> list[dict[str, Any]]:
    cells = []
    for code in ROW_COLUMNS:
        figure = BY_CODE[code]
        cells.append(
            {
                "code": code,
                "value": values.get(code),
                "unit": figure.unit,
                "link": _link(figure, links),
            }
        )
    return cells


def chart_data(table: FigureTable) -> dict[str, Any]:
    """What the chart draws: received and completed per row (bars), on-time rate (line)."""
    rows = table.rows[:40]
    return {
        "categories": [row.label for row in rows],
        "received": [row.values["received"] for row in rows],
        "completed": [row.values["completed"] for row in rows],
        "on_time_rate": [row.values["on_time_rate"] for row in rows],
        "labels": {
            "received": str(BY_CODE["received"].label),
            "completed": str(BY_CODE["completed"].label),
            "on_time_rate": str(BY_CODE["on_time_rate"].label),
            "percent": "%",
            "count": _("Cases"),
        },
    }


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_view_stats(user):
        raise Http404
    today = timezone.localdate()
    error = ""
    try:
        choice = parse_choice(request.GET, today)
    except ValidationError as problem:
        error = " ".join(problem.messages)
        choice = parse_choice(QueryDict(), today)
    staff = stats_staff(user)
    if (
        choice.filters.staff_id is not None
        and not staff.filter(pk=choice.filters.staff_id).exists()
    ):
        # A manager picks only staff within their scope: anyone else is dropped, said so.
        error = " ".join(
            filter(None, [error, _("Choose a staff member of your part of the hall.")])
        )
        choice = replace(choice, filters=replace(choice.filters, staff_id=None))
    table = figure_table(
        stats_scope(user),
        choice.first,
        choice.last,
        dimension=choice.dimension,
        filters=choice.filters,
        period=choice.period,
    )
    total_links = _links(choice)
    totals = [
        {
            "code": figure.code,
            "label": figure.label,
            "hint": figure.hint,
            "unit": figure.unit,
            "value": table.total.values[figure.code],
            "previous": table.total.previous.get(figure.code),
            "mom": change(table.total.values[figure.code], table.total.previous.get(figure.code)),
            "last_year": table.total.last_year.get(figure.code),
            "yoy": change(table.total.values[figure.code], table.total.last_year.get(figure.code)),
            "link": _link(figure, total_links),
        }
        for figure in FIGURES
    ]
    rows = [
        {
            "label": row.label,
            "cells": _cells(
                table, row.values, _links(choice, dimension=choice.dimension, key=row.key)
            ),
        }
        for row in table.rows
    ]
    return render(
        request,
        "workbench/stats/figures.html",
        {
            "choice": choice,
            "error": error,
            "table": table,
            "totals": totals,
            "rows": rows,
            "columns": [BY_CODE[code] for code in ROW_COLUMNS],
            "chart": chart_data(table),
            "periods": PERIOD_CHOICES,
            "dimensions": DIMENSION_CHOICES,
            "anchor": request.GET.get("date") or today.isoformat(),
            "centers": list(centers_in_scope(user).order_by("path")[:PICKER_LIMIT]),
            "departments": list(
                departments_in_scope(user)
                .select_related("center")
                .order_by("center__path", "name")[:PICKER_LIMIT]
            ),
            "windows": list(
                windows_in_scope(user)
                .select_related("center")
                .order_by("center__path", "number")[:PICKER_LIMIT]
            ),
            "items": list(
                ServiceItem.objects.filter(center__in=centers_in_scope(user))
                .order_by("center__path", "name")
                .only("pk", "name")[:PICKER_LIMIT]
            ),
            "kinds": CaseKind.choices,
            "channels": Channel.choices,
            "staff": list(
                staff.order_by("full_name", "username").only("pk", "full_name", "username")[
                    :PICKER_LIMIT
                ]
            ),
        },
    )
